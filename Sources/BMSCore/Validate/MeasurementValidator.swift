/// What the validate phase made of one frame: summaries of the plausible readings, and what was
/// wrong with the others.
@usableFromInline struct ValidatedFrame<let maxCells: Int, let maxModules: Int> {
    /// The cell voltages (failed-short cells left out).
    @usableFromInline var cells: CellSummary<maxCells, maxModules>
    /// The module temperatures.
    @usableFromInline var temperatures: TemperatureSummary<maxCells, maxModules>
    /// The frame's time did not advance past the last one's.
    @usableFromInline var stale: Bool
    /// The pack current is a finite reading inside its plausible range.
    @usableFromInline var currentValid: Bool
    /// The pack current reads beyond its plausible range (a sensor at its rail): a current at
    /// least that large, which protection must see, not a reading to hold over.
    @usableFromInline var currentSaturated: Bool = false
    /// This frame's pack voltage is finite, positive and agrees with the sum of valid cell
    /// readings (what a precharge may start from).
    @usableFromInline var packVoltageConfirmed: Bool = false
    /// The pack voltage has disagreed with the cells' sum past the debounce (one of them is wrong).
    @usableFromInline var packVoltageMismatch: Bool = false
    /// A channel repeats the bit-identical value where it should move.
    @usableFromInline var stuck: Bool
    /// What was found wrong, one bit per kind.
    @usableFromInline var flags: MeasurementFlags
    /// Invalid readings have lasted past the protection debounce, held or coming and going
    /// (latch `measurementInvalid`).
    @usableFromInline var invalidConfirmed: Bool
    /// An invalid frame was seen recently and has not yet decayed (`IntermittentDebouncer`): the
    /// current limits stay at zero until it has, rather than switching with every frame.
    @usableFromInline var invalidRecently: Bool = false

    @inlinable init(
        cells: CellSummary<maxCells, maxModules>, temperatures: TemperatureSummary<maxCells, maxModules>, stale: Bool,
        currentValid: Bool, stuck: Bool, flags: MeasurementFlags, invalidConfirmed: Bool
    ) {
        self.cells = cells
        self.temperatures = temperatures
        self.stale = stale
        self.currentValid = currentValid
        self.stuck = stuck
        self.flags = flags
        self.invalidConfirmed = invalidConfirmed
    }

    /// A new frame (not stale).
    @inlinable var fresh: Bool { !stale }
    /// The cells plausible, their sum holding the pack voltage, and no channel drifting from it:
    /// cell voltages the SoC may be read from.
    @inlinable var cellsAgree: Bool {
        cells.valid && !packVoltageMismatch && !flags.contains(.voltageChannelDrift)
    }
    /// Every reading plausible, fresh and moving, and the pack voltage held by the cells' sum.
    @inlinable var allValid: Bool {
        cellsAgree && temperatures.valid && currentValid && !stale && !stuck
    }
}

/// Phase 1, validate: plausibility of every reading (range, NaN, open wire, stuck channels, cell
/// sum against pack voltage, stale frames), failed-short cells set aside, and the mean module
/// temperature of the last valid frame.
@usableFromInline struct MeasurementValidator<let maxCells: Int, let maxModules: Int>: Sendable {
    @usableFromInline var lastFrameTime: Milliseconds?
    @usableFromInline var stuckDetector = StuckDetector<maxCells, maxModules>()
    @usableFromInline var failedShort = FailedShortDetector<maxCells, maxModules>()
    @usableFromInline var cellSumMismatch: Debouncer
    @usableFromInline var currentMismatch: Debouncer
    @usableFromInline var voltageDrift: VoltageDriftMonitor
    @usableFromInline var invalidMeasurement: IntermittentDebouncer
    /// Mean module temperature over the frames whose temperatures were all valid, low-passed
    /// (`ValidationSettings.temperatureFilterTime`; the first such frame's mean at once; the
    /// resistance reference temperature until then): the temperature the models use.
    @usableFromInline var meanTemperature: Celsius
    @usableFromInline var temperatureSeeded = false

    @inlinable init(configuration c: CoreConfiguration) {
        cellSumMismatch = Debouncer(time: c.validation.cellSumDebounce, step: c.step)
        currentMismatch = Debouncer(time: c.validation.currentAgreementTime, step: c.step)
        voltageDrift = VoltageDriftMonitor(settings: c.validation, step: c.step)
        invalidMeasurement = IntermittentDebouncer(time: c.protection.debounce, step: c.step)
        meanTemperature = c.cellModel.resistanceReference
    }

