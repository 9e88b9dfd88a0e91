import Testing

@testable import BatteryPlant

/// Cells the firmware does not know: seeded per-cell truth drawn from documented distributions,
/// an ageing state, and a self-discharge that depends on SoC and temperature.
@Suite("Cell populations")
struct PopulationTests {
    static func pack(_ chemistry: CellChemistry, spread: CellSpread, cells: Int = 200, ageing: AgeingState = .new, seed: UInt64 = 3) -> BatteryPack {
        var d = idealPack(chemistry, cells: cells, soc: 0.6, temperature_C: 30)
        d.spread = spread
        d.ageing = ageing
        return BatteryPack(definition: d, seed: seed)
    }

    /// The production spread gives every RC element of every cell its own factor, an OCV offset
    /// within 3 sigma, and Weibull interfacial limits with median 1 and a weakest cell well
    /// below it; the draws `typical` already made (capacity, common resistance, initial SoC) are
    /// the same for a seed, so adding the new ones moved no existing cell.
    @Test func theProductionSpreadDrawsEachPropertyAndKeepsTheEarlierDraws() {
        let typical = Self.pack(.nasicon, spread: .typical)
        let production = Self.pack(.nasicon, spread: .production)
        #expect(typical.cellInitialCapacity_Ah == production.cellInitialCapacity_Ah)
        #expect(typical.cellResistanceScale == production.cellResistanceScale)
        #expect(typical.cellSoC == production.cellSoC)
        let cells = (0..<200).map { production.cell($0) }
        let chargeTransfer = cells.map { $0.elementScales[3] }
        let grainBoundary = cells.map { $0.elementScales[0] }
        #expect(chargeTransfer != grainBoundary, "each element draws its own factor")
        let sd = standardDeviation(chargeTransfer)
        #expect(sd > 0.04 && sd < 0.06, "5 % per element: \(sd)")
        let offsets = cells.map(\.ocvOffset_V)
        #expect(offsets.allSatisfy { abs($0) <= 0.003 + 1e-12 })
        #expect(standardDeviation(offsets) > 0.0008 && standardDeviation(offsets) < 0.0012)
        let ccd = cells.map(\.criticalCurrentFactor).sorted()
        #expect(abs(ccd[100] - 1) < 0.05, "median 1: \(ccd[100])")
        #expect(ccd[0] < 0.8, "a weakest cell emerges: \(ccd[0])")
        #expect(Set(cells.map(\.strippingFactor)).count == 200)
        #expect(typical.cell(0).criticalCurrentFactor == 1, "no Weibull spread in `typical`")
    }

    /// A cell's OCV offset shows at its terminals at rest.
    @Test func anOCVOffsetShowsAtRest() {
        let pack = Self.pack(.nasicon, spread: .production, cells: 20)
        for i in 0..<20 {
            let cell = pack.cell(i)
            let expected = CellChemistry.nasicon.openCircuitVoltage(soc: cell.soc, temperature_C: 30) + cell.ocvOffset_V + cell.hysteresisVoltage_V
            #expect(abs(pack.cellVoltage_V[i] - expected) < 1e-9)
        }
    }

    /// The weakest cell is the one that shorts: under a plating current above the CCD, the cell
    /// with the smallest critical-current factor carries the highest short hazard.
    @Test func theWeakestCellCarriesTheHighestShortHazard() {
        var d = idealPack(.nasicon, cells: 24, soc: 0.3, temperature_C: 30, degradation: true)
        d.spread = .production
        var pack = BatteryPack(definition: d, seed: 9)
        pack.command(.closed)
        pack.step(current: -10, duration_ms: 100)
        let hazards = pack.cellShortHazard_per_h
        let weakest = (0..<24).min { pack.cell($0).criticalCurrentFactor < pack.cell($1).criticalCurrentFactor }!
        let mostAtRisk = (0..<24).max { hazards[$0] < hazards[$1] }!
        #expect(mostAtRisk == weakest)
        #expect(hazards[weakest] > 0)
    }

    /// Self-discharge is electronic leakage through the electrolyte: it scales with the OCV and
    /// with temperature by its activation energy.
    @Test func selfDischargeFollowsTemperatureAndOCV() {
        func loss(temperature_C: Double, soc: Double) -> Double {
            var d = idealPack(.nasicon, cells: 1, soc: soc, temperature_C: temperature_C)
            d.spread = .none
            d.initialHysteresis = 0  // the table's OCV (the law under test scales with the OCV)
            var pack = BatteryPack(definition: d, seed: 1)
            for _ in 0..<240 { pack.step(current: 0, duration_ms: 3_600_000) }
            return soc - pack.cell(0).soc
        }
        let chemistry = CellChemistry.nasicon
        let cool = loss(temperature_C: 25, soc: 0.6)
        #expect(abs(cool - 10 * chemistry.selfDischarge_per_day * chemistry.ocv.voltage(atSoC: 0.6) / chemistry.ocv.voltage(atSoC: 0.5)) < 1e-6)
        let warm = loss(temperature_C: 45, soc: 0.6)
        let arrhenius = PlantMath.exp(chemistry.selfDischargeActivationEnergy_eV / boltzmannEV * (1 / 298.15 - 1 / 318.15))
        #expect(abs(warm / cool - arrhenius) < 0.01 * arrhenius)
        let empty = loss(temperature_C: 25, soc: 0.02)
        #expect(empty < cool, "less leakage at a lower OCV")
    }

    /// An aged pack starts with its capacity faded cell by cell and, where the chemistry grows
    /// one, an interphase.
    @Test func ageingFadesCapacityAndGrowsTheInterphase() {
        let new = Self.pack(.sulfide, spread: .production)
        let mid = Self.pack(.sulfide, spread: .production, ageing: .midLife)
        let end = Self.pack(.sulfide, spread: .production, ageing: .endOfLife)
        func meanFade(_ p: BatteryPack) -> Double {
            zip(p.cellInitialCapacity_Ah, new.cellInitialCapacity_Ah).reduce(0) { $0 + (1 - $1.0 / $1.1) } / 200
        }
        #expect(abs(meanFade(mid) - 0.10) < 0.005)
        #expect(abs(meanFade(end) - 0.20) < 0.01)
        let fades = zip(end.cellInitialCapacity_Ah, new.cellInitialCapacity_Ah).map { 1 - $0 / $1 }
        #expect(standardDeviation(fades) > 0.03 && standardDeviation(fades) < 0.05, "a fifth of 20 %")
        #expect(new.cellInterphaseThickness_cm.allSatisfy { $0 == 0 })
        let grown = end.cellInterphaseThickness_cm
        let k = CellChemistry.sulfide.degradation!.interphaseRate(temperature_C: 25)
        let expected = (2 * k * 15 * 365.25 * 86_400).squareRoot()
        for i in 0..<200 {
            #expect(abs(grown[i] - expected * end.cell(i).interphaseRateFactor.squareRoot()) < 1e-9 * expected)
        }
        #expect(end.impedance(ofCell: 0).dc_ohm > new.impedance(ofCell: 0).dc_ohm)
    }
}

func standardDeviation(_ x: [Double]) -> Double {
    let mean = x.reduce(0, +) / Double(x.count)
    return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)).squareRoot()
}
