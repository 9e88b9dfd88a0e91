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
}
