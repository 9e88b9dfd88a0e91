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
/// The current sensor is stuck when its reading repeats for `cellStuckSamples` fresh frames or more
/// while the mean cell voltage has turned at least twice by more than `movingVoltage` since the
/// reading last changed (the
/// cells answer a changing current through their resistance, up and down; a steady current moves
/// them one way only, as a relaxation does after the current stopped). A sensor that freezes under
/// a steady load is not caught until the load changes; with the relays open a steady zero is
/// physics.
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
    @usableFromInline var lastCurrent: Float = .nan
    @usableFromInline var currentRepeats: Int32 = 0
    /// The current sensor judged stuck, until its reading changes.
    @usableFromInline var currentStuck = false
    /// The mean cell voltage's zig-zag in the window: its extreme since the last turn, the
    /// direction (+1 rising, -1 falling, 0 not yet known) and the turns counted.
    @usableFromInline var zigExtreme: Float = .nan
    @usableFromInline var zigDirection: Int8 = 0
    @usableFromInline var turns: Int32 = 0
    @usableFromInline var windowSamples: Int32 = 0

    /// Feeds a fresh frame; returns whether any channel is stuck.
    @inlinable mutating func update(
        _ f: MeasurementFrame<maxCells, maxModules>, cellCount: Int, moduleCount: Int, excluded: Span<Bool>,
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
        var sum: Float = 0
        var n = 0
        for k in 0..<cellCount where !excluded[k] {
            let v = f.cellVoltages[k].value
            if v.isFinite {
                sum += v
                n += 1
            }
        }
        currentRepeats = i == lastCurrent ? min(currentRepeats &+ 1, stepCountCeiling) : 0
        lastCurrent = i
        // The turns are counted since the reading last changed.
        if currentRepeats == 0 {
            zigExtreme = .nan
            zigDirection = 0
            turns = 0
        }
        if n > 0 { zigZag(sum / Float(n), step: settings.movingVoltage.value) }
        if currentRepeats == 0 || !f.contactorClosed { currentStuck = false }
        if f.contactorClosed, currentRepeats >= settings.cellStuckSamples, turns >= 2 { currentStuck = true }
        if currentStuck { stuck = true }
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

    /// Follows the mean cell voltage `v`: a move of more than `step` against the present
    /// direction from its extreme is a turn.
    @inlinable mutating func zigZag(_ v: Float, step: Float) {
        guard zigExtreme.isFinite else {
            zigExtreme = v
            return
        }
        switch zigDirection {
        case 1:
            if v > zigExtreme { zigExtreme = v } else if zigExtreme - v > step { (zigDirection, zigExtreme, turns) = (-1, v, turns &+ 1) }
        case -1:
            if v < zigExtreme { zigExtreme = v } else if v - zigExtreme > step { (zigDirection, zigExtreme, turns) = (1, v, turns &+ 1) }
        default:
            if v - zigExtreme > step { (zigDirection, zigExtreme) = (1, v) } else if zigExtreme - v > step { (zigDirection, zigExtreme) = (-1, v) }
        }
    }
}
