import BMSCore

typealias TestController = BMSController<32, 4>
typealias TestFrame = MeasurementFrame<32, 4>

/// A ZEBRA configuration for 20 cells in 2 modules at 50 % SoC.
func zebraConfiguration(cells: Int = 20, modules: Int = 2) -> CoreConfiguration {
    var c = CoreConfiguration.preset(
        .naNiCl2, cellCount: cells, moduleCount: modules, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(38))
    c.ratedCapacity = AmpereHours(38)
    return c
}

/// A healthy frame: every cell at `cell`, every module at `temperature`, `current` flowing.
func nominalFrame(
    time ms: Int64, cells: Int = 20, modules: Int = 2, cell: Float = 2.58, temperature: Float = 290,
    current: Float = 0
) -> TestFrame {
    var f = TestFrame(time: Milliseconds(ms))
    f.packCurrent = Amperes(current)
    f.packVoltage = Volts(cell * Float(cells))
    for i in 0..<cells { f.cellVoltages[i] = Volts(cell) }
    for m in 0..<modules { f.moduleTemperatures[m] = Celsius(temperature) }
    f.linkVoltage = f.packVoltage
    f.contactorClosed = true
    return f
}

/// Runs `steps` steps of 100 ms, building each frame with `frame(time_ms)` and closing the loop
/// through ideal relays: each frame's contactor feedback is the previous step's command, and the
/// DC link sits at the pack voltage once the precharge path or the mains are closed. Returns the
/// last commands.
@discardableResult
func run(_ c: inout TestController, steps: Int, from start: Int64 = 100, frame: (Int64) -> TestFrame) -> CommandFrame<32, 4> {
    var last = CommandFrame<32, 4>.safe
    last.contactors = c.contactorCommands
    for k in 0..<steps {
        var f = frame(start + Int64(k) * 100)
        f.contactorFeedback = ContactorFeedback(following: last.contactors)
        let linked = last.contactors.mainNegative && (last.contactors.mainPositive || last.contactors.precharge)
        f.linkVoltage = linked ? f.packVoltage : Volts(0)
        last = c.step(f)
    }
    return last
}
