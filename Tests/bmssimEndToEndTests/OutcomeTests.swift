import Foundation
import Testing
import TestSupport

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

/// What made a run is in its summary.
@Suite("bmssim: provenance")
struct ProvenanceTests {
    @Test func versionNamesTheCommit() throws {
        let result = try runBMSSim(["--version"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("bmssim ") && result.output.contains("(commit "), "\(result.output)")
    }

    /// summary.json names the inputs with their checksums: the scenario file's and the profile's
    /// are those of their bytes.
    @Test func summaryRecordsTheInputsWithChecksums() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scenario = "regress/arbitrage-NASICON.json"
        let result = try runBMSSim(["simulate", "--scenario", scenario, "--hours", "0.05", "--seed", "7", "--out", dir])
        #expect(result.status == 0, "\(result.output)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))) as? [String: Any]
        let p = try #require(json?["provenance"] as? [String: Any])
        #expect((p["commit"] as? String)?.isEmpty == false)
        #expect(p["scenario"] as? String == scenario)
        let scenarioBytes = try Data(contentsOf: URL(fileURLWithPath: repositoryPath(scenario)))
        #expect(p["scenario_sha256"] as? String == sha256sum(scenarioBytes))
        let profile = try #require(p["profile"] as? String)
        #expect(profile.hasSuffix("daily-arbitrage-24h.csv"))
        #expect(p["profile_sha256"] as? String == sha256sum(try Data(contentsOf: URL(fileURLWithPath: repositoryPath("profiles/duty/daily-arbitrage-24h.csv")))))
        #expect(p["seed"] as? Int == 7)
        #expect(p["chemistry"] as? String == "NASICON")
        #expect((p["command"] as? [String])?.contains("--seed") == true)
        #expect((p["wall_s"] as? Double).map { $0 > 0 } == true)
    }

    /// The system's sha256sum, the reference the record must agree with.
    func sha256sum(_ data: Data) -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        guard (try? data.write(to: file)) != nil, let r = try? runProcess(URL(fileURLWithPath: "/usr/bin/sha256sum"), [file.path]) else { return nil }
        return r.output.split(separator: " ").first.map(String.init)
    }
}

@Suite("bmssim: names as users write them")
struct NameTests {
    /// ZEBRA is the trade name of Na-NiCl2; users write it.
    @Test func chemistryAliasesAreRead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for alias in ["ZEBRA", "na-s", "nvp"] {
            let r = try runBMSSim(["simulate", "--chemistry", alias, "--cells", "4", "--hours", "0.005", "--out", dir + "/" + alias])
            #expect(r.status == 0, "\(alias): \(r.output)")
        }
        try #"{"pack": "zebra", "cells_per_string": 4, "duration_h": 0.005, "duty": {"generator": "standby"}}"#.write(
            toFile: dir + "/s.json", atomically: true, encoding: .utf8)
        let s = try runBMSSim(["simulate", "--scenario", dir + "/s.json", "--out", dir + "/s"])
        #expect(s.status == 0 && s.output.contains("4-cell NaNiCl2"), "\(s.output)")
    }

    /// "1 scenarios": a count says its noun in the singular for one.
    @Test func oneIsSingular() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/suite", withIntermediateDirectories: true)
        try #"{"pack": "NASICON", "cells_per_string": 4, "duration_h": 0.005, "duty": {"generator": "standby"}}"#.write(
            toFile: dir + "/suite/one.json", atomically: true, encoding: .utf8)
        let r = try runBMSSim(["regress", dir + "/suite", "--out", dir + "/out"])
        #expect(r.output.contains("1 scenario, 0 failed"), "\(r.output)")
    }

    /// Regress says each scenario as it finishes (a pipe sees progress before the table), and
    /// its JUnit suite time is the real wall time of parallel cases, not their sum.
    @Test func regressStreamsALinePerScenarioAndTimesTheSuiteByTheWall() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/suite", withIntermediateDirectories: true)
        for name in ["a", "b", "c"] {
            try #"{"pack": "NASICON", "cells_per_string": 8, "duration_h": 1, "duty": {"generator": "frequency-regulation"}}"#.write(
                toFile: dir + "/suite/\(name).json", atomically: true, encoding: .utf8)
        }
        let r = try runBMSSim(["regress", dir + "/suite", "--jobs", "3", "--out", dir + "/out"])
        let lines = r.output.split(separator: "\n")
        let streamed = lines.firstIndex { $0.hasPrefix("[3/3] ") }
        let table = lines.firstIndex { $0.hasPrefix("scenario ") }
        #expect(streamed != nil && table != nil && streamed! < table!, "\(r.output)")
        #expect(lines.contains { $0.hasPrefix("[1/3] ") } && lines.contains { $0.hasPrefix("[2/3] ") })
        let xml = try String(contentsOfFile: dir + "/out/junit.xml", encoding: .utf8)
        func times(_ tag: String) -> [Double] {
            xml.components(separatedBy: "<\(tag) ").dropFirst().compactMap { part in
                part.components(separatedBy: "time=\"").dropFirst().first?.split(separator: "\"").first.flatMap { Double($0) }
            }
        }
        let cases = times("testcase"), suite = try #require(times("testsuite").first)
        #expect(cases.count == 3 && cases.allSatisfy { $0 > 0 })
        #expect(suite >= cases.max()! && suite <= cases.reduce(0, +) + 1, "suite \(suite) s, cases \(cases)")
    }
}
