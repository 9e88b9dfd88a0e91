/// What validation found wrong with the measurements, one bit per kind (not latched: the state of
/// the last frame). Persisting problems latch `FaultFlags.measurementInvalid`.
public struct MeasurementFlags: Hashable, Sendable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let clear = MeasurementFlags(rawValue: 0)
    /// The frame's timestamp did not advance (missing or repeated frame).
    public static let stale = MeasurementFlags(rawValue: 1 << 0)
    /// A reading is NaN or infinite.
    public static let notANumber = MeasurementFlags(rawValue: 1 << 1)
    /// A reading is outside its plausible range.
    public static let outOfRange = MeasurementFlags(rawValue: 1 << 2)
    /// A cell sense wire is open: a cell reads about 0 V and its neighbour about two cells.
    public static let openWire = MeasurementFlags(rawValue: 1 << 3)
    /// A channel has repeated the exact same reading while it should have moved.
    public static let stuck = MeasurementFlags(rawValue: 1 << 4)
    /// The cells do not add up to the pack voltage.
    public static let cellSumMismatch = MeasurementFlags(rawValue: 1 << 5)
    /// The current does not balance the charge the cells show: the SoC filter needs a
    /// current-sensor offset beyond `PlausibilityRanges.currentOffset` (surely: by three sigma)
    /// to reconcile the counted charge with the voltages and rests. A failing sensor, or a
    /// capacity far from the rated one. A warning.
    public static let chargeBalance = MeasurementFlags(rawValue: 1 << 6)
    /// The pack current and the second current sensor disagree beyond
    /// `ValidationSettings.currentAgreement` for `currentAgreementTime`: one of them is wrong
    /// (a drift, a gain fault), and neither can be trusted.
    public static let currentMismatch = MeasurementFlags(rawValue: 1 << 7)
    /// The cells' sum and the pack voltage have drifted apart since they were learnt
    /// (`VoltageDriftMonitor`): a cell channel or the pack channel drifts, and no cell reading
    /// can be trusted for protection.
    public static let voltageChannelDrift = MeasurementFlags(rawValue: 1 << 8)

    @inlinable public var isEmpty: Bool { rawValue == 0 }
    @inlinable public func contains(_ other: MeasurementFlags) -> Bool { rawValue & other.rawValue == other.rawValue }
    @inlinable public mutating func insert(_ other: MeasurementFlags) { rawValue |= other.rawValue }
}
