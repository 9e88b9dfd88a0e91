import Foundation

/// One run of a sweep: what it drew and what it came to (its summary, or why it could not run).
public struct SweepRunResult: Codable, Sendable {
    public var draw: SweepRunDraw?
    public var run: Int
    public var summary: RunSummary?
    public var error: String?

    /// The file a run's result is written to inside a sweep's `runs/` folder.
    public static func fileName(run: Int) -> String { "run-" + String(repeating: "0", count: max(0, 6 - String(run).count)) + String(run) + ".json" }
}

extension SweepSpec {
    /// The runs `shard` does (`ShardAssignment.part`: run k goes to shard k mod count + 1).
    public func runs(shard: ShardAssignment) -> [Int] { shard.part(Array(0..<runs)) }

    /// Runs `runs` on `jobs` threads; each result is written to `folder/runs/` as it finishes
    /// (nothing is lost to an interruption) and `progress` is told the number done so far.
    /// `shouldStop` is asked between runs.
    public func execute(
        _ runs: [Int], jobs: Int, folder: String?, progress: (@Sendable (Int) -> Void)? = nil, shouldStop: (@Sendable () -> Bool)? = nil
    ) throws -> [SweepRunResult] {
        if let f = folder { try FileManager.default.createDirectory(atPath: f + "/runs", withIntermediateDirectories: true) }
        let box = SweepBox(count: runs.count)
        let spec = self
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, runs.count))) { _ in
            while let i = box.next(), !(shouldStop?() ?? false) {
                let result = spec.runOne(runs[i])
                if let f = folder, let data = try? Self.encoder.encode(result) {
                    try? data.write(to: URL(fileURLWithPath: f + "/runs/" + SweepRunResult.fileName(run: runs[i])))
                }
                let done = box.store(result, at: i)
                progress?(done)
            }
        }
        return box.results
    }

    /// Run `k`, start to end.
    public func runOne(_ k: Int) -> SweepRunResult {
        var result = SweepRunResult(draw: nil, run: k, summary: nil, error: nil)
        do {
            let (scenario, draw) = try scenario(run: k)
            result.draw = draw
            var runner = try ClosedLoopRunner(scenario: scenario)
            result.summary = try runner.run()
            if ccdDeratingComparison {
                // The same draw without the derating: what it prevented.
                var without = scenario
                without.ccdAwareDerating = false
                var second = try ClosedLoopRunner(scenario: without)
                result.summary?.dendrite_penetrations_without_ccd_derating = try second.run().dendrite_penetrations
            }
        } catch {
            result.error = "\(error)"
        }
        return result
    }

    static let encoder: JSONEncoder = RunSummary.encoder
}

/// The shared work list and results of a parallel sweep.
private final class SweepBox: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var done = 0
    private var stored: [SweepRunResult?]

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < stored.count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    /// Stores a result; returns how many are done.
    func store(_ r: SweepRunResult, at i: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        stored[i] = r
        done += 1
        return done
    }

    var results: [SweepRunResult] {
        lock.lock()
        defer { lock.unlock() }
        return stored.compactMap { $0 }
    }
}
