import BatteryPlant
import Simulation
import Testing

/// A run whose firmware parameters do not fit its pack is refused before it runs.
@Suite("Firmware fit")
struct FirmwareFitUnitTests {
    static func scenario(_ pack: PackDefinition) throws -> Scenario {
        let profile = try DutyProfile(quantity: .power_pu, times_ms: [0], values: [0], source: "idle")
        return Scenario(pack: pack, profile: profile, rating_W: 1000, duration_ms: 3_600_000, seed: 1)
    }

    @Test(arguments: ChemistryPreset.allCases) func everyPresetFitsItsFirmware(_ preset: ChemistryPreset) throws {
        try Self.scenario(.standard(preset, cellsPerString: 20)).firmwareFit()
    }

    @Test func cellsOfAnotherSizeAreRefused() throws {
        var pack = PackDefinition.standard(.naNiCl2, cellsPerString: 20)
        pack.chemistry.capacity_Ah = 100
        #expect(throws: SimulationError.self) { try Self.scenario(pack).firmwareFit() }
        #expect(throws: SimulationError.self) { _ = try ClosedLoopRunner(scenario: Self.scenario(pack)) }
        pack.chemistry.capacity_Ah = 34
        try Self.scenario(pack).firmwareFit()
    }

    @Test func cellsWhoseVoltageLiesOutsideTheFirmwareLimitsAreRefused() throws {
        var pack = PackDefinition.standard(.naS, cellsPerString: 20)
        pack.chemistry.ocv = try OCVCurve(soc: [0, 1], voltage_V: [2.9, 3.4])
        let error = #expect(throws: SimulationError.self) { try Self.scenario(pack).firmwareFit() }
        #expect("\(error!)".contains("operating cell voltage limits"))
    }

    @Test func cellsOfAnotherTemperatureWindowAreRefused() throws {
        var pack = PackDefinition.standard(.naNiCl2, cellsPerString: 20)
        pack.chemistry.limits.minimumTemperature_C = 20
        pack.chemistry.limits.maximumTemperature_C = 60
        #expect(throws: SimulationError.self) { try Self.scenario(pack).firmwareFit() }
    }
}
