import ArgumentParser
import BatteryPlant
import Foundation
import Simulation

/// `bmssim simulate`: an in-process closed-loop run.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run plant + BMS core + EMS in a closed loop and write timeseries.csv and summary.json.",
        discussion: """
            With no arguments: a 240-cell Na-NiCl2 (ZEBRA-type) string on 24 h of synthetic frequency \
            regulation at 0.2 C, 4.7 kW (profiles/duty/frequency-regulation-24h.csv). With --scenario, \
            the scenario file sets everything (docs/scenarios.md) and any option given here overrides it. \
            The time series is written row by row, so an interrupted run keeps every row simulated; \
            Ctrl-C stops at the next step and writes the summary of what ran.
            """
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(help: "Output folder.")
    var out: String = "out/simulate"

    @Flag(help: "No progress bar (it is shown only on a terminal anyway).")
    var quiet = false


    func run() throws {
        let (scenario, name, expectations) = try scenarioOptions.buildRun()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let series = try TimeSeriesWriter(path: out + "/timeseries.csv", columns: ClosedLoopRunner.columns)
        var runner = try ClosedLoopRunner(scenario: scenario)
        Interrupt.install()
        let bar = quiet ? nil : ProgressBar(label: name)
        let started = Date()
        var summary = try runner.run(timeSeries: series, progress: bar.map { b in { b.show($0) } }, shouldStop: { Interrupt.requested })
        bar?.finish()
        summary.provenance = BuildInfo.provenance(scenario, scenarioFile: scenarioOptions.scenario ?? scenarioOptions.sweepRun, started: started)
        try summary.jsonData().write(to: URL(fileURLWithPath: out + "/summary.json"))
        try Data(runner.eventsCSV.utf8).write(to: URL(fileURLWithPath: out + "/events.csv"))
        let kW = String(format: "%.1f", scenario.rating_W / 1000)
        print("bmssim simulate \(name): \(scenario.pack.cellCount)-cell \(scenario.pack.chemistry.name) pack, \(kW) kW per pu, profile \(scenario.profile.source)")
        print(summary.humanReadable)
        print("wrote \(out)/timeseries.csv, \(out)/summary.json and \(out)/events.csv")
        if Interrupt.requested {
            print("interrupted: the files hold the \(Format.hours(summary.duration_h)) simulated before Ctrl-C")
            throw ExitCode(130)
        }
        // The scenario's expectations and detection requirements, as regress checks them.
        let failures = summary.failures(against: expectations)
        let checked = expectations.count + (summary.detections?.count ?? 0)
        if checked > 0 {
            if failures.isEmpty {
                print("expectations: all \(checked) met")
            } else {
                for f in failures { print("EXPECTATION FAILED: \(f)") }
                throw ExitCode(1)
            }
        }
    }
}

