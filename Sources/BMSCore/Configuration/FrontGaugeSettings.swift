/// The ZEBRA reaction-front resistance read (`FrontResistanceGauge`).
public struct FrontGaugeSettings: Sendable {
    /// Current change between frames t-3 and t that makes the step t-2 -> t-1 a sample (0.3 A).
    public var minimumStep: Amperes = Amperes(0.3)
    /// Length of one read (10 min: the front moves less than 1 % of depth at C/5).
    public var window: Milliseconds = Milliseconds(600_000)
    /// Least sum of dI z in a window for a read, A^2.
    public var minimumExcitation: Float = 2
    /// Fewest samples in a window for a read.
    public var minimumSamples: Int32 = 8

    public init() {}
}
