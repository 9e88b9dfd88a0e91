import BatteryPlant

/// The power converter between the pack and the grid, as far as the pack sees it: a DC voltage
/// window it can operate in and a DC current it cannot exceed.
///
/// It is a load with voltage compliance: a request that would pull the terminals below the
/// window's bottom or push them above its top is served only as far as the window allows, and a
/// current limit caps the rest. So a duty cycle cannot force current through an open or frozen
/// cell: the voltage it would take lies far outside the window. Time spent so limited is
/// reported (`inverter_limited_s`).
public struct InverterDefinition: Sendable, Equatable {
    /// Terminal voltages the converter can operate at, V.
    public var dcVoltage_V: ClosedRange<Double>
    /// The largest DC current it carries either way, A.
    public var maximumCurrent_A: Double

    public init(dcVoltage_V: ClosedRange<Double>, maximumCurrent_A: Double) {
        self.dcVoltage_V = dcVoltage_V
        self.maximumCurrent_A = maximumCurrent_A
    }

    /// The window's share of the string's datasheet cell voltages: 0.9 x the minimum to 1.1 x the
    /// maximum per cell in series (a 240-cell ZEBRA string: 389 ... 739 V; a commercial converter
    /// for a 620 V string works over about 400-750 V).
    public static let windowBelowMinimum = 0.9, windowAboveMaximum = 1.1

    /// A converter sized for `pack` and its duty: the window from the string's datasheet cell
    /// limits; the current the duty's peak power needs at the window's bottom (power profiles),
    /// or the duty's peak current (current profiles), so the duty itself is never cut by the
    /// current limit.
    public static func sized(for pack: PackDefinition, profile: DutyProfile, rating_W: Double) -> InverterDefinition {
        let n = Double(pack.topology.cellsPerString)
        let limits = pack.chemistry.limits
        let window = n * limits.minimumVoltage_V * windowBelowMinimum...n * limits.maximumVoltage_V * windowAboveMaximum
        let peak = profile.values.reduce(0) { max($0, abs($1)) }
        let current: Double =
            switch profile.quantity {
            case .power_pu: peak * rating_W / window.lowerBound
            case .power_W: peak / window.lowerBound
            case .current_A: peak
            }
        return InverterDefinition(dcVoltage_V: window, maximumCurrent_A: current)
    }

    /// `requested_A` as the converter can serve it on a pack whose terminal voltage stays in
    /// the window for currents in `compliance` (`BatteryPack.currentRange`).
    @inline(__always)
    public func serve(_ requested_A: Double, compliance: ClosedRange<Double>) -> Double {
        let capped = min(maximumCurrent_A, max(-maximumCurrent_A, requested_A))
        return min(compliance.upperBound, max(compliance.lowerBound, capped))
    }
}
