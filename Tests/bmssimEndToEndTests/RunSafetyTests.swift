import Foundation
import Testing
import TestSupport

/// What a user gets when a run is cut short or fed a bad file.
@Suite("bmssim: interrupted runs and bad input")
struct RunSafetyTests {
    /// Starts `bmssim simulate` on a long run, lets it write for `seconds`, then sends `signal`.
    func interruptedRun(signal: Int32, after seconds: Double, out: String) throws -> (status: Int32, reason: Process.TerminationReason) {
        let process = Process()
        process.executableURL = bmssimExecutable()
        // Two days take about 10 s: long enough to interrupt, short enough if a signal went astray.
        process.arguments = ["simulate", "--days", "2", "--cells", "24", "--output-interval", "1", "--out", out]
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryPath("."))
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: seconds)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason)
    }

    /// Every row complete, times contiguous at the output interval from the first row on.
    func checkContiguous(_ path: String) throws -> Int {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"), "the last row is complete")
        let lines = text.split(separator: "\n")
        let columns = lines[0].split(separator: ",").count
        for (k, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == columns, "row \(k + 1) has \(fields.count) fields")
            #expect(Double(fields[0]) == Double(k + 1), "row \(k + 1) is at \(k + 1) s")
        }
        return lines.count - 1
    }

    @Test func aKilledRunLeavesACompleteTimeSeries() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try interruptedRun(signal: SIGKILL, after: 1.5, out: out)
        #expect(result.reason == .uncaughtSignal)
        let rows = try checkContiguous(out + "/timeseries.csv")
        #expect(rows > 100, "the run got going before the kill (\(rows) rows)")
    }

    @Test func ctrlCStopsCleanlyWithASummary() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try interruptedRun(signal: SIGINT, after: 1.5, out: out)
        #expect(result.status == 130)
        let rows = try checkContiguous(out + "/timeseries.csv")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let summary = try #require(json as? [String: Any])
        let hours = try #require(summary["duration_h"] as? Double)
        #expect(abs(hours * 3600 - Double(rows)) < 61, "the summary covers what the series holds")
    }

    @Test func malformedScenarioNamesFileAndLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cases: [(String, String, String)] = [
            ("{\n  \"pack\": \"NaNiCl2\",\n  \"profle\": \"x.csv\"\n}\n", "bad.json:3", "unknown key 'profle'"),
            ("{\n  \"pack\": \"NaNiCl2\",\n  \"profile\": \"../../nowhere.csv\",\n  \"seed\": 1\n}\n", "bad.json:3", "cannot read"),
            ("{\n  \"pack\": \"NaZn\",\n  \"profile\": \"p.csv\"\n}\n", "bad.json:2", "neither a preset"),
            ("{\n  \"pack\": \"NaS\",\n  \"profile\": \"p.csv\",\n  \"duration_h\": -1\n}\n", "bad.json:4", "duration_h"),
            ("{\n  \"pack\": \"NaS\",\n  \"profile\": \"p.csv\",\n  \"expect\": {\"soc_err\": {\"max\": 1}}\n}\n", "bad.json:4", "not a summary metric"),
            ("{\n  \"pack\": \"NaS\",\n  \"profile\": \"p.csv\",\n  \"seed\": 1,,\n}\n", "bad.json:4", "not valid JSON"),
            ("{\n  \"pack\": \"NaS\",\n  \"profile\": \"p.csv\",\n  \"firmware\": {\"cell_balancin\": false}\n}\n", "bad.json:4", "firmware.cell_balancin: unknown key"),
            ("{\n  \"pack\": \"NaS\",\n  \"profile\": \"p.csv\",\n  \"expect\": {\"shorts\": {\"maximum\": 1}}\n}\n", "bad.json:4", "expect.shorts.maximum: unknown key"),
            ("{\n  \"pack\": \"NaS\",\n  \"profile\": \"p.csv\",\n  \"ageing\": \"old\"\n}\n", "bad.json:4", "ageing 'old' is not one of"),
            ("{\n  \"pack\": \"NaS\",\n  \"profile\": \"p.csv\",\n  \"seed\": -1\n}\n", "bad.json", "a number does not fit its key"),
            ("{\n  \"pack\": \"NASICON\",\n  \"profile\": \"p.csv\",\n  \"initial_hysteresis\": 1.5\n}\n", "bad.json:4", "initial_hysteresis must be within"),
            ("{\n  \"pack\": \"NASICON\",\n  \"profile\": \"p.csv\",\n  \"initial_hysteresis\": \"up\"\n}\n", "bad.json", "initial_hysteresis"),
        ]
        try "time_s,power_pu\n0,0.1\n".write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        for (text, location, problem) in cases {
            try text.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
            let result = try runBMSSim(["simulate", "--scenario", dir + "/bad.json", "--out", dir + "/out"])
            #expect(result.status != 0)
            #expect(result.output.contains(location), "\(result.output)")
            #expect(result.output.contains(problem), "\(result.output)")
        }
    }

    @Test func malformedPackFileIsNamed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "{\"kind\": \"pack\", \"chemistry\": \"NaS\", \"cells_per_string\": 0, \"initial_soc\": 0.5}".write(
            toFile: dir + "/pack.json", atomically: true, encoding: .utf8)
        let result = try runBMSSim(["simulate", "--pack", dir + "/pack.json", "--days", "0.01", "--out", dir + "/out"])
        #expect(result.status != 0)
        #expect(result.output.contains("pack.json"), "\(result.output)")
        #expect(result.output.contains("cells_per_string"), "\(result.output)")
    }

    @Test func scenarioFileRunsAndOptionsOverrideIt() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try runBMSSim(["simulate", "--scenario", "regress/fr-NaS.json", "--days", "0.01", "--seed", "4", "--out", out])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("bmssim simulate fr-NaS: 20-cell NaS"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let summary = try #require(json as? [String: Any])
        #expect(summary["seed"] as? Int == 4)
        #expect(abs((summary["duration_h"] as? Double ?? 0) - 0.24) < 1e-9)
    }

    @Test func regressShardWritesJUnitAndTable() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        // One short scenario of the shipped suite (shard 4 of 14 is commissioning-polymer, about
        // 1 s) keeps this quick; the whole suite runs in make test.
        let result = try runBMSSim(["regress", "regress", "--shard", "4/14", "--out", out])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("scenario"))
        let xml = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        #expect(xml.contains("<testsuites"))
        #expect(xml.contains("failures=\"0\""))
        let bad = try runBMSSim(["regress", "regress", "--shard", "3/2"])
        #expect(bad.status != 0)
    }
}

