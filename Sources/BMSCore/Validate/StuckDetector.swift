/// Plausibility checks that need memory across frames: stuck channels.
///
/// A cell-voltage channel is stuck when it repeats the bit-identical value for `cellStuckSamples`
/// fresh frames while the pack current swings by more than `movingCurrent` (a live, noisy,
/// quantised reading under a changing load moves); a temperature channel when it repeats for
/// `temperatureStuckSamples` while the pack carries more than `movingCurrent` (a loaded pack warms);
/// the three numbers are `ValidationSettings`. A cell the failed-short check leaves out
/// (`excluded`: a suspect or a confirmed short) is not checked: its channel reads the short's
/// quantised 0 V, frame after frame, by physics.
/// A verdict holds until the channel's reading changes: the invalid frame stops the current, and
/// a verdict that needed the current flowing would clear on the next frame and return on the one
/// after (the charge limit switching every 100 ms).
/// (A stuck current sensor needs a redundant one to be told from a steady load: not done here.)
@usableFromInline struct StuckDetector<let maxCells: Int, let maxModules: Int>: Sendable {
    @usableFromInline var lastCell: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var cellRepeats: InlineArray<maxCells, Int32> = InlineArray(repeating: 0)
    @usableFromInline var lastTemperature: InlineArray<maxModules, Float> = InlineArray(repeating: .nan)
    @usableFromInline var temperatureRepeats: InlineArray<maxModules, Int32> = InlineArray(repeating: 0)
    /// Channels judged stuck, until their reading changes.
    @usableFromInline var cellStuck: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    @usableFromInline var temperatureStuck: InlineArray<maxModules, Bool> = InlineArray(repeating: false)
    @usableFromInline var currentLow: Float = .infinity
    @usableFromInline var currentHigh: Float = -.infinity
    @usableFromInline var windowSamples: Int32 = 0

    /// Feeds a fresh frame; returns whether any channel is stuck.
    @inlinable mutating func update(
        _ f: MeasurementFrame<maxCells, maxModules>, cellCount: Int, moduleCount: Int, excluded: InlineArray<maxCells, Bool>,
        settings: ValidationSettings
    ) -> Bool {
        let movingCurrent = settings.movingCurrent.value
        // The current's swing over the cell window tells whether the readings should be moving.
        let i = f.packCurrent.value
        if i.isFinite {
            currentLow = min(currentLow, i)
            currentHigh = max(currentHigh, i)
        }
        windowSamples &+= 1
        let moving = currentHigh - currentLow > movingCurrent
        var stuck = false
        for k in 0..<cellCount {
            let v = f.cellVoltages[k].value
            cellRepeats[k] = v == lastCell[k] ? min(cellRepeats[k] &+ 1, stepCountCeiling) : 0
            lastCell[k] = v
            if cellRepeats[k] == 0 || excluded[k] { cellStuck[k] = false }
            if moving, !excluded[k], cellRepeats[k] >= settings.cellStuckSamples { cellStuck[k] = true }
            if cellStuck[k] { stuck = true }
        }
        let loaded = abs(i) > movingCurrent
        for m in 0..<moduleCount {
            let t = f.moduleTemperatures[m].value
            temperatureRepeats[m] = t == lastTemperature[m] ? min(temperatureRepeats[m] &+ 1, stepCountCeiling) : 0
            lastTemperature[m] = t
            if temperatureRepeats[m] == 0 { temperatureStuck[m] = false }
            if loaded, temperatureRepeats[m] >= settings.temperatureStuckSamples { temperatureStuck[m] = true }
            if temperatureStuck[m] { stuck = true }
        }
        if windowSamples >= settings.cellStuckSamples {
            windowSamples = 0
            currentLow = .infinity
            currentHigh = -.infinity
        }
        return stuck
    }
}
