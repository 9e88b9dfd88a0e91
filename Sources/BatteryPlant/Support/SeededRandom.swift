/// A seeded, reproducible random source (xoshiro256**), the only randomness in the plant.
///
/// Every draw in a run comes from generators seeded by the scenario, so one seed gives
/// bit-identical output on the same machine (DESIGN.md, Determinism).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    private var spareGaussian: Double?

    /// Seeds the state with SplitMix64, as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// A generator for a named sub-stream, so adding draws in one part leaves the others unchanged.
    public func derived(_ stream: UInt64) -> SeededRandom {
        SeededRandom(seed: s0 ^ (stream &* 0xD6E8_FEB8_6659_FD93))
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform draw in (0, 1) (zero redrawn: the draws below take its logarithm).
    public mutating func positiveUniform() -> Double {
        var u = uniform()
        while u <= 0 { u = uniform() }
        return u
    }

    /// An exponential draw of mean 1, -ln u.
    public mutating func exponential() -> Double {
        -PlantMath.log(positiveUniform())
    }

    /// A standard normal draw (Box-Muller; the second value of each pair is kept for the next call).
    public mutating func gaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        let u1 = positiveUniform()
        let u2 = uniform()
        let r = (-2 * PlantMath.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareGaussian = r * PlantMath.cos(theta - Double.pi / 2)  // = r sin(theta)
        return r * PlantMath.cos(theta)
    }

    /// A Weibull draw of median 1 and shape `shape` (weakest-link statistics of a ceramic's
    /// flaws): (ln(1/u) / ln 2)^(1/shape).
    public mutating func weibull(shape: Double) -> Double {
        let u = positiveUniform()
        return PlantMath.exp((PlantMath.log(-PlantMath.log(u)) - PlantMath.log(PlantMath.log(2))) / shape)
    }

    /// A normal draw with the given mean and standard deviation.
    public mutating func gaussian(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * gaussian()
    }
}