@Suite("bmssim: firmware that does not fit its pack")
struct FirmwareFitTests {
    /// The failure a new user met: 48 user-defined Thevenin cells at 25 C ran 6 h on ZEBRA
    /// firmware settings (the silent default), latched under-temperature at t = 0, never closed
    /// the contactors, delivered nothing and exited 0. Such a run must be refused up front.
    @Test func aPackOfCellsTheFirmwareHasNoParametersForIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pack = """
            {"kind": "pack", "chemistry": "thevenin", "cells_per_string": 48, "initial_soc": 0.6, "initial_temperature_C": 25,
             "thevenin": {"capacity_Ah": 20, "ocv": {"soc": [0, 0.5, 1], "voltage_V": [3.0, 3.6, 4.1]}, "r0_ohm": 0.002,
                          "rc": [{"r_ohm": 0.001, "c_F": 10000}]}}
            """
        try pack.write(toFile: dir + "/pack.json", atomically: true, encoding: .utf8)
        let result = try runBMSSim([
            "simulate", "--pack", dir + "/pack.json", "--profile", repositoryPath("profiles/duty/frequency-regulation-24h.csv"),
            "--hours", "6", "--out", dir + "/out",
        ])
        #expect(result.status != 0, "\(result.output)")
        #expect(result.output.contains("thevenin") && result.output.contains("firmware"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/summary.json"), "nothing ran")
    }
}
