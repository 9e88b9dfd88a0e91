import Testing

@testable import BatteryPlant

@Suite("Interfacial degradation")
struct DegradationTests {
    /// Parabolic growth: thickness^2 = 2 k_p t, so 4x the time gives 2x the thickness.
    @Test func interphaseGrowsParabolically() {
        var pack = BatteryPack(definition: idealPack(.sulfide, cells: 1, soc: 0.5, degradation: true), seed: 1)
        for _ in 0..<100 { pack.step(current: 0, duration_ms: 3_600_000) }
        let at100h = pack.cellInterphaseThickness_cm[0]
        #expect(abs(at100h - 1e-4) < 1e-6, "calibrated to 1 um in 100 h at 25 C")
        for _ in 0..<300 { pack.step(current: 0, duration_ms: 3_600_000) }
        #expect(abs(pack.cellInterphaseThickness_cm[0] / at100h - 2) < 1e-3)
        #expect(pack.impedance(ofCell: 0).elements.first { $0.kind == .interphase }!.resistance_ohm > 0.001)
    }

    @Test func naOnBetaAluminaGrowsNoInterphase() {
        var pack = BatteryPack(definition: idealPack(.naNiCl2, cells: 1, soc: 0.5, temperature_C: 300, degradation: true), seed: 1)
        pack.command(.closed)
        for _ in 0..<100 { pack.step(current: 10, duration_ms: 60_000) }
        #expect(pack.cellInterphaseThickness_cm[0] == 0)
        #expect(pack.cellContactFraction[0] == 1)
        #expect(pack.cellShortHazard_per_h[0] == 0)
    }

    /// Stripping above the critical stripping current opens voids (contact falls, R_interface rises);
    /// plating under pressure slowly restores contact.
    @Test func strippingAboveTheLimitLosesContactAndPlatingRecovers() {
        var pack = BatteryPack(definition: idealPack(.nasicon, cells: 1, soc: 0.9, degradation: true), seed: 1)
        pack.command(.closed)
        let limit_A = CellChemistry.nasicon.degradation!.criticalStrippingCurrent(temperature_C: 25) * 5000 / 1000
        #expect(abs(limit_A - 4.2) < 0.01, "0.28 mA/cm2/MPa x 3 MPa x 5000 cm2")
        for _ in 0..<60 { pack.step(current: limit_A * 0.9, duration_ms: 60_000) }
        #expect(pack.cellContactFraction[0] == 1, "below the limit nothing happens")
        let r0 = pack.impedance(ofCell: 0).dc_ohm
        for _ in 0..<60 { pack.step(current: limit_A * 2, duration_ms: 60_000) }
        let lost = pack.cellContactFraction[0]
        #expect(lost < 0.8)
        #expect(pack.impedance(ofCell: 0).dc_ohm > r0)
        for _ in 0..<120 { pack.step(current: -2, duration_ms: 60_000) }
        #expect(pack.cellContactFraction[0] > lost)
    }

    /// Plating above the CCD (local current density = current / contact / area) raises the short
    /// hazard; below it the hazard is zero. Given time, the hazard turns into a short (seeded).
    @Test func exceedingTheCCDRaisesTheShortHazard() {
        var pack = BatteryPack(definition: idealPack(.nasicon, cells: 1, soc: 0.2, temperature_C: 30, degradation: true), seed: 7)
        pack.command(.closed)
        let ccd_A = 0.85 * 5000 / 1000  // 0.85 mA/cm2 at 30 C
        pack.step(current: -0.9 * ccd_A, duration_ms: 1000)
        #expect(pack.cellShortHazard_per_h[0] == 0)
        pack.step(current: -1.5 * ccd_A, duration_ms: 1000)
        let h15 = pack.cellShortHazard_per_h[0]
        pack.step(current: -3 * ccd_A, duration_ms: 1000)
        let h3 = pack.cellShortHazard_per_h[0]
        #expect(h15 > 0 && h3 > h15)
        // Current focusing: half the contact doubles the local current density.
        pack.cellContactFraction[0] = 0.5
        pack.step(current: -0.9 * ccd_A, duration_ms: 1000)
        #expect(pack.cellShortHazard_per_h[0] > 0)
        var steps = 0
        while pack.cellFailure[0] == .healthy, steps < 10_000 {
            pack.step(current: -3 * ccd_A, duration_ms: 10_000)
            steps += 1
        }
        guard case .leakage(let r, false) = pack.cellFailure[0] else {
            Issue.record("no short after \(steps) steps")
            return
        }
        #expect(r <= LeakageGrowth.initial_ohm)
        #expect(pack.events.contains { $0.kind == .cellLeakageStarted })
    }

    /// A soft short drains its cell through the leakage path, faster as the path grows.
    @Test func leakagePathDrainsTheCell() {
        var pack = BatteryPack(definition: idealPack(.nasicon, cells: 2, soc: 0.5, degradation: true), seed: 1)
        pack.inject([PlantFault(.cellShort(cell: 1, resistance_ohm: 1.0), at_ms: 0)])
        var expected_Ah = 0.0
        pack.step(current: 0, duration_ms: 1000)
        for _ in 0..<3600 {
            expected_Ah += pack.cellVoltage_V[1] / 1.0 / 3600  // V / R for a second
            pack.step(current: 0, duration_ms: 1000)
        }
        let drained_Ah = (0.5 - pack.cellSoC[1]) * 10
        #expect(expected_Ah > 3.3 && expected_Ah < 3.4, "about 3.4 V through 1 ohm for an hour")
        #expect(abs(drained_Ah - expected_Ah) < 0.003 * expected_Ah)
        #expect(pack.cellSoC[0] > 0.499)
    }

    @Test func thermalCyclingDelaminates() {
        var d = idealPack(.nasicon, cells: 4, soc: 0.5, temperature_C: 30, degradation: true)
        d.thermal = PackDefinition.standard(.nasicon, cellsPerString: 4).thermal
        d.thermal.ambient = .daily(mean_C: 30, amplitude_K: 25, peakHour: 14)
        var pack = BatteryPack(definition: d, seed: 1)
        for _ in 0..<(24 * 10) { pack.step(current: 0, duration_ms: 3_600_000) }
        #expect(pack.thermalCycles[0] >= 8)
        #expect(pack.cellContactFraction[0] < 1)
    }

    /// Without an ageing law, cycle fade is the throughput's (no depth, rate or calendar terms),
    /// charged as each half-cycle of the SoC closes.
    @Test func capacityFadesWithThroughput() {
        var chemistry = CellChemistry.sulfide
        chemistry.ageing = nil
        var pack = BatteryPack(definition: idealPack(chemistry, cells: 1, soc: 0.5, degradation: true), seed: 1)
        pack.command(.closed)
        for k in 0..<200 { pack.step(current: k % 2 == 0 ? 2 : -2, duration_ms: 3_600_000) }
        // 200 half cycles of 2 Ah on a 10 Ah cell = 20 equivalent full cycles at 2e-4 each.
        #expect(abs(pack.cellCapacityFade[0] - 20 * 2e-4) < 1e-9)
    }
}
