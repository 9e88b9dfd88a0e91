/// How far a metric may move from its baseline before the regression suite calls it a change:
/// |now - baseline| <= absolute + relative * |baseline|.
public struct Tolerance: Sendable, Equatable {
    public var absolute: Double
    public var relative: Double

    public init(absolute: Double, relative: Double = 0) {
        self.absolute = absolute
        self.relative = relative
    }

    /// Whether `now` is within tolerance of `baseline` (two missing values agree; one does not).
    public func accepts(_ now: Double?, baseline: Double?) -> Bool {
        switch (now, baseline) {
        case (nil, nil): true
        case let (n?, b?): abs(n - b) <= absolute + relative * abs(b) || (n.isNaN && b.isNaN)
        default: false
        }
    }

    /// Which way is better for a metric (nil: neither; any change beyond tolerance is a change).
    public enum Better: Sendable { case lower, higher, closerToZero }
}
