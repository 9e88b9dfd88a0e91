import BatteryPlant
import Foundation
import Simulation
import Testing
import TestSupport

@Suite("Plant definition files")
struct PlantFileTests {
    func parse(_ json: String) throws(PlantFileError) -> PlantSetup {
        try PlantFile.parse(Data(json.utf8), source: "test.json")
    }

    @Test func bundledFilesLoad() throws {
        for file in ["cells/thevenin-38Ah.json", "cells/nasicon-cell.json", "packs/zebra-string-240.json", "packs/zebra-48v-4x20.json",
                     "packs/nas-string-64.json", "packs/nasicon-string-96.json", "packs/sulfide-string-96.json",
                     "packs/polymer-string-96.json", "packs/zebra-string-faults.json"] {
            let setup = try PlantFile.load(path: repositoryPath("profiles/" + file))
            #expect(setup.definition.cellCount > 0, "\(file)")
        }
        let faults = try PlantFile.load(path: repositoryPath("profiles/packs/zebra-string-faults.json")).faults
        #expect(faults.count == 4)
        #expect(faults[0] == PlantFault(.cellShort(cell: 17, resistance_ohm: nil), at_ms: 3_600_000))
    }

    /// The exact Thevenin form of the issue: isothermal, no degradation, ideal, one cell.
    @Test func theveninFormIsExact() throws {
        let setup = try PlantFile.load(path: repositoryPath("profiles/cells/thevenin-38Ah.json"))
        let d = setup.definition
        #expect(d.cellCount == 1)
        #expect(d.thermal.isothermal)
        #expect(!d.degradationEnabled)
        #expect(d.chemistry.capacity_Ah == 38)
        #expect(d.chemistry.bulk == .constant(ohm: 0.010))
        #expect(d.chemistry.elements == [ImpedanceElement(.generic, resistance: .constant(ohm: 0.005), capacitance_F: 2000)])
        #expect(d.initialSoC == 0.8)
    }

    @Test func packFileOverridesTheStandardPack() throws {
        let s = try parse("""
            {"kind": "pack", "chemistry": "NaS", "strings": 3, "cells_per_string": 10, "modules": 3, "initial_soc": 0.4,
             "spread": "none", "sensors": "ideal", "degradation": false,
             "thermal": {"heater_power_W": 123, "ambient_daily": {"mean_C": 20, "amplitude_K": 5, "peak_hour": 14}}}
            """)
        #expect(s.definition.topology == PackTopology(stringsInParallel: 3, cellsPerString: 10, moduleCount: 3))
        #expect(s.definition.spread == .none)
        #expect(s.definition.thermal.heaterPower_W == 123)
        #expect(s.definition.thermal.ambient == .daily(mean_C: 20, amplitude_K: 5, peakHour: 14))
        #expect(!s.definition.degradationEnabled)
        #expect(s.definition.initialTemperature_C == 330, "the chemistry's standard start")
        #expect(s.definition.thermal.edgeThermocouples, "an edge thermocouple per module unless the file says not")
    }

    /// A pack without edge thermocouples, and a fault on a module's edge thermocouple.
    @Test func packFileNamesTheThermocouples() throws {
        let s = try parse("""
            {"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "modules": 2, "initial_soc": 0.5,
             "thermal": {"edge_thermocouples": false},
             "faults": [{"kind": "temperature_detached", "at_s": 1, "module": 1, "thermocouple": "edge"},
                        {"kind": "temperature_stuck", "at_s": 1, "module": 0}]}
            """)
        #expect(!s.definition.thermal.edgeThermocouples)
        #expect(s.faults.map(\.kind) == [.temperatureDetached(module: 1, edge: true), .temperatureStuck(module: 0, edge: false)])
    }

    /// Pack files name the line of the key at fault.
    @Test func packFileErrorsNameTheLine() {
        let json = """
            {
              "kind": "pack",
              "chemistry": "NaNiCl2",
              "cells_per_string": 4,
              "initial_soc": 0.5,
              "thermal": {"insulation_W_per_K": -1},
              "faults": [
                {"kind": "cell_short", "at_s": 1, "cell": 2},
                {"kind": "cell_short", "at_s": 1, "cell": 9}
              ]
            }
            """
        let thermal = #expect(throws: PlantFileError.self) { try parse(json) }
        #expect(thermal?.line == 6, "\(String(describing: thermal))")
        #expect(thermal?.description.hasPrefix("test.json:6: thermal.insulation_W_per_K") == true)
        let fault = #expect(throws: PlantFileError.self) { try parse(json.replacingOccurrences(of: "-1", with: "1")) }
        #expect(fault?.line == 9, "\(String(describing: fault))")
    }

