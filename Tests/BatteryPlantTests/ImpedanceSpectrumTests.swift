import Testing

@testable import BatteryPlant

@Suite("Impedance spectrum")
struct ImpedanceSpectrumTests {
    /// A fresh NASICON cell: the high-frequency intercept is the bulk resistance, the DC limit is
    /// bulk plus every element, and each semicircle's height is half its element's resistance.
    @Test func interceptAndSemicirclesMatchTheElements() {
        let z = CellChemistry.nasicon.impedance(temperature_C: 25, soc: 0.5, interphaseThickness_cm: 1e-5)
        let hf = z.impedance(atFrequency: 1e18)
        #expect(abs(hf.real - z.bulk_ohm) < 1e-6 * z.bulk_ohm)
        #expect(abs(hf.imaginary) < 1e-6 * z.bulk_ohm)
        let dc = z.impedance(atFrequency: 1e-9)
        #expect(abs(dc.real - z.dc_ohm) < 1e-6 * z.dc_ohm)

        #expect(z.elements.map(\.kind) == [.grainBoundary, .interphase, .interface, .chargeTransfer])
    }

    /// Well-separated arcs: each apex, at w = 1 / tau, has -Im = R/2 (the semicircle's radius), and
    /// between arcs the real part has climbed by exactly the arcs passed.
    @Test func semicircleDiametersAreElementResistances() {
        let c = theveninChemistry(rc: [(0.002, 1e-6), (0.003, 1e-2), (0.005, 100)])
        let z = c.impedance(temperature_C: 25, soc: 0.5)
        var passed = z.series_ohm
        for e in z.elements {
            let apex = z.impedance(atFrequency: 1 / (2 * Double.pi * e.timeConstant_s))
            #expect(abs(-apex.imaginary - e.resistance_ohm / 2) < 0.002 * e.resistance_ohm)
            #expect(abs(apex.real - (passed + e.resistance_ohm / 2)) < 0.002 * e.resistance_ohm)
            let below = z.impedance(atFrequency: 1 / (2 * Double.pi * e.timeConstant_s) / 1000)
            passed += e.resistance_ohm
            #expect(abs(below.real - passed) < 0.01 * e.resistance_ohm)
        }
    }

    @Test func spectrumOfAPackCellFollowsItsState() {
        var pack = BatteryPack(definition: idealPack(.nasicon, cells: 2, degradation: true), seed: 1)
        let before = pack.impedance(ofCell: 0)
        pack.cellContactFraction[0] = 0.5
        let after = pack.impedance(ofCell: 0)
        let interface = { (z: CellImpedance) in z.elements.first { $0.kind == .interface }!.resistance_ohm }
        #expect(abs(interface(after) / interface(before) - 2) < 1e-12, "R_interface scales as 1 / contact")
        #expect(after.bulk_ohm == before.bulk_ohm)
        let frequencies = CellImpedance.logFrequencies(from: 1e6, to: 1e-3, perDecade: 5)
        #expect(frequencies.count == 46)
        #expect(abs(frequencies.last! - 1e-3) < 1e-12)
        #expect(after.spectrum(frequencies).count == 46)
    }

    /// A measured spectrum's arcs are depressed: a constant-phase arc of exponent n peaks at
    /// w tau = 1 with -Im = (R/2) tan(n pi/4), below the ideal R/2, with the same DC resistance.
    @Test func arcsAreDepressedLikeMeasuredOnes() {
        let element = CellImpedance.Element(kind: .chargeTransfer, resistance_ohm: 0.006, timeConstant_s: 12, dispersion: 0.8)
        let z = CellImpedance(bulk_ohm: 0.001, reactionFront_ohm: 0, elements: [element])
        let apex = z.impedance(atFrequency: 1 / (2 * Double.pi * 12))
        #expect(abs(-apex.imaginary - 0.003 * PlantMath.tan(0.8 * Double.pi / 4)) < 1e-12)
        #expect(-apex.imaginary < 0.0029)
        #expect(abs(z.impedance(atFrequency: 1e-9).real - 0.007) < 1e-6)
        #expect(abs(z.impedance(atFrequency: 1e12).real - 0.001) < 1e-6)
        let nasicon = CellChemistry.nasicon.impedance(temperature_C: 25, soc: 0.5)
        #expect(nasicon.elements.map(\.dispersion) == [0.9, 0.9, 0.85, 0.5])
        #expect(nasicon.elements.map(\.shape) == [.arc, .arc, .arc, .warburg], "the slow cathode process is transport")
    }

    /// Transport is drawn as a finite-length Warburg: a 45-degree line at high frequencies whose
    /// size falls as 1 / sqrt(f), closing onto its resistance at DC; at low frequencies
    /// -Im = R w tau_D / 3 with tau_D = tau pi^2 / 4, which pins the element's time constant to its
    /// slowest mode (the one the time-domain step integrates).
    @Test func transportIsAFiniteLengthWarburg() {
        let r = 0.006
        let tau = 12.0
        let element = CellImpedance.Element(kind: .chargeTransfer, resistance_ohm: r, timeConstant_s: tau, dispersion: 0.5, shape: .warburg)
        let z = CellImpedance(bulk_ohm: 0.001, reactionFront_ohm: 0, elements: [element])
        let f = 100 / (2 * Double.pi * tau)
        let high = z.impedance(atFrequency: f)
        let higher = z.impedance(atFrequency: 10 * f)
        #expect(abs((high.real - 0.001) / -high.imaginary - 1) < 1e-9, "45 degrees")
        #expect(abs(-high.imaginary / -higher.imaginary - 10.0.squareRoot()) < 1e-6, "1 / sqrt(f)")
        #expect(abs(z.impedance(atFrequency: 1e-9).real - (0.001 + r)) < 1e-9)
        let w = 1e-3 / tau
        let low = z.impedance(atFrequency: w / (2 * Double.pi))
        #expect(abs(-low.imaginary / (r * w * tau * Double.pi * Double.pi / 12) - 1) < 1e-4, "\(low.imaginary)")
        // Between the limits it is the arc of no RC: at w tau = 1 an RC's -Im is R / 2.
        let mid = z.impedance(atFrequency: 1 / (2 * Double.pi * tau))
        #expect(-mid.imaginary > 0.3 * r && -mid.imaginary < 0.45 * r, "\(mid.imaginary)")
        #expect(abs(mid.real - 0.001 - element.resistance_ohm / 2) > 0.01 * r)
    }

    /// Below the slowest arc the spectrum turns into the cell's intercalation capacitance (its
    /// charge per volt of OCV): a near-vertical line, steeper where the OCV is flatter.
    @Test func lowFrequenciesShowTheIntercalationCapacitance() {
        let slope = CellChemistry.nasicon.impedance(temperature_C: 25, soc: 0.02)
        let plateau = CellChemistry.nasicon.impedance(temperature_C: 25, soc: 0.5)
        #expect(slope.intercalationCapacitance_F < plateau.intercalationCapacitance_F)
        let f = 1e-5
        let z = slope.impedance(atFrequency: f)
        let expected = 1 / (2 * Double.pi * f * slope.intercalationCapacitance_F)
        #expect(-z.imaginary > 0.9 * expected && -z.imaginary < 1.1 * expected + slope.dc_ohm)
        #expect(abs(z.real - slope.dc_ohm) < 0.01 * slope.dc_ohm)
        let c = CellChemistry.nasicon
        #expect(abs(slope.intercalationCapacitance_F - c.capacity_Ah * 3600 / c.ocv.segment(containing: 0.02).slope) < 1e-6)
    }
}
