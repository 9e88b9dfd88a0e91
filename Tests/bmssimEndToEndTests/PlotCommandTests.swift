import Foundation
import Testing
import TestSupport

@Suite("bmssim plot")
struct PlotCommandTests {
    @Test func plotsARunWithEveryPanelAndItsEvents() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A pack file whose cell shorts early: the run has a protection event to mark.
        let run = try runBMSSim(["simulate", "--days", "0.05", "--cells", "24", "--out", dir])
        #expect(run.status == 0, "\(run.output)")
        // An event in the summary (as a run with a trip would have) must appear as a marker.
        let summaryPath = dir + "/summary.json"
        var summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summaryPath))) as? [String: Any])
        summary["protection_events"] = [["time_s": 1800.0, "fault": "cellOverVoltage"]]
        try JSONSerialization.data(withJSONObject: summary).write(to: URL(fileURLWithPath: summaryPath))

        let result = try runBMSSim(["plot", dir])
        #expect(result.status == 0, "\(result.output)")
        let svg = try String(contentsOfFile: dir + "/plot.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.hasSuffix("</svg>\n"))
        for title in ["Pack power", "State of charge", "Cell voltages", "Module temperatures", "Heaters", "Interfacial resistance"] {
            #expect(svg.contains(title), "missing panel \(title)")
        }
        #expect(svg.contains("+/- 2 sigma"))
        #expect(svg.contains("SoC error: estimate minus truth"), "the SoC-error panel")
        #expect(svg.contains("Current against the firmware"), "the limits panel")
        #expect(svg.contains("NaNiCl2, 24 cells") && svg.contains("seed 1"), "the title names chemistry, pack and seed")
        #expect(svg.contains("<title>cellOverVoltage</title>"), "the protection event is marked")
        #expect(svg.contains("highest, measured") && svg.contains("highest cell, true"), "measured cell voltages against true")
        #expect(svg.contains(">contactors closed</text>"), "the contactor lane")
        #expect(svg.components(separatedBy: "<polyline").count - 1 >= 9, "one line per series at least")
    }

    /// `bmssim plot` draws the folders of the other commands too: a plant run (its panels, none
    /// of the closed loop's) and a sweep (its distributions).
    @Test func plotsPlantAndSweepFolders() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plant = try runBMSSim([
            "plant", "--pack", "profiles/packs/zebra-48v-4x20.json", "--profile", "profiles/duty/frequency-regulation-24h.csv",
            "--rating-kw", "1.5", "--hours", "0.2", "--out", dir + "/plant",
        ])
        #expect(plant.status == 0, "\(plant.output)")
        let drawn = try runBMSSim(["plot", dir + "/plant"])
        #expect(drawn.status == 0, "\(drawn.output)")
        let svg = try String(contentsOfFile: dir + "/plant/plot.svg", encoding: .utf8)
        for title in ["Pack power", "Pack current", "Pack voltage", "State of charge (plant)", "Module temperatures"] {
            #expect(svg.contains(title), "missing panel \(title)")
        }
        #expect(!svg.contains("SoC error") && !svg.contains("Interfacial resistance"), "no empty closed-loop panels")
        try #"{"runs": 2, "seed": 1, "pack": ["NASICON"], "cells_per_string": 4, "duration_h": 0.1, "duty": ["standby"]}"#.write(
            toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        let sweep = try runBMSSim(["sweep", dir + "/sweep.json", "--out", dir + "/sweep"])
        #expect(sweep.status == 0, "\(sweep.output)")
        let histogram = try runBMSSim(["plot", dir + "/sweep"])
        #expect(histogram.status == 0, "\(histogram.output)")
        #expect(try String(contentsOfFile: dir + "/sweep/plot.svg", encoding: .utf8).contains("soc_error_rms_pct"))
    }

    /// An impedance spectrum is drawn as Nyquist and Bode charts, with each arc's apex marked.
    @Test func plotsAnImpedanceSpectrum() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let z = try runBMSSim(["impedance", "--definition", "profiles/cells/nasicon-cell.json", "--out", dir + "/z.csv"])
        #expect(z.status == 0, "\(z.output)")
        let drawn = try runBMSSim(["plot", dir + "/z.csv"])
        #expect(drawn.status == 0, "\(drawn.output)")
        let svg = try String(contentsOfFile: dir + "/z.svg", encoding: .utf8)
        #expect(svg.contains("Nyquist") && svg.contains("Bode: |Z|") && svg.contains("Bode: phase"))
        // The bulk/grain-boundary arc and the Warburg's low end are marked: at least two apexes.
        #expect(svg.components(separatedBy: "<circle").count - 1 >= 2, "apexes marked")
        // A file that is not a spectrum: named, not a decoding dump.
        try "a,b\n1,2\n".write(toFile: dir + "/other.csv", atomically: true, encoding: .utf8)
        let other = try runBMSSim(["plot", dir + "/other.csv"])
        #expect(other.status != 0 && other.output.contains("other.csv"), "read as a profile, and refused as one: \(other.output)")
    }

    /// A duty profile (what bmssim duty writes) is drawn against time, held to its period's end.
    @Test func plotsADutyProfile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "time_s,power_kW\n0,1.5\n3600,-2\n7200,0\n".write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        let drawn = try runBMSSim(["plot", dir + "/p.csv"])
        #expect(drawn.status == 0, "\(drawn.output)")
        let svg = try String(contentsOfFile: dir + "/p.svg", encoding: .utf8)
        #expect(svg.contains("Duty profile p.csv") && svg.contains("3 rows") && svg.contains("every 24.00 h"))
        // Held steps: each row's value to the next row, the last to the day's end: 6 points.
        let line = try #require(svg.components(separatedBy: "<polyline points=\"").dropFirst().first?.prefix { $0 != "\"" })
        #expect(line.split(separator: " ").count == 6, "\(line)")
        try "time_s,power_kW\n0,1\n10,nonsense\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try runBMSSim(["plot", dir + "/bad.csv"])
        #expect(bad.status != 0 && bad.output.contains("bad.csv:3"), "\(bad.output)")
    }

    /// A firmware file (what characterise writes): its OCV table with the limit tiers, and its
    /// resistance law.
    @Test func plotsAFirmwareFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try runBMSSim(["characterise", "--preset", "NASICON", "--samples", "3", "--out", dir + "/fw.json"])
        #expect(made.status == 0, "\(made.output)")
        let drawn = try runBMSSim(["plot", dir + "/fw.json"])
        #expect(drawn.status == 0, "\(drawn.output)")
        let svg = try String(contentsOfFile: dir + "/fw.svg", encoding: .utf8)
        #expect(svg.contains("OCV table") && svg.contains("maximum safety") && svg.contains("Ohmic resistance against temperature"))
        try #"{"kind": "pack"}"#.write(toFile: dir + "/pack.json", atomically: true, encoding: .utf8)
        let other = try runBMSSim(["plot", dir + "/pack.json"])
        #expect(other.status != 0 && other.output.contains("not a firmware file"), "\(other.output)")
    }

    @Test func aBrokenRunFolderIsNamed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "time_s,soc_est\n10,0.5\n20\n".write(toFile: dir + "/timeseries.csv", atomically: true, encoding: .utf8)
        let result = try runBMSSim(["plot", dir])
        #expect(result.status != 0)
        #expect(result.output.contains("timeseries.csv:3"), "\(result.output)")
        let missing = try runBMSSim(["plot", dir + "/nothing-here"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("no such folder or file"), "\(missing.output)")
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        let empty = try runBMSSim(["plot", dir + "/empty"])
        #expect(empty.status != 0 && empty.output.contains("no timeseries.csv"), "\(empty.output)")
    }
}
