import BMSCore

extension LimitReasons {
    /// Each reason's name, in bit order.
    static let names: [(LimitReasons, String)] = [
        (.noConduction, "noConduction"), (.soc, "soc"), (.voltage, "voltage"), (.protectionTier, "protectionTier"),
        (.cellHealth, "cellHealth"), (.failedCells, "failedCells"), (.ccd, "ccd"), (.contactLoss, "contactLoss"),
        (.belowFloor, "belowFloor"), (.mode, "mode"), (.freezeReserve, "freezeReserve"), (.emsLink, "emsLink"),
    ]

    /// The names of the set reasons joined by "+" ("rated" when none: the rated current).
    public var name: String {
        let set = Self.names.filter { contains($0.0) }.map(\.1)
        let unknown = rawValue & ~Self.names.reduce(0) { $0 | $1.0.rawValue }
        let all = set + (unknown == 0 ? [] : ["bits\(unknown)"])
        return all.isEmpty ? "rated" : all.joined(separator: "+")
    }
}
