/// Passive cell balancing on estimated SoC (`BalancingControl`).
public struct BalancingSettings: Sendable {
    /// Whether the firmware balances at all (Na-NiCl2 cells do not need it: docs/core.md).
    public var enabled: Bool
    /// SoC lead over the emptiest cell at which a cell starts bleeding.
    public var threshold: StateOfCharge
    /// SoC lead at which it stops.
    public var release: StateOfCharge
    /// The bleed resistor of one cell.
    public var bleedResistance: Ohms
    /// No bleeding below this cell voltage.
    public var minimumCellVoltage: Volts
    /// The bleed mask is decided this often (once a second: the SoC differences move far slower).
    public var decisionPeriod: Milliseconds

    @inlinable public init(
        enabled: Bool = true, threshold: StateOfCharge = StateOfCharge(0.01), release: StateOfCharge = StateOfCharge(0.003),
        bleedResistance: Ohms = Ohms(30), minimumCellVoltage: Volts = .zero, decisionPeriod: Milliseconds = Milliseconds(1000)
    ) {
        self.enabled = enabled
        self.threshold = threshold
        self.release = release
        self.bleedResistance = bleedResistance
        self.minimumCellVoltage = minimumCellVoltage
        self.decisionPeriod = decisionPeriod
    }
}
