/// The interface split and contact-loss detection (`InterfaceHealth`).
public struct InterfaceHealthSettings: Sendable {
    /// Rise of the last hour over the long term that makes a step, as a share of the cell's
    /// interface part (`CellModel.interfaceResistance`): 0.5 is a cell left with two thirds of
    /// its contact (R_int / f = 1.5 R_int), so that a cell at half its contact stands at twice the
    /// threshold. In terms of the whole resistance that is 6 % on a ZEBRA or NASICON cell, whose
    /// interface is an eighth of it (below `minimumStep`, which is their threshold), and 40 % on
    /// a sulfide or polymer cell, whose interface is most of it.
    public var contactStep: Ratio = Ratio(0.5)
    /// The smallest rise of the whole resistance that makes a step, whatever the interface share
    /// (7.5 %: a ZEBRA or NASICON cell at half its contact, +12.5 %, stands 1.67 times past it).
    /// What an hour's fit cannot resolve lies under it: the cells' temperature and SoC
    /// differences, and on ZEBRA each cell's own reaction front, which the firmware does not
    /// see on the plateau (it normalises every cell by the mean cell's depth): with 0.5 mV
    /// sensors an end-of-life ZEBRA cell's fit moved 3.6 % against its neighbours' in 1.5 h of
    /// frequency regulation. At 5 % two ZEBRA strings of 1000 nominal runs latched a false
    /// `contactLoss` on a cell 7 ... 8 % up for half an hour (`ContactLossFalseAlarmTests`).
    public var minimumStep: Ratio = Ratio(0.075)
    /// A step must also stand this many of the cells' robust standard deviations above the
    /// median cell (the wider of the window's scatter and its average over the fit's memory):
    /// 3.5, with the evidence gathered over windows (`confirmEvidence`) rather than in one. At 3,
    /// 2 of the shipped sweep's first 60 nominal runs raised a false `contactLoss` (none at 3.5);
    /// at 4 the delaminated NASICON cell under 5 mV sensors took past two hours; with 4 and a
    /// single window's scatter (the former rule) a healthy cell passed whenever the 20 cells' MAD
    /// dipped.
    public var stepSigmas: Float = 3.5
    /// Step evidence that confirms a contact loss (`InterfaceHealth`'s CUSUM: each excited window
    /// adds twice its rise over the gate in gate units, capped at +-1): ten windows at 1.5 times
    /// the gate, hours just past it. At 5 windows in a row (the former rule) the worst of 20
    /// healthy cells, a different one every half hour on frequency regulation, stood just past
    /// the gate long enough in one nominal day out of ten.
    public var confirmEvidence: Float = 10
    /// Memories of new data in the short fit (`ResistanceEstimator.recentNewShare` summed) over
    /// which a cell's evidence must have stood to confirm while its ratio stands over the
    /// median's by less than 1.5 times the noise's bar (5.25 sigmas; `InterfaceHealth`): hour
    /// fits two memories apart share at most 14 % of their data. Without it a new NASICON string on
    /// frequency regulation latched a false `contactLoss` from one cell's hour fit, 4 sigmas
    /// high for an hour (targets sweep seed 41, run 632). A constant, not a
    /// setting: the firmware image has no room for another validated one.
    public static let confirmMemories: Float = 2
    /// The cells' scatter, as a multiple of the step threshold, past which a window is no
    /// evidence (2: a cell at a fifth of its contact, eight thresholds up, still stands four
    /// sigmas out; in a window scattered wider only a fit's outliers do).
    public var scatterLimit: Float = 2
    /// How old the long-term fit a step is measured against is: one to two of these (an hour).
    /// Against the present one, a NASICON cell at a fifth of its contact (+55 %) stood only
    /// +25 % after two hours: the long-term fit had taken in a third of the step by then.
    public var referenceLag: Milliseconds = Milliseconds(3_600_000)
    /// The long-term fits are held as step references (and rotated) only while their excitation
    /// (`ResistanceEstimator`'s pooled sum(dI z)) is at least this many times the short fit's:
    /// a held fit then errs by at most about 0.6 (1 / sqrt 3) of what the hour's does. A held
    /// fit's error is in every later ratio, not averaged away by the evidence's persistence as
    /// the hour's is. Held at the baseline (two hours of fits, the hour's a third to a whole of
    /// that), a PV-firming string's first fits came from a morning's weak steps: one Na-S cell's
    /// fit 19.6 % low (3 of the cells' 6.5 %), its hour fit right, and the cell a false
    /// `contactLoss` (sweep run 861 of targets-200-per-chemistry.json). A constant, not a
    /// setting: the firmware image has no room for another validated one.
    public static let referenceExcitation: Float = 3
    /// A cell's long-term fit, as a ratio of the median cell's, within which its steps count
    /// (a production spread is a few percent; a fit outside a factor of two did not fit).
    public var plausibleSpread: ClosedRange<Float> = 0.5...2
    /// Rise over the baseline within which it is the fit's wander, not interface (10 % of the
    /// baseline). A rise past it counts whole in the interface estimate (the band decides whether
    /// the rise is real, not how much of it is) and past the band in the contact fraction (the
    /// CCD derating, which a wander's jump must not move).
    public var riseDeadband: Ratio = Ratio(0.1)
    /// Windows fitted before the baseline is taken (two hours of one-minute windows).
    public var baselineWindows: Int32 = 120
    /// Current steps the pooled fit must hold when the baseline is taken (ten times what a fit
    /// needs): on duty with few steps (arbitrage's flat blocks) an early fit is too weak to be
    /// every later rise's reference, and no interface estimate is better than a wrong one.
    public var baselineSteps: Float = 300
    /// The pack SoC (the firmware's estimate, two of its sigmas either way) within which a window
    /// is step evidence, and for the short fit's whole memory (an hour): the range the lab's pulse
    /// test measured (15 ... 90 %, docs/characterisation.md), inside which every chemistry's
    /// pulse resistances follow the firmware's law to within less than `minimumStep` (Na-S's 15 %
    /// pulse reads 5 % over its 50 % one), so that a cell's own SoC cannot by itself make a step.
    /// Outside it the firmware knows nothing of how the resistance moves with the SoC (near the
    /// ends the cells' own SoC spread moves their resistances apart, the weakest cell's first):
    /// there a step counts only past the edges' gross bar (`EdgeStanding.grossRise`, +50 %) over
    /// the median cell's change as a ratio, which a sulfide or polymer cell's loss of half its
    /// contact clears (2026-12-07; before, a string that stayed outside never found its loss:
    /// health sweep run 99, a sulfide string regulating at 6 ... 11 %). From 30 % (until 2026-12-05) the health
    /// sweep missed 6 of its 12 contact losses on frequency regulation, 5 of them found since
    /// (Na-S strings on that duty settle near 22 %; docs/sweeps.md).
    public var evidenceSoC: ClosedRange<Float> = 0.15...0.9

