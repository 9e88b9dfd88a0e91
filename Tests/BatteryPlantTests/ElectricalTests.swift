import Testing

@testable import BatteryPlant

@Suite("Cells, strings and contactors")
struct ElectricalTests {
    /// v(t) = OCV(soc(t)) - I R0 - sum I R_k (1 - exp(-t/tau_k)) for a current step, at any step length.
    @Test(arguments: [1 as Int64, 100, 1000, 60_000])
    func rcStepResponseMatchesAnalyticSolution(step_ms: Int64) throws {
        let rc: [(r_ohm: Double, c_F: Double)] = [(0.005, 2000), (0.002, 50)]
        var pack = BatteryPack(definition: idealPack(theveninChemistry(rc: rc), soc: 0.8), seed: 1)
        pack.command(.closed)
        let ocv = pack.definition.chemistry.ocv
        let i = 20.0
        var t_ms: Int64 = 0
        while t_ms < 180_000 {
            pack.step(current: i, duration_ms: step_ms)
            t_ms += step_ms
            let t = Double(t_ms) / 1000
            let soc = 0.8 - i * t / (3600 * 38)
            var expected = ocv.voltage(atSoC: soc) - i * 0.010
            for e in rc { expected -= i * e.r_ohm * (1 - PlantMath.exp(-t / (e.r_ohm * e.c_F))) }
            try #require(abs(pack.terminalVoltage_V - expected) < 1e-9, "t = \(t) s")
            // 180,000 additions of a 1 ms step: rounding alone reaches about 2e-11.
            try #require(abs(pack.cellSoC[0] - soc) < 1e-10)
        }
    }

    /// Charge conservation across parallel strings: every cell's charge change equals its string's
    /// integrated current, and the strings add up to the pack current.
    @Test func chargeIsConservedAcrossParallelStrings() {
        var d = PackDefinition.zebra48V(initialSoC: 0.7)
        d.sensors = .ideal
        d.degradationEnabled = false  // capacity fade would change the capacity under the count
        var pack = BatteryPack(definition: d, seed: 5)
        pack.command(.closed)
        pack.step(current: 0, duration_ms: 100)  // let the link meet the pack first
        let soc0 = pack.cellSoC
        var stringCharge = [Double](repeating: 0, count: 4)
        var packCharge = 0.0
        for k in 0..<2000 {
            let i = k % 3 == 0 ? 60.0 : -25.0
            pack.step(current: i, duration_ms: 500)
            packCharge += pack.current_A * 0.5 / 3600
            for s in 0..<4 { stringCharge[s] += pack.stringCurrent_A[s] * 0.5 / 3600 }
        }
        #expect(abs(stringCharge.reduce(0, +) - packCharge) < 1e-9)
        for i in 0..<80 {
            let removed = (soc0[i] - pack.cellSoC[i]) * pack.cellCapacity_Ah(i)
            #expect(abs(removed - stringCharge[i / 20]) < 1e-9)
        }
    }

    /// Parallel strings share current in inverse proportion to their step resistances.
    @Test func parallelStringsSplitCurrentByConductance() {
        var d = idealPack(theveninChemistry(), strings: 2, cells: 10, soc: 0.5)
        d.spread.resistance = 0.2
        var pack = BatteryPack(definition: d, seed: 11)
        pack.command(.closed)
        pack.step(current: 0, duration_ms: 100)
        let dt = 1.0
        let a = PlantMath.exp(-dt / (0.005 * 2000))
        var g = [Double](repeating: 0, count: 2)
        for s in 0..<2 {
            let r = (s * 10..<(s + 1) * 10).reduce(0.0) { $0 + pack.cellResistanceScale[$1] * (0.010 + (1 - a) * 0.005) }
            g[s] = 1 / r
        }
        pack.step(current: 40, duration_ms: 1000)
        #expect(abs(pack.stringCurrent_A[0] - 40 * g[0] / (g[0] + g[1])) < 1e-9)
        #expect(abs(pack.stringCurrent_A[0] + pack.stringCurrent_A[1] - 40) < 1e-9)
        #expect(pack.stringCurrent_A[0] != pack.stringCurrent_A[1], "the spread made the strings differ")
    }

    /// REFERENCE: a ZEBRA cell fails short (about 0 V, 0 ohm) and its string keeps running one
    /// cell down: the string voltage falls by that cell's OCV.
    @Test func shortedZebraCellLowersStringVoltageByOneCellOCV() {
        var pack = BatteryPack(definition: idealZebra(cells: 20), seed: 2)
        pack.command(.closed)
        pack.step(current: 0, duration_ms: 100)
        let before = pack.terminalVoltage_V
        let cellOCV = pack.cellVoltage_V[7]
        pack.inject([PlantFault(.cellShort(cell: 7, resistance_ohm: nil), at_ms: 100)])
        pack.step(current: 0, duration_ms: 100)
        #expect(pack.cellFailure[7] == .failedShort)
        #expect(abs(pack.cellVoltage_V[7]) < 1e-9)
        #expect(abs((before - pack.terminalVoltage_V) - cellOCV) < 1e-6)
        // The string still carries current through the failed cell.
        pack.step(current: 30, duration_ms: 1000)
        #expect(pack.current_A == 30)
        #expect(abs(pack.cellVoltage_V[7] - 30 * pack.definition.electrics.failedShortResistance_ohm) < 1e-12)
        #expect(pack.events.contains { $0.kind == .cellShorted && $0.index == 7 })
    }