    /// Judges one frame.
    @inlinable mutating func validate(_ frame: MeasurementFrame<maxCells, maxModules>, configuration c: CoreConfiguration) -> ValidatedFrame<maxCells, maxModules> {
        let v = c.validation
        let time = frame.time
        let stale = lastFrameTime.map { time <= $0 } ?? false
        if !stale { lastFrameTime = time }
        if c.cellModel.failsShort, !stale {
            failedShort.update(
                frame, count: c.cellCount, confirmSteps: Int32(truncatingIfNeeded: v.failedShortConfirmation.count / c.step.count), settings: v)
        }
        let cells = CellSummary<maxCells, maxModules>(
            frame, count: c.cellCount, plausible: c.plausibility.cellVoltage, excluded: failedShort.excluded.span, settings: v)
        let temps = TemperatureSummary<maxCells, maxModules>(
            frame, count: c.moduleCount, plausible: c.plausibility.temperature, edges: c.validation.edgeThermocouples)
        var flags = cells.flags
        flags.insert(temps.flags)
        let currentFinite = frame.packCurrent.isFinite
        let currentInRange = currentFinite && c.plausibility.current.contains(frame.packCurrent)
        if !currentFinite {
            flags.insert(.notANumber)
        } else if !currentInRange {
            flags.insert(.outOfRange)
        }
        if stale { flags.insert(.stale) }
        let stuck = !stale && stuckDetector.update(
            frame, cellCount: c.cellCount, moduleCount: c.moduleCount, excluded: failedShort.excluded.span, settings: v)
        // Two current sensors that disagree: neither is believed (a drift, a gain fault).
        let i1 = frame.packCurrent.value
        let i2 = frame.secondCurrent.value
        let disagree = !stale && i1.isFinite && i2.isFinite && abs(i1 - i2) > v.currentAgreement.value + 0.02 * abs(i1)
        let currentsDisagree = currentMismatch.update(disagree)
        if currentsDisagree { flags.insert(.currentMismatch) }
        // A stuck current sensor's reading is not a current (counted, or trusted by protection).
        let currentValid = currentInRange && !stuckDetector.currentStuck && !currentsDisagree
        if stuck { flags.insert(.stuck) }
        // The cells must add up to the pack voltage (within the relative and absolute tolerance).
        // A pack-voltage channel that is dead (NaN, 0 V) or wrong disagrees with a valid cell sum;
        // with the cells invalid it cannot be judged (and nothing may start from it).
        let packVoltage = frame.packVoltage.value
        let sumOff = cells.valid && (!packVoltage.isFinite
            || abs(cells.sum - packVoltage) > v.cellSumRelativeTolerance.value * abs(packVoltage) + v.cellSumAbsoluteTolerance.value)
        let mismatch = cellSumMismatch.update(sumOff)
        if mismatch { flags.insert(.cellSumMismatch) }
        if !packVoltage.isFinite { flags.insert(.notANumber) }
        // A drifting channel keeps the sum check's tolerance; Kirchhoff over minutes finds it.
        if !stale, cells.valid, !sumOff, currentValid, !stuck {
            voltageDrift.update(cellSum: cells.sum, cellsSummed: cells.counted, packVoltage: packVoltage, current: frame.packCurrent.value, settings: v, step: c.step)
        }
        if voltageDrift.drifting { flags.insert(.voltageChannelDrift) }
        var result = ValidatedFrame(
            cells: cells, temperatures: temps, stale: stale, currentValid: currentValid, stuck: stuck, flags: flags, invalidConfirmed: false)
        result.currentSaturated = currentFinite && !currentInRange
        result.packVoltageConfirmed = cells.valid && !sumOff && packVoltage > 0
        result.packVoltageMismatch = mismatch
        // Staleness is the frame timeout's to judge (a lost link, not a bad reading): a host
        // polling faster than its device samples steps repeated frames now and then.
        result.invalidConfirmed = invalidMeasurement.update(!result.allValid && !stale)
        result.invalidRecently = invalidMeasurement.recent
        if temps.valid {
            // Per-frame sensor noise (0.3 K at 10 Hz on typical sensors) in a 0.5 eV resistance
            // law ran a polymer string's SoC 3 % ahead over an hour's charge; 30 s of low-pass
            // leaves 0.02 K of it and lags a module's minutes-long swings by half a minute.
            let t = temps.sum / Float(c.moduleCount)
            let alpha = temperatureSeeded ? min(1, c.step.seconds / c.validation.temperatureFilterTime.value) : 1
            meanTemperature = Celsius(meanTemperature.value + alpha * (t - meanTemperature.value))
            temperatureSeeded = true
        }
        return result
    }
}
