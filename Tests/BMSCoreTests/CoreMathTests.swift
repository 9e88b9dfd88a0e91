import Foundation
import Testing

@testable import BMSCore
import BMSCoreTestSupport

/// The firmware's own elementary functions (no libm on the target) against the host's.
@Suite("Core math")
struct CoreMathTests {
    /// ln x within 1e-6 relative (1e-7 absolute near 1) over normal and subnormal floats, and the
    /// edge cases defined: NaN below 0 and for NaN, -inf at 0, +inf at +inf.
    @Test func logMatchesTheHostsWithinAMillionth() {
        var x: Float = 1e-44
        while x < 3e38 {
            let expected = Foundation.log(Double(x))
            let got = Double(CoreMath.log(x))
            #expect(abs(got - expected) <= max(1e-6 * abs(expected), 1e-7), "ln \(x): \(got) against \(expected)")
            x *= 1.37
        }
        for x: Float in [1, 0.999_999_9, 1.000_001, 1.414_213_5, 1.414_213_7, 2, 0.5] {
            #expect(abs(Double(CoreMath.log(x)) - Foundation.log(Double(x))) < 1e-7, "ln \(x)")
        }
        #expect(CoreMath.log(-1).isNaN)
        #expect(CoreMath.log(.nan).isNaN)
        #expect(CoreMath.log(0) == -.infinity)
        #expect(CoreMath.log(.infinity) == .infinity)
    }

    /// asinh(x) / x: 1 at 0, even, within 1e-6 of the host's over eighteen decades, 0 at infinity.
    @Test func asinhRatioMatchesTheHosts() {
        #expect(CoreMath.asinhRatio(0) == 1)
        var x: Float = 1e-6
        while x < 1e20 {
            let expected = Foundation.asinh(Double(x)) / Double(x)
            #expect(abs(Double(CoreMath.asinhRatio(x)) / expected - 1) < 1e-6, "\(x)")
            #expect(CoreMath.asinhRatio(-x) == CoreMath.asinhRatio(x))
            x *= 1.9
        }
        #expect(CoreMath.asinhRatio(.infinity) == 0)
        #expect(CoreMath.asinhRatio(.nan).isNaN)
    }

    /// The polarisation element's resistance: linear without an exchange current; with one, the
    /// small-signal value at no current, falling with the current in either direction as
    /// asinh(x) / x, and its exchange current following the temperature (V_T / R).
    @Test func polarisationResistanceFollowsButlerVolmer() {
        var model = CellModel.nasicon
        model.polarisationExchangeCurrent = nil
        let t = model.resistanceReference
        #expect(model.polarisationResistance(carrying: Amperes(10), temperature: t, factor: 1) == model.polarisationResistance)
        model.polarisationExchangeCurrent = Amperes(5)
        let r0 = model.polarisationResistance.value
        #expect(model.polarisationResistance(carrying: .zero, temperature: t, factor: 1).value == r0)
        let at10 = model.polarisationResistance(carrying: Amperes(10), temperature: t, factor: 1).value
        #expect(abs(Double(at10 / r0) - Foundation.asinh(1) / 1) < 1e-5)
        #expect(model.polarisationResistance(carrying: Amperes(-10), temperature: t, factor: 1) == Ohms(at10))
        // Twice the resistance (colder): half the exchange current, so the same current is
        // twice as far into the non-linear range (less the ratio of absolute temperatures).
        let colder = Celsius(t.value - 10)
        let ratio = colder.kelvin / t.kelvin
        let x = 10 / (2 * 5 * ratio / 2)
        let cold = model.polarisationResistance(carrying: Amperes(10), temperature: colder, factor: 2).value
        #expect(abs(Double(cold / (2 * r0)) - Foundation.asinh(Double(x)) / Double(x)) < 1e-5)
        #expect(model.polarisationResistance(carrying: Amperes(.nan), temperature: t, factor: 1).value == r0)
    }

    /// Phi(x) within 2e-5 of the host's erfc over +-8 (Abramowitz and Stegun 7.1.25's 1.1e-5 in
    /// Float), 0 and 1 far out, NaN for NaN.
    @Test func normalCDFMatchesTheHosts() {
        var x: Float = -8
        while x <= 8 {
            let expected = 0.5 * Foundation.erfc(-Double(x) / 2.0.squareRoot())
            #expect(abs(Double(CoreMath.normalCDF(x)) - expected) < 2e-5, "Phi(\(x))")
            x += 0.01
        }
        #expect(CoreMath.normalCDF(-40) == 0)
        #expect(CoreMath.normalCDF(40) == 1)
        #expect(CoreMath.normalCDF(.nan).isNaN)
    }

    /// The largest of 20 standard normals has mean 1.8675 and sigma 0.525 (order statistics);
    /// Clark's approximation cell by cell gives 1.860 and 0.477. A cell known to stand far
    /// above the others is the largest, with its own variance; without variance the larger mean.
    @Test func largerOfNormalsGivesTheLargestOfMany() {
        var largest = (mean: Float(0), variance: Float(1))
        for _ in 1..<20 { largest = CoreMath.largerOfNormals(largest, (0, 1)) }
        #expect(abs(largest.mean - 1.8675) < 0.02, "mean \(largest.mean)")
        #expect(abs(largest.variance.squareRoot() - 0.525) < 0.06, "sigma \(largest.variance.squareRoot())")
        var known = (mean: Float(0.05), variance: Float(1e-6))
        for _ in 1..<20 { known = CoreMath.largerOfNormals(known, (0, 1e-4)) }
        #expect(abs(known.mean - 0.05) < 1e-4, "mean \(known.mean)")
        #expect(known.variance < 2e-6, "variance \(known.variance)")
        let exact = CoreMath.largerOfNormals((0.01, 0), (0.02, 0))
        #expect(exact.mean == 0.02 && exact.variance == 0)
    }
}
