/// The interface split and contact-loss detection (`InterfaceHealth`).
public struct InterfaceHealthSettings: Sendable {
    /// Rise of the last hour over the long term that makes a step, as a share of the cell's
    /// interface part (`CellModel.interfaceResistance`): 0.5 is a cell left with two thirds of
    /// its contact (R_int / f = 1.5 R_int), so that a cell at half its contact stands at twice the
    /// threshold. In terms of the whole resistance that is 6 % on a ZEBRA or NASICON cell, whose
    /// interface is an eighth of it, and 40 % on a sulfide or polymer cell, whose interface is
    /// most of it.
    public var contactStep: Ratio = Ratio(0.5)
    /// The smallest rise of the whole resistance that makes a step (5 %: what an hour's fit
    /// resolves against the cells' temperature and SoC differences), whatever the interface
    /// share.
    public var minimumStep: Ratio = Ratio(0.05)
    /// A step must also stand this many of the cells' robust standard deviations above the
    /// median cell (4: one-sided 3e-5 per independent cell-hour of Gaussian scatter; at 5 a
    /// NASICON delamination under 5 mV sensors went unflagged for the two hours allowed).
    public var stepSigmas: Float = 4
    /// Consecutive windows a step must persist (5 minutes).
    public var confirmWindows: Int32 = 5
    /// Rise over the baseline that is noise, not interface (10 % of the baseline).
    public var riseDeadband: Ratio = Ratio(0.1)
    /// Windows fitted before the baseline is taken (two hours of one-minute windows).
    public var baselineWindows: Int32 = 120
    /// Current steps the pooled fit must hold when the baseline is taken (ten times what a fit
    /// needs): on duty with few steps (arbitrage's flat blocks) an early fit is too weak to be
    /// every later rise's reference, and no interface estimate is better than a wrong one.
    public var baselineSteps: Float = 300
    /// The pack SoC (the firmware's estimate) within which a window is step evidence, and for
    /// the short fit's whole memory (an hour): near either end the cells' own SoC spread moves
    /// their resistance apart (Na-S below 30 %, where the weakest cell's resistance rises
    /// first), which is not a contact loss. A step is still found once the SoC is back inside.
    public var evidenceSoC: ClosedRange<Float> = 0.3...0.9

    public init() {}
}
