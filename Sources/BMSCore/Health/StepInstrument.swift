/// The current step that the resistance fits regress on, with its instrument.
///
/// Keeps the last four current values (frames or block means), newest first. The step is the
/// change between the middle two (t-2 -> t-1); the instrument is the change across all four
/// (t-3 -> t): it carries the same step when the current holds for a few values, as an
/// inverter's set-point does, while its noise (readings t and t-3) is independent of the step's
/// (t-1 and t-2). Fitting dV against dI with z as the instrument, R = -sum(dV z) / sum(dI z), is
/// therefore not biased low by the current sensor's noise, as least squares would be.
/// Shared by `FrontResistanceGauge` (mean cell, 100 ms frames) and `ResistanceEstimator`
/// (per cell, 1 s blocks).
@usableFromInline struct StepInstrument: Sendable {
    @usableFromInline var currents = SIMD4<Float>(repeating: .nan)

    /// Adds the newest value; returns the step t-2 -> t-1 and its instrument (NaN until four
    /// values have been seen since the last reset).
    @inlinable mutating func push(_ current: Float) -> (step: Float, instrument: Float) {
        currents = SIMD4(current, currents[0], currents[1], currents[2])
        return (currents[1] - currents[2], currents[0] - currents[3])
    }

    /// Whether the step (t-2 -> t-1) went through zero: its two values flow opposite ways, so it
    /// mixed two directions' resistances (a ZEBRA cell's differ by direction, by about the
    /// front's whole resistance). A value on the other side within 2 % of the instrument counts as
    /// zero (it biases the read by at most 2 % of that difference); a step from or to zero mixes
    /// nothing, since at zero current the voltage is the OCV whatever the resistance. (The
    /// instrument's values, t and t-3, take no part in the voltage step.)
    @inlinable func mixesDirections(instrument z: Float) -> Bool {
        let f = 0.02 * abs(z)
        let a = currents[1]
        let b = currents[2]
        return (a > f && b < -f) || (a < -f && b > f)
    }

    /// Whether all four values lie within `threshold` of zero: the pack rests, and the step and
    /// its instrument are the sensor's noise.
    @inlinable func rests(within threshold: Float) -> Bool {
        abs(currents[0]) < threshold && abs(currents[1]) < threshold && abs(currents[2]) < threshold && abs(currents[3]) < threshold
    }

    /// The step (t-2 -> t-1) flows as a discharge (by the larger of its two values).
    @inlinable var stepDischarges: Bool { currents[1] + currents[2] > 0 }

    /// Forgets the values (after a gap in the data).
    @inlinable mutating func reset() { currents = SIMD4(repeating: .nan) }
}
