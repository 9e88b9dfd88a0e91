import BatteryPlant
import Foundation
import Testing

@testable import Simulation
import TestSupport

/// Every number of every kind of input file, replaced by a hostile one, gives a FILE:LINE error
/// or a plant and a run that step without a trap and end in bounded time. The shipped files are
/// the seeds: each numeric token in turn is replaced (the rest of the text unchanged), and what
/// parses is used as the commands use it.
@Suite("Hostile numbers in input files")
struct InputFuzzTests {
    /// Past Double and Int64, denormal, zero, negative, past the time caps, and an integer past
    /// UInt64. (JSON has no NaN or infinity; 1e999 is how a file spells one.)
    static let hostile = ["1e999", "-1e999", "1e308", "-1e308", "1e19", "-1e19", "1e-320", "0", "-1", "3e11", "99999999999999999999"]

    /// The ranges of the numeric tokens of a JSON text (outside strings).
    static func numberTokens(in text: String) -> [Range<String.Index>] {
        var tokens: [Range<String.Index>] = []
        var inString = false
        var escaped = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                i = text.index(after: i)
            } else if c == "\"" {
                inString = true
                i = text.index(after: i)
            } else if c == "-" || c.isNumber {
                var j = i
                while j < text.endIndex, "0123456789+-.eE".contains(text[j]) { j = text.index(after: j) }
                tokens.append(i..<j)
                i = j
            } else {
                i = text.index(after: i)
            }
        }
        return tokens
    }

    /// Each variant of `text` with one numeric token replaced by one hostile value (every token,
    /// every value; `stride` > 1 takes every stride-th pair, rotating the values so each token
    /// still meets several).
    static func variants(of text: String, stride: Int = 1) -> [(String, String)] {
        var out: [(String, String)] = []
        var k = 0
        for token in numberTokens(in: text) {
            for value in hostile {
                defer { k += 1 }
                guard k % stride == 0 else { continue }
                var t = text
                t.replaceSubrange(token, with: value)
                out.append(("\(text[token]) -> \(value)", t))
            }
        }
        return out
    }

    /// With FUZZ_TRACE set, names each case before it runs (a trap ends the process: the last
    /// line is the case).
    static func trace(_ path: String, _ change: String) {
        if ProcessInfo.processInfo.environment["FUZZ_TRACE"] != nil { print("fuzz: \(path): \(change)") }
    }

    /// Bounded: a run the caps allow (87600 h) and whose steps are whole.
    static let longestRun_ms: Int64 = 87_600 * 3_600_000

    /// Builds the closed loop and takes a few steps: what `simulate` does first.
    static func stepScenario(_ scenario: Scenario, _ label: String) throws {
        #expect(scenario.duration_ms > 0 && scenario.duration_ms <= longestRun_ms, "\(label): run of \(scenario.duration_ms) ms")
        try scenario.firmwareFit()
        var runner = try ClosedLoopRunner(scenario: scenario)
        for _ in 0..<20 { _ = runner.advance() }
    }

    /// Builds the plant and steps it charging and discharging: what `plant` does.
    static func stepPlant(_ definition: PackDefinition) {
        var pack = BatteryPack(definition: definition, seed: 1)
        for current in [0.0, 1, -1, 0] { pack.step(current: current, duration_ms: 1000) }
    }

    static func files(_ folder: String, ext: String = "json") -> [String] {
        let dir = repositoryPath(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix("." + ext) }.sorted().map { dir + "/" + $0 }
    }

    @Test(.tags(.long)) func everyNumberOfTheShippedScenarios() throws {
        var parsed = 0
        var total = 0
        for path in Self.files("regress") + Self.files("regress/faults") + Self.files("regress/long") + Self.files("regress/health") {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (change, variant) in Self.variants(of: text, stride: 3) {
                total += 1
                guard let file = try? ScenarioFile.parse(Data(variant.utf8), path: path) else { continue }
                parsed += 1
                Self.trace(path, change)
                do { try Self.stepScenario(file.scenario, "\(path): \(change)") } catch {}
            }
        }
        #expect(total > 500 && parsed > 100, "\(parsed) of \(total) variants parsed")
    }

    @Test func plantFiles() throws {
        var total = 0
        for path in Self.files("profiles/packs") + Self.files("profiles/cells") {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (change, variant) in Self.variants(of: text) {
                total += 1
                Self.trace(path, change)
                guard let setup = try? PlantFile.parse(Data(variant.utf8), source: path) else { continue }
                Self.stepPlant(setup.definition)
            }
        }
        #expect(total > 100)
    }

    /// Chemistry files through a four-cell pack file that names them.
    @Test func chemistryFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pack = dir + "/pack.json"
        try #"{"kind": "pack", "chemistry": "chemistry.json", "cells_per_string": 4, "initial_soc": 0.5}"#.write(
            toFile: pack, atomically: true, encoding: .utf8)
        var total = 0
        for path in Self.files("profiles/cells/chemistry") {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (change, variant) in Self.variants(of: text, stride: 4) {
                total += 1
                Self.trace(path, change)
                try variant.write(toFile: dir + "/chemistry.json", atomically: false, encoding: .utf8)
                guard let setup = try? PlantFile.load(path: pack) else { continue }
                Self.stepPlant(setup.definition)
            }
        }
        #expect(total > 1000)
    }

    /// Firmware files through a scenario of the matching preset pack.
    @Test(.tags(.long)) func everyNumberOfTheFirmwareFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var total = 0
        for path in Self.files("profiles/firmware") {
            let preset = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let scenario = dir + "/scenario.json"
            try #"{"pack": "\#(preset)", "cells_per_string": 4, "duration_h": 0.01, "duty": {"generator": "frequency-regulation"}, "firmware_file": "firmware.json"}"#
                .write(toFile: scenario, atomically: true, encoding: .utf8)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            total += try Self.throughScenario(text, label: path, stride: 2, writingTo: dir + "/firmware.json", scenario: scenario)
        }
        #expect(total > 500)
    }

    /// Writes each variant of `text` to `file`, which the scenario file `scenario` reads, and
    /// runs what parses; returns how many variants there were.
    static func throughScenario(_ text: String, label: String, stride: Int = 1, writingTo file: String, scenario: String) throws -> Int {
        let all = variants(of: text, stride: stride)
        for (change, variant) in all {
            trace(label, change)
            try variant.write(toFile: file, atomically: false, encoding: .utf8)
            guard let parsed = try? ScenarioFile.load(path: scenario) else { continue }
            do { try stepScenario(parsed.scenario, "\(label): \(change)") } catch {}
        }
        return all.count
    }

    /// Long: each variant that parses builds its run's closed loop, and the nominal spec's
    /// impedance test at commissioning (three cells' spectra) makes that 55 ms a variant.
    @Test(.tags(.long)) func sweepSpecs() throws {
        var total = 0
        for path in Self.files("regress/sweeps") {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (change, variant) in Self.variants(of: text) {
                total += 1
                Self.trace(path, change)
                guard let spec = try? SweepSpec.parse(Data(variant.utf8), path: path) else { continue }
                guard let (scenario, _) = try? spec.scenario(run: 0) else { continue }
                do { try Self.stepScenario(scenario, "\(path): \(change)") } catch {}
            }
        }
        #expect(total > 100)
    }

    /// Profiles: every number of a short profile of each header, and of the shipped profiles'
    /// first rows.
    @Test func profiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var seeds = [
            "time_s,power_W\n0,100\n60,-100\n120,0\n", "time_s,current_A\n0,1\n30.5,-2\n", "time_s,power_pu\n0,0.5\n3600,-0.5\n7200,0\n",
        ]
        for path in Self.files("profiles/duty", ext: "csv") {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            seeds.append(lines.prefix(6).joined(separator: "\n") + "\n")
        }
        let scenario = dir + "/scenario.json"
        try #"{"pack": "NASICON", "cells_per_string": 4, "rating_kW": 0.5, "profile": "profile.csv"}"#.write(
            toFile: scenario, atomically: true, encoding: .utf8)
        var total = 0
        // CSV numbers are the tokens between separators: the same scanner finds them.
        for seed in seeds { total += try Self.throughScenario(seed, label: seed, writingTo: dir + "/profile.csv", scenario: scenario) }
        #expect(total > 200)
    }
}
