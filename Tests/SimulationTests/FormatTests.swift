import Foundation
import Testing

@testable import Simulation

/// `Format`'s numbers are the C library's conversions: byte for byte what `String(format:)` gives
/// (the output files of earlier versions compare equal), including results too long for its
/// stack buffer, and the non-finite values spelled out.
@Suite("Number formatting")
struct FormatTests {
    static let values: [Double] = [
        0, -0.0, 1, -1, 0.5, 2.5, -2.5, 0.125, 1.0 / 3, 2.0 / 3, 123_456.789_012, -9.999_95, 9.999_949_9, 1e-7, 5e-324,
        Double.leastNormalMagnitude, 1e15, 123_456_789_012_345_678, 1e21, 1e22, 1e300, -1e308, Double.greatestFiniteMagnitude,
    ]

    @Test func fixedIsPrintfsFixed() {
        for x in Self.values {
            for digits in [0, 1, 2, 3, 4, 6, 9, 12, 40] {
                #expect(Format.fixed(x, digits) == String(format: "%.\(digits)f", x), "\(x) with \(digits) decimals")
            }
        }
    }

    @Test func compactAndScientificArePrintfs() {
        for x in Self.values {
            #expect(Format.compact(x) == String(format: "%.6g", x), "\(x)")
            #expect(Format.scientific(x) == String(format: "%.6e", x), "\(x)")
        }
    }

    @Test func nonFiniteValuesAreSpelledOut() {
        for f in [{ Format.fixed($0, 3) }, Format.compact, Format.scientific] as [(Double) -> String] {
            #expect(f(.nan) == "nan")
            #expect(f(.infinity) == "inf")
            #expect(f(-.infinity) == "-inf")
        }
    }

    /// Past 40 decimals the precision is capped (C's own limit is far larger; no output column
    /// asks for more than 9), and a negative count is none.
    @Test func theDecimalsAreClamped() {
        #expect(Format.fixed(1.5, 100) == String(format: "%.40f", 1.5))
        #expect(Format.fixed(1.5, -3) == "2")
    }
}
