/// Settings of the capacity estimate from SoC anchors (`CapacityEstimator`).
public struct CapacitySettings: Sendable {
    /// Largest anchor uncertainty (one sigma) that still anchors (2 %).
    public var maximumAnchorSigma: StateOfCharge = StateOfCharge(0.02)
    /// Smallest SoC swing between anchors for a sample (30 %: two 2 % anchors give 10 % then).
    public var minimumSwing: StateOfCharge = StateOfCharge(0.3)
    /// A smaller swing, down to half `minimumSwing`, makes a sample where its two anchors are
    /// sharp enough that their sigmas over it stay within what two `maximumAnchorSigma` anchors
    /// give over `minimumSwing` (9.4 % at the defaults): rest reads on a slope (sigma 0.4 ...
    /// 1.2 %) 15 ... 30 points apart. A string that lives in a narrow SoC band otherwise never
    /// measures its fade (a sulfide year under the `mix` dispatch: every anchor at 6 ... 32 %
    /// from day 82 on, and no sample for the rest of the year).
    @inlinable public var maximumAnchorRelative: Float {
        Float(2).squareRoot() * maximumAnchorSigma.value / minimumSwing.value
    }
    /// Weight kept of the pooled estimate per new sample (0.9: the last ten or so swings count).
    public var forgetting: Ratio = Ratio(0.9)
    /// The capacity state of health the firmware assumes before it has measured one (1: a pack
    /// commissioned new) ...
    public var assumedSoH: Ratio = Ratio(1)
    /// ... and its uncertainty (one sigma; 3 %: the spread of a new lot's capacity about its
    /// datasheet value). The SoC filter carries it: every counted change of SoC is uncertain by
    /// this share of itself until a measurement narrows it.
    public var assumedSoHSigma: Ratio = Ratio(0.03)
    /// The smallest uncertainty a measured capacity is given (one sigma, 1 %: the current
    /// sensor's gain error and offset over the hours between anchors).
    public var measuredSigmaFloor: Ratio = Ratio(0.01)
    /// How far the capacity may fade unmeasured, one sigma per year (2 %: calendar fade of a
    /// stationary pack). The SoC filter's capacity uncertainty grows by it between measurements.
    public var fadeSigmaPerYear: Ratio = Ratio(0.02)
    /// A measured capacity outside this share of the rated one is not used (it is a counting or
    /// anchor error, not a cell: 50 ... 120 %).
    public var plausibleSoH: ClosedRange<Float> = 0.5...1.2

    public init() {}
}
