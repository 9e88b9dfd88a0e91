extension DutyProfile {
    /// The profile as CSV text (docs/profiles.md): `comments` as `#` lines, the header, then one
    /// row per value. Times print in seconds to the millisecond; power_pu values to 0.001 pu, the
    /// others to 1e-6, so a generated profile reads back equal.
    public func csv(comments: [String] = []) -> String {
        var text = comments.map { "# " + $0 + "\n" }.joined()
        text += "time_s,\(quantity.rawValue)\n"
        for k in times_ms.indices {
            text += Self.decimal(times_ms[k], places: 3) + "," + Self.decimal(values[k], places: quantity == .power_pu ? 3 : 6) + "\n"
        }
        return text
    }

    /// `units` / 10^places as a decimal, trailing zeros of the fraction dropped (integers only in
    /// the arithmetic: the text is exact).
    static func decimal(_ units: Int64, places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let sign = units < 0 ? "-" : ""
        let magnitude = units.magnitude
        let whole = magnitude / UInt64(scale)
        var fraction = String(magnitude % UInt64(scale))
        guard fraction != "0" else { return sign + String(whole) }
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(whole) + "." + fraction
    }

    /// `value` rounded to `places` decimals, as text.
    static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let units = (value * scale).rounded()
        guard units.magnitude < 9e15 else { return "\(value)" }
        return decimal(Int64(units), places: places)
    }
}
