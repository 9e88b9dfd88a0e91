import BMSCore

extension FaultFlags {
    /// Every named bit, in bit order (host side: names are for logs and summaries, not firmware).
    static let names: [(FaultFlags, String)] = [
        (.cellOverVoltage, "cellOverVoltage"), (.cellUnderVoltage, "cellUnderVoltage"), (.overTemperature, "overTemperature"),
        (.underTemperature, "underTemperature"), (.dischargeOverCurrent, "dischargeOverCurrent"),
        (.chargeOverCurrent, "chargeOverCurrent"), (.measurementInvalid, "measurementInvalid"), (.staleFrame, "staleFrame"),
        (.prechargeFailed, "prechargeFailed"), (.contactorWelded, "contactorWelded"), (.contactorFeedback, "contactorFeedback"),
        (.cellFailedShort, "cellFailedShort"), (.stringOutOfService, "stringOutOfService"), (.softShort, "softShort"),
        (.contactLoss, "contactLoss"), (.heaterFault, "heaterFault"), (.freezeRisk, "freezeRisk"),
        (.communicationLoss, "communicationLoss"),
    ]

    /// The name of a single bit ("bitN" for one without a name), or the names of all set bits
    /// joined by "+".
    public var name: String {
        let set = Self.names.filter { contains($0.0) && !$0.0.isEmpty }.map(\.1)
        if !set.isEmpty { return set.joined(separator: "+") }
        return rawValue == 0 ? "clear" : "bit\(rawValue.trailingZeroBitCount)"
    }
}
