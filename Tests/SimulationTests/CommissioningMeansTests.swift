@testable import CellLab
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

    /// A cell with a reaction front (ZEBRA) gives no whole resistance; no fit at all gives nothing.
    @Test func aFrontOrNoFitGivesLess() throws {
        #expect(Self.means([(Self.fit(), 1)], hasFront: true)?.resistance_ohm == nil)
        #expect(Self.means([(Self.fit(), 1)], hasFront: true)?.interface_ohm != nil)
        #expect(Self.means([nil, nil]) == nil)
        #expect(Self.means([]) == nil)
    }
}
