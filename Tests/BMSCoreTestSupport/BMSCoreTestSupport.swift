import BMSCore
import Foundation

// What BMSCoreTests (unoptimised: unit tests) and BMSCoreLoopTests (optimised: long step loops
// and the zero-allocation test) share. Compiled optimised: the helpers that step a controller
// (`step`, `run`) run the specialised, inlined step even when an unoptimised test calls them.

public typealias TestController = BMSController<32, 4>
public typealias TestFrame = MeasurementFrame<32, 4>

/// A ZEBRA configuration for 20 cells in 2 modules at 50 % SoC.
public func zebraConfiguration(cells: Int = 20, modules: Int = 2) -> CoreConfiguration {
    var c = CoreConfiguration.preset(
        .naNiCl2, cellCount: cells, moduleCount: modules, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(38))
    c.ratedCapacity = AmpereHours(38)
    return c
}

/// A healthy frame: every cell at `cell`, every module at `temperature`, `current` flowing.
public func nominalFrame(
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

/// Steps `frame` through ideal relays: its contactor feedback is `last`'s command, and the DC link
/// sits at the pack voltage once the precharge path or the mains are closed; `tamper` then edits
/// the frame (a welded relay, a dead channel). Returns the commands.
@discardableResult
public func step(
    _ c: inout TestController, _ frame: TestFrame, after last: CommandFrame<32, 4>, tamper: (inout TestFrame) -> Void = { _ in }
) -> CommandFrame<32, 4> {
    var f = frame
    f.contactorFeedback = ContactorFeedback(following: last.contactors)
    let linked = last.contactors.mainNegative && (last.contactors.mainPositive || last.contactors.precharge)
    f.linkVoltage = linked ? f.packVoltage : Volts(0)
    tamper(&f)
    return c.step(f)
}

/// Runs `steps` steps of 100 ms, building each frame with `frame(time_ms)` and closing the loop
/// through ideal relays (`step(_:_:after:tamper:)`). Returns the last commands.
@discardableResult
public func run(_ c: inout TestController, steps: Int, from start: Int64 = 100, frame: (Int64) -> TestFrame) -> CommandFrame<32, 4> {
    var last = CommandFrame<32, 4>.safe
    last.contactors = c.contactorCommands
    for k in 0..<steps { last = step(&c, frame(start + Int64(k) * 100), after: last) }
    return last
}

extension BMSController {
    /// A controller asked for normal operation, as an EMS does after power-up.
    public static func requesting(_ request: ModeRequest = .normal, configuration c: CoreConfiguration) throws(ConfigurationError) -> Self {
        var controller = try Self(configuration: c)
        controller.modeRequest = request
        return controller
    }
}

/// Deterministic standard-normal draws for tests (SplitMix64 and Box-Muller): the same seed gives
/// the same noise on every machine.
public struct GaussianNoise {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func uniform() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Float(z >> 40) + 0.5) / Float(1 << 24)
    }

    public mutating func next() -> Float {
        let u = uniform()
        let v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Float.pi * v)
    }
}
