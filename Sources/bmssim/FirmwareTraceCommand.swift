import ArgumentParser
import Foundation
import Simulation

/// `bmssim firmware-trace`: a replay trace for the firmware image and this host's digests of it.
struct FirmwareTraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware-trace",
        abstract: "Record a scenario's measurement frames as a replay trace for the firmware image, with this host's step digests.",
        discussion: """
            Writes OUT/trace.bin (the frames of the in-process closed loop) and OUT/host-digests.bin \
            (what the image's controller, 240 cells and 12 modules, decides on them here, one \
            StepDigest a step). tools/firmware/build.sh replays the trace under QEMU and compares the \
            image's digests with these byte for byte (docs/core.md "The firmware image").

            With --pil, writes OUT/pil.bin instead of the trace: the header the image reads for a \
            processor-in-the-loop run against `bmssim plant-server` of the same scenario \
            (hil/run-pil.sh), and OUT/host-digests.bin, what that lockstep run must decide: the \
            scenario closed in process with the image's configuration.
            """
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(help: "Control steps to record (1 ... 1,000,000).")
    var steps = 600

    @Flag(help: "A processor-in-the-loop run's header and reference digests instead of a replay trace.")
    var pil = false

    @Option(help: "Output folder.")
    var out = "out/firmware-trace"

    func validate() throws {
        guard (1...1_000_000).contains(steps) else { throw ValidationError("--steps must be 1 ... 1000000") }
    }

    func run() throws {
        let (scenario, name) = try scenarioOptions.buildScenario()
        if pil {
            let (header, digests) = try FirmwareTrace.processorInTheLoop(scenario: scenario, steps: steps)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Data(header).write(to: URL(fileURLWithPath: out + "/pil.bin"))
            try Data(digests).write(to: URL(fileURLWithPath: out + "/host-digests.bin"))
            print("\(name): \(steps) lockstep cycles of \(scenario.pack.cellCount) cells; wrote \(out)/pil.bin, \(out)/host-digests.bin")
            return
        }
        let (trace, digests) = try FirmwareTrace.record(scenario: scenario, steps: steps)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data(trace).write(to: URL(fileURLWithPath: out + "/trace.bin"))
        try Data(digests).write(to: URL(fileURLWithPath: out + "/host-digests.bin"))
        print("\(name): \(steps) steps of \(scenario.pack.cellCount) cells; wrote \(out)/trace.bin (\(trace.count) bytes), \(out)/host-digests.bin")
    }
}
