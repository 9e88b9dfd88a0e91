import BMSCore
import BatteryPlant
import Foundation
import Simulation
import Testing
import TestSupport

/// Firmware files: the firmware's parameters for cells it has no preset for.
@Suite("Firmware files")
struct FirmwareFileTests {
    static func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fw-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A preset written as a firmware file and read back runs exactly as the preset.
    @Test(.tags(.long), arguments: ChemistryPreset.allCases) func aPresetAsAFileRunsAsThePreset(_ preset: ChemistryPreset) throws {
        let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        var scenario = AccuracyTests.scenario(preset, profile: profile, sign: 1, hours: 1)
        var runner = try ClosedLoopRunner(scenario: scenario)
        let expected = try runner.run()
        let path = try Self.temporaryFile(try FirmwareFiles.json(of: FirmwareFiles.preset(Scenario.firmwarePreset(for: preset.rawValue)!)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        scenario.firmware = try FirmwareFiles.load(path: path)
        var fromFile = try ClosedLoopRunner(scenario: scenario)
        #expect(try fromFile.run() == expected)
    }

    /// The pack of the user report (48 Thevenin cells at 25 C) runs closed loop once it has
    /// firmware parameters that fit it: contactors close, energy flows, no trip. (The file is
    /// written by hand from the cell's own numbers, as a user with a datasheet would.)
    @Test func userCellsRunWithAFittingFirmwareFile() throws {
        let cell = try OCVCurve(soc: [0, 0.1, 0.5, 0.9, 1], voltage_V: [3.0, 3.3, 3.6, 3.9, 4.1])
        let chemistry = CellChemistry.thevenin(capacity_Ah: 20, ocv: cell, r0_ohm: 0.002, rc: [(0.001, 10_000)])
        let pack = PackDefinition(
            chemistry: chemistry, topology: PackTopology(cellsPerString: 48), spread: .typical, initialSoC: 0.6,
            initialTemperature_C: 25, thermal: .isothermal(ambient_C: 25), degradationEnabled: false)
        let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        var scenario = Scenario(pack: pack, profile: profile, rating_W: 0.2 * 48 * 20 * 3.6, duration_ms: 6 * 3_600_000, seed: 3)
        #expect(throws: SimulationError.self, "no parameters yet") { _ = try ClosedLoopRunner(scenario: scenario) }
        let firmware = """
            {"kind": "firmware", "capacity_Ah": 20, "ocv": {"soc": [0, 0.1, 0.5, 0.9, 1], "voltage_V": [3.0, 3.3, 3.6, 3.9, 4.1]},
             "ocv_temperature_coefficient_V_per_K": 0, "ocv_reference_C": 25, "ohmic_resistance_ohm": 0.002, "interface_resistance_ohm": 0,
             "resistance_per_depth_of_discharge_ohm": 0, "resistance_activation_energy_eV": 0.3, "resistance_reference_C": 25,
             "polarisation_resistance_ohm": 0.001, "polarisation_time_constant_s": 10, "full_charge_voltage_V": 4.05,
             "flat_plateau": false, "fails_short": false, "balancing": true,
             "voltages": {"safety_V": [2.8, 4.25], "recommended_V": [2.85, 4.2], "operating_V": [2.9, 4.15],
                          "discharge_window_V": [3.0, 3.2], "charge_window_V": [4.1, 4.0]},
             "temperatures": {"minimum_C": 0, "setpoint_C": 20, "band_K": 6, "over_C": [45, 50, 55]}}
            """
        let path = try Self.temporaryFile(firmware)
        defer { try? FileManager.default.removeItem(atPath: path) }
        scenario.firmware = try FirmwareFiles.load(path: path)
        var runner = try ClosedLoopRunner(scenario: scenario)
        let s = try runner.run()
        #expect(s.protection_trips == 0)
        #expect(s.energy_out_Wh > 100 && s.energy_in_Wh > 100, "it cycled: \(s.energy_out_Wh) Wh out")
        #expect(s.soc_error_max_pct < 3)
    }

    /// Parameters that do not fit the cells are refused: the ZEBRA firmware on 3-4 V cells.
    @Test func aFirmwareFileThatDoesNotFitIsRefused() throws {
        let cell = try OCVCurve(soc: [0, 1], voltage_V: [3.0, 4.1])
        let pack = PackDefinition(
            chemistry: .thevenin(capacity_Ah: 38, ocv: cell, r0_ohm: 0.002, rc: []), topology: PackTopology(cellsPerString: 10),
            initialSoC: 0.5, initialTemperature_C: 25, thermal: .isothermal(ambient_C: 25))
        let profile = try DutyProfile(quantity: .power_pu, times_ms: [0], values: [0], source: "idle")
        var scenario = Scenario(pack: pack, profile: profile, rating_W: 1000, duration_ms: 3_600_000, seed: 1)
        scenario.firmware = FirmwareFiles.preset(.naNiCl2)
        let error = #expect(throws: SimulationError.self) { try scenario.firmwareFit() }
        #expect("\(error!)".contains("operating cell voltage limits"))
    }

    /// Loads `file` with `from` replaced by `to`: the load must fail naming `problem` (and,
    /// with `line`, a line).
    static func expectRefused(_ file: String, from: String, to: String, problem: String, line: Bool) throws {
        let text = try String(contentsOfFile: repositoryPath(file), encoding: .utf8)
        #expect(text.contains(from), "the committed file has \(from)")
        let path = try temporaryFile(text.replacingOccurrences(of: from, with: to))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try FirmwareFiles.load(path: path)
            Issue.record("accepted \(to)")
        } catch {
            #expect(error.problem.contains(problem) && (!line || error.line > 0), "\(error)")
        }
    }

    /// A bad hysteresis is refused by name: a transition charge out of range, half gaps without
    /// one, a negative half gap. (`CHARGE` stands for the committed file's own transition
    /// charge, which `make firmware-presets` rewrites.)
    @Test(arguments: [
        ("\"hysteresis_charge\" : CHARGE", "\"hysteresis_charge\" : 0.9", "hysteresis_charge within"),
        ("\"hysteresis_charge\" : CHARGE,", "", "go together"),
        ("\"hysteresis_V\" : [\n      0,", "\"hysteresis_V\" : [\n      -0.001,", "half gaps within"),
    ]) func aBadHysteresisIsRefused(_ c: (from: String, to: String, problem: String)) throws {
        let file = "profiles/firmware/NASICON.json"
        let text = try String(contentsOfFile: repositoryPath(file), encoding: .utf8)
        let key = "\"hysteresis_charge\" : "
        let start = try #require(text.range(of: key)?.upperBound, "the committed file has a transition charge")
        let charge = String(text[start...].prefix { $0.isNumber || $0 == "." || $0 == "e" || $0 == "-" })
        let value = try #require(Float(charge), "\(charge) is a number")
        try Self.expectRefused(
            file, from: c.from.replacingOccurrences(of: "CHARGE", with: charge), to: c.to, problem: c.problem, line: false)
        // The committed file's hysteresis loads as written.
        let loaded = try FirmwareFiles.load(path: repositoryPath(file))
        #expect(loaded.model.hysteresis?.transitionCharge == value)
    }

    /// Bad files name the key and its line.
    @Test(arguments: [
        ("\"capacity_Ah\" : 38", "\"capacity_Ah\" : 38, \"capacity\" : 1", "capacity: unknown key"),
        ("\"balancing\" : false", "\"balancing\" : \"no\"", "balancing"),
        ("\"polarisation_time_constant_s\" : 20", "\"polarisation_time_constant_s\" : -1", "polarisation_time_constant_s must be"),
    ]) func aBadFirmwareFileNamesTheKeyAndLine(_ c: (from: String, to: String, problem: String)) throws {
        try Self.expectRefused("profiles/firmware/datasheet/NaNiCl2.json", from: c.from, to: c.to, problem: c.problem, line: true)
    }
}
