/// Confirms a condition only after it has held for a number of consecutive steps.
public struct Debouncer: Sendable {
    /// Consecutive steps needed to confirm.
    public let requiredSteps: Int32
    /// Consecutive steps the condition has held so far.
    @inlinable public var count: Int32 { _read { yield _count } }
    @usableFromInline var _count: Int32 = 0

    /// A debouncer that confirms after `time` at the fixed `step` (at least one step).
    @inlinable public init(time: Milliseconds, step: Milliseconds) {
        let steps = (time.count + step.count - 1) / step.count
        // Plain comparisons: the generic `Int32(clamping:)` allocates in Embedded mode.
        self.requiredSteps = steps < 1 ? 1 : (steps > stepCountCeiling64 ? stepCountCeiling : Int32(truncatingIfNeeded: steps))
    }

    /// Feeds one step's condition; returns true once it has held for the debounce time.
    @inlinable public mutating func update(_ condition: Bool) -> Bool {
        _count = condition ? min(_count &+ 1, requiredSteps) : 0
        return _count >= requiredSteps
    }

    /// Forgets the steps counted so far.
    @inlinable public mutating func reset() { _count = 0 }
}

/// Confirms a condition that comes and goes: each step with it adds two, each step without it
/// takes one away, and it is confirmed at twice the steps of the debounce time. A condition held
/// throughout confirms as fast as a `Debouncer`; one present every other step confirms in about
/// three times that (a plain debouncer, reset by every good step, never did); an isolated one
/// has decayed two steps later.
public struct IntermittentDebouncer: Sendable {
    /// Steps needed with the condition held throughout.
    public let requiredSteps: Int32
    @usableFromInline var level: Int32 = 0

    /// A debouncer that confirms after `time` at the fixed `step` (at least one step).
    @inlinable public init(time: Milliseconds, step: Milliseconds) {
        requiredSteps = Debouncer(time: time, step: step).requiredSteps
    }

    /// Feeds one step's condition; returns true once confirmed.
    @inlinable public mutating func update(_ condition: Bool) -> Bool {
        let ceiling = 2 * requiredSteps
        level = condition ? min(level &+ 2, ceiling) : max(level &- 1, 0)
        return level >= ceiling
    }

    /// The condition has been seen and has not yet decayed.
    @inlinable public var recent: Bool { level > 0 }
}

/// Fires once every `period` of control steps (periodic work inside the fixed-step loop).
@usableFromInline struct PeriodicTimer: Sendable {
    @usableFromInline var elapsed = Milliseconds.zero

    @inlinable init() {}

    /// Advances by one step; true when a period has passed (and starts the next).
    @inlinable mutating func tick(_ step: Milliseconds, period: Milliseconds) -> Bool {
        elapsed = elapsed + step
        guard elapsed >= period else { return false }
        elapsed = .zero
        return true
    }
}

/// Step counters saturate here rather than overflow (10^6 steps: more than a day at 100 ms, far
/// beyond every duration a phase compares them with). Declared as Int64 (Int32 -> Int64 widening
/// is generic, and allocates, in Embedded mode; the narrowing below is not).
@usableFromInline let stepCountCeiling64: Int64 = 1_000_000
/// `stepCountCeiling64` for the Int32 step counters.
@usableFromInline let stepCountCeiling = Int32(truncatingIfNeeded: stepCountCeiling64)
