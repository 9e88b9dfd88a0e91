/// The failure state of one cell.
public enum CellFailure: Sendable, Equatable {
    case healthy
    /// A leakage path across the cell of this resistance (ohms); `fixed` ones do not evolve.
    case leakage(resistance_ohm: Double, fixed: Bool)
    /// Failed short: about 0 V and about 0 ohm (ZEBRA); the string runs one cell down.
    case failedShort
    /// Failed open / very high resistance (Na-S).
    case open

    /// True for every state but `healthy`.
    public var isFailed: Bool { self != .healthy }
}

/// Growth of a dendritic leakage path: from `initial` ohms down to `final` with time constant `tau`.
enum LeakageGrowth {
    static let initial_ohm = 10.0
    static let final_ohm = 0.005
    static let tau_s = 3600.0
    /// Resistance of an open (failed) Na-S cell, ohms.
    static let open_ohm = 1e6
}
