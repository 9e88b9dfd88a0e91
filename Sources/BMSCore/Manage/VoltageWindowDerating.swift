/// The voltage window's share of the current limits: it falls quickly and recovers slowly.
///
/// The voltage ramps (`CurrentLimitSettings`) close a loop through the cells: the limit follows
/// the loaded voltage, the converter follows the limit, the voltage follows the current through
/// the cell's resistance. A ramp dV wide over a rated current I_r has a loop gain of
/// I_r R0 / dV through one control step (a Na-S string on charge: 99.5 A x 1.4 mOhm / 20 mV,
/// about 7). Read afresh each step, such a limit hunted between zero and the request. Here each
/// factor follows its ramp as a first-order lag, slow up (`voltageRecoveryTime`, 10 s: with a
/// lag of a per step the approach from below converges without overshoot while a (1 + gain) < 1,
/// gains up to 99 at the 100 ms step) and quick down (`voltageFallTime`, 200 ms: a cell that
/// jumps past the ramp's end at a current step, an end-of-life sulfide cell at 67 mOhm when the
/// limit opens, is held back before the 500 ms over-voltage debounce; a 1 s lag let such cells
/// raise false `cellOverVoltage` warnings). Falling that fast overshoots below the ramp (a gain
/// of 7 against a fall of half the gap a step): one frame's noise on the fullest cell dips the
/// limit, which then comes back over seconds; it does not hunt.
public struct VoltageWindowDerating: Sendable, Equatable {
    /// Factors on the rated charge and discharge currents, 0 ... 1.
    @inlinable public var charge: Float { _charge }
    @inlinable public var discharge: Float { _discharge }
    @usableFromInline var _charge: Float = 1
    @usableFromInline var _discharge: Float = 1

    @inlinable public init() {}

    /// Takes one step's extreme cell voltages.
    @inlinable public mutating func update(settings s: CurrentLimitSettings, minimumCell: Volts, maximumCell: Volts, step: Milliseconds) {
        let (c, d) = Self.ramps(settings: s, minimumCell: minimumCell, maximumCell: maximumCell)
        let fall = Self.share(step, of: s.voltageFallTime)
        let recovery = Self.share(step, of: s.voltageRecoveryTime)
        _charge = Self.follow(_charge, c, fall: fall, recovery: recovery)
        _discharge = Self.follow(_discharge, d, fall: fall, recovery: recovery)
    }

    /// The ramps' factors read afresh: charge by the fullest cell, discharge by the emptiest.
    @inlinable public static func ramps(settings s: CurrentLimitSettings, minimumCell: Volts, maximumCell: Volts) -> (charge: Float, discharge: Float) {
        (ramp(maximumCell.value, zeroAt: s.chargeEndVoltage.value, fullAt: s.chargeDerateStartVoltage.value),
         ramp(minimumCell.value, zeroAt: s.dischargeEndVoltage.value, fullAt: s.dischargeDerateStartVoltage.value))
    }

    /// Whether `current` is held at a limit this window derates: within 3 % and 0.2 A of it (a
    /// converter at its limit reads it to the sensor's gain error and noise). Such a current is
    /// the voltage's echo, not an excitation.
    @inlinable public func holds(_ current: Amperes, at limits: CurrentLimits) -> Bool {
        let i = current.value
        if i > 0 { return _discharge < 1 && i >= 0.97 * limits.discharge.value - 0.2 }
        if i < 0 { return _charge < 1 && -i >= 0.97 * limits.charge.value - 0.2 }
        return false
    }

    /// The share of the gap a first-order lag of `time` closes in one `step` (1 without a lag).
    @inlinable static func share(_ step: Milliseconds, of time: Milliseconds) -> Float {
        time.count > step.count ? step.seconds / time.seconds : 1
    }

    /// Towards `target` by `fall` of the gap when it is lower, by `recovery` when higher.
    @inlinable static func follow(_ now: Float, _ target: Float, fall: Float, recovery: Float) -> Float {
        guard target.isFinite, now.isFinite else { return 0 }
        return now + (target < now ? fall : recovery) * (target - now)
    }
}