    /// A shorted cell shifts the share: at rest the healthy strings charge the one a cell down.
    @Test func shortedCellShiftsTheParallelShare() {
        var d = PackDefinition.zebra48V(initialSoC: 0.6)
        d.spread = .none
        d.sensors = .ideal
        var pack = BatteryPack(definition: d, seed: 3)
        pack.command(.closed)
        pack.step(current: 0, duration_ms: 1000)
        pack.inject([PlantFault(.cellShort(cell: 3, resistance_ohm: nil), at_ms: 0)])
        pack.step(current: 0, duration_ms: 1000)
        #expect(pack.stringCurrent_A[0] < -1, "string 0 (one cell down) is charged by the others")
        for s in 1..<4 { #expect(pack.stringCurrent_A[s] > 0) }
        #expect(abs(pack.stringCurrent_A.reduce(0, +)) < 1e-9)
    }

    @Test func prechargeChargesTheLinkThenClosingIsQuiet() {
        var d = idealZebra(cells: 20)
        d.electrics = .standard
        var pack = BatteryPack(definition: d, seed: 1)
        let e = pack.definition.electrics
        let tau = e.prechargeResistance_ohm * e.linkCapacitance_F
        pack.command(.precharge)
        pack.step(current: 99, duration_ms: 100)
        #expect(pack.current_A > 0, "the link charge flows, not the load request")
        let expected = pack.terminalVoltage_V * (1 - PlantMath.exp(-0.1 / tau))
        #expect(abs(pack.contactors.linkVoltage_V - expected) < 0.01 * expected)
        for _ in 0..<10 { pack.step(current: 0, duration_ms: 100) }
        pack.command(.closed)
        pack.step(current: 5, duration_ms: 100)
        #expect(!pack.events.contains { $0.kind == .inrush })
        #expect(pack.current_A == 5)
    }

    @Test func closingOntoAnEmptyLinkRecordsInrushAndOpeningUnderLoadIsRecorded() {
        var d = idealZebra(cells: 20)
        d.electrics = .standard
        var pack = BatteryPack(definition: d, seed: 1)
        pack.command(.closed)
        pack.step(current: 10, duration_ms: 100)
        let inrush = pack.events.first { $0.kind == .inrush }
        #expect(inrush != nil && inrush!.value > 100, "51 V into an empty link")
        pack.command(.open)
        #expect(pack.events.contains { $0.kind == .openedUnderLoad })
        pack.step(current: 10, duration_ms: 100)
        #expect(pack.current_A == 0)
    }

    @Test func weldedContactorsStayClosed() {
        var pack = BatteryPack(definition: idealZebra(cells: 20), seed: 1)
        pack.command(.closed)
        pack.inject([PlantFault(.contactorWeld, at_ms: 0)])
        pack.step(current: 0, duration_ms: 100)
        pack.command(.open)
        #expect(pack.contactors.isConnected)
        pack.step(current: 4, duration_ms: 100)
        #expect(pack.current_A == 4)
    }

    @Test func balancingBleedsOneCell() {
        var pack = BatteryPack(definition: idealZebra(cells: 4, soc: 0.5), seed: 1)
        pack.balancing[2] = true
        for _ in 0..<3600 { pack.step(current: 0, duration_ms: 1000) }
        let bleed_Ah = 2.58 / pack.definition.electrics.balancingResistance_ohm  // about 86 mA for 1 h
        #expect(abs((0.5 - pack.cellSoC[2]) * 38 - bleed_Ah) < 0.01 * bleed_Ah)
        #expect(pack.cellSoC[1] == 0.5)
        #expect(pack.energy.balancing_Wh > 0.2)
    }

    @Test func theveninCellIsExactCoulombCounting() {
        var pack = BatteryPack(definition: idealPack(theveninChemistry(), soc: 0.8), seed: 1)
        pack.command(.closed)
        var charge = 0.0
        for k in 0..<7200 {
            pack.step(current: 10 * PlantMath.cos(Double(k) / 100), duration_ms: 1000)
            charge += pack.current_A / 3600
        }
        #expect(abs(pack.stateOfCharge - (0.8 - charge / 38)) < 1e-12)
        #expect(pack.moduleTemperature_C[0] == 25, "isothermal")
    }
}
