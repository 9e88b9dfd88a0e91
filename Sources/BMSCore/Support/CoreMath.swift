/// Elementary functions written in Swift, so the firmware gives bit-identical results on the host
/// and on the Cortex-M4F (Embedded Swift has no libm in scope).
public enum CoreMath {
    /// e^x for Float, relative error below 3e-7 over the whole range; 0 below -87.3, +inf above 88.7.
    @inlinable
    public static func exp(_ x: Float) -> Float {
        if x.isNaN { return x }
        if x < -87.3 { return 0 }
        if x > 88.7 { return .infinity }
        // x = n ln2 + r with |r| <= ln2 / 2; ln2 split in two parts for an exact reduction.
        let n = (x * 1.442_695_04).rounded()
        let r = (x - n * 0.693_145_75) - n * 1.428_606_8e-6
        // e^r by a degree-6 Taylor polynomial (|r| <= 0.347: truncation < 2e-8).
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // Scale by 2^n through the exponent bits, in two halves so that n = -126 ... 128 stays in the
        // normal range of each factor (the product may be subnormal or the largest floats).
        let k = Int32(n)
        let half = k / 2
        return p * twoToThe(half) * twoToThe(k - half)
    }

    /// ln x for Float, relative error below 1e-6 for positive x; NaN below 0, -inf at 0.
    @inlinable
    public static func log(_ x: Float) -> Float {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return x }
        // x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(s), s = (m - 1) / (m + 1).
        var y = x
        var e = 0  // Int: Float(Int32) allocates in Embedded mode
        if !y.isNormal {
            y *= 8_388_608  // 2^23: subnormals into the normal range
            e = -23
        }
        let bits = y.bitPattern
        e += Int(truncatingIfNeeded: (bits >> 23) & 0xFF) - 127
        var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)
        if m > 1.414_213_5 {
            m *= 0.5
            e += 1
        }
        return Float(e) * 0.693_147_18 + logSeries((m - 1) / (m + 1))  // |s| <= 0.172
    }

    /// 2 atanh(s) = ln((1 + s) / (1 - s)) by its series to s^9 (truncation below 1e-9 relative
    /// for |s| <= 0.24).
    @inlinable
    static func logSeries(_ s: Float) -> Float {
        let s2 = s * s
        var p: Float = 1.0 / 9
        p = p * s2 + 1.0 / 7
        p = p * s2 + 1.0 / 5
        p = p * s2 + 1.0 / 3
        p = p * s2 + 1
        return 2 * s * p
    }

    /// asinh(x) / x (1 at 0, even in x): the ratio of a symmetric Butler-Volmer overpotential,
    /// 2 V_T asinh(I / 2 I0), to its small-signal value at the current x = I / 2 I0.
    @inlinable
    public static func asinhRatio(_ x: Float) -> Float {
        let a = abs(x)
        if a.isNaN { return a }
        if a < 0.125 {
            // 1 - a^2/6 + 3a^4/40 - 15a^6/336 (the next term is below 2e-9)
            let a2 = a * a
            return 1 + a2 * (-1.0 / 6 + a2 * (3.0 / 40 - a2 * 15.0 / 336))
        }
        if a < 0.5 {
            // asinh a = ln(1 + u), u = a + a^2 / (1 + sqrt(1 + a^2)), as 2 atanh(u / (2 + u)):
            // 1 + u is never rounded, so no digits cancel.
            let u = a + a * a / (1 + (1 + a * a).squareRoot())
            return logSeries(u / (2 + u)) / a
        }
        if a > 1e18 { return a.isFinite ? (log(a) + 0.693_147_18) / a : 0 }
        return log(a + (a * a + 1).squareRoot()) / a
    }

    /// The standard normal distribution function Phi(x), absolute error below 2e-5 (erf by
    /// Abramowitz and Stegun 7.1.25: three terms, what the firmware's flash affords; Clark's
    /// moments need no more); 0 and 1 in the tails.
    @inlinable
    public static func normalCDF(_ x: Float) -> Float {
        let (cdf, _) = normalCDFAndDensity(x, exp(-0.5 * x * x))
        return cdf
    }

    /// Phi(x) and the standard normal density phi(x), given e = exp(-x^2 / 2).
    @inlinable @inline(__always)
    static func normalCDFAndDensity(_ x: Float, _ e: Float) -> (cdf: Float, density: Float) {
        let t = 1 / (1 + 0.332_672_53 * abs(x))  // 0.47047 / sqrt(2)
        let tail = 0.5 * t * (0.348_024_2 + t * (-0.095_879_8 + t * 0.747_855_6)) * e
        return (x < 0 ? tail : 1 - tail, 0.398_942_28 * e)
    }

    /// The mean and variance of the larger of two independent normals (Clark 1961, by their
    /// first two moments); applied cell by cell, those of the largest of many. Equal means
    /// with no variance give that mean.
    @inlinable @inline(__always)
    public static func largerOfNormals(
        _ a: (mean: Float, variance: Float), _ b: (mean: Float, variance: Float)
    ) -> (mean: Float, variance: Float) {
        let s2 = a.variance + b.variance
        guard s2 > 1e-12 else { return a.mean >= b.mean ? a : b }
        let s = s2.squareRoot()
        let alpha = (a.mean - b.mean) / s
        let (pa, density) = normalCDFAndDensity(alpha, exp(-0.5 * alpha * alpha))
        let mean = a.mean * pa + b.mean * (1 - pa) + s * density
        let second = (a.mean * a.mean + a.variance) * pa + (b.mean * b.mean + b.variance) * (1 - pa)
            + (a.mean + b.mean) * s * density
        return (mean, max(0, second - mean * mean))
    }

    /// 2^k for k in -126 ... 127, built from the exponent bits.
    @inlinable
    static func twoToThe(_ k: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: (k + 127) << 23))
    }

    /// The Arrhenius factor exp[(Ea/kB)(1/T - 1/Tref)] that scales a resistance known at `reference`.
    @inlinable
    public static func arrheniusFactor(activationEnergy_eV ea: Float, temperature t: Celsius, reference: Celsius) -> Float {
        let kB: Float = 8.617_333e-5
        return exp((ea / kB) * (1 / t.kelvin - 1 / reference.kelvin))
    }
}
