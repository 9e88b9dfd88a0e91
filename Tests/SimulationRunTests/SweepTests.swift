import Foundation
@testable import Simulation
import Testing
import TestSupport

@Suite("Monte Carlo sweeps")
struct SweepTests {
    /// A small sweep: 6 runs of 30 min on 4-cell strings of two chemistries.
    static let small = """
        {
          "runs": 6, "seed": 77, "pack": ["NASICON", "NaNiCl2"], "cells_per_string": 4, "duration_h": 0.5,
          "duty": ["frequency-regulation", "arbitrage"], "ambient_C": {"min": 10, "max": 30},
          "initial_soc_error": {"mean": 0, "sigma": 0.02}, "current_offset_A": {"min": -0.05, "max": 0.05},
          "ageing": ["new", "mid-life"], "expect": {"protection_trips.max": {"max": 0}}
        }
        """

    static func spec(_ text: String = small) throws -> SweepSpec { try SweepSpec.parse(Data(text.utf8), path: "/tmp/small.json") }

    @Test func oneSeedGivesOneReportAndShardsMergedEqualIt() throws {
        let spec = try Self.spec()
        let whole = try spec.execute(Array(0..<spec.runs), jobs: 2, folder: nil)
        let again = try spec.execute(Array(0..<spec.runs), jobs: 1, folder: nil)
        let report = SweepReport(spec: spec, results: whole)
        #expect(try report.jsonData() == SweepReport(spec: spec, results: again).jsonData(), "threads do not change a run")
        #expect(report.runs == 6 && report.errors.isEmpty)
        #expect(report.groups.map(\.name).contains("pack=NASICON"))
        // Three shards as three folders, merged.
        var shards: [[SweepRunResult]] = []
        var seen: [Int] = []
        for i in 1...3 {
            let runs = spec.runs(shard: ShardAssignment(index: i, count: 3, source: "test")!)
            seen += runs
            shards.append(try spec.execute(runs, jobs: 1, folder: nil))
        }
        #expect(seen.sorted() == Array(0..<6), "every run in exactly one shard")
        let merged = try SweepRunResult.merge(shards, spec: spec)
        #expect(try SweepReport(spec: spec, results: merged).jsonData() == report.jsonData())
        #expect(throws: InputFileError.self) { try SweepRunResult.merge([shards[0], shards[0]], spec: spec) }
    }

    @Test func aRunDrawsTheSameWhateverElseTheSpecDraws() throws {
        let spec = try Self.spec()
        let (_, a) = try spec.scenario(run: 4)
        let (_, b) = try spec.scenario(run: 4)
        #expect(a == b)
        // One more drawn key leaves the others' draws alone.
        let more = try Self.spec(Self.small.replacingOccurrences(of: "\"runs\": 6,", with: "\"runs\": 6, \"cell_voltage_noise_V\": {\"min\": 0.001, \"max\": 0.004},"))
        let (_, c) = try more.scenario(run: 4)
        #expect(c.seed == a.seed && c.duty_seed == a.duty_seed && c.initial_soc == a.initial_soc && c.current_offset_A == a.current_offset_A)
        #expect(c.cell_voltage_noise_V != a.cell_voltage_noise_V)
        let (_, d) = try spec.scenario(run: 5)
        #expect(d.seed != a.seed, "runs differ")
    }

    @Test func drawsStayInTheirRanges() throws {
        let spec = try Self.spec(
            "{\"runs\": 400, \"pack\": \"NaS\", \"cells_per_string\": {\"min\": 2, \"max\": 8}, \"initial_soc\": {\"mean\": 0.5, \"sigma\": 0.1}, \"initial_soc_error\": {\"mean\": 0, \"sigma\": 0.05}}"
        )
        var socs: [Double] = []
        for k in 0..<spec.runs {
            let (scenario, draw) = try spec.scenario(run: k)
            #expect((2...8).contains(draw.cells))
            #expect(scenario.pack.initialSoC + scenario.initialSoCError >= 0 && scenario.pack.initialSoC + scenario.initialSoCError <= 1)
            socs.append(draw.initial_soc)
        }
        let mean = socs.reduce(0, +) / Double(socs.count)
        let sd = (socs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(socs.count)).squareRoot()
        #expect(abs(mean - 0.5) < 0.02 && abs(sd - 0.1) < 0.015, "normal draw: mean \(mean), sd \(sd)")
    }

