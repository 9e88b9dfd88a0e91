/// One protection tier of one quantity: set after the limit has been exceeded for a debounce time
/// and a debounce count of fresh samples; released (unless latching) after the value has been back
/// inside the limit by a margin for a release time.
@usableFromInline struct TierState: Sendable {
    @usableFromInline var active = false
    @usableFromInline var setTime = Milliseconds.zero
    @usableFromInline var setCount: Int32 = 0
    @usableFromInline var releaseTime = Milliseconds.zero

    /// With `holds` false the tier is active only while its debounced condition holds (the safety
    /// tier: the controller latches it, so after a reset only a present condition trips again).
    @inlinable mutating func update(exceeded: Bool, clearByMargin: Bool, fresh: Bool, step: Milliseconds, timing: TierTiming, holds: Bool = true) -> Bool {
        if !holds, !exceeded { active = false }
        if exceeded {
            setTime = setTime + step
            if fresh { setCount = min(setCount &+ 1, stepCountCeiling) }  // saturates: no wrap after 2^31 frames
            releaseTime = .zero
            if setTime >= timing.debounceTime, setCount >= timing.debounceCount { active = true }
        } else {
            setTime = .zero
            setCount = 0
            if active {
                releaseTime = clearByMargin ? releaseTime + step : .zero
                if releaseTime >= timing.releaseTime { active = false }
            }
        }
        return active
    }
}

/// Debounce and release timing shared by the tiers.
public struct TierTiming: Sendable {
    /// A limit must be exceeded this long ...
    public var debounceTime: Milliseconds
    /// ... and in this many consecutive fresh samples (stale frames do not count).
    public var debounceCount: Int32
    /// A warning or alarm releases after the value has been back inside by the margin this long.
    public var releaseTime: Milliseconds

    @inlinable public init(debounceTime: Milliseconds, debounceCount: Int32, releaseTime: Milliseconds) {
        self.debounceTime = debounceTime
        self.debounceCount = debounceCount
        self.releaseTime = releaseTime
    }
}

/// The three tiers of one monitored quantity (foxBMS style): maximum operating limit (warning,
/// derate), recommended safety limit (alarm, no current in that direction), maximum safety limit
/// (latched fault, disconnect).
@usableFromInline struct LimitMonitor: Sendable {
    @usableFromInline var operating = TierState()
    @usableFromInline var recommended = TierState()
    @usableFromInline var safety = TierState()

    /// Feeds one value. `upper`: the limits are maxima (else minima). An invalid value changes
    /// nothing (the measurement-validity fault handles it).
    @inlinable mutating func update(
        _ value: Float, limits: (operating: Float, recommended: Float, safety: Float), upper: Bool, margin: Float, valid: Bool,
        fresh: Bool, step: Milliseconds, timing: TierTiming
    ) -> (warning: Bool, alarm: Bool, trip: Bool) {
        guard valid else { return (operating.active, recommended.active, safety.active) }
        func beyond(_ limit: Float) -> Bool { upper ? value > limit : value < limit }
        func inside(_ limit: Float) -> Bool { upper ? value <= limit - margin : value >= limit + margin }
        let w = operating.update(exceeded: beyond(limits.operating), clearByMargin: inside(limits.operating), fresh: fresh, step: step, timing: timing)
        let a = recommended.update(exceeded: beyond(limits.recommended), clearByMargin: inside(limits.recommended), fresh: fresh, step: step, timing: timing)
        let t = safety.update(
            exceeded: beyond(limits.safety), clearByMargin: inside(limits.safety), fresh: fresh, step: step, timing: timing, holds: false)
        return (w, a, t)
    }
}
