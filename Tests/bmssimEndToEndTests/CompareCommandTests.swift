import Foundation
import Testing
import TestSupport

/// A failed regress case keeps its time series, so it can be drawn and compared without
/// rerunning it; `bmssim compare` judges runs against the first as regress judges a baseline.
@Suite("bmssim regress cases and compare")
struct CompareCommandTests {
    /// A suite of two short runs of one pack: `good` meets its expectation, `bad` cannot (it
    /// asks for more energy than the pack holds).
    func suite(in dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir + "/suite", withIntermediateDirectories: true)
        let base = #""pack": "NASICON", "cells_per_string": 6, "duration_h": 0.25, "duty": {"generator": "frequency-regulation"}"#
        try "{\(base), \"seed\": 1, \"expect\": {\"protection_trips\": {\"equals\": 0}}}".write(
            toFile: dir + "/suite/good.json", atomically: true, encoding: .utf8)
        try "{\(base), \"seed\": 2, \"expect\": {\"energy_out_Wh\": {\"min\": 1e9}}}".write(
            toFile: dir + "/suite/bad.json", atomically: true, encoding: .utf8)
    }

    @Test func aFailedCaseKeepsItsTimeSeriesAndCanBeDrawnAndCompared() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try suite(in: dir)
        let regress = try runBMSSim(["regress", dir + "/suite", "--jobs", "2", "--out", dir + "/out"])
        #expect(regress.status == 1, "the bad case fails: \(regress.output)")
        // Default --series failed: the failed case has its folder, the passing one has none.
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: dir + "/out/bad/timeseries.csv"))
        #expect(fm.fileExists(atPath: dir + "/out/bad/summary.json") && fm.fileExists(atPath: dir + "/out/bad/events.csv"))
        #expect(!fm.fileExists(atPath: dir + "/out/good"), "a passing case keeps only its summary")
        #expect(fm.fileExists(atPath: dir + "/out/good.json") && fm.fileExists(atPath: dir + "/out/bad.json"))
        #expect(regress.output.contains("time series kept for bad"), "\(regress.output)")
        let rows = try String(contentsOfFile: dir + "/out/bad/timeseries.csv", encoding: .utf8).split(separator: "\n").count
        #expect(rows == 1 + 15 * 6, "a row every 10 s for 15 min and the header: \(rows)")

        // The regress folder itself: its cases as bars, the failed one red, the kept one named.
        let folder = try runBMSSim(["plot", dir + "/out"])
        #expect(folder.status == 0, "\(folder.output)")
        let bars = try String(contentsOfFile: dir + "/out/plot.svg", encoding: .utf8)
        #expect(bars.contains("2 cases, 1 failed") && bars.contains("time series kept (bmssim plot \(dir)/out/NAME): bad"), "\(bars.prefix(600))")
        #expect(bars.contains("fill=\"#b00020\">bad</text>") && !bars.contains("fill=\"#b00020\">good</text>"), "only the failed case is red")
        let plot = try runBMSSim(["plot", dir + "/out/bad"])
        #expect(plot.status == 0, "\(plot.output)")
        #expect(try String(contentsOfFile: dir + "/out/bad/plot.svg", encoding: .utf8).contains("SoC error"))

        // The failed case (with a series) against the passing one (a summary file).
        let compare = try runBMSSim(["compare", dir + "/out/bad", dir + "/out/good.json", "--output", dir + "/cmp.svg"])
        #expect(compare.status == 0, "\(compare.output)")
        #expect(compare.output.contains("A bad: ") && compare.output.contains("B good: "), "\(compare.output)")
        #expect(compare.output.contains("soc_error_rms_pct"), "the metric table")
        let svg = try String(contentsOfFile: dir + "/cmp.svg", encoding: .utf8)
        #expect(svg.contains("no time series: B"), "the summary-only run is named as not drawn")

        // --series all keeps every case; none keeps none.
        let all = try runBMSSim(["regress", dir + "/suite", "--out", dir + "/all", "--series", "all"])
        #expect(all.status == 1)
        #expect(fm.fileExists(atPath: dir + "/all/good/timeseries.csv") && fm.fileExists(atPath: dir + "/all/bad/timeseries.csv"))
        let none = try runBMSSim(["regress", dir + "/suite", "--out", dir + "/none", "--series", "none"])
        #expect(none.status == 1)
        #expect(!fm.fileExists(atPath: dir + "/none/bad") && fm.fileExists(atPath: dir + "/none/bad.json"))
    }

    @Test func compareMarksWhatMovedBeyondTolerance() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try runBMSSim(["simulate", "--chemistry", "NASICON", "--cells", "6", "--hours", "0.5", "--seed", "1", "--out", dir + "/a"])
        #expect(a.status == 0, "\(a.output)")
        // The same run with a worse start (a 20-point initial SoC error): its SoC error regresses.
        let b = try runBMSSim([
            "simulate", "--chemistry", "NASICON", "--cells", "6", "--hours", "0.5", "--seed", "1", "--initial-soc-error", "0.2", "--out", dir + "/b",
        ])
        #expect(b.status == 0, "\(b.output)")
        let same = try runBMSSim(["compare", dir + "/a", dir + "/a/summary.json", "--output", dir + "/same.svg", "--fail-on-regression"])
        #expect(same.status == 0, "a run against itself: \(same.output)")
        #expect(same.output.contains("B summary: no metric beyond its tolerance") || same.output.contains("B a: no metric beyond its tolerance"), "\(same.output)")

        let moved = try runBMSSim(["compare", dir + "/a", dir + "/b", "--output", dir + "/moved.svg"])
        #expect(moved.status == 0, "informative by default: \(moved.output)")
        #expect(moved.output.contains("B b: soc_error_max_pct") && moved.output.contains("regressed"), "\(moved.output)")
        let line = moved.output.split(separator: "\n").first { $0.hasPrefix("soc_error_max_pct") }
        #expect(line?.hasSuffix(" !") == true, "the table marks the regressed metric: \(String(describing: line))")
        let strict = try runBMSSim(["compare", dir + "/a", dir + "/b", "--output", dir + "/moved.svg", "--fail-on-regression"])
        #expect(strict.status == 1)
        let svg = try String(contentsOfFile: dir + "/moved.svg", encoding: .utf8)
        #expect(svg.contains("A a") && svg.contains("B b") && svg.contains("SoC error"))

        // Not a run: a clear refusal, no decoding dump.
        try "{\"hello\": 1}".write(toFile: dir + "/x.json", atomically: true, encoding: .utf8)
        let bad = try runBMSSim(["compare", dir + "/a", dir + "/x.json"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("not a closed-loop run summary"), "\(bad.output)")
        #expect(!bad.output.contains("keyNotFound"), "\(bad.output)")
    }
}
