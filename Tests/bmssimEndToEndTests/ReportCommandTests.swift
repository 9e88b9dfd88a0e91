import Foundation
import Testing
import TestSupport

/// `bmssim report` makes one self-contained page of a run: what it came to, its scenario's
/// expectations checked again (and whether the file changed since), figures, events, plot,
/// provenance.
@Suite("bmssim report")
struct ReportCommandTests {
    @Test func aRunsPageHoldsItsOutcomeExpectationsPlotAndProvenance() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A ZEBRA cell fails short (the chemistry's failure mode) and the firmware must flag it.
        let scenario = dir + "/short.json"
        let body = #"""
            "pack": "NaNiCl2", "cells_per_string": 20, "duration_h": 0.25, "duty": {"generator": "frequency-regulation"},
            "faults": [{"kind": "cell_short", "at_s": 300, "cell": 2}],
            "detect": [{"flag": "cellFailedShort", "within_s": 30, "reaction": "keep_running"}]
            """#
        try "{\(body), \"expect\": {\"protection_trips\": {\"max\": 5}}}".write(toFile: scenario, atomically: true, encoding: .utf8)
        let run = try runBMSSim(["simulate", "--scenario", scenario, "--out", dir + "/run"])
        #expect(run.status == 0, "\(run.output)")
        let made = try runBMSSim(["report", dir + "/run"])
        #expect(made.status == 0, "\(made.output)")
        let page = try String(contentsOfFile: dir + "/run/report.html", encoding: .utf8)
        for section in ["<h2>Outcome</h2>", "<h2>Expectations</h2>", "<h2>Figures</h2>", "<h2>Detection requirements</h2>", "<h2>Time series</h2>",
            "<h2>Firmware event log (events.csv)</h2>", "<h2>Provenance</h2>"]
        {
            #expect(page.contains(section), "missing \(section)")
        }
        #expect(page.contains("All 2 met."), "one expectation and one detection, both met")
        #expect(page.contains("<svg") && page.contains("SoC error"), "the plot is inline")
        #expect(page.contains("cellFailedShort"), "the detection by name")
        #expect(page.contains("<th>soc_error_rms_pct</th>"))
        #expect(page.contains("<th>scenario_sha256</th>"))
        #expect(!page.contains("src=\""), "self-contained: nothing linked")

        // The scenario changed since the run, now with an expectation the run cannot meet.
        try "{\(body), \"expect\": {\"energy_out_Wh\": {\"min\": 1e9}}}".write(toFile: scenario, atomically: true, encoding: .utf8)
        #expect(try runBMSSim(["report", dir + "/run", "--output", dir + "/again.html"]).status == 0)
        let again = try String(contentsOfFile: dir + "/again.html", encoding: .utf8)
        #expect(again.contains("The scenario file changed since the run"))
        #expect(again.contains("EXPECTATION FAILED: energy_out_Wh"), "checked against today's file")
    }

    @Test func otherFoldersGetAPageOrAClearRefusal() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plant = try runBMSSim([
            "plant", "--pack", "profiles/packs/zebra-48v-4x20.json", "--profile", "profiles/duty/frequency-regulation-24h.csv",
            "--rating-kw", "1.5", "--hours", "0.1", "--out", dir + "/plant",
        ])
        #expect(plant.status == 0, "\(plant.output)")
        #expect(try runBMSSim(["report", dir + "/plant"]).status == 0)
        let page = try String(contentsOfFile: dir + "/plant/report.html", encoding: .utf8)
        #expect(page.contains("Plant alone") && page.contains("<svg"), "a plant run's page")
        try #"{"runs": 2, "seed": 1, "pack": ["NASICON"], "cells_per_string": 4, "duration_h": 0.1, "duty": ["standby"]}"#.write(
            toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        #expect(try runBMSSim(["sweep", dir + "/sweep.json", "--out", dir + "/sweep"]).status == 0)
        #expect(try runBMSSim(["report", dir + "/sweep"]).status == 0)
        let sweep = try String(contentsOfFile: dir + "/sweep/report.html", encoding: .utf8)
        #expect(sweep.contains("Report (report.md)") && sweep.contains("<svg"))
        for (path, words) in [(dir + "/nothing", "no such folder"), (dir, "no summary.json")] {
            let refused = try runBMSSim(["report", path])
            #expect(refused.status != 0 && refused.output.contains(words), "\(refused.output)")
        }
    }
}
