/// Full-charge detection and the estimate phase's periodic checks (`SoCEstimation`).
public struct FullChargeSettings: Sendable {
    /// Full charge needs the charge current tapered below this (C/20: the end-of-charge current of
    /// constant-voltage charging in the makers' manuals), both measured and allowed by the
    /// firmware's own charge limit (a small charge the EMS merely asked for is no taper).
    public var taperCurrent: CRate
    /// ... with the highest cell at the charge-end voltage for this long (one minute: the highest
    /// of many noisy cells reads about two sigma high on single samples).
    public var hold: Milliseconds
    /// How sure a full charge makes the SoC (1 %: the taper leaves at most C/20 for a minute).
    public var socSigma: StateOfCharge
    /// How often the loaded voltage is checked against the estimate (once a minute: the checks
    /// of neighbouring minutes share their model error).
    public var loadedCheckPeriod: Milliseconds
    /// `chargeBalance` is raised when the estimated current offset exceeds the plausible one by
    /// this many standard deviations (3: a one-in-370 false warning per look).
    public var chargeBalanceSigmas: Float

    @inlinable public init(
        taperCurrent: CRate = .per(hours: 20), hold: Milliseconds = Milliseconds(60_000), socSigma: StateOfCharge = StateOfCharge(0.01),
        loadedCheckPeriod: Milliseconds = Milliseconds(60_000), chargeBalanceSigmas: Float = 3
    ) {
        self.taperCurrent = taperCurrent
        self.hold = hold
        self.socSigma = socSigma
        self.loadedCheckPeriod = loadedCheckPeriod
        self.chargeBalanceSigmas = chargeBalanceSigmas
    }
}
