/// One point of a register map, declared once: where it lives, how many instances it has, how it
/// is encoded and scaled, its unit, who may write it and which raw values a write may carry, and
/// what it means. The codec (`encode`, `decode`, `quantise`), the write checks and the generated
/// docs (hil/*.md) all read this declaration (swift-mmio's one declaration per register).
public struct RegisterPoint: Sendable, Equatable {
    /// Which Modbus table holds the point.
    public enum Table: String, Sendable {
        case input = "input"
        case holding = "holding"
    }
    /// How the point's raw words are interpreted.
    public enum Encoding: String, Sendable {
        case uint16, int16, uint32, int32, uint64
        /// SunSpec types: an enumeration, a 32-bit bit field, a scale-factor exponent, text.
        case enum16, bitfield32, sunssf, string8, string16
        /// Number of 16-bit registers the encoding takes.
        public var words: Int {
            switch self {
            case .uint16, .int16, .enum16, .sunssf: 1
            case .uint32, .int32, .bitfield32: 2
            case .uint64: 4
            case .string8: 8
            case .string16: 16
            }
        }
    }

    public var name: String
    public var table: Table
    /// PDU address (0-based) of the first word; multi-word values are high word first.
    public var address: Int
    /// Number of consecutive instances (e.g. one per cell); 1 for a scalar.
    public var count: Int
    public var encoding: Encoding
    /// Physical value = raw x scale, in `unit`.
    public var scale: Double
    /// The SunSpec scale-factor point (a `sunssf` of the same map) whose value is this point's
    /// power-of-ten exponent: physical value = raw x 10^SF, in `unit` (nil: `scale` alone).
    public var scaleFactor: String?
    public var unit: String
    public var summary: String
    /// Whether a client may write the point (holding registers of the field map; SunSpec's RW points).
    public var writable: Bool
    /// The raw values a write may carry (nil: any value of the encoding).
    public var writeRange: ClosedRange<UInt32>?
    /// The raw code the server writes once at start and then leaves alone (a marker, a model
    /// header, a not-implemented code, a writable point's default); nil for live points.
    public var fixed: UInt64?

    public init(
        _ name: String, _ table: Table, address: Int, count: Int = 1, _ encoding: Encoding, scale: Double = 1, scaleFactor: String? = nil,
        unit: String = "", writable: Bool? = nil, accepts writeRange: ClosedRange<UInt32>? = nil, fixed: UInt64? = nil,
        _ summary: String
    ) {
        self.scaleFactor = scaleFactor
        self.writable = writable ?? (table == .holding)
        self.writeRange = writeRange
        self.fixed = fixed
        self.name = name
        self.table = table
        self.address = address
        self.count = count
        self.encoding = encoding
        self.scale = scale
        self.unit = unit
        self.summary = summary
    }
}

extension RegisterPoint {
    /// The address of instance `i`'s first word.
    @inlinable public func address(_ i: Int) -> Int { address + i * encoding.words }

    /// The addresses of every instance.
    public var addresses: Range<Int> { address..<address + count * encoding.words }

    /// Writes `value` (physical, in `unit`) as instance `i`: scaled, rounded, clamped to the
    /// encoding's range; NaN becomes the encoding's not-available code. Numeric encodings only.
    public func encode<R: MutableCollection<UInt16>>(_ value: Double, into registers: inout R, instance i: Int = 0) where R.Index == Int {
        encode(value, scale: scale, into: &registers, at: address(i))
    }

    /// Writes `value` with a scale decided at run time (a SunSpec scale factor, 10^SF) into an
    /// image whose first register is address `base`.
    public func encode<R: MutableCollection<UInt16>>(_ value: Double, scale: Double, into registers: inout R, base: Int) where R.Index == Int {
        encode(value, scale: scale, into: &registers, at: address - base)
    }

    func encode<R: MutableCollection<UInt16>>(_ value: Double, scale: Double, into registers: inout R, at a: Int) where R.Index == Int {
        switch encoding {
        case .uint16, .enum16: registers[a] = UInt16(scaled: value, by: scale)
        case .int16, .sunssf: registers[a] = UInt16(bitPattern: Int16(scaled: value, by: scale))
        case .uint32, .bitfield32: Self.put(UInt32(scaled: value, by: scale), at: a, into: &registers)
        case .int32: Self.put(UInt32(bitPattern: Int32(scaled: value, by: scale)), at: a, into: &registers)
        case .uint64: Self.put(UInt64(scaled: value, by: scale), at: a, into: &registers)
        case .string8, .string16: preconditionFailure("\(name) is text, not a number")
        }
    }

    /// Writes a raw code as instance `i` (high word first) into an image whose first register is
    /// address `base`.
    public func put<R: MutableCollection<UInt16>>(raw: UInt64, into registers: inout R, instance i: Int = 0, base: Int = 0) where R.Index == Int {
        let a = address(i) - base
        switch encoding.words {
        case 1: registers[a] = UInt16(truncatingIfNeeded: raw)
        case 2: Self.put(UInt32(truncatingIfNeeded: raw), at: a, into: &registers)
        default: Self.put(raw, at: a, into: &registers)
        }
    }

