import ArgumentParser
import Foundation
import Simulation

/// `bmssim regress`: run a regression suite against its baselines.
struct Regress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every scenario of a suite in parallel and compare with the stored baselines.",
        discussion: """
            SUITE_DIR holds scenario files (*.json, docs/scenarios.md) and baselines/NAME.json. Exit \
            status 1 when a run fails, misses an expectation, or a metric changes beyond its tolerance \
            (improvements are shown but pass). The shipped suite is regress/ (docs/regression.md).
            """
    )

    @Argument(help: "Suite folder.")
    var suite: String

    @Option(help: "Parallel runs (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Run only shard i of n (1-based, e.g. 2/4): scenario k in name order goes to shard k mod n + 1. 'auto': the index and count of a Slurm array, Kubernetes Indexed Job or CI job (docs/cluster.md).")
    var shard: ShardOption?

    @Option(help: "JUnit XML report (default: OUT/junit.xml).")
    var junit: String?

    @Option(help: "Folder for each scenario's summary.json and the report.")
    var out: String = "out/regress"

    @Option(help: "Which cases keep their time series in OUT/NAME/ (timeseries.csv, summary.json, events.csv; bmssim plot and compare read it): failed, all or none.")
    var series: RegressionSuite.SeriesPolicy = .failed

    @Flag(help: "Store this run's summaries as the new baselines.")
    var updateBaselines = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        var loaded: RegressionSuite
        loaded = try RegressionSuite(directory: suite)
        loaded.provenance = { scenario, file, started in BuildInfo.provenance(scenario, scenarioFile: file, started: started) }
        var files = loaded.scenarios
        let shard = try self.shard?.resolved()
        if let s = shard { files = s.part(files) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let label = shard.map { " (shard \($0), \($0.source))" } ?? ""
        FileHandle.standardOutput.write(Data("bmssim regress \(suite)\(label): \(Format.count(files.count, "scenario")) on \(min(jobs, max(files.count, 1))) threads\n".utf8))
        let start = Date()
        let count = files.count
        // A line per finished scenario as it finishes (a log or a pipe sees progress; the table follows).
        let outcomes = loaded.run(
            files, jobs: jobs, updateBaselines: updateBaselines, summaryFolder: out, series: series,
            finished: { o, done in
                // Straight to the file descriptor: print's buffer would hold it until the end in a pipe.
                FileHandle.standardOutput.write(Data("[\(done)/\(count)] \(o.name): \(o.status.lowercased()), \(Format.fixed(o.wallSeconds, 1)) s\n".utf8))
            })
        let wall = Date().timeIntervalSince(start)
        print(RegressionReport.table(outcomes))
        let junitPath = junit ?? out + "/junit.xml"
        try RegressionReport.junit(outcomes, suiteName: URL(fileURLWithPath: suite).lastPathComponent, wallSeconds: wall)
            .write(toFile: junitPath, atomically: true, encoding: .utf8)
        let walls = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.name, $0.wallSeconds) })
        try JSONSerialization.data(withJSONObject: walls, options: [.sortedKeys, .prettyPrinted])
            .write(to: URL(fileURLWithPath: out + "/" + RegressionSuite.wallTimesFile))
        let failed = outcomes.filter(\.failed).count
        print("\n\(Format.count(outcomes.count, "scenario")), \(failed) failed, \(Format.fixed(wall, 1)) s wall; JUnit: \(junitPath)")
        if updateBaselines { print("baselines updated in \(suite)/baselines") }
        if outcomes.contains(where: \.baselineMissing) { print("scenarios marked 'new' have no baseline yet: run with --update-baselines") }
        let kept = outcomes.filter { FileManager.default.fileExists(atPath: out + "/" + $0.name + "/timeseries.csv") }.map(\.name)
        if !kept.isEmpty {
            print("time series kept for \(kept.count == outcomes.count ? "every case" : kept.joined(separator: ", ")): bmssim plot \(out)/NAME")
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