    @Test(arguments: [
        (#"{"kind": "battery"}"#, "kind 'battery' is not one of"),
        (#"{"kind": "cell", "chemistry": "LFP", "initial_soc": 0.5}"#, "chemistry 'LFP' is not one of"),
        (#"{"kind": "cell", "chemistry": "NaS"}"#, "missing key 'initial_soc'"),
        (#"{"kind": "thevenin", "capacity_Ah": "big", "initial_soc": 0.8, "ocv": {"soc": [0, 1], "voltage_V": [3, 4]}, "r0_ohm": 0.01, "rc": []}"#, "capacity_Ah"),
        (#"{"kind": "thevenin", "capacity_Ah": 38, "initial_soc": 0.8, "ocv": {"soc": [0, 1, 0.5], "voltage_V": [3, 4, 5]}, "r0_ohm": 0.01, "rc": []}"#, "soc must increase strictly"),
        (#"{"kind": "thevenin", "capacity_Ah": 38, "initial_soc": 1.8, "ocv": {"soc": [0, 1], "voltage_V": [3, 4]}, "r0_ohm": 0.01, "rc": []}"#, "initial_soc must be within"),
        (#"{"kind": "thevenin", "capacity_Ah": 38, "initial_soc": 0.8, "ocv": {"soc": [0, 1], "voltage_V": [3, 4]}, "r0_ohm": 0.01, "rc": [{"r_ohm": -1, "c_F": 5}]}"#, "rc[0]"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 0, "initial_soc": 0.5}"#, "cells_per_string must be"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "modules": 9, "initial_soc": 0.5}"#, "modules must be"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "initial_soc": 0.5, "faults": [{"kind": "cell_short", "at_s": 1, "cell": 4}]}"#, "faults[0].cell must be 0 ... 3"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "initial_soc": 0.5, "faults": [{"kind": "meteor", "at_s": 1}]}"#, "faults[0].kind 'meteor'"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "initial_soc": 0.5, "spread": "wild"}"#, "spread must be"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "initial_soc": 0.5, "faults": [{"kind": "temperature_stuck", "at_s": 1, "module": 0, "thermocouple": "middle"}]}"#, "faults[0].thermocouple 'middle' is not centre or edge"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "initial_soc": 0.5, "faults": [{"kind": "current_stuck", "at_s": 1e300}]}"#, "faults[0].at_s must be within"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "initial_soc": 0.5, "faults": [{"kind": "current_stuck", "at_s": 1, "until_s": 1e19}]}"#, "faults[0].until_s must be after"),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 4, "initial_soc": 0.5, "faults": [{"kind": "current_offset", "at_s": 1}]}"#, "faults[0].current_A is required"),
        ("{\"kind\": \"pack\",\n \"chemistry\": \"NaNiCl2\",\n \"cells_per_string\": 4 4}", "not valid JSON (near line 3)"),
    ])
    func malformedFilesNameTheProblem(json: String, problem: String) {
        let error = #expect(throws: PlantFileError.self) { try parse(json) }
        #expect(error?.file == "test.json")
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }

    /// Open loop on the Thevenin cell: soc = soc0 - integral(i dt) / (3600 capacity), exactly.
    @Test func openLoopTheveninRunCountsChargeExactly() throws {
        let setup = try PlantFile.load(path: repositoryPath("profiles/cells/thevenin-38Ah.json"))
        let profile = try DutyProfile.load(path: repositoryPath("profiles/characterisation/pulse-test-38Ah.csv"))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var runner = try OpenLoopRunner(setup: setup, profile: profile, options: OpenLoopRunner.Options())
        let summary = try runner.run(writingTo: dir)
        var charge_As = 0.0
        var cursor = 0
        for t in stride(from: Int64(0), to: profile.lastRowTime_ms, by: 1000) {
            charge_As += profile.value(at: t, cursor: &cursor)
        }
        #expect(abs(summary.soc_final - (0.8 - charge_As / (3600 * 38))) < 1e-12)
        let header = try String(contentsOfFile: dir + "/cells.csv", encoding: .utf8).split(separator: "\n")[0]
        #expect(header.contains("r_generic_ohm") && header.contains("contact_fraction") && header.contains("interphase_nm"))
    }
}

@Suite("Unknown keys in files")
struct UnknownKeyTests {
    /// A typo anywhere in a file is an error with its line, not a silent default (found: a pack
    /// file's unknown top-level key, and keys inside `thermal`, `spread` or a fault, were dropped).
    @Test(arguments: [
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 10, "initial_soc": 0.6,"# + "\n" + #" "bogus": 3}"#, "bogus", 2),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 10, "initial_soc": 0.6,"# + "\n" + #" "thermal": {"isothermal": true, "ambient_dialy": 3}}"#, "thermal.ambient_dialy", 2),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 10, "initial_soc": 0.6,"# + "\n" + #" "spread": {"capacity": 0.01, "resistanse": 0.1}}"#, "spread.resistanse", 2),
        (#"{"kind": "pack", "chemistry": "NaNiCl2", "cells_per_string": 10, "initial_soc": 0.6,"# + "\n" + #" "faults": [{"kind": "cell_short", "at_s": 5, "cel": 3}]}"#, "faults[0].cel", 2),
        (#"{"kind": "cell", "chemistry": "NASICON", "initial_soc": 0.5, "degradatoin": true}"#, "degradatoin", 1),
        (#"{"kind": "thevenin", "capacity_Ah": 38, "initial_soc": 0.8, "ocv": {"soc": [0, 1], "voltage_V": [3, 4], "temp": 1}, "r0_ohm": 0.01, "rc": []}"#, "ocv.temp", 1),
    ]) func anUnknownKeyIsAnErrorWithItsLine(_ c: (json: String, path: String, line: Int)) {
        do {
            _ = try PlantFile.parse(Data(c.json.utf8), source: "test.json")
            Issue.record("accepted \(c.path)")
        } catch {
            #expect(error.problem.contains(c.path) && error.problem.contains("unknown key"), "\(error)")
            #expect(error.line == c.line, "\(error)")
        }
    }

    @Test func theShippedFilesHaveNoUnknownKeys() throws {
        let folder = repositoryPath("profiles/packs")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".json") {
            _ = try PlantFile.load(path: folder + "/" + name)
        }
    }
}
