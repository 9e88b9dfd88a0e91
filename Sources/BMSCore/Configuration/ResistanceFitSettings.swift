/// The per-cell ohmic-resistance fit (`ResistanceEstimator`).
public struct ResistanceFitSettings: Sendable {
    /// Frames per block (10: 1 s blocks at 100 ms cut a 5 mV front end's noise by about 3).
    public var blockFrames: Int32 = 10
    /// Length of one window (one minute).
    public var window: Milliseconds = Milliseconds(60_000)
    /// Least sum of dI z for a fit (pooled, or of one window for `recent`), A^2.
    public var minimumExcitation: Float = 0.05
    /// A block-to-block current change at least this large (step and instrument alike) counts as
    /// a step: 6 sigma of a 1 s block mean with a 50 mA noisy sensor. While the four block
    /// currents of a pair and its instrument all lie within it of zero, the pack rests and the
    /// pair adds nothing to the sums: at rest the pairs are the sensor's noise, which on average
    /// adds nothing, but whose random walk (about 0.09 A^2 at the pooled fit's memory with a
    /// 50 mA sensor) outgrew a decaying day's excitation and dragged the fit tens of percent over
    /// a standby day. (Gating every pair on its instrument instead also dropped a working
    /// string's small steps, and re-rolled the contact-loss detector's noise into a false alarm
    /// on a new ZEBRA string, sweep run 86.)
    public var minimumStep: Amperes = Amperes(0.1)
    /// Steps the pooled sums must hold for a fit: one step, such as the contactors closing onto a
    /// steady load, is one sample of the fast RC response and the sensor's noise, not a
    /// resistance; a constant-power charge has no steps at all.
    public var minimumSteps: Float = 30
    /// The short-term (`recent`) fit needs `minimumSteps` divided by this (3: an hour holds
    /// fewer steps than the pooled day).
    public var recentStepsDivisor: Float = 3
    /// Weight kept of the pooled sums per window (0.999: about 17 h of memory).
    public var forgetting: Ratio = Ratio(0.999)
    /// Weight kept of the short-term sums per window (0.983: about an hour of memory).
    public var shortForgetting: Ratio = Ratio(0.983)

    public init() {}
}
