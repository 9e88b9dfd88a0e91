/// Coulomb counter with an exact integer accumulator.
///
/// Charge is accumulated in microcoulombs (`Int64`), so a day of 100 ms steps adds no rounding
/// drift: a single-precision accumulator would lose up to a few percent of SoC over 10^6 steps.
public struct ChargeCounter: Sendable {
    /// Charge removed since start (positive = discharged), in microcoulombs.
    public private(set) var dischargedMicrocoulombs: Int64 = 0
    /// Capacity the SoC is referred to.
    public let capacity: AmpereHours
    /// SoC at the counter's origin.
    public private(set) var origin: StateOfCharge

    public init(capacity: AmpereHours, initialSoC: StateOfCharge) {
        self.capacity = capacity
        self.origin = initialSoC
    }

    /// Integrates `current` (positive = discharge) over one step.
    public mutating func integrate(_ current: Amperes, over step: Milliseconds) {
        // mA x ms = uC. Rounded per step: +/-0.5 uC of a 38 Ah (1.4e11 uC) cell.
        let microcoulombs = (current.value * 1000 * Float(step.count)).rounded()
        dischargedMicrocoulombs &+= Int64(microcoulombs)
    }

    /// The present state of charge (not clamped: a value outside 0...1 shows a counting error).
    public var stateOfCharge: StateOfCharge {
        let capacityMicrocoulombs = Double(capacity.value) * 3.6e9
        let delta = Double(dischargedMicrocoulombs) / capacityMicrocoulombs
        return StateOfCharge(Float(Double(origin.value) - delta))
    }

    /// Re-anchors the counter at a known state of charge (e.g. end-of-charge recalibration).
    public mutating func reset(to soc: StateOfCharge) {
        origin = soc
        dischargedMicrocoulombs = 0
    }
}
