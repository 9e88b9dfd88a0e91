/// The Modbus RTU CRC-16 (polynomial 0xA001 reflected, initial 0xFFFF), sent low byte first.
///
/// Bitwise, without a table: 512 bytes of table would cost the image's RAM or flash for a speed
/// the bus (not the processor) limits.
public enum ModbusCRC {
    /// The CRC of `bytes[0 ..< count]`.
    @inlinable public static func of(_ bytes: Span<UInt8>, count: Int) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for i in 0..<count { crc = update(crc, bytes[i]) }
        return crc
    }

    /// `crc` after one more byte.
    @inlinable public static func update(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
        var c = crc ^ UInt16(byte)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xA001 : c >> 1 }
        return c
    }
}
