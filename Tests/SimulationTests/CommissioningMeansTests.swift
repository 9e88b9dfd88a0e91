import BatteryPlant
@testable import CellLab
import Foundation
import Testing

/// The means an impedance test at commissioning reports, from its cells' fits
/// (`Characterisation.commissioningImpedance(readings:...)`): which fits count, and when the whole
/// resistance is withheld (the firmware compares it with its fits of every cell read, so a mean
/// over fewer cells would date its baseline wrongly).
@Suite("Impedance test at commissioning: the means")
struct CommissioningMeansTests {
    /// A fit with a 10 mOhm series part, a grain-boundary arc (1 mOhm, 1 MHz region, inside the
    /// fit's fast band) and an interface arc (2 mOhm at about 160 Hz); `merged` gives the
    /// interface arc the dispersion of two arcs fitted as one, which the lab refuses.
    static func fit(scale: Double = 1, merged: Bool = false) -> ImpedanceFit {
        ImpedanceFit(
            series_ohm: 0.010 * scale,
            arcs: [
                .init(resistance_ohm: 0.001 * scale, timeConstant_s: 1e-7, dispersion: 0.9),
                .init(resistance_ohm: 0.002 * scale, timeConstant_s: 1e-3, dispersion: merged ? Characterisation.mergedArcDispersion - 0.05 : 0.85),
            ],
            relativeRMS: 0.001)
    }

    static func means(_ readings: [(fit: ImpedanceFit, factor: Double)?], hasFront: Bool = false) -> Characterisation.CommissioningImpedance? {
        Characterisation.commissioningImpedance(readings: readings, hasFront: hasFront, electrolyteArcs_Hz: [], fastestTimeConstant_s: 0.01)
    }

    /// Every cell fitted and accepted: the means over all, each brought to the reference
    /// temperature by its own factor.
    @Test func everyCellAcceptedGivesBothMeans() throws {
        let m = try #require(Self.means([(Self.fit(), 1), (Self.fit(scale: 2), 2), (Self.fit(scale: 1.5), 1)]))
        #expect(abs(m.interface_ohm - (0.002 + 0.002 + 0.003) / 3) < 1e-12)
        let whole = try #require(m.resistance_ohm)
        #expect(abs(whole - (0.013 + 0.013 + 0.0195) / 3) < 1e-12, "the series part and both arcs (faster than 10 ms)")
    }

    /// A cell whose spectrum could not be fitted: the interface from the others, no whole
    /// resistance.
    @Test func aCellNotFittedWithholdsTheResistance() throws {
        let m = try #require(Self.means([(Self.fit(), 1), nil, (Self.fit(), 1)]))
        #expect(abs(m.interface_ohm - 0.002) < 1e-12)
        #expect(m.resistance_ohm == nil)
    }

    /// A spectrum the lab refuses (two arcs fitted as one): the interface from the accepted
    /// fits, no whole resistance.
    @Test func aRefusedSpectrumWithholdsTheResistance() throws {
        let m = try #require(Self.means([(Self.fit(), 1), (Self.fit(scale: 3, merged: true), 1), (Self.fit(), 1)]))
        #expect(abs(m.interface_ohm - 0.002) < 1e-12, "the refused fit's interface (6 mOhm) is left out")
        #expect(m.resistance_ohm == nil)
    }

    /// Every spectrum refused: both means over every fit (the best there is: a worn sulfide
    /// string's spectra are all refused), so still over every cell read.
    @Test func everySpectrumRefusedUsesThemAll() throws {
        let m = try #require(Self.means([(Self.fit(merged: true), 1), (Self.fit(scale: 2, merged: true), 1)]))
        #expect(abs(m.interface_ohm - 0.003) < 1e-12)
        let whole = try #require(m.resistance_ohm)
        #expect(abs(whole - 0.0195) < 1e-12)
        #expect(Self.means([(Self.fit(merged: true), 1), nil])?.resistance_ohm == nil, "one cell not fitted")
    }

    /// A grown interphase's arc is brought to the reference by its own law, the other interface
    /// arcs and the whole resistance by the firmware's: the fit's interface arc (about 160 Hz)
    /// matches a law at 160 Hz, read 20 K warm where the layer's resistance is half its
    /// reference value (and its arc twice as fast), not one at 16 kHz.
    @Test func aGrownInterphaseIsBroughtToTheReferenceByItsOwnLaw() throws {
        let reference = 25.0
        let warm = 45.0
        let energy = boltzmannEV * Foundation.log(2) / (1 / (reference + kelvinOffset) - 1 / (warm + kelvinOffset))
        let layer = Characterisation.InterphaseLaw(frequency_Hz: 1 / (2 * Double.pi * 1e-3) / 2, activationEnergy_eV: energy, referenceTemperature_C: reference)
        #expect(abs(layer.factor(temperature_C: warm) - 0.5) < 1e-12)
        let readings: [(fit: ImpedanceFit, factor: Double)?] = [(Self.fit(), 0.8)]
        let m = try #require(Characterisation.commissioningImpedance(
            readings: readings, hasFront: false, electrolyteArcs_Hz: [], fastestTimeConstant_s: 0.01, interphase: (layer, [warm])))
        #expect(abs(m.interface_ohm - 0.002 / 0.5) < 1e-12, "by the layer's law")
        #expect(abs((m.resistance_ohm ?? .nan) - 0.013 / 0.8) < 1e-12, "the whole by the firmware's")
        var elsewhere = layer
        elsewhere.frequency_Hz *= 100
        let other = try #require(Characterisation.commissioningImpedance(
            readings: readings, hasFront: false, electrolyteArcs_Hz: [], fastestTimeConstant_s: 0.01, interphase: (elsewhere, [warm])))
        #expect(abs(other.interface_ohm - 0.002 / 0.8) < 1e-12, "another layer's law leaves the arc to the firmware's")
    }

    /// A cell with a reaction front (ZEBRA) gives no whole resistance; no fit at all gives nothing.
    @Test func aFrontOrNoFitGivesLess() throws {
        #expect(Self.means([(Self.fit(), 1)], hasFront: true)?.resistance_ohm == nil)
        #expect(Self.means([(Self.fit(), 1)], hasFront: true)?.interface_ohm != nil)
        #expect(Self.means([nil, nil]) == nil)
        #expect(Self.means([]) == nil)
    }
}
