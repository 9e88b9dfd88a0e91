/// The current sensor's offset from direct reads only: readings taken while no current flows
/// (behind open contactors, or a lasting rest's average on an idle converter).
///
/// Unlike the SoC filter's offset state, which also learns from voltage innovations (where a
/// capacity error looks like an offset), these reads do not depend on the capacity, so the
/// capacity estimator may take the offset out of the charge it counts between anchors. An
/// inverse-variance pooled mean whose weight stops growing at `sigmaFloor`, so that a slow drift
/// of the offset is followed.
public struct CurrentOffsetMeter: Sendable {
    /// The pooled offset, A (0 before the first read: no correction).
    @inlinable public var offset: Amperes { _read { yield Amperes(_offset) } }
    @usableFromInline var _offset: Float = 0
    /// The pool's weight, 1 / A^2 (0 before the first read).
    @usableFromInline var weight: Float = 0

    /// The uncertainty the pool never goes below, A (its weight's cap).
    @inlinable public static var sigmaFloor: Float { 0.001 }

    @inlinable public init() {}

    /// The offset's standard deviation, A (infinite before the first read).
    @inlinable public var sigma: Float { weight > 0 ? 1 / weight.squareRoot() : .infinity }

    /// Pools one read `measured` of a zero current, good to `sigma`.
    @inlinable public mutating func read(_ measured: Amperes, sigma: Float) {
        guard measured.value.isFinite, sigma.isFinite, sigma > 0 else { return }
        let w = 1 / (sigma * sigma)
        _offset += (measured.value - _offset) * w / (weight + w)
        weight = min(weight + w, 1 / (Self.sigmaFloor * Self.sigmaFloor))
    }
}
