/// Which part of a suite or sweep one process runs: shard `index` of `count` (1-based). Item k
/// (in name or run order) goes to shard k mod count + 1, so the shards cover it exactly once.
public struct ShardAssignment: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    /// Where the numbers came from ("--shard", "Slurm job array", ...).
    public var source: String

    public init?(index: Int, count: Int, source: String) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
        self.source = source
    }

    /// `i/n` as typed after `--shard`.
    public init?(text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i, count: n, source: "--shard")
    }

    public var description: String { "\(index)/\(count)" }

    /// The engines `--shard auto` knows, in the order they are looked for: the variable of the
    /// index, whether it counts from 0, and the variable of the count.
    public static let engines: [(name: String, index: String, zeroBased: Bool, count: String)] = [
        ("Slurm job array", "SLURM_ARRAY_TASK_ID", true, "SLURM_ARRAY_TASK_COUNT"),
        ("Kubernetes Indexed Job", "JOB_COMPLETION_INDEX", true, "BMSSIM_SHARD_COUNT"),
        ("GitLab CI parallel", "CI_NODE_INDEX", false, "CI_NODE_TOTAL"),
        ("CircleCI parallelism", "CIRCLE_NODE_INDEX", true, "CIRCLE_NODE_TOTAL"),
        ("Buildkite parallelism", "BUILDKITE_PARALLEL_JOB", true, "BUILDKITE_PARALLEL_JOB_COUNT"),
        ("BMSSIM_SHARD_INDEX/COUNT", "BMSSIM_SHARD_INDEX", false, "BMSSIM_SHARD_COUNT"),
    ]

    /// The shard the environment of a cluster or CI job names (`--shard auto`). A Slurm array's
    /// task ids are taken from SLURM_ARRAY_TASK_MIN with step 1 (`--array=0-7` or `1-8`); a
    /// Kubernetes Indexed Job sets only the index, so its manifest sets BMSSIM_SHARD_COUNT to
    /// its `completions`.
    public static func fromEnvironment(_ environment: [String: String]) throws(InputFileError) -> ShardAssignment {
        for engine in engines {
            guard let indexText = environment[engine.index] else { continue }
            func fail(_ problem: String) -> InputFileError { InputFileError(file: "--shard auto", line: 0, problem: "\(engine.name): \(problem)") }
            guard let raw = Int(indexText) else { throw fail("\(engine.index)='\(indexText)' is not a whole number") }
            guard let countText = environment[engine.count] else { throw fail("\(engine.index) is set but \(engine.count) is not") }
            guard let count = Int(countText), count >= 1 else { throw fail("\(engine.count)='\(countText)' is not a count >= 1") }
            var index = engine.zeroBased ? raw + 1 : raw
            if engine.index == "SLURM_ARRAY_TASK_ID" {
                let minimum = environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
                if let step = environment["SLURM_ARRAY_TASK_STEP"], step != "1" {
                    throw fail("SLURM_ARRAY_TASK_STEP=\(step): give the array a step of 1")
                }
                index = raw - minimum + 1
            }
            guard let shard = ShardAssignment(index: index, count: count, source: engine.name) else {
                throw fail("index \(raw) is outside a count of \(count)")
            }
            return shard
        }
        throw InputFileError(
            file: "--shard auto", line: 0,
            problem: "no shard in the environment (looked for \(engines.map(\.index).joined(separator: ", ")))")
    }

    /// The part of `items` this shard runs.
    public func part<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}
