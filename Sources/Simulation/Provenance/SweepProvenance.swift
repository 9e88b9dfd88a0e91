import Foundation

/// What made a sweep's output folder (OUT/provenance.json, beside report.json, which stays the
/// same byte for byte for one spec and seed whoever runs it): the tool, the spec with its
/// checksum, the runs this process ran, its shard, and when and how long.
public struct SweepProvenance: Codable, Sendable, Equatable {
    public var bmssim_version: String
    public var commit: String
    public var command: [String]
    public var spec: String
    public var spec_sha256: String?
    public var seed: UInt64
    /// The runs the spec asks for (or `--runs`), and how many this process ran (its shard's).
    public var runs: Int
    public var runs_here: Int
    /// "i/n (source)" for a shard; nil for the whole sweep.
    public var shard: String?
    public var jobs: Int
    public var started_utc: String
    public var wall_s: Double
    /// For a merged folder: each shard folder's own record (nil where a shard wrote none).
    public var merged_from: [SweepProvenance?]?

    public init(
        version: String, commit: String, command: [String], spec path: String, sweep: SweepSpec, runsHere: Int, shard: String?, jobs: Int,
        started: Date, mergedFrom: [SweepProvenance?]? = nil
    ) {
        bmssim_version = version
        self.commit = commit
        self.command = command
        spec = path
        spec_sha256 = Provenance.fileChecksum(path)
        seed = sweep.seed
        runs = sweep.runs
        runs_here = runsHere
        self.shard = shard
        self.jobs = jobs
        started_utc = ISO8601DateFormatter().string(from: started)
        wall_s = Date().timeIntervalSince(started)
        merged_from = mergedFrom
    }

    /// The file in an output folder.
    public static let fileName = "provenance.json"

    /// The record in `folder`, if it has one that reads.
    public static func load(folder: String) -> SweepProvenance? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(SweepProvenance.self, from: data)
    }

    /// Pretty, sorted JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
