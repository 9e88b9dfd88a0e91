import ArgumentParser
import Foundation
import Simulation

/// `bmssim compare`: runs side by side, metric by metric and overlaid.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare closed-loop runs: their metrics judged against the first run as regress judges a baseline, and their time series overlaid in an SVG.",
        discussion: """
            Each RUN is a folder with summary.json (bmssim simulate's output, or a regress case kept \
            with --series) or a summary file (regress OUT/NAME.json, a baseline). Marks: + improved, \
            ! regressed, ~ changed beyond the metric's tolerance (docs/regression.md). Runs with a \
            timeseries.csv are drawn overlaid.

            Two sweep output folders (each with runs/, from bmssim sweep or merge) of the same spec \
            and seed are compared run by run: each run of the second against the same run of the \
            first, and every run with a change listed with its draw (docs/sweeps.md "Comparing two \
            sweeps"); nothing is drawn.
            """
    )

    @Argument(help: "Two or more runs; the first is the reference.")
    var runs: [String]

    @Option(help: "The overlaid plot (default: out/compare.svg).")
    var output: String = "out/compare.svg"

    @Flag(help: "Exit 1 when a run regressed or changed beyond tolerance against the first.")
    var failOnRegression = false

    func validate() throws {
        guard runs.count >= 2 else { throw ValidationError("give at least two runs to compare") }
    }

    func run() throws {
        if runs.count == 2, runs.allSatisfy(SweepRunResult.isSweepFolder) {
            let comparison = try SweepComparison(reference: runs[0], other: runs[1])
            print(comparison.table())
            if failOnRegression, comparison.hasRegression { throw ExitCode(1) }
            return
        }
        let comparison = try RunComparison(paths: runs)
        print(comparison.table())
        if let svg = comparison.svg() {
            let folder = PathName.folder(of: output)
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try svg.write(toFile: output, atomically: true, encoding: .utf8)
            print("\nwrote \(output)")
        } else {
            print("\nno run has a time series (summary files only): nothing drawn")
        }
        if failOnRegression, comparison.hasRegression { throw ExitCode(1) }
    }
}
