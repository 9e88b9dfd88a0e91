/// Coulomb counter with an exact integer accumulator.
///
/// Charge is accumulated in microcoulombs (`Int64`), so a day of 100 ms steps adds no rounding
/// drift: a single-precision accumulator would lose up to a few percent of SoC over 10^6 steps.
public struct ChargeCounter: Sendable {
    /// Charge removed since start (positive = discharged), in microcoulombs.
    @inlinable public var dischargedMicrocoulombs: Int64 { _read { yield _dischargedMicrocoulombs } }
    @usableFromInline var _dischargedMicrocoulombs: Int64 = 0
    /// Capacity the SoC is referred to (`rescale(to:)` changes it).
    @inlinable public var capacity: AmpereHours { _read { yield _capacity } }
    @usableFromInline var _capacity: AmpereHours
    /// SoC at the counter's origin.
    @inlinable public var origin: StateOfCharge { _read { yield _origin } }
    @usableFromInline var _origin: StateOfCharge

    @inlinable public init(capacity: AmpereHours, initialSoC: StateOfCharge) {
        self._capacity = capacity
        self._origin = initialSoC
    }

    // Not @inlinable (nor the conversions below): in an inlinable body the Int64 <-> Float and
    // Double conversions resolve to the generic BinaryInteger initialisers, which allocate in
    // Embedded mode. A plain call costs nothing measurable.

    /// Integrates `current` (positive = discharge) over one step.
    public mutating func integrate(_ current: Amperes, over step: Milliseconds) {
        // mA x ms = uC. Rounded per step: +/-0.5 uC of a 38 Ah (1.4e11 uC) cell.
        let microcoulombs = (current.value * 1000 * Float(step.count)).rounded()
        // A reading that is not a current (NaN, inf, beyond 1e18 uC in a step) is not counted:
        // Int64() of it would trap. Validation keeps such readings out; this is the last guard.
        guard microcoulombs.isFinite, microcoulombs.magnitude < 1e18 else { return }
        _dischargedMicrocoulombs &+= Int64(microcoulombs)
    }

    /// The present state of charge (not clamped: a value outside 0...1 shows a counting error).
    public var stateOfCharge: StateOfCharge {
        let capacityMicrocoulombs = Double(_capacity.value) * 3.6e9
        let delta = Double(_dischargedMicrocoulombs) / capacityMicrocoulombs
        return StateOfCharge(Float(Double(_origin.value) - delta))
    }

    /// Moves the origin by `soc` (the SoC filter's correction, `SoCEstimator.takeSoCCorrection`):
    /// the charge counted stays exact, the origin takes the correction.
    @inlinable public mutating func shift(by soc: Float) {
        _origin = StateOfCharge(_origin.value + soc)
    }

    /// Refers the SoC to `capacity` from now on (a measured capacity replacing the assumed one):
    /// the present SoC stays, the origin moves so that the charge counted so far still gives it.
    public mutating func rescale(to capacity: AmpereHours) {
        guard capacity.value.isFinite, capacity.value > 0 else { return }
        let soc = Double(stateOfCharge.value)
        _capacity = capacity
        _origin = StateOfCharge(Float(soc + Double(_dischargedMicrocoulombs) / (Double(capacity.value) * 3.6e9)))
    }

    /// Re-anchors the counter at a known state of charge (e.g. end-of-charge recalibration).
    @inlinable public mutating func reset(to soc: StateOfCharge) {
        _origin = soc
        _dischargedMicrocoulombs = 0
    }

    /// A microcoulomb count in ampere-hours.
    public static func ampereHours(microcoulombs: Int64) -> Float {
        Float(Double(microcoulombs) / 3.6e9)
    }
}
