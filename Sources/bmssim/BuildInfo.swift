import Foundation
import Simulation

/// The tool's version and the source commit it was built from (for `--version` and the
/// provenance of every summary.json).
enum BuildInfo {
    /// The release number, raised when a release is tagged; the commit names the exact source.
    static let version = "0.15.0"

    /// The commit: `BMSSIM_COMMIT` from the environment (a container build without the
    /// repository sets it), else `git rev-parse` in the checkout above the executable (with
    /// `-dirty` when tracked files have uncommitted changes), else "unknown".
    static let commit: String = {
        if let c = ProcessInfo.processInfo.environment["BMSSIM_COMMIT"], !c.isEmpty { return c }
        guard let repository = checkout() else { return "unknown" }
        guard let head = git(["-C", repository, "rev-parse", "--short=12", "HEAD"]), !head.isEmpty else { return "unknown" }
        let changes = git(["-C", repository, "status", "--porcelain", "--untracked-files=no"]) ?? ""
        return changes.isEmpty ? head : head + "-dirty"
    }()

    /// The git checkout holding this executable (it is built in REPO/.build/...), if any.
    static func checkout() -> String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(".git").path),
                FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path)
            {
                return dir.path
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }

    /// git's output, trimmed (nil when git is missing or fails).
    static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The provenance of a run of `scenario` that started at `started` and ends now, by this
    /// build and command line.
    static func provenance(_ scenario: Scenario, scenarioFile: String?, started: Date, openLoop: Bool = false) -> Provenance {
        Provenance(
            scenario, version: version, commit: commit, command: CommandLine.arguments, scenarioFile: scenarioFile, started: started,
            wall_s: Date().timeIntervalSince(started), openLoop: openLoop)
    }

    /// The provenance of a sweep (or a merge of its shards) that started at `started` and ends now.
    static func provenance(
        sweep: SweepSpec, spec: String, runsHere: Int, shard: String?, jobs: Int, started: Date, mergedFrom: [SweepProvenance?]? = nil
    ) -> SweepProvenance {
        SweepProvenance(
            version: version, commit: commit, command: CommandLine.arguments, spec: spec, sweep: sweep, runsHere: runsHere, shard: shard, jobs: jobs,
            started: started, mergedFrom: mergedFrom)
    }

    /// What `bmssim --version` prints.
    static var line: String { "bmssim \(version) (commit \(commit))" }
}
