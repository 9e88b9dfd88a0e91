import ArgumentParser
import Foundation
import Simulation

/// `bmssim merge`: joins the output folders of shards into one report.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the output folders of regress or sweep shards into one report (docs/cluster.md).",
        discussion: """
            With --suite: every scenario of the suite must be in exactly one folder (NAME.json); the \
            merged table, JUnit file (with each case's wall time from the shards) and summaries go \
            to OUT. With --sweep: every run of the spec must be in exactly one folder's runs/; the \
            merged runs/, report.json, report.md and distributions.svg go to OUT, with provenance.json \
            holding each shard's record,, equal to an \
            unsharded run's. Exit status 1 when a case failed, a run or scenario is missing, or an \
            expectation is missed.
            """
    )

    @Option(help: "The suite folder the regress shards ran.")
    var suite: String?

    @Option(help: "The sweep file the sweep shards ran.")
    var sweep: String?

    @Argument(help: "The shards' output folders.")
    var folders: [String]

    @Option(help: "Output folder of the merged report.")
    var out: String = "out/merged"

    func validate() throws {
        guard (suite == nil) != (sweep == nil) else { throw ValidationError("give --suite or --sweep (one of them)") }
        guard !folders.isEmpty else { throw ValidationError("name the shards' output folders") }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        if let s = sweep { try mergeSweep(s) } else if let s = suite { try mergeSuite(s) }
    }

    private func mergeSweep(_ path: String) throws {
        let started = Date()
        let spec = try SweepSpec.load(path: path)
        var shards: [[SweepRunResult]] = []
        for f in folders { shards.append(try SweepRunResult.load(folder: f)) }
        let results = try SweepRunResult.merge(shards, spec: spec)
        try FileManager.default.createDirectory(atPath: out + "/runs", withIntermediateDirectories: true)
        for (f, rs) in zip(folders, shards) {
            for r in rs {
                let name = SweepRunResult.fileName(run: r.run)
                let target = out + "/runs/" + name
                if (f as NSString).standardizingPath != (out as NSString).standardizingPath {
                    try? FileManager.default.removeItem(atPath: target)
                    try FileManager.default.copyItem(atPath: f + "/runs/" + name, toPath: target)
                }
            }
        }
        let report = SweepReport(spec: spec, results: results)
        try report.jsonData().write(to: URL(fileURLWithPath: out + "/report.json"))
        try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: out + "/report.md"))
        try Data(SweepReport.histograms(spec: spec, results: results).utf8).write(to: URL(fileURLWithPath: out + "/distributions.svg"))
        // Each shard's record, read before this folder's is written (OUT may be a shard's folder).
        let shardRecords = folders.map { SweepProvenance.load(folder: $0) }
        let provenance = BuildInfo.provenance(sweep: spec, spec: path, runsHere: results.count, shard: nil, jobs: 1, started: started, mergedFrom: shardRecords)
        try provenance.jsonData().write(to: URL(fileURLWithPath: out + "/" + SweepProvenance.fileName))
        print(report.markdown)
        let missing = Set(0..<spec.runs).subtracting(results.map(\.run)).sorted()
        if !missing.isEmpty { print("missing runs (no shard ran them): \(missing.prefix(20).map(String.init).joined(separator: ", "))\(missing.count > 20 ? " ..." : "")") }
        print("merged \(Format.count(folders.count, "folder")), \(Format.count(results.count, "run")), into \(out)")
        if !report.passed { throw ExitCode(1) }
    }

    private func mergeSuite(_ path: String) throws {
        let suite = try RegressionSuite(directory: path)
        var walls: [String: Double] = [:]
        for f in folders {
            if let data = try? Data(contentsOf: URL(fileURLWithPath: f + "/" + RegressionSuite.wallTimesFile)),
                let map = try? JSONSerialization.jsonObject(with: data) as? [String: Double]
            {
                walls.merge(map) { a, _ in a }
            }
        }
        var outcomes: [RegressionSuite.Outcome] = []
        for file in suite.scenarios {
            let found = folders.filter { FileManager.default.fileExists(atPath: $0 + "/" + file.name + ".json") }
            guard found.count == 1 else {
                let problem = found.isEmpty ? "not run by any shard" : "run by more than one shard (\(found.joined(separator: ", ")))"
                outcomes.append(.missing(file.name, error: problem))
                continue
            }
            let source = found[0] + "/" + file.name + ".json"
            let data = try Data(contentsOf: URL(fileURLWithPath: source))
            let summary = try RunSummary.decoder.decode(RunSummary.self, from: data)
            if (found[0] as NSString).standardizingPath != (out as NSString).standardizingPath {
                try data.write(to: URL(fileURLWithPath: out + "/" + file.name + ".json"))
            }
            outcomes.append(try suite.evaluate(file, summary: summary, wallSeconds: walls[file.name] ?? 0))
        }
        print(RegressionReport.table(outcomes))
        let junitPath = out + "/junit.xml"
        try RegressionReport.junit(outcomes, suiteName: URL(fileURLWithPath: path).lastPathComponent)
            .write(toFile: junitPath, atomically: true, encoding: .utf8)
        let failed = outcomes.filter(\.failed).count
        print("\nmerged \(Format.count(folders.count, "folder")): \(Format.count(outcomes.count, "scenario")), \(failed) failed; JUnit: \(junitPath)")
        if failed > 0 { throw ExitCode(1) }
    }
}
