import Testing

@testable import BatteryPlant

@Suite("Ageing")
struct AgeingTests {
    /// `base` with its ageing law edited and no self-discharge (the SoC stays where a test puts it).
    static func chemistry(_ base: CellChemistry = .sulfide, _ edit: (inout AgeingLaw) -> Void = { _ in }) -> CellChemistry {
        var c = base
        c.selfDischarge_per_day = 0
        var law = c.ageing!
        edit(&law)
        c.ageing = law
        return c
    }

    /// Calendar fade: the preset's rate at the reference, Arrhenius in temperature, more at a high SoC.
    @Test func calendarFadeFollowsTemperatureAndStateOfCharge() {
        func fadeAfterAYear(temperature: Double, soc: Double) -> Double {
            var pack = BatteryPack(definition: idealPack(Self.chemistry(), soc: soc, temperature_C: temperature, degradation: true), seed: 1)
            for _ in 0..<8766 { pack.step(current: 0, duration_ms: 3_600_000) }
            return pack.cellCapacityFade[0]
        }
        let reference = fadeAfterAYear(temperature: 25, soc: 0.5)
        #expect(abs(reference - 0.03) < 1e-4, "3 %/year at 25 C and half charge: \(reference)")
        // Ea 0.5 eV: exp(0.5 / kB x (1/298.15 - 1/308.15)) = 1.88.
        let warm = fadeAfterAYear(temperature: 35, soc: 0.5)
        #expect(abs(warm / reference - 1.88) < 0.01, "\(warm / reference)")
        // SoC stress 0.8: 1 + 0.8 x 0.5.
        let full = fadeAfterAYear(temperature: 25, soc: 1)
        #expect(abs(full / reference - 1.4) < 0.01, "\(full / reference)")
    }

    /// Cycles `halfCycles` times between `soc` and `soc - depth` at `amps` (10 Ah cell), then
    /// turns once more so the last half-cycle closes; returns the fade per ampere-hour moved.
    static func cycleFadePerAh(_ c: CellChemistry, depth: Double, amps: Double, halfCycles: Int) -> Double {
        var pack = BatteryPack(definition: idealPack(c, soc: 0.9, degradation: true), seed: 1)
        pack.command(.closed)
        let steps = Int((depth * 10 / amps * 3600 / 10).rounded())
        var moved = 0.0
        for k in 0..<halfCycles {
            for _ in 0..<steps { pack.step(current: k % 2 == 0 ? amps : -amps, duration_ms: 10_000) }
            moved += Double(steps) * amps * 10 / 3600
        }
        // Two points back the other way close the last half-cycle.
        let closing = halfCycles % 2 == 0 ? amps : -amps
        for _ in 0..<Int(0.02 * 10 / amps * 360) { pack.step(current: closing, duration_ms: 10_000) }
        return pack.cellCapacityFade[0] / moved
    }

    /// Per ampere-hour, a shallow cycle costs depth^(exponent - 1) of a deep one.
    @Test func cycleFadeFollowsDepth() {
        let c = Self.chemistry { $0.calendarFadePerYear = 0 }
        let deep = Self.cycleFadePerAh(c, depth: 0.8, amps: 2, halfCycles: 10)
        let shallow = Self.cycleFadePerAh(c, depth: 0.1, amps: 2, halfCycles: 80)
        // 2e-4 per full cycle = per 20 Ah, x 0.8^0.3.
        #expect(abs(deep / (2e-4 / 20 * 0.9353) - 1) < 0.03, "\(deep)")
        // (0.1 / 0.8)^0.3 = 0.536.
        #expect(abs(shallow / deep - 0.536) < 0.02, "\(shallow / deep)")
    }

    /// Above the reference C-rate each ampere-hour costs more: 1 + stress x (C - reference).
    /// (The interface's own mechanisms are off: at 1 C a sulfide cell strips past its limit.)
    @Test func cycleFadeFollowsCRate() {
        var c = Self.chemistry { $0.calendarFadePerYear = 0 }
        var onlyFade = InterfaceDegradation.none
        onlyFade.capacityFadePerCycle = 2e-4
        c.degradation = onlyFade
        let slow = Self.cycleFadePerAh(c, depth: 0.5, amps: 2.5, halfCycles: 6)
        let fast = Self.cycleFadePerAh(c, depth: 0.5, amps: 10, halfCycles: 6)
        // 0.25 C is below the 0.5 C reference; 1 C is 0.5 C above it at 0.5 per C.
        #expect(abs(fast / slow - 1.25) < 0.02, "\(fast / slow)")
    }

    /// The bulk, grain boundary and charge transfer grow with the capacity lost; the interface does not.
    @Test func resistanceGrowsWithTheCapacityLost() {
        var pack = BatteryPack(definition: idealPack(Self.chemistry(), soc: 0.5, degradation: true), seed: 1)
        let before = pack.impedance(ofCell: 0)
        for _ in 0..<(2 * 8766) { pack.step(current: 0, duration_ms: 3_600_000) }
        let fade = pack.cellCapacityFade[0]
        #expect(fade > 0.05)
        #expect(abs(pack.cellResistanceAgeing[0] - (1 + 1.5 * fade)) < 1e-12)
        let after = pack.impedance(ofCell: 0)
        #expect(abs(after.bulk_ohm / before.bulk_ohm - (1 + 1.5 * fade)) < 1e-9)
        let kinds: [ImpedanceElement.Kind] = [.grainBoundary, .chargeTransfer, .interface]
        for kind in kinds {
            let r0 = before.elements.first { $0.kind == kind }!.resistance_ohm
            let r1 = after.elements.first { $0.kind == kind }!.resistance_ohm
            #expect(abs(r1 / r0 - (kind == .interface ? 1 : 1 + 1.5 * fade)) < 1e-9, "\(kind)")
        }
    }