    @Test(arguments: [
        ("{\"runs\": 2, \"pack\": \"NaS\", \"ambiant_C\": 20}", "unknown key"),
        ("{\"runs\": 2, \"pack\": \"NaS\", \"ambient_C\": {\"min\": 20, \"mx\": 30}}", "unknown key"),
        ("{\"runs\": 2, \"pack\": \"NaS\", \"ambient_C\": {\"min\": -300, \"max\": 30}}", "ambient_C"),
        ("{\"runs\": 2, \"pack\": \"NaS\", \"initial_soc\": {\"mean\": 0.9, \"sigma\": 0.1}}", "5 sigma"),
        ("{\"runs\": 0, \"pack\": \"NaS\"}", "runs must be"),
        ("{\"runs\": 2, \"pack\": \"LiFePO4\"}", "neither a preset"),
        ("{\"runs\": 2, \"pack\": \"NaS\", \"duty\": \"regd\"}", "is not one of"),
        ("{\"runs\": 2, \"pack\": \"NaS\", \"expect\": {\"soc_error_rms_pct.p99\": {\"max\": 1}}}", "METRIC.STAT"),
        ("{\"runs\": 2, \"pack\": \"NaS\", \"duration_h\": 1e300}", "duration_h"),
        ("{\"runs\": 2, \"pack\": \"NaS\", \"current_offset_A\": {\"min\": 1, \"max\": 0}}", "min <= max"),
        ("{\"runs\": 2, \"pack\": \"NaS\"", "not valid JSON"),
        ("{\"pack\": \"NaS\"}", "either runs or runs_per_pack"),
        ("{\"runs\": 2, \"runs_per_pack\": 2, \"pack\": \"NaS\"}", "either runs or runs_per_pack"),
        ("{\"runs_per_pack\": 0, \"pack\": [\"NaS\", \"sulfide\"]}", "runs_per_pack must be"),
        ("{\"runs_per_pack\": 600000, \"pack\": [\"NaS\", \"sulfide\"]}", "runs_per_pack must be"),
        ("{\"runs_per_pack\": 2, \"pack\": [\"NaS\", \"NaS\"]}", "twice"),
        ("{\"runs\": 2, \"pack\": [\"NaS\", \"sulfide\"], \"expect\": {\"pack=ZEBRA/soc_error_rms_pct.p95\": {\"max\": 1}}}", "is not one the spec draws"),
        ("{\"runs\": 2, \"pack\": \"NaS\", \"expect\": {\"pack=NaS/soc_error_rms_pct.p95\": {\"max\": 1}}}", "drop 'pack=NaS/'"),
        ("{\"runs\": 2, \"pack\": [\"NaS\", \"sulfide\"], \"expect\": {\"chemistry=NaS/soc_error_rms_pct.p95\": {\"max\": 1}}}", "pack=NAME or duty=NAME"),
        ("{\"runs\": 2, \"pack\": [\"NaS\", \"sulfide\"], \"expect\": {\"pack=NaS/soc_error_rms_pct\": {\"max\": 1}}}", "METRIC.STAT"),
    ])
    func badSpecsAreRefused(text: String, problem: String) {
        let error = #expect(throws: InputFileError.self) { try Self.spec(text) }
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }

