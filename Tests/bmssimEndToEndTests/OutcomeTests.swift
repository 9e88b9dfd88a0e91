import Foundation
import Testing

/// What a run concluded is said, not left to be decoded.
@Suite("bmssim simulate: explicit outcomes")
struct OutcomeTests {
    /// A scenario expecting no trip tripped once, and simulate exited 0: only regress checked
    /// `expect`. Here the overcharge scenario's own expectation is turned around (its charge
    /// limit keeps the cells under 2.78 V; expecting them under 2.6 V cannot hold).
    @Test func aFailedExpectationMakesSimulateExitNonZero() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var scenario = try String(contentsOfFile: repositoryPath("regress/faults/overcharge-request.json"), encoding: .utf8)
        scenario = scenario.replacingOccurrences(of: "\"max\": 2.78", with: "\"max\": 2.6")
        scenario = scenario.replacingOccurrences(of: "\"profiles/charge-past-full.csv\"", with: "\"\(repositoryPath("regress/faults/profiles/charge-past-full.csv"))\"")
        try scenario.write(toFile: dir + "/strict.json", atomically: true, encoding: .utf8)
        let failed = try runBMSSim(["simulate", "--scenario", dir + "/strict.json", "--hours", "1", "--out", dir + "/a"])
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.contains("EXPECTATION FAILED: cell_voltage_max_V"), "\(failed.output)")
        #expect(FileManager.default.fileExists(atPath: dir + "/a/summary.json"), "the run's files are written first")
        let met = try runBMSSim(["simulate", "--scenario", "regress/faults/overcharge-request.json", "--hours", "1", "--out", dir + "/b"])
        #expect(met.status == 0, "\(met.output)")
        #expect(met.output.contains("expectations: all 2 met"), "\(met.output)")
    }

    /// A run that never closed its contactors, delivered nothing and latched a fault says so, by
    /// name and time, on the terminal and in summary.json.
    @Test func aRunThatNeverConnectedSaysSo() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try runBMSSim(["simulate", "--scenario", "regress/faults/dc-link-short-at-power-up.json", "--hours", "0.05", "--out", dir])
        #expect(result.status == 0, "its detect requirement is met: \(result.output)")
        #expect(result.output.contains("OUTCOME: the contactors never closed"), "\(result.output)")
        #expect(result.output.contains("OUTCOME: no power delivered"), "\(result.output)")
        #expect(result.output.contains("OUTCOME: prechargeFailed latched at"), "\(result.output)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))) as? [String: Any]
        let outcome = try #require(json?["outcome"] as? [String])
        #expect(outcome.contains("the contactors never closed"))
        #expect(json?["contactors_closed_s"] == nil)
    }

    @Test func aRunThatRanAsAskedSaysNothingExtra() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try runBMSSim(["simulate", "--chemistry", "NASICON", "--cells", "8", "--hours", "0.2", "--out", dir])
        #expect(result.status == 0 && !result.output.contains("OUTCOME"), "\(result.output)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))) as? [String: Any]
        #expect((json?["outcome"] as? [String])?.isEmpty == true)
        #expect((json?["contactors_closed_s"] as? Double).map { $0 < 60 } == true, "\(String(describing: json?["contactors_closed_s"]))")
    }
}
