/// What the validate phase made of one frame: summaries of the plausible readings, and what was
/// wrong with the others.
struct ValidatedFrame<let maxCells: Int, let maxModules: Int> {
    /// The cell voltages (failed-short cells left out).
    var cells: CellSummary<maxCells, maxModules>
    /// The module temperatures.
    var temperatures: TemperatureSummary<maxCells, maxModules>
    /// The frame's time did not advance past the last one's.
    var stale: Bool
    /// The pack current is a finite reading inside its plausible range.
    var currentValid: Bool
    /// A channel repeats the bit-identical value where it should move.
    var stuck: Bool
    /// What was found wrong, one bit per kind.
    var flags: MeasurementFlags
    /// Invalid readings have lasted past the protection debounce (latch `measurementInvalid`).
    var invalidConfirmed: Bool

    /// A new frame (not stale).
    var fresh: Bool { !stale }
    /// Every reading plausible, fresh and moving.
    var allValid: Bool { cells.valid && temperatures.valid && currentValid && !stale && !stuck }
}

/// Phase 1, validate: plausibility of every reading (range, NaN, open wire, stuck channels, cell
/// sum against pack voltage, stale frames), failed-short cells set aside, and the mean module
/// temperature of the last valid frame.
struct MeasurementValidator<let maxCells: Int, let maxModules: Int>: Sendable {
    var lastFrameTime: Milliseconds?
    var stuckDetector = StuckDetector<maxCells, maxModules>()
    var failedShort = FailedShortDetector<maxCells, maxModules>()
    var cellSumMismatch: Debouncer
    var invalidMeasurement: Debouncer
    /// Mean module temperature of the last frame whose temperatures were all valid (the
    /// resistance reference temperature until the first).
    private(set) var meanTemperature: Celsius

    init(configuration c: CoreConfiguration) {
        cellSumMismatch = Debouncer(time: c.validation.cellSumDebounce, step: c.step)
        invalidMeasurement = Debouncer(time: c.protection.debounce, step: c.step)
        meanTemperature = c.cellModel.resistanceReference
    }

    /// Cells left out of the statistics (failed short, confirmed or suspected).
    var excluded: InlineArray<maxCells, Bool> { failedShort.excluded }

    /// Judges one frame.
    mutating func validate(_ frame: MeasurementFrame<maxCells, maxModules>, configuration c: CoreConfiguration) -> ValidatedFrame<maxCells, maxModules> {
        let v = c.validation
        let time = frame.time
        let stale = lastFrameTime.map { time <= $0 } ?? false
        if !stale { lastFrameTime = time }
        if c.cellModel.failsShort, !stale {
            failedShort.update(
                frame, count: c.cellCount, confirmSteps: Int32(truncatingIfNeeded: v.failedShortConfirmation.count / c.step.count), settings: v)
        }
        let cells = CellSummary<maxCells, maxModules>(
            frame, count: c.cellCount, plausible: c.plausibility.cellVoltage, excluded: failedShort.excluded, settings: v)
        let temps = TemperatureSummary<maxCells, maxModules>(frame, count: c.moduleCount, plausible: c.plausibility.temperature)
        var flags = cells.flags
        flags.insert(temps.flags)
        if !frame.packCurrent.isFinite {
            flags.insert(.notANumber)
        } else if !c.plausibility.current.contains(frame.packCurrent) {
            flags.insert(.outOfRange)
        }
        if stale { flags.insert(.stale) }
        let currentValid = frame.packCurrent.isFinite && c.plausibility.current.contains(frame.packCurrent)
        let stuck = !stale && stuckDetector.update(frame, cellCount: c.cellCount, moduleCount: c.moduleCount, settings: v)
        if stuck { flags.insert(.stuck) }
        // The cells must add up to the pack voltage (within the relative and absolute tolerance).
        let packVoltage = frame.packVoltage.value
        let sumOff = cells.valid && packVoltage.isFinite
            && abs(cells.sum - packVoltage) > v.cellSumRelativeTolerance.value * abs(packVoltage) + v.cellSumAbsoluteTolerance.value
        if cellSumMismatch.update(sumOff) { flags.insert(.cellSumMismatch) }
        var result = ValidatedFrame(
            cells: cells, temperatures: temps, stale: stale, currentValid: currentValid, stuck: stuck, flags: flags, invalidConfirmed: false)
        result.invalidConfirmed = invalidMeasurement.update(!result.allValid)
        if temps.valid { meanTemperature = Celsius(temps.sum / Float(c.moduleCount)) }
        return result
    }
}
