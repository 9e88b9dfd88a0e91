import Foundation
import Testing

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
        for title in ["Pack power", "State of charge", "Cell-voltage spread", "Module temperatures", "Heaters", "Interfacial resistance"] {
            #expect(svg.contains(title), "missing panel \(title)")
        }
        #expect(svg.contains("+/- 2 sigma"))
        #expect(svg.contains("<title>cellOverVoltage</title>"), "the protection event is marked")
        #expect(svg.components(separatedBy: "<polyline").count - 1 >= 9, "one line per series at least")
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
        #expect(missing.output.contains("cannot read"), "\(missing.output)")
    }
}
