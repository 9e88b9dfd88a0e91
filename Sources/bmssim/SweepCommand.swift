import ArgumentParser
import Foundation
import Simulation

/// `bmssim sweep`: a Monte Carlo over seeded draws of a sweep file.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a Monte Carlo sweep (docs/sweeps.md) in parallel and report the distributions of its metrics.",
        discussion: """
            SPEC is a sweep file: the runs, the seed, and how each run draws its pack, cells, duty \
            cycle, ambient, sensor errors, initial SoC and its error and ageing. Writes OUT/runs/run-K.json \
            (each run's draw and summary, as it finishes), OUT/report.json, OUT/report.md, \
            OUT/distributions.svg and OUT/provenance.json (version, commit, command, the spec's SHA-256, \
            shard, wall time). Exit status 1 when a run could not run or an expectation of the \
            spec is missed. The same spec and seed give the same report, byte for byte.
            """
    )

    @Argument(help: "Sweep file (JSON).")
    var spec: String

    @Option(help: "Output folder.")
    var out: String = "out/sweep"

    @Option(help: "Parallel runs (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Run only shard i of n (1-based, e.g. 2/4): run k goes to shard k mod n + 1. 'auto': the index and count of a Slurm array, Kubernetes Indexed Job or CI job (docs/cluster.md).")
    var shard: ShardOption?

    @Option(help: "Runs instead of the spec's (a quick look; the report names both).")
    var runs: Int?

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let r = runs { guard (1...1_000_000).contains(r) else { throw ValidationError("--runs must be 1 ... 1000000") } }
    }

    func run() throws {
        var sweep = try SweepSpec.load(path: spec)
        if let r = runs { sweep.runs = r }
        let shard = try self.shard?.resolved()
        let planned = shard.map { sweep.runs(shard: $0) } ?? Array(0..<sweep.runs)
        let label = shard.map { " (shard \($0), \($0.source))" } ?? ""
        print("bmssim sweep \(sweep.name)\(label): \(Format.count(planned.count, "run")) of \(Format.hours(sweep.duration_h)) on \(min(jobs, max(planned.count, 1))) threads")
        Interrupt.install()
        let bar = quiet ? nil : ProgressBar(label: sweep.name)
        let total = Double(max(planned.count, 1))
        let start = Date()
        var progress: (@Sendable (Int) -> Void)?
        if let b = bar {
            progress = { @Sendable (done: Int) in b.show(Double(done) / total) }
        }
        let results = try sweep.execute(planned, jobs: jobs, folder: out, progress: progress, shouldStop: { Interrupt.requested })
        bar?.finish()
        var report = SweepReport(spec: sweep, results: results)
        if shard != nil { report.runs_planned = planned.count }
        try report.jsonData().write(to: URL(fileURLWithPath: out + "/report.json"))
        try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: out + "/report.md"))
        try Data(SweepReport.histograms(spec: sweep, results: results).utf8).write(to: URL(fileURLWithPath: out + "/distributions.svg"))
        let provenance = BuildInfo.provenance(
            sweep: sweep, spec: spec, runsHere: results.count, shard: shard.map { "\($0) (\($0.source))" }, jobs: jobs, started: start)
        try provenance.jsonData().write(to: URL(fileURLWithPath: out + "/" + SweepProvenance.fileName))
        print(report.markdown)
        print(String(format: "%.1f s wall; wrote %@/report.json, report.md, distributions.svg, provenance.json and runs/", Date().timeIntervalSince(start), out))
        if Interrupt.requested { throw ExitCode(130) }
        if !report.passed { throw ExitCode(1) }
    }
}