    /// An aged pack starts with the resistance its lost capacity implies, run with or without ageing.
    @Test func anAgedPackStartsWithGrownResistance() {
        for degradation in [false, true] {
            var d = idealPack(.naNiCl2, cells: 20, soc: 0.5, temperature_C: 300, degradation: degradation)
            d.ageing = .endOfLife
            let pack = BatteryPack(definition: d, seed: 3)
            let growth = CellChemistry.naNiCl2.ageing!.resistanceGrowthPerFade
            for i in 0..<20 {
                let fade = 1 - pack.cellInitialCapacity_Ah[i] / CellChemistry.naNiCl2.capacity_Ah
                #expect(abs(pack.cellResistanceAgeing[i] - (1 + growth * fade)) < 1e-9)
            }
        }
    }

    /// Fracture: damage against Weibull strengths of median 1 (modulus 10): none at half the
    /// median, about half at the median; each break is reported and fails the chemistry's way.
    @Test func fractureBreaksCellsPastTheirStrength() {
        var pack = BatteryPack(definition: idealPack(.naS, cells: 400, soc: 0.5, temperature_C: 330, degradation: true), seed: 5)
        pack.addFractureDamage(module: 0, 0.5)
        #expect(pack.cellFailure.allSatisfy { $0 == .healthy }, "P(strength < 0.5) = 7e-4 a cell")
        pack.addFractureDamage(module: 0, 0.5)
        let broken = pack.cellFailure.filter { $0 == .open }.count
        #expect(broken > 160 && broken < 240, "about half of 400: \(broken)")
        #expect(pack.events.filter { $0.kind == .fractured }.count == broken)
        #expect(pack.events.filter { $0.kind == .cellFailedOpen }.count == broken)
    }

    /// Thermal half-cycles add fracture damage as the swing squared.
    @Test func thermalCyclesAddFractureDamage() {
        let c = Self.chemistry(.nasicon) { $0.fracturePer100KHalfCycle = 0.01 }
        var d = idealPack(c, cells: 4, soc: 0.5, temperature_C: 30, degradation: true)
        d.thermal = PackDefinition.standard(.nasicon, cellsPerString: 4).thermal
        d.thermal.ambient = .daily(mean_C: 30, amplitude_K: 25, peakHour: 14)
        var pack = BatteryPack(definition: d, seed: 1)
        for _ in 0..<(24 * 10) { pack.step(current: 0, duration_ms: 3_600_000) }
        #expect(pack.thermalCycles[0] >= 8)
        let damage = pack.cellFractureDamage[0]
        // Each half-cycle of swing dT adds 0.01 (dT/100)^2; swings here are below 50 K.
        #expect(damage > 0 && damage < 0.01 * 0.25 * 2 * pack.thermalCycles[0] + 1e-12, "\(damage)")
        #expect(pack.cellFractureDamage.allSatisfy { $0 == damage }, "one module, one history")
    }

    /// Dendrite damage is the short hazard's integral; it stays through a rest and adds up over episodes.
    @Test func dendriteDamageAccumulatesOverEpisodes() {
        var pack = BatteryPack(definition: idealPack(.nasicon, cells: 1, soc: 0.2, temperature_C: 30, degradation: true), seed: 7)
        pack.command(.closed)
        let ccd_A = 0.85 * 5000 / 1000
        pack.step(current: -1.5 * ccd_A, duration_ms: 1000)
        let hazard = pack.cellShortHazard_per_h[0]
        #expect(hazard > 0)
        let start = pack.cellDendriteDamage[0]
        for _ in 0..<60 { pack.step(current: -1.5 * ccd_A, duration_ms: 1000) }
        let first = pack.cellDendriteDamage[0] - start
        #expect(abs(first - hazard * 60 / 3600) < 1e-3 * first, "\(first) against \(hazard * 60 / 3600)")
        for _ in 0..<60 { pack.step(current: 0, duration_ms: 60_000) }
        #expect(pack.cellDendriteDamage[0] - start == first, "a rest heals nothing")
        for _ in 0..<60 { pack.step(current: -1.5 * ccd_A, duration_ms: 1000) }
        #expect(abs(pack.cellDendriteDamage[0] - start - 2 * first) < 1e-2 * first)
    }

    /// Malformed ageing laws are named.
    @Test func aLawOutOfRangeIsNamed() {
        var law = CellChemistry.naS.ageing!
        #expect(law.problems.isEmpty)
        law.calendarFadePerYear = .nan
        #expect(!law.problems.isEmpty)
        law = CellChemistry.naS.ageing!
        law.strengthWeibullModulus = 0
        #expect(law.problems.contains { $0.contains("Weibull") })
        law = CellChemistry.naS.ageing!
        law.cycleDepthExponent = 0.5
        #expect(law.problems.contains { $0.contains("depth exponent") })
    }
}
