/// How the manage phase (`Derating`) lowers the current limits for the string's health.
public struct DeratingSettings: Sendable {
    /// Each failed-short cell (ZEBRA) takes this fraction off both limits ... (10 %: the string
    /// loses a cell's voltage and the others carry more of the heat and the window; the makers'
    /// operating manuals derate by about that much per bypassed cell).
    public var perFailedCell: Ratio
    /// ... but at least this fraction of them is kept.
    public var failedCellFloor: Ratio
    /// More failed cells than this fraction of the string take it out of service (latched): past
    /// 5 % the string voltage leaves the converter's window.
    public var outOfServiceFraction: Ratio
    /// A cell whose resistance at the reference exceeds the datasheet's by this factor derates
    /// both limits to sqrt(factor R0 / R): its Joule heat stays that of a cell `factor` above the
    /// datasheet (1.2: the makers' end-of-life resistance is +20 % at rated heat).
    public var healthResistanceFactor: Ratio

    @inlinable public init(
        perFailedCell: Ratio = Ratio(0.1), failedCellFloor: Ratio = Ratio(0.5), outOfServiceFraction: Ratio = Ratio(0.05),
        healthResistanceFactor: Ratio = Ratio(1.2)
    ) {
        self.perFailedCell = perFailedCell
        self.failedCellFloor = failedCellFloor
        self.outOfServiceFraction = outOfServiceFraction
        self.healthResistanceFactor = healthResistanceFactor
    }
}
