import Testing

@testable import BatteryPlant

/// A cell cannot deliver more than its charge or take more than its electrodes hold: the ends of
/// every chemistry are physics (REFERENCE 2a), so voltage tiers, full-charge detection and
/// end-of-discharge behaviour can be tested against it.
@Suite("Physical ends of charge and discharge")
struct CapacityBoundsTests {
    /// The middle of each chemistry's operating window (isothermal: the ends, not heat, are tested).
    static func operatingTemperature(_ c: CellChemistry) -> Double {
        (c.limits.minimumTemperature_C + c.limits.maximumTemperature_C) / 2
    }

    /// A 10-cell string with the typical production spread, ideal sensors, at `soc`.
    static func string(_ preset: ChemistryPreset, soc: Double) -> BatteryPack {
        let c = preset.chemistry
        var d = idealPack(c, cells: 10, soc: soc, temperature_C: operatingTemperature(c))
        d.spread = .typical
        var pack = BatteryPack(definition: d, seed: 7)
        pack.command(.closed)
        return pack
    }

    /// Discharged at C/10 with nothing to stop it, every chemistry leaves its plateau at empty:
    /// the first cell reaches its datasheet minimum voltage (ZEBRA: the 1.8 V under-voltage trip)
    /// within 2 % of empty, and two points past empty every cell is below it (before: a ZEBRA
    /// cell delivered about twice its capacity above 1.8 V).
    @Test(arguments: ChemistryPreset.allCases) func aC10DischargeLeavesThePlateauAtEmpty(_ preset: ChemistryPreset) {
        var pack = Self.string(preset, soc: 0.3)
        let c = preset.chemistry
        let current = c.capacity_Ah / 10
        var firstAt: Double?
        var charge = 0.3
        while charge > -0.02 {
            pack.step(current: current, duration_ms: 1000)
            charge -= current / (3600 * c.capacity_Ah)
            if firstAt == nil, pack.cellVoltage_V.min()! <= c.limits.minimumVoltage_V { firstAt = pack.stateOfCharge }
        }
        let soc = try? #require(firstAt, "\(preset.rawValue) never reached \(c.limits.minimumVoltage_V) V")
        // Na-S's datasheet minimum is its OCV at empty (Na2S3, 1.78 V) on a sloped end (0.8 V per
        // unit SoC): the C/10 IR drop alone (about 40 mV) reaches it 5 points early. The others'
        // minimum lies below a steep knee.
        let bound = preset == .naS ? 0.07 : 0.02
        if let soc { #expect(soc <= bound, "\(preset.rawValue): SoC \(soc) when the first cell reached its minimum") }
        #expect(pack.cellVoltage_V.max()! < c.limits.minimumVoltage_V, "\(preset.rawValue): two points past empty")
        #expect(pack.stateOfCharge == 0)
    }

    /// Charged at C/10 with no firmware, a ZEBRA string stops itself: every cell clamps on its
    /// melt's overcharge reaction near 3.05 V (the shunt that lets a string carry a weak cell),
    /// and the charge past full goes into that reaction, not into usable capacity.
    @Test func aZebraStringChargedPastFullClampsOnItsOverchargeReaction() {
        var pack = Self.string(.naNiCl2, soc: 0.9)
        let current = -CellChemistry.naNiCl2.capacity_Ah / 10
        for _ in 0..<Int(1.5 * 3600) { pack.step(current: current, duration_ms: 1000) }
        // 0.9 + 0.15: every cell 3 to 5 points past full, on the plateau.
        let v = pack.cellVoltage_V
        #expect(v.min()! > 3.0 && v.max()! < 3.12, "cell voltages \(v.min()!) ... \(v.max()!)")
        #expect(pack.stateOfCharge == 1, "usable charge cannot exceed full")
        #expect(pack.cellFailure.allSatisfy { $0 == .healthy })
        #expect(abs(pack.terminalVoltage_V - v.reduce(0, +)) < 1e-9)
    }

    /// Driven past the melt reserve, a ZEBRA cell cracks and fails short (its failure mode), and
    /// the event says why.
    @Test func aZebraCellDrivenPastItsReserveFailsShort() {
        var pack = Self.string(.naNiCl2, soc: 0.9)
        let current = -CellChemistry.naNiCl2.capacity_Ah / 5
        for _ in 0..<(3600 + 600) { pack.step(current: current, duration_ms: 1000) }
        #expect(pack.cellFailure.allSatisfy { $0 == .failedShort }, "0.9 + 0.22: past every cell's reserve")
        let exhausted = pack.events.filter { $0.kind == .reserveExhausted }
        #expect(exhausted.count == 10)
        #expect(exhausted.allSatisfy { $0.value > 1.09 })
    }

    /// The ZEBRA over-discharge reaction holds a cell near 1.58 V instead of reversing it.
    @Test func aZebraCellPastEmptyRidesItsOverDischargeReaction() {
        var pack = Self.string(.naNiCl2, soc: 0.02)
        let current = CellChemistry.naNiCl2.capacity_Ah / 10
        for _ in 0..<Int(0.6 * 3600) { pack.step(current: current, duration_ms: 1000) }
        // 0.02 - 0.06: every cell 3 to 5 points past empty.
        let v = pack.cellVoltage_V
        #expect(v.min()! > 1.3 && v.max()! < 1.62, "cell voltages \(v.min()!) ... \(v.max()!)")
        #expect(pack.stateOfCharge == 0)
    }

    /// Na-S: insulating sulphur at the top of charge raises the resistance steeply; under a C/10
    /// charge the cell voltage climbs well clear of the 2.08 V OCV (the physical end-of-charge
    /// signal), while on the plateau it sits the plateau's IR drop (about 40 mV) above it.
    @Test func naSTopOfChargeShowsAsASteepResistanceRise() {
        var pack = Self.string(.naS, soc: 0.85)
        let current = -CellChemistry.naS.capacity_Ah / 10
        var plateau = 0.0
        for _ in 0..<(3 * 3600) {
            pack.step(current: current, duration_ms: 1000)
            if pack.stateOfCharge < 0.9 { plateau = pack.cellVoltage_V.max()! }
            if pack.cellVoltage_V.max()! > 2.2 { break }
        }
        #expect(plateau < 2.13, "on the plateau: \(plateau) V")
        #expect(pack.cellVoltage_V.max()! > 2.2, "the top of charge shows")
        #expect(pack.stateOfCharge > 0.97, "only at the top: SoC \(pack.stateOfCharge)")
        let top = pack.impedance(ofCell: 0).series_ohm
        let middle = CellChemistry.naS.impedance(temperature_C: Self.operatingTemperature(.naS), soc: 0.6, resistanceScale: pack.cell(0).resistanceScale)
        #expect(top > 2 * middle.series_ohm)
    }

    /// The solid-state Na-metal cells run out of sodium: past the anode's small excess the
    /// voltage collapses, whatever the cathode could still take.
    @Test(arguments: [ChemistryPreset.nasicon, .sulfide, .polymer]) func aSodiumMetalCellRunsOutOfSodium(_ preset: ChemistryPreset) {
        let c = preset.chemistry
        var pack = Self.string(preset, soc: 0.01)
        for _ in 0..<Int(0.7 * 3600) { pack.step(current: c.capacity_Ah / 10, duration_ms: 1000) }
        // 0.01 - 0.07: past every cell's 5 % excess.
        #expect(pack.cellVoltage_V.max()! < 1.0, "\(preset.rawValue): \(pack.cellVoltage_V.max()!) V")
    }
}

extension ChemistryPreset: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}