    @Test func runsPerPackGivesEveryPackItsRunsAndGroupBoundsJudgeTheirGroup() throws {
        let text = Self.small.replacingOccurrences(of: "\"runs\": 6,", with: "\"runs_per_pack\": 3,").replacingOccurrences(
            of: "\"protection_trips.max\": {\"max\": 0}",
            with: "\"pack=NASICON/duration_h.max\": {\"max\": 1}, \"pack=NaNiCl2/soc_error_rms_pct.max\": {\"max\": 0}, \"duty=arbitrage/protection_trips.max\": {\"max\": 0}")
        let spec = try Self.spec(text)
        #expect(spec.runs == 6)
        let packs = try (0..<spec.runs).map { k in try spec.scenario(run: k).1.pack }
        #expect(packs.filter { $0 == "NASICON" }.count == 3 && packs.filter { $0 == "NaNiCl2" }.count == 3, "\(packs)")
        // Every other draw is the run's own, as with a drawn pack.
        let drawn = try Self.spec(Self.small)
        for k in 0..<spec.runs {
            let (a, b) = (try spec.scenario(run: k).1, try drawn.scenario(run: k).1)
            #expect(a.duty == b.duty && a.seed == b.seed && a.initial_soc == b.initial_soc && a.ambient_C == b.ambient_C)
        }
        let results = try spec.execute([0, 1], jobs: 2, folder: nil)
        let report = SweepReport(spec: spec, results: results)
        let byKey = Dictionary(uniqueKeysWithValues: report.expectations.map { ($0.expect, $0) })
        #expect(byKey["pack=NaNiCl2/soc_error_rms_pct.max"]?.problem?.contains("is above") == true, "judged on NaNiCl2's run")
        #expect(byKey["pack=NASICON/duration_h.max"]?.value == 0.5 && byKey["pack=NASICON/duration_h.max"]?.problem == nil)
        #expect(byKey["duty=arbitrage/protection_trips.max"] != nil)
        let nasicon = report.groups.first { $0.name == "pack=NASICON" }?.statistics["soc_error_rms_pct"]?["max"]
        #expect(nasicon != nil && nasicon != report.groups.first { $0.name == "pack=NaNiCl2" }?.statistics["soc_error_rms_pct"]?["max"])
        // A shard of one pack still has that pack's group.
        let one = SweepReport(spec: spec, results: results.filter { $0.draw?.pack == "NaNiCl2" })
        #expect(one.groups.map(\.name).contains("pack=NaNiCl2"))
        #expect(!report.passed)
    }