    /// The raw code of instance `i` (unsigned, high word first) in an image whose first register is
    /// address `base`.
    public func raw<R: RandomAccessCollection<UInt16>>(_ registers: R, instance i: Int = 0, base: Int = 0) -> UInt64 where R.Index == Int {
        let a = address(i) - base
        var t: UInt64 = 0
        for w in 0..<min(4, encoding.words) { t = t << 16 | UInt64(registers[a + w]) }
        return t
    }

    /// The physical value of instance `i`: raw x scale, NaN for the not-available code.
    public func decode<R: RandomAccessCollection<UInt16>>(_ registers: R, instance i: Int = 0) -> Double where R.Index == Int {
        let r = raw(registers, instance: i)
        switch encoding {
        case .uint16, .enum16: return UInt16(truncatingIfNeeded: r).physical(scale: scale)
        case .int16, .sunssf: return Int16(bitPattern: UInt16(truncatingIfNeeded: r)).physical(scale: scale)
        case .uint32, .bitfield32: return UInt32(truncatingIfNeeded: r).physical(scale: scale)
        case .int32: return Int32(bitPattern: UInt32(truncatingIfNeeded: r)).physical(scale: scale)
        case .uint64: return r.physical(scale: scale)
        case .string8, .string16: preconditionFailure("\(name) is text, not a number")
        }
    }

    /// Writes `text` into a text point (UTF-8, two bytes a register, high byte first), cut to the
    /// point's length and padded with NULs.
    public func put<R: MutableCollection<UInt16>>(text: String, into registers: inout R, base: Int = 0) where R.Index == Int {
        precondition(encoding == .string8 || encoding == .string16, "\(name) is a number, not text")
        let words = encoding.words
        var bytes = Array(text.utf8.prefix(2 * words))
        bytes += Array(repeating: 0, count: 2 * words - bytes.count)
        for w in 0..<words { registers[address - base + w] = UInt16(bytes[2 * w]) << 8 | UInt16(bytes[2 * w + 1]) }
    }

    /// `value` as this point carries it: encoded and decoded again (what a client reads back).
    public func quantise(_ value: Double) -> Double {
        switch encoding {
        case .uint16, .enum16: UInt16(scaled: value, by: scale).physical(scale: scale)
        case .int16, .sunssf: Int16(scaled: value, by: scale).physical(scale: scale)
        case .uint32, .bitfield32: UInt32(scaled: value, by: scale).physical(scale: scale)
        case .int32: Int32(scaled: value, by: scale).physical(scale: scale)
        case .uint64: UInt64(scaled: value, by: scale).physical(scale: scale)
        case .string8, .string16: preconditionFailure("\(name) is text, not a number")
        }
    }

    static func put<R: MutableCollection<UInt16>>(_ v: UInt64, at a: Int, into r: inout R) where R.Index == Int {
        for w in 0..<4 { r[a + w] = UInt16(truncatingIfNeeded: v >> (48 - 16 * UInt64(w))) }
    }
    static func put<R: MutableCollection<UInt16>>(_ v: UInt32, at a: Int, into r: inout R) where R.Index == Int {
        r[a] = UInt16(truncatingIfNeeded: v >> 16)
        r[a + 1] = UInt16(truncatingIfNeeded: v)
    }
}

extension Array where Element == RegisterPoint {
    /// The name of what a holding register holds: "contactor_command", "heater_duty[3]",
    /// "charge_current_limit (word 2 of 2)"; "unmapped" where no point is.
    public func holdingName(_ address: Int) -> String {
        guard let p = first(where: { $0.table == .holding && $0.addresses.contains(address) }) else { return "unmapped" }
        let words = p.encoding.words
        let instance = (address - p.address) / words, word = (address - p.address) % words
        var name = p.count > 1 ? "\(p.name)[\(instance)]" : p.name
        if words > 1 { name += " (word \(word + 1) of \(words))" }
        return name
    }

    /// The map as a Markdown table (the generated docs in hil/): `registers` counts the 16-bit
    /// registers a point takes (every instance, every word); `scale` is the factor, or the
    /// SunSpec scale-factor point and its value when the map fixes it.
    public func markdownTable() -> String {
        var lines = [
            "| table | address | registers | name | type | access | scale | unit | meaning |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in self {
            let words = r.encoding.words
            let addr = r.count > 1 ? "\(r.address) + \(words > 1 ? "\(words) " : "")i" : "\(r.address)"
            var scale = r.scale == 1 ? "1" : "\(r.scale)"
            if let sf = r.scaleFactor {
                // The exponent's point, and its value where the map fixes it.
                let point = first { $0.name == sf && $0.encoding == .sunssf }
                let exponent = point?.fixed.map { Int(Int16(bitPattern: UInt16(truncatingIfNeeded: $0))) }
                scale = "10^\(sf)" + (exponent.map { " = 10^\($0)" } ?? " (per pack)")
            }
            lines.append(
                "| \(r.table.rawValue) | \(addr) | \(r.count * words) | \(r.name) | \(r.encoding.rawValue) | \(r.writable ? "RW" : "R") | \(scale) | \(r.unit) | \(r.summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