    /// Whether the pack's SoC estimate `soc`, two of its standard deviations `sigma` either way,
    /// lies inside `evidenceSoC`: an estimate started low on a plateau can sit inside while the
    /// cells are past the bound (an end-of-life Na-S string read 0.89 ... 0.90 for three hours at
    /// a true 0.97, its sulphur end effect a false step). A NaN sigma is never inside.
    @inlinable public func evidenceSoCHolds(_ soc: StateOfCharge, sigma: Float) -> Bool {
        let uncertainty = 2 * sigma
        return soc.value - uncertainty >= evidenceSoC.lowerBound && soc.value + uncertainty <= evidenceSoC.upperBound
    }
    /// The mean cell's interface part at the reference temperature as measured at commissioning
    /// (an impedance test of sample cells of this pack, docs/characterisation.md "At
    /// commissioning"); zero: none measured, and the datasheet's (`CellModel.interfaceResistance`)
    /// stands. A pack of unknown history needs it: its resistance above the datasheet's may be
    /// electrolyte or interface, and a 10 Hz fit cannot tell which (their arcs lie above 1 Hz and
    /// their activation energies within 0.1 eV of each other).
    public var commissionedInterface: Ohms = .zero
    /// The mean cell's whole resistance at the reference temperature as the same test measured
    /// it at commissioning (what the 10 Hz fit sees: the series part and the fast arcs); zero:
    /// none measured. The baseline, the fit once it has held enough steps (hours in), is brought
    /// back to it by the read cells' change since (`InterfaceHealth.sinceCommissioning`): a new
    /// sulfide cell's interphase grows by a tenth of its whole resistance in those first hours.
    public var commissionedResistance: Ohms = .zero
    /// How many cells the commissioning test read (`commissionedCell(_:of:cells:)` says which):
    /// the baseline compares the fits of those cells with `commissionedResistance`, not the
    /// whole string's (a worn string's cells spread by several percent, and three of them read
    /// 5 % below the string's mean on one nominal NASICON run).
    public var commissionedCells: Int32 = 0

    /// The `i`th of `count` cells an impedance test at commissioning reads in an `n`-cell string:
    /// spread evenly along it (cell i n / count), so that they span its modules.
    @inlinable public static func commissionedCell(_ i: Int, of count: Int, cells n: Int) -> Int { i * n / max(1, count) }

    public init() {}
}
