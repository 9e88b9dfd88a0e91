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

    @inlinable public var isEmpty: Bool { rawValue == 0 }
    @inlinable public func contains(_ other: MeasurementFlags) -> Bool { rawValue & other.rawValue == other.rawValue }
    @inlinable public mutating func insert(_ other: MeasurementFlags) { rawValue |= other.rawValue }
}

/// Plausibility checks that need memory across frames: stuck channels.
///
/// A cell-voltage channel is stuck when it repeats the bit-identical value for `cellStuckSamples`
/// fresh frames while the pack current swings by more than `movingCurrent` (a live, noisy,
/// quantised reading under a changing load moves); a temperature channel when it repeats for
/// `temperatureStuckSamples` while the pack carries more than `movingCurrent` (a loaded pack warms).
/// (A stuck current sensor needs a redundant one to be told from a steady load: not done here.)
struct StuckDetector<let maxCells: Int, let maxModules: Int>: Sendable {
    var lastCell: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    var cellRepeats: InlineArray<maxCells, Int32> = InlineArray(repeating: 0)
    var lastTemperature: InlineArray<maxModules, Float> = InlineArray(repeating: .nan)
    var temperatureRepeats: InlineArray<maxModules, Int32> = InlineArray(repeating: 0)
    var currentLow: Float = .infinity
    var currentHigh: Float = -.infinity
    var windowSamples: Int32 = 0

    static var cellStuckSamples: Int32 { 50 }
    static var temperatureStuckSamples: Int32 { 6000 }
    static var movingCurrent: Float { 1 }

    /// Feeds a fresh frame; returns whether any channel is stuck.
    mutating func update(_ f: MeasurementFrame<maxCells, maxModules>, cellCount: Int, moduleCount: Int) -> Bool {
        // The current's swing over the cell window tells whether the readings should be moving.
        let i = f.packCurrent.value
        if i.isFinite {
            currentLow = min(currentLow, i)
            currentHigh = max(currentHigh, i)
        }
        windowSamples &+= 1
        let moving = currentHigh - currentLow > Self.movingCurrent
        var stuck = false
        for k in 0..<cellCount {
            let v = f.cellVoltages[k].value
            cellRepeats[k] = v == lastCell[k] ? cellRepeats[k] &+ 1 : 0
            lastCell[k] = v
            if moving, cellRepeats[k] >= Self.cellStuckSamples { stuck = true }
        }
        let loaded = abs(i) > Self.movingCurrent
        for m in 0..<moduleCount {
            let t = f.moduleTemperatures[m].value
            temperatureRepeats[m] = t == lastTemperature[m] ? temperatureRepeats[m] &+ 1 : 0
            lastTemperature[m] = t
            if loaded, temperatureRepeats[m] >= Self.temperatureStuckSamples { stuck = true }
        }
        if windowSamples >= Self.cellStuckSamples {
            windowSamples = 0
            currentLow = .infinity
            currentHigh = -.infinity
        }
        return stuck
    }
}
