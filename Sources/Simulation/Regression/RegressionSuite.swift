import BMSCore
import Foundation

/// A folder of scenario files with stored baselines: runs them in parallel, checks each run's
/// expectations and compares its summary with the baseline under tolerances (docs/regression.md).
///
/// Layout: every `*.json` directly in the folder is a scenario; `baselines/NAME.json` is the
/// accepted summary of scenario NAME.
public struct RegressionSuite: Sendable {
    public let directory: String
    /// Every scenario of the suite, sorted by name.
    public let scenarios: [ScenarioFile]
    /// Makes the provenance record of a case (its scenario, file and start; it ends when called)
    /// for the summaries written to the output folder; baselines leave it out (it changes with
    /// every commit and run).
    public var provenance: (@Sendable (Scenario, String, Date) -> Provenance)?

    /// Loads every scenario of `directory` (the first bad file stops it, named with its line).
    public init(directory: String) throws(InputFileError) {
        self.directory = directory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw InputFileError(file: directory, line: 0, problem: "cannot list the suite folder: \(error.localizedDescription)")
        }
        guard !names.isEmpty else { throw InputFileError(file: directory, line: 0, problem: "no scenario files (*.json) in the suite folder") }
        var loaded: [ScenarioFile] = []
        for name in names { loaded.append(try ScenarioFile.load(path: directory + "/" + name)) }
        scenarios = loaded
    }

    /// Which cases keep their time series in a folder of their own (OUT/NAME/: timeseries.csv,
    /// summary.json and events.csv, as `simulate` writes them, so `bmssim plot OUT/NAME` draws
    /// the case without rerunning it).
    public enum SeriesPolicy: String, Sendable, CaseIterable {
        /// Only the cases that fail (error, missed expectation, regression or change).
        case failed
        /// Every case.
        case all
        /// None (nothing written but OUT/NAME.json).
        case none
    }

    /// The file each run's wall time is written to in a regress output folder (for `bmssim merge`).
    public static let wallTimesFile = "wall_s.json"

    /// Where the baseline of scenario `name` lives.
    public func baselinePath(_ name: String) -> String { directory + "/baselines/" + name + ".json" }

    /// The stored baseline of `name` (nil when there is none).
    public func baseline(_ name: String) throws(InputFileError) -> RunSummary? {
        let path = baselinePath(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try RunSummary.decoder.decode(RunSummary.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw InputFileError(file: path, line: 0, problem: "not a run summary: \(error)")
        }
    }

    /// One metric that moved beyond its tolerance.
    public struct Change: Sendable, Equatable {
        public enum Kind: String, Sendable { case regressed, improved, changed }
        public var metric: String
        public var baseline: Double?
        public var now: Double?
        public var tolerance: Tolerance
        public var kind: Kind
        /// Whether it fails a comparison: anything but an improvement (a change of no better
        /// direction counts).
        public var fails: Bool { kind != .improved }
    }

    /// What one scenario's run came to.
    public struct Outcome: Sendable {
        public var name: String
        public var summary: RunSummary?
        /// Why the run could not finish (nil when it did).
        public var error: String?
        public var wallSeconds: Double
        public var expectationFailures: [String]
        public var changes: [Change]
        /// No baseline stored (a new scenario): nothing to compare.
        public var baselineMissing: Bool

        /// A scenario that could not be run or found (`error` says why).
        public static func missing(_ name: String, error: String) -> Outcome {
            Outcome(name: name, summary: nil, error: error, wallSeconds: 0, expectationFailures: [], changes: [], baselineMissing: false)
        }

        /// A failure: the run failed, an expectation was missed, or a metric regressed or changed.
        public var failed: Bool {
            error != nil || !expectationFailures.isEmpty || changes.contains(where: \.fails)
        }
        public var status: String {
            if error != nil { return "ERROR" }
            if !expectationFailures.isEmpty { return "FAILED" }
            if changes.contains(where: { $0.kind == .regressed }) { return "REGRESSED" }
            if changes.contains(where: { $0.kind == .changed }) { return "CHANGED" }
            if !changes.isEmpty { return "improved" }
            return baselineMissing ? "new" : "pass"
        }
    }

    /// Compares `now` with `baseline` metric by metric under the scenario's tolerances.
    public static func compare(_ now: RunSummary, with baseline: RunSummary, tolerances: [String: Tolerance]) -> [Change] {
        var changes: [Change] = []
        for m in RunMetric.allCases where !m.isDerived {
            let metric = m.key
            let tolerance = tolerances[metric] ?? m.tolerance
            let n = m.value(in: now)
            let b = m.value(in: baseline)
            guard !tolerance.accepts(n, baseline: b) else { continue }
            var kind = Change.Kind.changed
            if let n, let b, let better = m.better {
                let improved: Bool =
                    switch better {
                    case .lower: n < b
                    case .higher: n > b
                    case .closerToZero: abs(n) < abs(b)
                    }
                kind = improved ? .improved : .regressed
            }
            changes.append(Change(metric: metric, baseline: b, now: n, tolerance: tolerance, kind: kind))
        }
        return changes
    }

    /// Runs `files` on `jobs` threads, longest first, and compares each with its baseline.
    /// `override` changes every firmware configuration (perturbation tests). With
    /// `updateBaselines` the new summaries become the baselines (and nothing counts as changed).
    /// `summaryFolder`, when given, receives NAME.json for every run and, as `series` says, the
    /// case folder NAME/ with its time series.
    public func run(
        _ files: [ScenarioFile], jobs: Int, updateBaselines: Bool = false, summaryFolder: String? = nil, series: SeriesPolicy = .none,
        override: (@Sendable (inout CoreConfiguration) -> Void)? = nil, finished: (@Sendable (Outcome, Int) -> Void)? = nil
    ) -> [Outcome] {
        // Longest first (simulated cell-hours), so the last scenario to start is a short one.
        let order = files.indices.sorted {
            let a = files[$0].scenario, b = files[$1].scenario
            return Double(a.duration_ms) * Double(a.pack.cellCount) > Double(b.duration_ms) * Double(b.pack.cellCount)
        }
        let results = OutcomeBox(count: files.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, files.count))) { _ in
            while let k = results.next(order) {
                let outcome = runOne(files[k], updateBaselines: updateBaselines, summaryFolder: summaryFolder, series: series, override: override)
                let done = results.store(outcome, at: k)
                finished?(outcome, done)
            }
        }
        return results.outcomes
    }

    func runOne(
        _ file: ScenarioFile, updateBaselines: Bool, summaryFolder: String?, series: SeriesPolicy,
        override: (@Sendable (inout CoreConfiguration) -> Void)?
    ) -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        var outcome = Outcome(name: file.name, summary: nil, error: nil, wallSeconds: 0, expectationFailures: [], changes: [], baselineMissing: false)
        let caseFolder = summaryFolder.flatMap { series == .none ? nil : $0 + "/" + file.name }
        do {
            var scenario = file.scenario
            if let override { scenario.firmwareOverride = override }
            var runner = try ClosedLoopRunner(scenario: scenario)
            var writer: TimeSeriesWriter?
            if let caseFolder {
                try FileManager.default.createDirectory(atPath: caseFolder, withIntermediateDirectories: true)
                // Rows in blocks (a suite's runs write in parallel); a failed run keeps what it wrote.
                writer = try TimeSeriesWriter(path: caseFolder + "/timeseries.csv", columns: ClosedLoopRunner.columns, flushEveryRows: 256)
            }
            let started = Date()
            let summary = try runner.run(timeSeries: writer)
            if let folder = summaryFolder {
                var recorded = summary
                recorded.provenance = provenance?(scenario, file.path, started)
                try recorded.jsonData().write(to: URL(fileURLWithPath: folder + "/" + file.name + ".json"))
                if let caseFolder {
                    try recorded.jsonData().write(to: URL(fileURLWithPath: caseFolder + "/summary.json"))
                    try Data(runner.eventsCSV.utf8).write(to: URL(fileURLWithPath: caseFolder + "/events.csv"))
                }
            }
            if updateBaselines {
                try FileManager.default.createDirectory(atPath: directory + "/baselines", withIntermediateDirectories: true)
                try summary.jsonData().write(to: URL(fileURLWithPath: baselinePath(file.name)))
            }
            outcome = try evaluate(file, summary: summary, wallSeconds: 0, againstBaseline: !updateBaselines)
        } catch {
            outcome.error = "\(error)"
        }
        if let caseFolder, series == .failed, !outcome.failed { try? FileManager.default.removeItem(atPath: caseFolder) }
        outcome.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return outcome
    }

    /// What `summary` comes to for scenario `file`: its expectations and detections, and (with
    /// `againstBaseline`) its changes from the stored baseline.
    public func evaluate(_ file: ScenarioFile, summary: RunSummary, wallSeconds: Double, againstBaseline: Bool = true) throws(InputFileError) -> Outcome {
        var outcome = Outcome(
            name: file.name, summary: summary, error: nil, wallSeconds: wallSeconds, expectationFailures: [], changes: [], baselineMissing: false)
        outcome.expectationFailures = summary.failures(against: file.expectations)
        guard againstBaseline else { return outcome }
        if let baseline = try baseline(file.name) {
            outcome.changes = Self.compare(summary, with: baseline, tolerances: file.tolerances)
        } else {
            outcome.baselineMissing = true
        }
        return outcome
    }
}

/// The shared work list and results of a parallel suite run.
private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var results: [RegressionSuite.Outcome?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func next(_ order: [Int]) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < order.count else { return nil }
        nextIndex += 1
        return order[nextIndex - 1]
    }

    /// Stores an outcome; returns how many are stored now.
    func store(_ outcome: RegressionSuite.Outcome, at k: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        results[k] = outcome
        return results.count { $0 != nil }
    }

    var outcomes: [RegressionSuite.Outcome] {
        lock.lock()
        defer { lock.unlock() }
        return results.map { $0! }
    }
}
