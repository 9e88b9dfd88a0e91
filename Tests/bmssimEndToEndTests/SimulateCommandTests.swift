import Foundation
import Testing
import TestSupport

/// Runs the built `bmssim` executable as a user would.
@Suite("bmssim end to end")
struct SimulateCommandTests {
    @Test func simulateWritesTimeSeriesAndSummary() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try runBMSSim(["simulate", "--days", "0.05", "--cells", "24", "--out", out])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SoC error"))

        let csv = try String(contentsOfFile: out + "/timeseries.csv", encoding: .utf8)
        let header = csv.split(separator: "\n")[0].split(separator: ",").map(String.init)
        for column in ["time_s", "current_A", "voltage_V", "soc_true", "soc_est", "temperature_C", "heater_W"] {
            #expect(header.contains(column), "missing column \(column)")
        }
        #expect(csv.split(separator: "\n").count == 1 + 432, "0.05 d = 4320 s at one row per 10 s")

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let summary = try #require(json as? [String: Any])
        for key in [
            "soc_error_rms_pct", "soc_error_max_pct", "protection_trips", "energy_out_Wh", "energy_in_Wh", "heater_energy_Wh",
            "cell_soc_error_rms_pct", "cell_soc_error_max_pct", "shorts",
        ] {
            #expect(summary[key] is NSNumber, "missing key \(key)")
        }
    }

    /// Every option the README documents is accepted under its documented spelling.
    @Test func documentedOptionsAreAccepted() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try runBMSSim([
            "simulate", "--days", "0.002", "--cells", "12", "--chemistry", "NASICON", "--seed", "3", "--rating-kw", "0.2",
            "--initial-soc", "0.5", "--initial-soc-error", "0.1", "--sensors", "accuracy-check", "--output-interval", "1",
            "--out", out,
        ])
        #expect(result.status == 0, "\(result.output)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let summary = try #require(json as? [String: Any])
        let finalTrue = try #require(summary["soc_true_final"] as? Double)
        #expect(abs(finalTrue - 0.5) < 0.01, "--initial-soc sets the plant's SoC")
    }

    @Test func malformedProfileGivesFileLineAndNonZeroExit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let profile = dir + "/broken.csv"
        try "time_s,power_W\n0,100\n10,oops\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try runBMSSim(["simulate", "--profile", profile, "--days", "0.01", "--out", dir + "/out"])
        #expect(result.status != 0)
        #expect(result.output.contains("broken.csv:3"), "\(result.output)")
        #expect(result.output.contains("oops"))
    }

    @Test func hilMapPrintsTheGeneratedTable() throws {
        let result = try runBMSSim(["hil-map"])
        #expect(result.status == 0)
        #expect(result.output.contains("| input | 1000 + i |"))
    }

    @Test func committedFieldMapDocMatchesTheCode() throws {
        let result = try runBMSSim(["hil-map"])
        let committed = try String(contentsOfFile: repositoryPath("hil/field-device-map.md"), encoding: .utf8)
        #expect(committed == result.output, "regenerate with: bmssim hil-map > hil/field-device-map.md")
        let sunspec = try runBMSSim(["hil-map", "--sunspec"])
        let committedSunSpec = try String(contentsOfFile: repositoryPath("hil/sunspec-map.md"), encoding: .utf8)
        #expect(committedSunSpec == sunspec.output, "regenerate with: bmssim hil-map --sunspec > hil/sunspec-map.md")
        let firmware = try runBMSSim(["hil-map", "--firmware"])
        let committedFirmware = try String(contentsOfFile: repositoryPath("tools/firmware/FieldMap.swift"), encoding: .utf8)
        #expect(committedFirmware == firmware.output, "regenerate with: bmssim hil-map --firmware > tools/firmware/FieldMap.swift")
    }

    @Test func committedChemistryFilesMatchThePresets() throws {
        for preset in ["NaNiCl2", "NaS", "NASICON", "sulfide", "polymer"] {
            let result = try runBMSSim(["cell-file", "--preset", preset])
            #expect(result.status == 0)
            let committed = try String(contentsOfFile: repositoryPath("profiles/cells/chemistry/\(preset).json"), encoding: .utf8)
            #expect(committed == result.output, "regenerate with: make cell-files")
        }
        let bad = try runBMSSim(["cell-file", "--preset", "NaZn"])
        #expect(bad.status != 0)
    }
}

struct CommandResult {
    var status: Int32
    var output: String
}

/// Runs the `bmssim` built next to this test bundle, capturing stdout and stderr together.
func runBMSSim(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    try runProcess(bmssimExecutable(), arguments, environment: environment)
}

/// Runs `executable` in the repository folder to its end, capturing stdout and stderr together;
/// `environment` adds to (or replaces in) this process's environment.
func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.currentDirectoryURL = URL(fileURLWithPath: repositoryPath("."))
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}

func bmssimExecutable() -> URL {
    if let override = ProcessInfo.processInfo.environment["BMSSIM_BIN"] { return URL(fileURLWithPath: override) }
    // The test runner lives in the build products folder, next to the bmssim executable.
    let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = runner.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("bmssim")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: repositoryPath(".build/debug/bmssim"))
}

/// Options with a fixed set of values are parsed once and listed by --help; units are in the names.
@Suite("bmssim options")
struct OptionChoiceTests {
    @Test func helpListsTheValuesOfChoiceOptions() throws {
        // --help wraps its lines: compare with the whitespace folded.
        func folded(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let help = folded(try runBMSSim(["simulate", "--help"]).output)
        #expect(help.contains("values: typical, ideal, accuracy-check, accuracy-check-neg"), "\(help)")
        #expect(help.contains("values: NaNiCl2, NaS, NASICON, sulfide, polymer"), "\(help)")
        let server = folded(try runBMSSim(["plant-server", "--help"]).output)
        #expect(server.contains("values: N, E, O"), "\(server)")
        #expect(server.contains("--log-level"), "\(server)")
    }

    @Test func badChoicesAreRefusedByTheParser() throws {
        let sensors = try runBMSSim(["simulate", "--sensors", "perfect", "--days", "0.001"])
        #expect(sensors.status != 0 && sensors.output.contains("perfect"), "\(sensors.output)")
        let shard = try runBMSSim(["regress", "regress", "--shard", "0/2"])
        #expect(shard.status != 0 && shard.output.contains("--shard"), "\(shard.output)")
        let both = try runBMSSim(["simulate", "--days", "0.01", "--hours", "0.2"])
        #expect(both.status != 0 && both.output.contains("not both"), "\(both.output)")
    }

    @Test func chemistryIsCaseInsensitiveAndHoursSetTheRunLength() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try runBMSSim(["simulate", "--chemistry", "nasicon", "--cells", "4", "--hours", "0.1", "--out", out])
        #expect(result.status == 0, "\(result.output)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let summary = try #require(json as? [String: Any])
        #expect(abs((summary["duration_h"] as? Double ?? 0) - 0.1) < 1e-9)
    }
}
