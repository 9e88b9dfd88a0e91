import Foundation

/// Two or more closed-loop runs side by side (`bmssim compare`): their metric table, each run
/// judged against the first with the regression suite's tolerances and directions
/// (`RegressionSuite.compare`), and their time series overlaid (`RunComparison+Plot`).
public struct RunComparison {
    /// One run: where it came from, its summary and its time series when the folder has one.
    public struct Run {
        /// "A", "B", ... followed by the run's name (its folder, or its file without .json).
        public var label: String
        public var path: String
        public var summary: RunSummary
        /// The run's timeseries.csv (nil: a summary file alone, such as a baseline).
        var table: ColumnTable?
    }

    public var runs: [Run]
    /// Each later run's changes against the first, in run order (the first has none).
    public var changes: [[RegressionSuite.Change]]

    /// Loads each path: a folder with summary.json (simulate, a regress case kept with its time
    /// series) or a summary file (regress OUT/NAME.json, a baseline).
    public init(paths: [String]) throws(InputFileError) {
        guard paths.count >= 2 else { throw InputFileError(file: paths.first ?? ".", line: 0, problem: "compare needs at least two runs") }
        guard paths.count <= 26 else { throw InputFileError(file: paths[26], line: 0, problem: "compare draws at most 26 runs (A ... Z)") }
        var runs: [Run] = []
        for (k, path) in paths.enumerated() {
            let letter = String(UnicodeScalar(UInt8(65 + k)))
            runs.append(try Self.load(path, letter: letter))
        }
        self.runs = runs
        changes = runs.map { RegressionSuite.compare($0.summary, with: runs[0].summary, tolerances: [:]) }
        changes[0] = []
    }

    static func load(_ path: String, letter: String) throws(InputFileError) -> Run {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputFileError(file: path, line: 0, problem: "no such run folder or summary file")
        }
        let folder = isFolder.boolValue
        let summaryPath = folder ? path + "/summary.json" : path
        guard let data = FileManager.default.contents(atPath: summaryPath) else {
            throw InputFileError(
                file: path, line: 0,
                problem: "no summary.json here: give a simulate folder, a regress case folder (kept with --series) or a summary file")
        }
        let summary: RunSummary
        do {
            summary = try RunSummary.decoder.decode(RunSummary.self, from: data)
        } catch {
            let plant = (try? RunSummary.decoder.decode(PlantRunSummary.self, from: data)) != nil
            throw InputFileError(
                file: summaryPath, line: 0,
                problem: plant
                    ? "a plant run (no firmware, so no estimation metrics to compare): compare closed-loop runs"
                    : "not a closed-loop run summary (simulate, a regress case or a baseline)")
        }
        var table: ColumnTable?
        if folder, FileManager.default.fileExists(atPath: path + "/timeseries.csv") {
            table = try ColumnTable.load(path: path + "/timeseries.csv")
        }
        // A folder's name; a file's without .json; a folder's summary.json given directly: the folder's.
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let name = folder ? url.lastPathComponent : stem == "summary" ? url.deletingLastPathComponent().lastPathComponent : stem
        return Run(label: letter + " " + name, path: path, summary: summary, table: table)
    }

    /// Whether a later run regressed or changed beyond tolerance against the first.
    public var hasRegression: Bool { changes.contains { $0.contains(where: \.fails) } }

    /// The table a person reads: one row per metric any run has, each later run's value marked
    /// where it moved beyond tolerance (`+` improved, `!` regressed, `~` changed), then the
    /// changes in the regress wording, and each run's outcome statements.
    public func table() -> String {
        let header = ["metric"] + runs.map(\.label)
        var rows: [[String]] = []
        for m in RunMetric.allCases where !m.isDerived {
            guard runs.contains(where: { m.value(in: $0.summary) != nil }) else { continue }
            var row = [m.key]
            for (k, run) in runs.enumerated() {
                var cell = m.formatted(in: run.summary)
                if let c = changes[k].first(where: { $0.metric == m.key }) {
                    cell += c.kind == .improved ? " +" : (c.kind == .regressed ? " !" : " ~")
                }
                row.append(cell)
            }
            rows.append(row)
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var text = cells.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var lines = runs.map { "\($0.label): \($0.path)" }
        lines.append("")
        lines.append(line(header))
        lines += rows.map(line)
        lines.append("")
        lines.append("against \(runs[0].label) (tolerances as regress: docs/regression.md; + improved, ! regressed, ~ changed):")
        for (k, run) in runs.enumerated().dropFirst() {
            if changes[k].isEmpty { lines.append("  \(run.label): no metric beyond its tolerance") }
            for c in changes[k] { lines.append("  \(run.label): \(RegressionReport.describe(c))") }
        }
        for run in runs { for o in run.summary.outcome ?? [] { lines.append("  \(run.label) OUTCOME: \(o)") } }
        return lines.joined(separator: "\n")
    }
}
