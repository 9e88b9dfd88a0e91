import BatteryPlant
import Foundation
import Simulation
import Testing
import TestSupport

/// Cells users can define: a chemistry file holds every physical parameter the plant uses; the
/// presets are such files (profiles/cells/chemistry/, written by `bmssim cell-file`).
@Suite("Chemistry files")
struct ChemistryFileTests {
    @Test(arguments: ChemistryPreset.allCases) func eachPresetIsItsCommittedFile(_ preset: ChemistryPreset) throws {
        let loaded = try ChemistryFiles.load(path: repositoryPath("profiles/cells/chemistry/\(preset.rawValue).json"))
        #expect(loaded == preset.chemistry, "regenerate with: bmssim cell-file --preset \(preset.rawValue)")
        let again = try ChemistryFiles.json(of: loaded)
        #expect(again == (try ChemistryFiles.json(of: preset.chemistry)))
    }

    /// A pack file may name a chemistry file instead of a preset; for the ZEBRA file the pack is
    /// the preset's, thermal set-up included.
    @Test func aPackFileTakesAChemistryFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ChemistryFiles.json(of: CellChemistry.naNiCl2).write(toFile: dir + "/zebra.json", atomically: true, encoding: .utf8)
        try #"{"kind": "pack", "chemistry": "zebra.json", "cells_per_string": 20, "initial_soc": 0.6}"#
            .write(toFile: dir + "/pack.json", atomically: true, encoding: .utf8)
        let fromFile = try PlantFile.load(path: dir + "/pack.json").definition
        let preset = try PlantFile.parse(Data(#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 20, "initial_soc": 0.6}"#.utf8), source: "p.json").definition
        #expect(fromFile == preset)
    }

    /// Bad values and typos are errors that name the key and its line.
    @Test(arguments: [
        ("\"capacity_Ah\" : 38", "\"capacity_Ah\" : -38", "capacity_Ah must be within"),
        ("\"kind\" : \"grainBoundary\"", "\"kind\" : \"grain\"", "elements[0].kind 'grain'"),
        ("\"dispersion\" : 0.9,", "\"dispersion\" : 0.9, \"dispersoin\" : 1,", "elements[0].dispersoin: unknown key"),
        ("\"failure_mode\" : \"short\"", "\"failure_mode\" : \"melt\"", "failure_mode 'melt'"),
        ("\"shape\" : \"warburg\"", "\"shape\" : \"gerischer\"", "elements[2].shape 'gerischer' is not one of arc, warburg"),
        ("\"shape\" : \"warburg\"", "\"shape\" : \"warburg\", \"dispersion\" : 0.8", "elements[2].dispersion: a warburg element has none"),
        ("\"dispersion\" : 0.85,", "", "elements[1].dispersion is required for an arc"),
        ("\"survivable_soc\" : [\n    -0.1,\n    1.1\n  ]", "\"survivable_soc\" : [0.2, 1.1]", "survivable_soc must be"),
        ("\"ocv\" : {", "\"ocv\" : {\n    \"hysteresis_charge\" : 0.03,", "hysteresis_charge must be within"),
        ("\"strength_weibull_modulus\" : 10", "\"strength_weibull_modulus\" : 0", "ageing: strength Weibull modulus"),
        ("\"cycle_depth_exponent\" : 1.2", "\"cycle_depth_exponent\" : 1.2, \"calendar_fade\" : 0.01", "ageing.calendar_fade: unknown key"),
    ]) func aBadChemistryFileNamesTheKeyAndLine(_ c: (from: String, to: String, problem: String)) throws {
        let text = try ChemistryFiles.json(of: CellChemistry.naNiCl2)
        #expect(text.contains(c.from), "the case's text must be in the file")
        let bad = text.replacingOccurrences(of: c.from, with: c.to)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json").path
        try bad.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ChemistryFiles.load(path: path)
            Issue.record("accepted: \(c.to)")
        } catch {
            #expect(error.problem.contains(c.problem), "\(error)")
            #expect(error.line > 0, "\(error)")
        }
    }

    /// Exactly one law per resistance.
    @Test func aResistanceWithTwoLawsIsRefused() throws {
        let text = try ChemistryFiles.json(of: CellChemistry.naNiCl2)
            .replacingOccurrences(of: "\"bulk\" : {", with: "\"bulk\" : {\n    \"constant_ohm\" : 0.001,")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("two-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: PlantFileError.self) { _ = try ChemistryFiles.load(path: path) }
    }
}
