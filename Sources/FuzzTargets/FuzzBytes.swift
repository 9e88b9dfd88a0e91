/// Reads a fuzz input as the values a target needs, never running out: past the end every read
/// gives zero, so any input (even empty) is a complete case.
struct FuzzBytes {
    private let data: UnsafeRawBufferPointer
    private var next = 0

    init(_ data: UnsafeRawBufferPointer) { self.data = data }

    /// Whether bytes are left.
    var isEmpty: Bool { next >= data.count }

    mutating func byte() -> UInt8 {
        guard next < data.count else { return 0 }
        defer { next += 1 }
        return data[next]
    }

    mutating func word() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    /// A double, often one that breaks arithmetic: the first byte picks NaN, an infinity, zero,
    /// the extremes, a value just past an integer type's range, or (128 and above) the next
    /// eight bytes' bit pattern (which is sometimes NaN or subnormal itself).
    mutating func double() -> Double {
        let pick = byte()
        switch pick {
        case 0: return .nan
        case 1: return .infinity
        case 2: return -.infinity
        case 3: return 0
        case 4: return -0.0
        case 5: return .greatestFiniteMagnitude
        case 6: return -.greatestFiniteMagnitude
        case 7: return .leastNonzeroMagnitude
        case 8: return 9.223372036854775807e18  // Int64.max rounds up to 2^63
        case 9: return -9.223372036854775808e18
        case 10: return 65_535.5
        case 11: return 4_294_967_295.5
        case 12: return -32_768.5
        case 13: return .signalingNaN
        case 14..<128: return Double(Int(pick) - 64) * 0.37
        default:
            var bits: UInt64 = 0
            for _ in 0..<8 { bits = bits << 8 | UInt64(byte()) }
            return Double(bitPattern: bits)
        }
    }

    /// Everything not read yet.
    mutating func rest() -> UnsafeRawBufferPointer {
        defer { next = data.count }
        return UnsafeRawBufferPointer(rebasing: data[min(next, data.count)...])
    }
}