    /// Issue 14's health targets as the report states them: contact losses flagged within 2 h
    /// (of those with 2 h of run left after them), soft shorts apart, and the interface error as
    /// a magnitude (the signed error's p95 hides a low tail).
    @Test func theReportCountsContactLossesWithinTheirDeadlineAndTheInterfaceErrorsMagnitude() throws {
        func result(
            _ run: Int, loss at_h: Double?, detected s: Double?, carried: Double = 5, short: Bool = false, shortDetected: Bool = false, interface: Double?
        ) throws -> SweepRunResult {
            let fault = { (h: Double) in "{\"cell\": 2, \"at_h\": \(h), \"value\": 0.4}" }
            let draw = """
                {"run": \(run), "pack": "NaS", "cells": 4, "seed": 1, "duty": "arbitrage", "duty_seed": 2, "grid_outages_per_day": 0,
                 "initial_soc": 0.5, "initial_soc_error": 0, "current_offset_A": 0, "current_gain_error": 0, "cell_voltage_noise_V": 0.001,
                 "ageing": "new"\(at_h.map { ", \"contact_loss\": " + fault($0) } ?? "")\(short ? ", \"soft_short\": " + fault(3) : "")}
                """
            var summary = RegressionTests.summary(rms: 0.5)
            summary.duration_h = 24
            summary.contact_loss_detection_s = s
            summary.contact_loss_throughput_pct = at_h == nil ? nil : carried
            summary.soft_short_detection_s = shortDetected ? 600 : nil
            summary.interface_error_pct = interface
            return SweepRunResult(draw: try JSONDecoder().decode(SweepRunDraw.self, from: Data(draw.utf8)), run: run, summary: summary, error: nil)
        }
        let results = [
            try result(0, loss: 4, detected: 60, interface: -12),  // in time
            try result(1, loss: 4, detected: 7200, interface: 3),  // at the deadline: in time
            try result(2, loss: 4, detected: 7201, interface: -1),  // late
            try result(3, loss: 4, detected: nil, carried: 0.99, short: true, shortDetected: true, interface: nil),  // missed, no current after
            try result(4, loss: 23, detected: nil, short: true, interface: 2),  // an hour left: no deadline to judge
            try result(5, loss: nil, detected: nil, interface: 4),
        ]
        let report = SweepReport(spec: try Self.spec(), results: results)
        let all = try #require(report.groups.first { $0.name == "all" })
        #expect(all.contact_losses_injected == 5 && all.contact_losses_detected == 3)
        #expect(all.contact_losses_with_deadline == 4 && all.contact_losses_within_deadline == 2)
        // Run 3's cell carried under 1 % of its capacity in the 2 h after its loss.
        #expect(all.contact_losses_followed_by_current == 3 && all.contact_losses_followed_by_current_within_deadline == 2)
        #expect(all.soft_shorts_injected == 2 && all.soft_shorts_detected == 1)
        // |error| 1, 2, 3, 4, 12: p95 by nearest rank is 12, where the signed p95 is 4.
        #expect(all.statistics["interface_error_abs_pct"]?["p95"] == 12)
        #expect(all.statistics["interface_error_pct"]?["p95"] == 4)
        #expect(report.markdown.contains("Contact losses flagged on their cell: 3 of 5, within 2 h 2 of the 4 injected 2 h or more before their run's end; of those 4, 3 followed by current (their cell carried 1 % of its capacity or more in the 2 h after), 2 of them flagged within 2 h. Soft shorts flagged on their cell: 1 of 2."))
        // A derived metric is no second line in a baseline comparison.
        var moved = results[0].summary!
        moved.interface_error_pct = -20
        #expect(RegressionSuite.compare(moved, with: results[0].summary!, tolerances: [:]).map(\.metric) == ["interface_error_pct"])
    }

    /// A run result of 24 h on a 4-cell NaS string, its draw as JSON (run `run`, duty seed
    /// `dutySeed`) and its summary at SoC RMS `rms`.
    static func result(_ run: Int, rms: Double, dutySeed: Int = 2) throws -> SweepRunResult {
        let draw = """
            {"run": \(run), "pack": "NaS", "cells": 4, "seed": 1, "duty": "arbitrage", "duty_seed": \(dutySeed), "grid_outages_per_day": 0,
             "initial_soc": 0.5, "initial_soc_error": 0, "current_offset_A": 0, "current_gain_error": 0, "cell_voltage_noise_V": 0.001,
             "ageing": "new"}
            """
        return SweepRunResult(draw: try JSONDecoder().decode(SweepRunDraw.self, from: Data(draw.utf8)), run: run, summary: RegressionTests.summary(rms: rms), error: nil)
    }

    /// `results` written as a sweep's output folder (runs/), in a new temporary folder.
    static func sweepFolder(_ results: [SweepRunResult]) throws -> String {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/runs", withIntermediateDirectories: true)
        for r in results { try RunSummary.encoder.encode(r).write(to: URL(fileURLWithPath: dir + "/runs/" + SweepRunResult.fileName(run: r.run))) }
        return dir
    }

