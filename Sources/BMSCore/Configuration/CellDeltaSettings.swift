/// The per-cell SoC difference filter (`CellDeltaFilter`, bar-delta).
public struct CellDeltaSettings: Sendable {
    /// Initial uncertainty of every cell's difference (2 %: a commissioned string's spread).
    public var initialSigma: StateOfCharge = StateOfCharge(0.02)
    /// Random walk of a difference per sqrt(hour) (self-discharge differences).
    public var walk_per_sqrt_h: Float = 0.002
    /// Cell-to-cell spread of capacity about the mean cell's, as the spread of each cell's
    /// mismatch (mean capacity / cell capacity - 1; one sigma, 1 %: a matched lot). Charge that
    /// moves the mean cell by s moves cell k's difference by its mismatch times s, so a string
    /// of unequal cells fans out toward both ends of charge; the filter learns each cell's
    /// mismatch from rests at different SoCs (`CellDeltaFilter`).
    public var capacityMismatchSigma: Ratio = Ratio(0.01)
    /// A cell whose difference falls faster than this per hour between two rests at least an
    /// hour apart (while both reads are sharp), twice in a row, is losing charge the others do
    /// not: a soft short (0.5 %/h: ten times the self-discharge spread of healthy cells). Once
    /// was enough before: one read 1 to 3 % off (a cell's own relaxation or OCV spread) raised
    /// false soft shorts on end-of-life sulfide and new polymer strings of the sweep.
    public var softShortRate_per_h: Float = 0.005
    /// One cell's resting read spans this many sigmas of its voltage (3: at two, one cell in
    /// twenty would read a narrow range off a plateau's sloped end at every rest).
    public var readSigmas: Float = 3
    /// The smallest uncertainty a read is given (0.1 %: the OCV table's own resolution).
    public var readSigmaFloor: StateOfCharge = StateOfCharge(1e-3)
    /// A read this sharp (one sigma) counts for the soft-short comparison (1 %).
    public var sharpRead: StateOfCharge = StateOfCharge(0.01)
    /// Two reads are compared for the soft-short check only when the mean cell's SoC moved less
    /// than this between them (2 %): self-discharge is measured at one state of charge (where
    /// charge moved, cells of different capacity part).
    public var sameSoCForSoftShort: StateOfCharge = StateOfCharge(0.02)
    /// ... and only when the table's slope at the two reads' SoCs differs by less than this
    /// factor (1.25): a cell's constant voltage offset (its own OCV, its channel's offset) is a
    /// difference of offset / slope, which a change of slope moves. An outage's heaters drew a
    /// nearly empty ZEBRA string from 3.1 to 1.3 % between two rests, across the OCV's foot
    /// (its slope 1.4 and 11.7 V per unit): a false soft short.
    public var sameSlopeForSoftShort: Float = 1.25
    /// The cells' differences from the mean cell average to zero: a rest whose reads' ranges,
    /// averaged over the cells, miss zero by more than this (3 %) is read across different
    /// stretches of the table, and gives no per-cell reads. The reads take what all cells share
    /// (the mean rest voltage less the table's voltage at the mean cell's estimate) as common,
    /// which fails where the cells straddle a knee: an aged ZEBRA string rested deep in
    /// discharge with half its cells on the plateau and half on the step below has a mean
    /// voltage no cell has, and read against it the plateau cells came out at the top of
    /// charge.
    public var readConsistency: StateOfCharge = StateOfCharge(0.03)

    public init() {}
}
