import Foundation
import Testing
import TestSupport

/// Shards run as separate processes with a cluster engine's variables set, then merged.
@Suite("Shards on a cluster engine")
struct ClusterTests {
    static let spec = """
        {"runs": 5, "seed": 3, "pack": ["NASICON", "NaS"], "cells_per_string": 3, "duration_h": 0.2,
         "duty": ["frequency-regulation", "peak-shaving"], "current_offset_A": {"min": -0.05, "max": 0.05}}
        """

    /// Writes the small spec into `dir` and sweeps it unsharded into `dir/whole`; returns its path.
    static func sweepTheSmallSpec(in dir: String) throws -> String {
        let spec = dir + "/small.json"
        try Self.spec.write(toFile: spec, atomically: true, encoding: .utf8)
        let whole = try runBMSSim(["sweep", spec, "--out", dir + "/whole", "--quiet"])
        #expect(whole.status == 0, "\(whole.output)")
        return spec
    }

    @Test func slurmArrayShardsMergedEqualTheUnshardedSweep() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.sweepTheSmallSpec(in: dir)
        // A Slurm array --array=1-3: task ids 1 ... 3.
        var folders: [String] = []
        for task in 1...3 {
            let out = dir + "/shard\(task)"
            folders.append(out)
            let r = try runBMSSim(
                ["sweep", spec, "--shard", "auto", "--out", out, "--quiet"],
                environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"])
            #expect(r.status == 0, "\(r.output)")
            #expect(r.output.contains("shard \(task)/3, Slurm job array"), "\(r.output)")
        }
        let runFiles = try folders.flatMap { try FileManager.default.contentsOfDirectory(atPath: $0 + "/runs") }
        #expect(runFiles.sorted() == (0..<5).map { String(format: "run-%06d.json", $0) }, "every run exactly once")
        let merged = try runBMSSim(["merge", "--sweep", spec, "--out", dir + "/merged"] + folders)
        #expect(merged.status == 0, "\(merged.output)")
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/whole/report.json"))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/merged/report.json"))
        #expect(a == b, "the merged report is the unsharded one")
        // Provenance beside the report: each shard's, and the merge's listing them.
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/merged/provenance.json"))) as? [String: Any])
        let shards = try #require(record["merged_from"] as? [[String: Any]])
        #expect(shards.count == 3)
        #expect(shards.compactMap { $0["shard"] as? String }.sorted() == ["1/3 (Slurm job array)", "2/3 (Slurm job array)", "3/3 (Slurm job array)"])
        let runsHere: Int = shards.map { (shard: [String: Any]) -> Int in shard["runs_here"] as? Int ?? 0 }.reduce(0, +)
        #expect(runsHere == 5)
        #expect((record["spec_sha256"] as? String)?.count == 64 && record["bmssim_version"] != nil)
        // A shard left out is named, and fails the merge.
        let partial = try runBMSSim(["merge", "--sweep", spec, "--out", dir + "/partial"] + folders.dropLast())
        #expect(partial.status != 0 && partial.output.contains("missing runs"), "\(partial.output)")
    }

    /// One run of a sweep rerun alone gives the summary the sweep wrote for it, and its time
    /// series; a reference that is not SPEC:K, or a run the sweep does not have, is refused.
    @Test func aSweepRunRerunsAloneWithItsTimeSeries() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.sweepTheSmallSpec(in: dir)
        let alone = try runBMSSim(["simulate", "--sweep-run", spec + ":3", "--out", dir + "/run3", "--quiet"])
        #expect(alone.status == 0, "\(alone.output)")
        let swept = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/whole/runs/run-000003.json"))) as? [String: Any]
        let single = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/run3/summary.json"))) as? [String: Any]
        let a = swept?["summary"] as? [String: Any]
        for key in ["soc_error_rms_pct", "soc_error_max_pct", "soc_nees", "energy_out_Wh", "seed"] {
            #expect((a?[key] as? NSNumber) == (single?[key] as? NSNumber), "\(key): \(String(describing: a?[key])) vs \(String(describing: single?[key]))")
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/run3/timeseries.csv"))
        for bad in [spec, spec + ":x", spec + ":5", spec + ":-1"] {
            let r = try runBMSSim(["simulate", "--sweep-run", bad, "--out", dir + "/bad", "--quiet"])
            #expect(r.status != 0 && r.output.contains("--sweep-run"), "\(bad): \(r.output)")
        }
    }

    @Test func kubernetesIndexedJobShardsOfASuiteMergeIntoOneJUnit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let suite = dir + "/suite"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        for (k, duty) in ["frequency-regulation", "arbitrage", "standby"].enumerated() {
            let text = "{\"pack\": \"NASICON\", \"cells_per_string\": 3, \"duration_h\": 0.1, \"seed\": \(k + 1), \"duty\": {\"generator\": \"\(duty)\"}}"
            try text.write(toFile: suite + "/case\(k).json", atomically: true, encoding: .utf8)
        }
        let update = try runBMSSim(["regress", suite, "--update-baselines", "--out", dir + "/base"])
        #expect(update.status == 0, "\(update.output)")
        var folders: [String] = []
        for index in 0..<2 {
            let out = dir + "/k8s\(index)"
            folders.append(out)
            let r = try runBMSSim(
                ["regress", suite, "--shard", "auto", "--out", out], environment: ["JOB_COMPLETION_INDEX": "\(index)", "BMSSIM_SHARD_COUNT": "2"])
            #expect(r.status == 0, "\(r.output)")
        }
        let merged = try runBMSSim(["merge", "--suite", suite, "--out", dir + "/merged"] + folders)
        #expect(merged.status == 0, "\(merged.output)")
        let junit = try String(contentsOfFile: dir + "/merged/junit.xml", encoding: .utf8)
        for k in 0..<3 { #expect(junit.components(separatedBy: "name=\"case\(k)\"").count == 2, "case\(k) once in the JUnit file") }
        // The same folder twice runs its cases twice: refused.
        let twice = try runBMSSim(["merge", "--suite", suite, "--out", dir + "/twice", folders[0], folders[0], folders[1]])
        #expect(twice.status != 0 && twice.output.contains("more than one shard"), "\(twice.output)")
    }

    @Test func autoWithoutAnEngineSaysWhatItLookedFor() throws {
        let r = try runBMSSim(["regress", "regress", "--shard", "auto", "--out", "/tmp/unused"], environment: ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "2"])
        #expect(r.status != 0 && r.output.contains("not a whole number"), "\(r.output)")
    }
}
