import BMSCore
import Foundation

/// Replay traces for the firmware image (tools/firmware, `bmssim firmware-trace`): a scenario's
/// measurement frames from the in-process closed loop, and the digests (`StepDigest`) of the
/// image's controller (240 cells, 12 modules) stepping them on this host. The image replays the
/// trace under QEMU and writes its own digests; the two files must be equal byte for byte.
///
/// The replay's controller is the chemistry's preset for the string (`ReplayTraceHeader`), asked
/// for normal operation from the first step, with no EMS heartbeat: an open-loop replay of what
/// the closed loop measured.
public enum FirmwareTrace {
    /// The firmware image's capacity (tools/firmware/FirmwareMain.swift).
    public typealias ImageController = BMSController<240, 12>
    public typealias ImageFrame = MeasurementFrame<240, 12>

    /// Runs `scenario` for `steps` control steps; returns the trace and the host's digests.
    public static func record(scenario: Scenario, steps: Int) throws -> (trace: [UInt8], digests: [UInt8]) {
        let header = try imageHeader(scenario, steps: steps)
        var runner = try ClosedLoopRunner(scenario: scenario)
        let frameBytes = header.frameBytes
        var trace = [UInt8](repeating: 0, count: 4 * ReplayTraceHeader.words + steps * frameBytes)
        trace.withUnsafeMutableBytes { header.write(to: $0.baseAddress!) }
        for k in 0..<steps {
            _ = runner.advance()
            trace.withUnsafeMutableBytes { b in
                runner.frame.writeTrace(cells: header.cells, modules: header.modules, to: b.baseAddress! + 4 * ReplayTraceHeader.words + k * frameBytes)
            }
        }
        return (trace, try replay(trace))
    }

    /// The processor-in-the-loop run's reference (hil/run-pil.sh): `scenario` closed in process
    /// for `steps` steps with the image's controller configuration (the chemistry's preset for the
    /// string, `ReplayTraceHeader`) in place of the scenario's own. Returns pil.bin (the header
    /// the image reads: its configuration and how many lockstep cycles to run) and the digests a
    /// lockstep run of the image against `bmssim plant-server` of the same scenario must write,
    /// one `StepDigest` a cycle.
    public static func processorInTheLoop(scenario: Scenario, steps: Int) throws -> (header: [UInt8], digests: [UInt8]) {
        let header = try imageHeader(scenario, steps: steps)
        var own = scenario
        let configuration = header.configuration
        own.firmwareOverride = { $0 = configuration }
        var runner = try ClosedLoopRunner(scenario: own)
        var bytes = [UInt8](repeating: 0, count: 4 * ReplayTraceHeader.words)
        bytes.withUnsafeMutableBytes { header.write(to: $0.baseAddress!) }
        var digests = [UInt8](repeating: 0, count: steps * 4 * StepDigest.count)
        for k in 0..<steps {
            _ = runner.advance()
            let digest = StepDigest(
                commands: runner.lastCommands, status: runner.controller.status, time: runner.frame.time, cellCount: header.cells,
                moduleCount: header.modules)
            digests.withUnsafeMutableBytes { digest.write(to: $0.baseAddress! + k * 4 * StepDigest.count) }
        }
        return (bytes, digests)
    }

    /// The image's header for `scenario`: its chemistry's preset for the string, at its step.
    static func imageHeader(_ scenario: Scenario, steps: Int) throws -> ReplayTraceHeader {
        let pack = scenario.pack
        guard pack.cellCount <= 240, pack.moduleCount <= 12 else {
            throw SimulationError.invalidOption("the firmware image holds at most 240 cells in 12 modules; the pack has \(pack.cellCount) in \(pack.moduleCount)")
        }
        let own = scenario.coreConfiguration
        return ReplayTraceHeader(
            chemistry: scenario.firmwareChemistry, cells: pack.cellCount, modules: pack.moduleCount, initialSoC: own.initialSoC,
            ratedCurrent: own.currentLimits.ratedDischargeCurrent, step: own.step, steps: steps)
    }

    /// Replays a trace on this host as the image does; returns the digests.
    public static func replay(_ trace: [UInt8]) throws -> [UInt8] {
        try trace.withUnsafeBytes { t in
            guard t.count >= 4 * ReplayTraceHeader.words, let header = ReplayTraceHeader(reading: t.baseAddress!, maxCells: 240, maxModules: 12),
                t.count == 4 * ReplayTraceHeader.words + header.steps * header.frameBytes
            else { throw SimulationError.invalidOption("not a replay trace of this version, or cut short") }
            var controller: ImageController
            do { controller = try ImageController(configuration: header.configuration) } catch {
                throw SimulationError.controllerRejected("\(error)")
            }
            controller.modeRequest = .normal
            var frame = ImageFrame(time: .zero)
            var digests = [UInt8](repeating: 0, count: header.steps * 4 * StepDigest.count)
            for k in 0..<header.steps {
                frame.readTrace(cells: header.cells, modules: header.modules, from: t.baseAddress! + 4 * ReplayTraceHeader.words + k * header.frameBytes)
                let commands = controller.step(frame)
                let digest = StepDigest(commands: commands, status: controller.status, time: frame.time, cellCount: header.cells, moduleCount: header.modules)
                digests.withUnsafeMutableBytes { digest.write(to: $0.baseAddress! + k * 4 * StepDigest.count) }
            }
            return digests
        }
    }
}
