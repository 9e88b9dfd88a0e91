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

extension FaultFlags {
    /// The flags a `name` spells ("clear", "staleFrame+communicationLoss", "bit30"); nil for a
    /// name no bit has.
    public init?(names: some StringProtocol) {
        guard names != "clear" else {
            self = .clear
            return
        }
        var raw: UInt32 = 0
        for part in names.split(separator: "+") {
            let named: Int? = (0..<32).first { (k: Int) -> Bool in FaultFlags(rawValue: 1 << UInt32(k)).name == part }
            let numbered: Int? = part.hasPrefix("bit") ? Int(part.dropFirst(3)).flatMap { (k: Int) -> Int? in (0..<32).contains(k) ? k : nil } : nil
            let bit = named ?? numbered
            guard let bit else { return nil }
            raw |= 1 << UInt32(bit)
        }
        self.init(rawValue: raw)
    }
}
