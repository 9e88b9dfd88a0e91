/// The per-cell SoC difference filter (`CellDeltaFilter`, bar-delta).
public struct CellDeltaSettings: Sendable {
    /// Initial uncertainty of every cell's difference (2 %: a commissioned string's spread).
    public var initialSigma: StateOfCharge = StateOfCharge(0.02)
    /// Random walk of a difference per sqrt(hour) (capacity and self-discharge differences).
    public var walk_per_sqrt_h: Float = 0.002
    /// A cell whose difference falls faster than this per hour between two rests at least an
    /// hour apart (while both reads are sharp) is losing charge the others do not: a soft short
    /// (0.5 %/h: ten times the self-discharge spread of healthy cells).
    public var softShortRate_per_h: Float = 0.005
    /// One cell's resting read spans this many sigmas of its voltage (3: at two, one cell in
    /// twenty would read a narrow range off a plateau's sloped end at every rest).
    public var readSigmas: Float = 3
    /// The smallest uncertainty a read is given (0.1 %: the OCV table's own resolution).
    public var readSigmaFloor: StateOfCharge = StateOfCharge(1e-3)
    /// A read this sharp (one sigma) counts for the soft-short comparison (1 %).
    public var sharpRead: StateOfCharge = StateOfCharge(0.01)

    public init() {}
}
