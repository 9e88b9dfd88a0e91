import Foundation

/// Two sweeps of the same spec and seed run by run (`bmssim compare A B` with two sweep output
/// folders): each run of the second judged against the same run of the first with the
/// regression suite's tolerances and directions (`RegressionSuite.compare`). The runs are paired
/// by number and must have drawn alike (same spec, same seed): a before/after of a firmware
/// change over one population, the per-run view the aggregate report hides.
public struct SweepComparison {
    /// One run present in both sweeps with a summary in each, and its changes (empty: within
    /// every tolerance).
    public struct Pair {
        public var run: Int
        public var draw: SweepRunDraw?
        public var changes: [RegressionSuite.Change]
    }

    /// The two folders, the reference first.
    public var paths: (reference: String, other: String)
    /// The runs in both, in run order.
    public var pairs: [Pair]
    /// Runs only one of the two holds, or that could not run in one of them (by number).
    public var unpaired: [Int]

    /// Loads both folders' `runs/` (a sweep's or a merged sweep's output).
    public init(reference: String, other: String) throws(InputFileError) {
        let a = try SweepRunResult.load(folder: reference)
        let b = try SweepRunResult.load(folder: other)
        guard !a.isEmpty else { throw InputFileError(file: reference + "/runs", line: 0, problem: "no sweep runs here") }
        guard !b.isEmpty else { throw InputFileError(file: other + "/runs", line: 0, problem: "no sweep runs here") }
        let byRun = Dictionary(b.map { ($0.run, $0) }, uniquingKeysWith: { first, _ in first })
        var pairs: [Pair] = []
        var unpaired: [Int] = []
        for ra in a {
            guard let rb = byRun[ra.run], let sa = ra.summary, let sb = rb.summary else {
                unpaired.append(ra.run)
                continue
            }
            guard ra.draw == rb.draw else {
                throw InputFileError(
                    file: other, line: 0,
                    problem: "run \(ra.run) drew differently from \(reference)'s: not the same spec and seed, so its runs are not the same cells and duty")
            }
            pairs.append(Pair(run: ra.run, draw: ra.draw, changes: RegressionSuite.compare(sb, with: sa, tolerances: [:])))
        }
        let inA = Set(a.map(\.run))
        unpaired += b.map(\.run).filter { !inA.contains($0) }
        paths = (reference, other)
        self.pairs = pairs
        self.unpaired = unpaired.sorted()
    }

    /// The runs with a change beyond tolerance.
    public var changed: [Pair] { pairs.filter { !$0.changes.isEmpty } }

    /// Whether a run regressed or changed beyond tolerance (an improvement alone is none).
    public var hasRegression: Bool { pairs.contains { $0.changes.contains(where: \.fails) } }

    /// The text a person reads: the counts, then each changed run with its draw and changes,
    /// in the regress wording.
    public func table() -> String {
        let count = { (kind: RegressionSuite.Change.Kind) in changed.filter { $0.changes.contains { $0.kind == kind } }.count }
        var lines = [
            "A: \(paths.reference)", "B: \(paths.other)", "",
            "\(pairs.count) runs in both: \(pairs.count - changed.count) within every tolerance, \(changed.count) changed"
                + " (\(count(.regressed)) with a regression, \(count(.improved)) with an improvement, \(count(.changed)) with a change of no better direction)"
                + " (tolerances as regress: docs/regression.md)",
        ]
        if !unpaired.isEmpty {
            lines.append("not compared (in one folder only, or no summary in one): runs " + unpaired.map(String.init).joined(separator: ", "))
        }
        for p in changed {
            let d = p.draw.map { " (\($0.pack), \($0.duty), \($0.ageing)" + ($0.contact_loss == nil ? "" : ", contact loss") + ($0.soft_short == nil ? "" : ", soft short") + ")" } ?? ""
            lines.append("")
            lines.append("run \(p.run)\(d): `bmssim simulate --sweep-run SPEC:\(p.run)` reruns it")
            for c in p.changes { lines.append("  " + RegressionReport.describe(c)) }
        }
        return lines.joined(separator: "\n")
    }
}