    /// Two sweeps of one spec and seed compared run by run: the runs that moved beyond the
    /// regression tolerances are named, with their draw; a run only one holds is left out and
    /// said so; a run that drew differently (another spec or seed) is an error.
    @Test func twoSweepsAreComparedRunByRun() throws {
        let before = try Self.sweepFolder([Self.result(0, rms: 0.4), Self.result(1, rms: 0.4), Self.result(2, rms: 0.4), Self.result(3, rms: 0.4)])
        let after = try Self.sweepFolder([Self.result(0, rms: 0.405), Self.result(1, rms: 0.6), Self.result(3, rms: 0.2)])
        defer { for d in [before, after] { try? FileManager.default.removeItem(atPath: d) } }
        let c = try SweepComparison(reference: before, other: after)
        #expect(c.pairs.map(\.run) == [0, 1, 3])
        #expect(c.changed.map(\.run) == [1, 3], "run 0 within 0.01 + 3 %")
        #expect(c.changed.first?.changes.map(\.kind) == [.regressed] && c.changed.last?.changes.map(\.kind) == [.improved])
        #expect(c.unpaired == [2])
        #expect(c.hasRegression)
        let text = c.table()
        #expect(text.contains("3 runs in both: 1 within every tolerance, 2 changed (1 with a regression, 1 with an improvement"), "\(text)")
        #expect(text.contains("run 1 (NaS, arbitrage, new)") && text.contains("soc_error_rms_pct") && text.contains("runs 2"))
        // Improvements alone are no regression.
        let better = try Self.sweepFolder([Self.result(1, rms: 0.2)])
        defer { try? FileManager.default.removeItem(atPath: better) }
        #expect(try !SweepComparison(reference: before, other: better).hasRegression)
        // Another seed: the same run number is other cells and another duty.
        let other = try Self.sweepFolder([Self.result(0, rms: 0.4, dutySeed: 99)])
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(throws: InputFileError.self) { try SweepComparison(reference: before, other: other) }
    }

    @Test func aMissedExpectationFailsTheReport() throws {
        let spec = try Self.spec(Self.small.replacingOccurrences(of: "\"protection_trips.max\": {\"max\": 0}", with: "\"soc_error_rms_pct.max\": {\"max\": 0}"))
        let results = try spec.execute([0, 1], jobs: 2, folder: nil)
        let report = SweepReport(spec: spec, results: results)
        #expect(!report.passed)
        #expect(report.expectations.first?.problem?.contains("is above") == true)
    }
}

@Suite("Shard assignment from a cluster's environment")
struct ShardAssignmentTests {
    @Test func eachEngineIsReadWithItsOwnBase() throws {
        func shard(_ env: [String: String]) throws -> String { "\(try ShardAssignment.fromEnvironment(env))" }
        #expect(try shard(["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "4"]) == "1/4")
        #expect(try shard(["SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "4"]) == "4/4")
        #expect(try shard(["JOB_COMPLETION_INDEX": "2", "BMSSIM_SHARD_COUNT": "3"]) == "3/3")
        #expect(try shard(["CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "5"]) == "2/5")
        #expect(try shard(["CIRCLE_NODE_INDEX": "0", "CIRCLE_NODE_TOTAL": "2"]) == "1/2")
        #expect(try shard(["BUILDKITE_PARALLEL_JOB": "1", "BUILDKITE_PARALLEL_JOB_COUNT": "2"]) == "2/2")
        #expect(try shard(["BMSSIM_SHARD_INDEX": "1", "BMSSIM_SHARD_COUNT": "1"]) == "1/1")
    }

    @Test(arguments: [
        (["JOB_COMPLETION_INDEX": "1"], "BMSSIM_SHARD_COUNT is not"),
        (["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"], "outside"),
        (["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_STEP": "2"], "step of 1"),
        (["CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "2"], "outside"),
        (["CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "0"], "count >= 1"),
        ([:], "no shard in the environment"),
    ])
    func aBadOrMissingEnvironmentIsAnError(env: [String: String], problem: String) {
        let error = #expect(throws: InputFileError.self) { try ShardAssignment.fromEnvironment(env) }
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }
}
