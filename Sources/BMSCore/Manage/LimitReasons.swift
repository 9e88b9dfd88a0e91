/// Why a current limit stands below the rated current: every rule that reduced it in the last
/// step (several can at once). Empty: the rated current.
///
/// A bit set with its own few operations, like `FaultFlags` (OptionSet's array-literal and
/// sequence initialisers allocate in Embedded Swift).
public struct LimitReasons: Hashable, Sendable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// No reason: the rated current.
    @inlinable public init() { rawValue = 0 }

    @inlinable public var isEmpty: Bool { rawValue == 0 }
    @inlinable public func contains(_ other: LimitReasons) -> Bool { rawValue & other.rawValue == other.rawValue }
    @inlinable public mutating func insert(_ other: LimitReasons) { rawValue |= other.rawValue }
    @inlinable public func union(_ other: LimitReasons) -> LimitReasons { LimitReasons(rawValue: rawValue | other.rawValue) }

    /// Nothing may flow: a latched fault, a pack too cold, an invalid frame, or a connection
    /// sequence that is not closed.
    public static let noConduction = LimitReasons(rawValue: 1 << 0)
    /// The SoC ramp (the emptiest cell for discharge, the fullest for charge).
    public static let soc = LimitReasons(rawValue: 1 << 1)
    /// The voltage window (the lowest or highest cell voltage).
    public static let voltage = LimitReasons(rawValue: 1 << 2)
    /// A protection tier: a warning halves, an alarm zeroes (temperature, voltage, current).
    public static let protectionTier = LimitReasons(rawValue: 1 << 3)
    /// A worn cell's resistance (`CoreStatus.healthDerating`).
    public static let cellHealth = LimitReasons(rawValue: 1 << 4)
    /// Failed-short cells.
    public static let failedCells = LimitReasons(rawValue: 1 << 5)
    /// The critical current density at the coldest module (charge).
    public static let ccd = LimitReasons(rawValue: 1 << 6)
    /// Lost contact focusing the current: the CCD cap taken at the worst contact (charge).
    public static let contactLoss = LimitReasons(rawValue: 1 << 7)
    /// Below the rest threshold: no limit at all.
    public static let belowFloor = LimitReasons(rawValue: 1 << 8)
    /// The system mode forbids this direction (standby, charge-only, ...).
    public static let mode = LimitReasons(rawValue: 1 << 9)
    /// The freeze reserve holds discharge for the heaters.
    public static let freezeReserve = LimitReasons(rawValue: 1 << 10)
    /// The EMS heartbeat stood still: both limits held at zero.
    public static let emsLink = LimitReasons(rawValue: 1 << 11)
}

/// The reasons for both limits.
public struct LimitReasonPair: Sendable, Equatable {
    public var charge = LimitReasons()
    public var discharge = LimitReasons()
    @inlinable public init() {}

    /// Adds `reason` to the directions where `before` > `after`.
    @inlinable mutating func note(_ reason: LimitReasons, before: CurrentLimits, after: CurrentLimits) {
        if after.charge < before.charge { charge.insert(reason) }
        if after.discharge < before.discharge { discharge.insert(reason) }
    }
}
