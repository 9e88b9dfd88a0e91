/// One point of a register map: where it lives, how it is encoded, and what it means.
public struct RegisterDescription: Sendable, Equatable {
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
    public var unit: String
    public var summary: String
    /// Whether a client may write the point (holding registers of the field map; SunSpec's RW points).
    public var writable: Bool

    public init(
        _ name: String, _ table: Table, address: Int, count: Int = 1, _ encoding: Encoding, scale: Double = 1,
        unit: String = "", writable: Bool? = nil, _ summary: String
    ) {
        self.writable = writable ?? (table == .holding)
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

extension Array where Element == RegisterDescription {
    /// The map as a Markdown table (the generated docs in hil/).
    public func markdownTable() -> String {
        var lines = [
            "| table | address | count | name | type | access | scale | unit | meaning |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in self {
            let addr = r.count > 1 ? "\(r.address) + i" : "\(r.address)"
            let scale = r.scale == 1 ? "1" : "\(r.scale)"
            lines.append("| \(r.table.rawValue) | \(addr) | \(r.count) | \(r.name) | \(r.encoding.rawValue) | \(r.writable ? "RW" : "R") | \(scale) | \(r.unit) | \(r.summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
