import Testing

@testable import BatteryPlant

@Suite("Chemistry presets and temperature laws")
struct ChemistryTests {
    /// Inside the table: linear interpolation. Outside: the end segments continue (a cell driven
    /// past its table keeps leaving its plateau; nothing clamps it).
    @Test func ocvInterpolatesAndExtrapolatesAlongItsEnds() throws {
        let ocv = try OCVCurve(soc: [0, 0.5, 1], voltage_V: [2.0, 2.5, 2.6], resistanceFactor: [3, 1, 2])
        #expect(abs(ocv.voltage(atSoC: 0.25) - 2.25) < 1e-12)
        #expect(abs(ocv.voltage(atSoC: 0.75) - 2.55) < 1e-12)
        #expect(abs(ocv.voltage(atSoC: -0.1) - 1.9) < 1e-12)
        #expect(abs(ocv.voltage(atSoC: 1.2) - 2.64) < 1e-12)
        #expect(abs(ocv.resistanceFactor(atSoC: 0.75) - 1.5) < 1e-12)
        #expect(abs(ocv.resistanceFactor(atSoC: 1.1) - 2.2) < 1e-12, "rising outwards: keeps rising")
        #expect(abs(ocv.resistanceFactor(atSoC: -0.1) - 3.4) < 1e-12)
        let falling = try OCVCurve(soc: [0, 1], voltage_V: [2, 3], resistanceFactor: [1, 0.5])
        #expect(falling.resistanceFactor(atSoC: 2) == 0.5, "falling outwards: held at its end value")
        #expect(try OCVCurve(soc: [0, 1], voltage_V: [2, 3]).resistanceFactor(atSoC: 0.3) == 1)
        #expect(throws: OCVCurve.Problem.notIncreasing(index: 2)) {
            _ = try OCVCurve(soc: [0, 0.5, 0.5], voltage_V: [1, 2, 3])
        }
        #expect(throws: OCVCurve.Problem.resistanceFactorNotPositive(index: 1)) {
            _ = try OCVCurve(soc: [0, 1], voltage_V: [1, 2], resistanceFactor: [1, 0])
        }
        // Impossible physics: a falling or negative OCV was accepted, and a negative one made the
        // plant's energy NaN.
        #expect(throws: OCVCurve.Problem.voltageDecreasing(index: 1)) { _ = try OCVCurve(soc: [0, 0.5, 1], voltage_V: [3, 2.9, 3.2]) }
        #expect(throws: OCVCurve.Problem.voltageNotPhysical(index: 0)) { _ = try OCVCurve(soc: [0, 1], voltage_V: [-2, -1]) }
        #expect(throws: OCVCurve.Problem.voltageNotPhysical(index: 1)) { _ = try OCVCurve(soc: [0, 1], voltage_V: [2, 1e308]) }
    }

    /// The plant's cached-segment form of the table gives the table's values: its break points,
    /// and the mean of two neighbours half-way between them.
    @Test func segmentFormMatchesTheTable() {
        for preset in ChemistryPreset.allCases {
            let ocv = preset.chemistry.ocv
            func at(_ x: Double) -> (v: Double, f: Double) {
                let s = ocv.segment(containing: x)
                #expect(x >= s.low && x < s.high)
                return (s.intercept + s.slope * x, s.factorIntercept + s.factorSlope * x)
            }
            for i in ocv.soc.indices {
                #expect(abs(at(ocv.soc[i]).v - ocv.voltage_V[i]) < 1e-12)
                #expect(abs(at(ocv.soc[i]).f - ocv.resistanceFactor[i]) < 1e-12)
                guard i > 0 else { continue }
                let mid = at((ocv.soc[i] + ocv.soc[i - 1]) / 2)
                #expect(abs(mid.v - (ocv.voltage_V[i] + ocv.voltage_V[i - 1]) / 2) < 1e-12)
                #expect(abs(mid.f - (ocv.resistanceFactor[i] + ocv.resistanceFactor[i - 1]) / 2) < 1e-12)
            }
        }
    }

    @Test func ocvShapesMatchTheReference() {
        let zebra = CellChemistry.naNiCl2.ocv
        for soc in stride(from: 0.15, through: 0.9, by: 0.05) { #expect(abs(zebra.voltage(atSoC: soc) - 2.58) < 0.006) }
        #expect(abs(zebra.voltage(atSoC: 0.05) - 2.35) < 0.02, "Fe step near the end of discharge")
        let nas = CellChemistry.naS.ocv
        for soc in stride(from: 0.4, through: 0.95, by: 0.05) { #expect(abs(nas.voltage(atSoC: soc) - 2.076) < 1e-9) }
        #expect(abs(nas.voltage(atSoC: 0) - 1.78) < 1e-12, "sloped single-phase region below 40 % SoC")
        #expect(abs(CellChemistry.nasicon.ocv.voltage(atSoC: 0.5) - 3.4) < 0.02, "NVP plateau about 3.4 V")
    }

    @Test(arguments: ChemistryPreset.allCases)
    func presetsAreConsistent(preset: ChemistryPreset) {
        let c = preset.chemistry
        #expect(c.name == preset.rawValue)
        #expect(c.elements.count <= ImpedanceElement.maxElements)
        let mid = (c.limits.minimumTemperature_C + c.limits.maximumTemperature_C) / 2
        let z = c.impedance(temperature_C: mid, soc: 1)
        #expect(z.dc_ohm > 0 && z.dc_ohm.isFinite)
        // Every preset is colder = more resistive.
        #expect(c.impedance(temperature_C: mid - 20, soc: 1).dc_ohm > z.dc_ohm)
    }

    /// ln R against 1/T is a line of slope Ea / kB, for an Arrhenius resistance and for a layer whose
    /// conductivity follows Arrhenius (bulk beta''-alumina, Ea 0.15 eV).
    @Test func arrheniusSlopeRecoversActivationEnergy() {
        let temperatures = [270.0, 290, 310, 330, 350]
        let inverseT = temperatures.map { 1 / ($0 + kelvinOffset) }
        let laws: [(ResistanceLaw, Double)] = [
            (.arrhenius(reference_ohm: 0.004, referenceTemperature_C: 300, activationEnergy_eV: 0.27), 0.27),
            (.layer(BetaAlumina.bulk, thickness_cm: 0.2, area_cm2: 200), 0.15),
            (.layer(BetaAlumina.grainBoundary, thickness_cm: 0.2, area_cm2: 200), 0.32),
        ]
        for (law, ea) in laws {
            let lnR = temperatures.map { PlantMath.log(law.resistance_ohm(temperature_C: $0)) }
            #expect(abs(slope(inverseT, lnR) * boltzmannEV - ea) < 1e-9)
        }
    }

    @Test func betaAluminaMatchesTheLiteratureWindow() {
        func total(_ t: Double) -> Double {
            let k = t + kelvinOffset
            let rho = 1 / BetaAlumina.bulk.conductivity_S_per_cm(temperature_K: k) + 1 / BetaAlumina.grainBoundary.conductivity_S_per_cm(temperature_K: k)
            return 1 / rho
        }
        #expect(total(300) > 0.2 && total(300) < 0.4, "0.2-0.4 S/cm at 300 C")
        #expect(abs(total(25) - 2e-3) < 1e-3, "about 2e-3 S/cm at 25 C")
    }

    /// VTF (review eq. 2): ln(sigma sqrt(T)) against 1/(T - T0) has slope -B; 1e-3 S/cm at 80 C.
    @Test func vtfRecoversPseudoActivationAndMagnitude() {
        let law = ConductivityLaw.vtf(a_S_K05_per_cm: 30, b_K: 1200, t0_K: 190)
        let ts = [333.15, 343.15, 353.15, 363.15]
        let x = ts.map { 1 / ($0 - 190) }
        let y = ts.map { PlantMath.log(law.conductivity_S_per_cm(temperature_K: $0) * $0.squareRoot()) }
        #expect(abs(slope(x, y) + 1200) < 1e-6)
        #expect(abs(law.conductivity_S_per_cm(temperature_K: 353.15) - 1e-3) < 0.05e-3)
    }

    @Test func zebraResistanceRisesWithDepthOfDischarge() {
        let c = CellChemistry.naNiCl2
        let fresh = c.impedance(temperature_C: 300, soc: 1).dc_ohm
        let deep = c.impedance(temperature_C: 300, soc: 0.2).dc_ohm
        #expect(fresh > 0.008 && fresh < 0.010, "8-10 mOhm fresh")
        #expect(deep / fresh > 2.7 && deep / fresh < 3.3, "about 3x by 80 % DoD")
    }

    @Test func frozenZebraIsExtremelyResistive() {
        let c = CellChemistry.naNiCl2
        #expect(c.impedance(temperature_C: 140, soc: 0.5).dc_ohm > 1000 * c.impedance(temperature_C: 280, soc: 0.5).dc_ohm)
    }
}
