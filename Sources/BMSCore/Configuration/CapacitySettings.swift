/// Capacity estimation from the charge between SoC anchors (`CapacityEstimator`).
public struct CapacitySettings: Sendable {
    /// Largest anchor uncertainty (one sigma) that still anchors (2 %).
    public var maximumAnchorSigma: StateOfCharge = StateOfCharge(0.02)
    /// Smallest SoC swing between anchors for a sample (30 %: two 2 % anchors give 10 % then).
    public var minimumSwing: StateOfCharge = StateOfCharge(0.3)
    /// Weight kept of the pooled estimate per new sample (0.9: the last ten or so swings count).
    public var forgetting: Ratio = Ratio(0.9)

    public init() {}
}
