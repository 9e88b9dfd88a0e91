// Firmware entry points for the Embedded Swift build of BMSCore (tools/embedded-build.sh).
//
// Generic code is only compiled in Embedded mode when it is specialised, so this file instantiates
// the controller at the firmware's capacity (240 cells, 12 modules) and runs `step` on a synthetic
// frame. With `-Xfrontend -no-allocations`, any heap allocation on these paths fails the build.

/// Capacity of the firmware image: a 240-cell string in 12 thermal modules.
typealias FirmwareController = BMSController<240, 12>

/// The self-tests' configuration: a 240-cell ZEBRA string at 50 % SoC.
let firmwareConfiguration = CoreConfiguration.preset(
    .naNiCl2, cellCount: 240, moduleCount: 12, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(32))

/// A nominal frame of that string at rest, 290 C, relays reading closed.
func nominalFirmwareFrame() -> MeasurementFrame<240, 12> {
    var frame = MeasurementFrame<240, 12>(time: .zero)
    frame.packCurrent = Amperes(0)
    frame.packVoltage = Volts(240 * 2.58)
    frame.cellVoltages = InlineArray(repeating: Volts(2.58))
    frame.moduleTemperatures = InlineArray(repeating: Celsius(290))
    frame.contactorClosed = true
    return frame
}

/// Runs `steps` control steps of a nominal ZEBRA string at rest and returns the fault bits
/// (0 = healthy). Called from the C reset handler when the image runs under QEMU.
@_cdecl("bmssim_firmware_selftest")
public func firmwareSelfTest(steps: Int32) -> UInt32 {
    guard var controller = try? FirmwareController(configuration: firmwareConfiguration) else { return UInt32.max }
    var frame = nominalFirmwareFrame()
    var faults: UInt32 = 0
    var i: Int32 = 0
    while i < steps {
        frame.time = frame.time + firmwareConfiguration.step
        faults = controller.step(frame).faults.rawValue
        i += 1
    }
    return faults
}

/// The persistent record in RAM for the self-test (a board backs it with EEPROM, FRAM or flash).
nonisolated(unsafe) var firmwareRecord = MemoryRecordStorage<2560>()

/// Powers up from the record, runs `steps` steps writing it when due, shuts down into it, and
/// returns the copies written (the record's paths built under `-no-allocations` too).
@_cdecl("bmssim_firmware_record_selftest")
public func firmwareRecordSelfTest(steps: Int32) -> UInt32 {
    guard var controller = try? FirmwareController(configuration: firmwareConfiguration) else { return UInt32.max }
    controller.powerUp(from: &firmwareRecord)
    var frame = nominalFirmwareFrame()
    var i: Int32 = 0
    while i < steps {
        frame.time = frame.time + firmwareConfiguration.step
        _ = controller.step(frame)
        do { try controller.persist(to: &firmwareRecord) } catch { return UInt32.max - 1 }
        i += 1
    }
    do { try controller.shutDown(to: &firmwareRecord) } catch { return UInt32.max - 1 }
    return controller.recordWrites
}
