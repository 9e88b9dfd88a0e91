import Testing

@testable import BatteryPlant

@Suite("Rounding without the C library")
struct RoundingTests {
    /// The readings' rounding must be `rounded()`'s bit for bit: a difference would move every
    /// sensor reading and register value by a quantum.
    @Test func matchesRoundedBitForBit() {
        var special: [Double] = [
            0, -0.0, 0.3, -0.3, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.5.nextDown, (-0.5).nextUp, 0.5.nextUp, (-0.5).nextDown,
            0x1p52, -0x1p52, 0x1p52.nextDown, (-0x1p52).nextUp, 0x1p52 - 0.5, -0x1p52 + 0.5, 0x1p53, 0x1p63, -0x1p63, 0x1p64, 1e300, -1e300,
            .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, 4503599627370495.5, -4503599627370495.5,
        ]
        var random = SeededRandom(seed: 52)
        for _ in 0..<200_000 {
            // Magnitudes from 1e-3 to 1e17, both signs, and halves exactly.
            let magnitude = PlantMath.exp(random.uniform() * 45 - 7)
            let x = random.uniform() < 0.5 ? magnitude : -magnitude
            special.append(x)
            special.append((x * 2).rounded(.towardZero) / 2)
        }
        for x in special {
            #expect(x.roundedHalfAwayFromZero.bitPattern == x.rounded().bitPattern, "\(x)")
        }
        #expect(Double.nan.roundedHalfAwayFromZero.isNaN)
    }
}
