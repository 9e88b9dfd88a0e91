import BatteryPlant
import HIL
import Simulation
import Testing

/// The load has voltage compliance: the inverter serves the duty only within its DC voltage
/// window and current limit, so no duty can force current the cells cannot carry, and a string
/// charged with no firmware at all stops by physics.
@Suite("Inverter: a load with voltage compliance")
struct InverterTests {
    /// A plant driven directly (no firmware): contactors closed, no BMS limit.
    static func plant(_ preset: ChemistryPreset, soc: Double, current_A: Double, temperature_C: Double? = nil) throws -> ScenarioPlant {
        var pack = PackDefinition.standard(preset, cellsPerString: 20, initialSoC: soc)
        if let t = temperature_C {
            pack.initialTemperature_C = t
        }
        let profile = try DutyProfile(quantity: .current_A, times_ms: [0], values: [current_A], source: "constant")
        let scenario = Scenario(pack: pack, profile: profile, rating_W: 0, duration_ms: 86_400_000, seed: 5)
        return try ScenarioPlant(scenario: scenario)
    }

    static func unlimited(_ plant: ScenarioPlant) -> FieldCommands {
        var c = FieldCommands(cellCount: plant.cellCount, moduleCount: plant.moduleCount)
        c.contactors = .closed
        c.chargeLimit_A = .infinity
        c.dischargeLimit_A = .infinity
        return c
    }

    /// A frozen ZEBRA string (25 C: the melt is solid, every resistance x 10^4) asked for 1 C:
    /// before, the plant forced the current through and the terminals read tens of kilovolts
    /// negative; now the inverter holds the bus at its window's bottom and says it could not serve.
    @Test func aFrozenStringCannotBeForcedToCarryCurrent() throws {
        var p = try Self.plant(.naNiCl2, soc: 0.5, current_A: 38, temperature_C: 25)
        let commands = Self.unlimited(p)
        for _ in 0..<600 { p.advance(commands) }
        let window = p.inverter.dcVoltage_V
        #expect(p.pack.terminalVoltage_V >= window.lowerBound - 1e-6, "\(p.pack.terminalVoltage_V) V")
        #expect(p.pack.current_A < 0.5, "a trickle at most: \(p.pack.current_A) A")
        #expect(p.inverterLimited_ms >= 59_000)
    }

    /// With no firmware, a C/10 charge stops by itself on the blocking chemistries: the terminal
    /// voltage never leaves the inverter's window, the current dies away and the cells end at
    /// full, not beyond their electrodes.
    @Test(arguments: [ChemistryPreset.naS, .nasicon, .sulfide, .polymer])
    func aChargeWithNoFirmwareStopsAtFull(_ preset: ChemistryPreset) throws {
        let c = preset.chemistry
        var p = try Self.plant(preset, soc: 0.9, current_A: -c.capacity_Ah / 10)
        let commands = Self.unlimited(p)
        let top = p.inverter.dcVoltage_V.upperBound
        var highest = 0.0
        for _ in 0..<(3 * 36_000) {
            p.advance(commands)
            highest = max(highest, p.pack.terminalVoltage_V)
        }
        // The window holds at the start of each step; the OCV's rise within one 100 ms step on a
        // steep end adds a few mV (a converter regulates its DC bus to about 0.1 %).
        #expect(highest <= top * 1.0005, "\(preset.rawValue): \(highest) V against \(top) V")
        #expect(abs(p.pack.current_A) < c.capacity_Ah / 100, "\(preset.rawValue): still \(p.pack.current_A) A")
        #expect(p.pack.stateOfCharge > 0.98, "\(preset.rawValue): SoC \(p.pack.stateOfCharge)")
        let deepest = (0..<p.cellCount).map { p.pack.cell($0).soc }.max()!
        #expect(deepest < 1.03, "\(preset.rawValue): a cell at \(deepest)")
        #expect(p.inverterLimited_ms > 3_600_000)
    }

    /// A ZEBRA string charged past full with no firmware rides its overcharge reaction: the cells
    /// clamp near 3.05 V and the terminals stay within the inverter's window.
    @Test func aZebraChargeWithNoFirmwareClampsOnTheOverchargeReaction() throws {
        var p = try Self.plant(.naNiCl2, soc: 0.9, current_A: -3.8)
        let commands = Self.unlimited(p)
        for _ in 0..<(2 * 36_000) { p.advance(commands) }
        let v = p.pack.cellVoltage_V
        #expect(v.min()! > 3.0 && v.max()! < 3.12, "\(v.min()!) ... \(v.max()!) V")
        #expect(p.pack.terminalVoltage_V <= p.inverter.dcVoltage_V.upperBound * 1.0005)
        #expect(p.pack.cellFailure.allSatisfy { $0 == .healthy })
    }

    /// Sized for the duty: the current limit never cuts the duty itself, and the window holds
    /// the string's datasheet range.
    @Test func theDefaultInverterIsSizedForThePackAndTheDuty() throws {
        let pack = PackDefinition.zebraString()
        let profile = try DutyProfile(quantity: .power_pu, times_ms: [0, 1000], values: [0.5, -1], source: "two")
        let inverter = InverterDefinition.sized(for: pack, profile: profile, rating_W: 50_000)
        #expect(abs(inverter.dcVoltage_V.lowerBound - 240 * 1.8 * 0.9) < 1e-9)
        #expect(abs(inverter.dcVoltage_V.upperBound - 240 * 2.8 * 1.1) < 1e-9)
        #expect(abs(inverter.maximumCurrent_A - 50_000 / (240 * 1.8 * 0.9)) < 1e-9)
        #expect(inverter.serve(500, compliance: -1000...1000) == inverter.maximumCurrent_A)
        #expect(inverter.serve(-20, compliance: -5...1000) == -5)
        #expect(inverter.serve(3, compliance: 0...0) == 0)
    }
}
