import BMSCore

extension Event {
    /// The header of events.csv.
    public static let csvHeader = "time_s,event,detail"

    /// One row of events.csv: the time, the kind by name, the detail by name (flags, modes,
    /// request, authority).
    public var csvRow: String {
        let detailName: String
        switch kind {
        case .faultLatched, .warningRaised: detailName = FaultFlags(rawValue: detail).name
        case .faultsReset:
            detailName = (detail & 1 << 31 != 0 ? "service:" : "ems:") + FaultFlags(rawValue: detail & ~(1 << 31)).name
        case .modeChanged:
            let from = SystemMode(rawValue: UInt8(truncatingIfNeeded: detail >> 8)).map { "\($0)" } ?? "?"
            let to = SystemMode(rawValue: UInt8(truncatingIfNeeded: detail)).map { "\($0)" } ?? "?"
            detailName = from + "->" + to
        case .modeRequested: detailName = ModeRequest(rawValue: UInt8(truncatingIfNeeded: detail)).map { "\($0)" } ?? "?"
        case .resetRefused: detailName = detail == 1 ? "service outside service mode" : "ems rate limit"
        case .serviceSwitch: detailName = detail == 1 ? "on" : "off"
        case .powerUp:
            let report = PowerUpReport(detail: detail)
            var parts: [String] = []
            if report.restored { parts.append(report.clean ? "restored clean" : "restored unclean (sigma widened)") }
            if report.copyRefused { parts.append("a copy refused") }
            if report.lost { parts.append("record lost") }
            detailName = parts.isEmpty ? "no record" : parts.joined(separator: "; ")
        case .recordWriteFailed:
            switch StorageError(rawValue: UInt8(truncatingIfNeeded: detail)) {
            case .recordTooLarge: detailName = "record too large"
            case .notErased: detailName = "not erased"
            case .powerLost, nil: detailName = "power lost"
            }
        }
        return Format.fixed(Double(time.count) / 1000, 1) + "," + "\(kind)" + "," + detailName
    }
}
