import BMSCore

extension FaultFlags {
    /// The name of a single bit (its `bitName`; "bitN" for one without a name), or the names of
    /// all set bits, in bit order, joined by "+".
    public var name: String {
        guard rawValue != 0 else { return "clear" }
        var names: [String] = []
        for bit in 0..<32 where rawValue & (1 << UInt32(bit)) != 0 {
            let flag = FaultFlags(rawValue: 1 << UInt32(bit))
            names.append(flag.bitName.map { "\($0)" } ?? "bit\(bit)")
        }
        return names.joined(separator: "+")
    }
}
