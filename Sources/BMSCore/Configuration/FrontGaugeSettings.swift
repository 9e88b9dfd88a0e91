/// The mean cell's resistance read from the current's steps (`FrontResistanceGauge`): the ZEBRA
/// reaction front's (`CoreConfiguration.frontGauge`), or the resistance law's scale on a pack of
/// unknown history (`CoreConfiguration.scaleGauge`).
public struct FrontGaugeSettings: Sendable {
    /// Current change between frames t-3 and t that makes the step t-2 -> t-1 a sample (0.3 A).
    public var minimumStep: Amperes = Amperes(0.3)
    /// Length of one read (10 min: the front moves less than 1 % of depth at C/5).
    public var window: Milliseconds = Milliseconds(600_000)
    /// Least sum of dI z in a window for a read, A^2.
    public var minimumExcitation: Float = 2
    /// Fewest samples in a window for a read.
    public var minimumSamples: Int32 = 8
    /// Frames averaged into one value before steps are taken (1: each frame is a value). Over a
    /// block of n frames the current sensor's noise falls by the square root of n, so steps too
    /// small to tell from one frame's noise (an EMS's ramp of set-point steps) count; the
    /// modelled polarisation is added back by the caller, and what it leaves over a block is in
    /// the read's residuals.
    public var blockFrames: Int32 = 1
    /// Whether a current the firmware's own limit holds is no step (the scale gauge's: there the
    /// current follows the voltage through the limit, so a step and the voltage's error move
    /// together and no instrument separates them: an end-of-life Na-S string charged at its
    /// voltage limit read 0.66 times the law, against its later reads of 1.2 ... 1.4, and its
    /// charge's voltage read as 93 % full for a true 56 %). The ZEBRA front gauge keeps them:
    /// its reads at a tapering full charge calibrate its scale, and its 0.3 A steps at 100 ms
    /// stand above the limit's jitter.
    public var skipsLimitedCurrent = false

    public init() {}

    /// Settings with every figure given.
    @inlinable public init(minimumStep: Amperes, window: Milliseconds, minimumExcitation: Float, minimumSamples: Int32, blockFrames: Int32 = 1,
        skipsLimitedCurrent: Bool = false
    ) {
        self.minimumStep = minimumStep
        self.window = window
        self.minimumExcitation = minimumExcitation
        self.minimumSamples = minimumSamples
        self.blockFrames = blockFrames
        self.skipsLimitedCurrent = skipsLimitedCurrent
    }
}
