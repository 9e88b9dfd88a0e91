/// The fixed-step battery-management controller: the firmware's main loop body.
///
/// Configure it once, then call `step(_:)` every `configuration.step` with the newest measurement
/// frame. `step` does no heap allocation and takes bounded time (linear in the cell count).
/// The controller sees only measurement frames; it never reads the plant.
public struct BMSController<let maxCells: Int, let maxModules: Int> {
    /// The configuration the controller was built with.
    public let configuration: CoreConfiguration
    /// The estimates and status after the last step.
    public private(set) var status: CoreStatus
    /// Estimated state of charge of cell `k`: the mean cell's plus the cell's difference.
    public func cellSoC(_ k: Int) -> StateOfCharge { StateOfCharge(status.soc.value + cellDeltas.delta[k]) }

    /// The relay commands of the last step.
    public var contactorCommands: ContactorCommands { sequencer.commands }

    var chargeCounter: ChargeCounter
    var estimator: SoCEstimator
    var sequencer: ContactorSequencer
    var openContactorSteps: Int32 = 0
    var restSteps: Int32 = 0
    var fullChargeSteps: Int32 = 0
    var loadedCheckTimer = PeriodicTimer()
    var balancingTimer = PeriodicTimer()
    var restCurrentTimer = PeriodicTimer()
    var restCurrent: Float = 0
    var restCurrentRaw: Float = 0
    /// Each cell's voltage averaged over the rest (exponentially, `restVoltageWeight` per frame):
    /// one 5 mV-noisy sample per cell is no OCV read on a plateau a few millivolts wide.
    var restVoltage: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    var idleSteps: Int32 = 0
    /// The smallest estimated contact fraction, refreshed when a resistance window closes.
    var smallestContact: Float = 1
    var meanTemperature = Celsius(25)
    var heaters: InlineArray<maxModules, HeaterControl>
    var overVoltage = LimitMonitor()
    var underVoltage = LimitMonitor()
    var overTemperature = LimitMonitor()
    var dischargeOverCurrent = LimitMonitor()
    var chargeOverCurrent = LimitMonitor()
    var invalidMeasurement: Debouncer
    var stuckDetector = StuckDetector<maxCells, maxModules>()
    var failedShort = FailedShortDetector<maxCells, maxModules>()
    /// Whether the EMS or the operator wants the pack connected (SunSpec SetOp). False opens the
    /// contactors the usual way, current first; true lets the sequence connect when nothing forbids it.
    public var connectionRequested = true
    /// Thermal and freeze-thaw cycles.
    public private(set) var cycles = CycleCounters()
    /// Per-cell SoC differences from the mean cell.
    public private(set) var cellDeltas = CellDeltaFilter<maxCells, maxModules>()
    /// Per-cell ohmic resistance at the reference temperature (and full charge).
    public private(set) var resistance = ResistanceEstimator<maxCells, maxModules>()
    /// Capacity of the mean cell from the charge between SoC anchors.
    public private(set) var capacityEstimator = CapacityEstimator<maxCells>()
    /// Per-cell interface part, its trend, contact fraction and contact-loss steps.
    public private(set) var interfaceHealth = InterfaceHealth<maxCells, maxModules>()
    var frontGauge = FrontResistanceGauge()
    /// Cells being bled.
    public private(set) var balancing = BalancingControl<maxCells, maxModules>()
    var cellSumMismatch: Debouncer
    var lastFrameTime: Milliseconds?
    var latched: FaultFlags = .clear
    var tooCold: Bool = true

    /// Builds a controller, refusing configurations that do not fit or contradict themselves.
    public init(configuration c: CoreConfiguration) throws(ConfigurationError) {
        try Self.validate(c)
        configuration = c
        chargeCounter = ChargeCounter(capacity: c.ratedCapacity, initialSoC: c.initialSoC)
        estimator = SoCEstimator(settings: c.estimator)
        sequencer = ContactorSequencer(settings: c.contactors)
        meanTemperature = c.cellModel.resistanceReference
        heaters = InlineArray(repeating: HeaterControl(settings: c.heater))
        invalidMeasurement = Debouncer(time: c.protection.debounce, step: c.step)
        cellSumMismatch = Debouncer(time: Milliseconds(1000), step: c.step)
        status = CoreStatus(soc: c.initialSoC)
    }

    /// Runs one control step on `frame` and returns the commands for the actuators and the EMS.
    public mutating func step(_ frame: MeasurementFrame<maxCells, maxModules>) -> CommandFrame<maxCells, maxModules> {
        let c = configuration
        // 1. Validate.
        let time = frame.time
        let stale = lastFrameTime.map { time <= $0 } ?? false
        if !stale { lastFrameTime = time }
        if c.cellModel.failsShort, !stale {
            failedShort.update(frame, count: c.cellCount, confirmSteps: Int32(truncatingIfNeeded: 5000 / c.step.count))
        }
        let cells = CellSummary<maxCells, maxModules>(frame, count: c.cellCount, plausible: c.plausibility.cellVoltage, excluded: failedShort.excluded)
        let temps = TemperatureSummary<maxCells, maxModules>(frame, count: c.moduleCount, plausible: c.plausibility.temperature)
        var measurement = cells.flags
        measurement.insert(temps.flags)
        if !frame.packCurrent.isFinite {
            measurement.insert(.notANumber)
        } else if !c.plausibility.current.contains(frame.packCurrent) {
            measurement.insert(.outOfRange)
        }
        if stale { measurement.insert(.stale) }
        let currentValid = frame.packCurrent.isFinite && c.plausibility.current.contains(frame.packCurrent)
        let stuck = !stale && stuckDetector.update(frame, cellCount: c.cellCount, moduleCount: c.moduleCount)
        if stuck { measurement.insert(.stuck) }
        // The cells must add up to the pack voltage (within 1 % and 1 V) for a second.
        let packVoltage = frame.packVoltage.value
        let sumOff = cells.valid && packVoltage.isFinite && abs(cells.sum - packVoltage) > 0.01 * abs(packVoltage) + 1
        if cellSumMismatch.update(sumOff) { measurement.insert(.cellSumMismatch) }
        status.measurement = measurement
        let allValid = cells.valid && temps.valid && currentValid && !stale && !stuck
        if invalidMeasurement.update(!allValid) { latched.insert(.measurementInvalid) }

        // 2. Estimate: a missing current reading is held at its last valid value.
        let current = currentValid ? frame.packCurrent : status.current
        chargeCounter.integrate(current, over: c.step)
        if balancing.count > 0 { bookBleed(frame) }
        if temps.valid {
            meanTemperature = Celsius(temps.sum / Float(c.moduleCount))
            cycles.update(warmest: temps.maximum, coldest: temps.minimum, freezingPoint: c.cellModel.freezingPoint)
        }
        estimate(frame, current: current, currentValid: currentValid, fresh: !stale, cells: cells)
        if allValid {
            let model = c.cellModel
            let closed = resistance.update(
                frame, cellCount: c.cellCount, cellCurrent: current.value / Float(c.parallelStrings),
                polarisation: estimator.polarisation.value, temperatureFactor: model.resistanceFactor(meanTemperature),
                frontRise: model.resistancePerDepthOfDischarge.value / model.ohmicResistance.value,
                depthOfDischarge: max(0, min(1, 1 - status.soc.value)), cellDeltas: cellDeltas.delta, step: c.step)
            status.resistanceAtReference = Ohms(resistance.meanReference(count: c.cellCount, excluded: failedShort.excluded))
            if closed {
                interfaceHealth.update(resistance, cellCount: c.cellCount, excluded: failedShort.excluded, model: model, window: resistance.window)
                status.contactLossCells = interfaceHealth.contactLossCount
                status.interfaceGrowthPerDay = Ohms(interfaceHealth.meanGrowthPerDay)
                status.healthDerating = healthDerating()
                smallestContact = interfaceHealth.smallestContactFraction(count: c.cellCount, excluded: failedShort.excluded)
            }
        } else {
            resistance.interrupt(cellCount: c.cellCount)
        }
        status.current = current
        if cells.valid {
            status.minimumCellVoltage = cells.minimum
            status.maximumCellVoltage = cells.maximum
        }
        if temps.valid {
            status.minimumTemperature = temps.minimum
            status.maximumTemperature = temps.maximum
        }

        // 3. Protect: three tiers per quantity (warning, alarm, latched fault).
        let p = c.protection
        let tiers = protect(cells: cells, temps: temps, current: current, currentValid: currentValid, fresh: !stale)
        if temps.valid {
            if temps.minimum < p.minimumOperatingTemperature {
                tooCold = true
            } else if temps.minimum.value > p.minimumOperatingTemperature.value + p.temperatureHysteresis {
                tooCold = false
            }
        }
        var faults = latched
        if tooCold { faults.insert(.underTemperature) }
        if stale { faults.insert(.staleFrame) }
        status.faults = faults

        // 4. Manage.
        var duty = InlineArray<maxModules, Float>(repeating: 0)
        let standbySteps = Int32(truncatingIfNeeded: c.heater.standbyAfter.count / c.step.count)
        idleSteps = abs(current.value) < c.ratedCapacity.value / 100 ? min(idleSteps &+ 1, standbySteps) : 0
        let idle = idleSteps >= standbySteps
        var freezeRisk = false
        var heaterFault = false
        for m in 0..<c.moduleCount {
            let t = frame.moduleTemperatures[m]
            let reading: Celsius? = t.isFinite && c.plausibility.temperature.contains(t) ? t : nil
            duty[m] = heaters[m].update(temperature: reading, idle: idle, step: c.step) ? 1 : 0
            if heaters[m].notHeating { heaterFault = true }
            if let guardT = c.heater.freezeGuard, let r = reading, r < guardT { freezeRisk = true }
        }
        if heaterFault { status.warnings.insert(.heaterFault) }
        if freezeRisk { status.warnings.insert(.freezeRisk) }
        // 5. Connect: the pack stays connected through a transient invalid frame (its current is
        // limited to zero instead); a latched fault or a cold pack disconnects, current first.
        let sequence = sequencer.update(
            connect: connectionRequested && latched.isEmpty && !tooCold, feedback: frame.contactorFeedback, packVoltage: frame.packVoltage,
            linkVoltage: frame.linkVoltage, current: current, step: c.step)
        latched.insert(sequence.faults)
        faults.insert(sequence.faults)
        status.faults = faults
        let mayConduct = latched.isEmpty && !tooCold && allValid && !sequence.currentInhibited
        var limits =
            mayConduct
            ? CurrentLimits(
                settings: c.currentLimits, lowestSoC: status.minimumCellSoC, highestSoC: status.maximumCellSoC,
                minimumCell: status.minimumCellVoltage, maximumCell: status.maximumCellVoltage)
            : CurrentLimits.zero
        limits.apply(warnings: tiers.warnings, alarms: tiers.alarms)
        // A string running cells down: 10 % less current per failed cell (at least half is kept);
        // past 5 % of the cells the string is out of service (latched).
        status.failedShortCells = failedShort.failedCount
        status.softShortCells = cellDeltas.softShortCount
        if cellDeltas.softShortCount > 0 { status.warnings.insert(.softShort) }
        if interfaceHealth.contactLossCount > 0 { status.warnings.insert(.contactLoss) }
        // Health: a string with a worn cell gives that cell the heat of a healthy one.
        limits.charge = limits.charge * status.healthDerating
        limits.discharge = limits.discharge * status.healthDerating
        if failedShort.failedCount > 0 {
            status.warnings.insert(.cellFailedShort)
            let keep = max(0.5, 1 - 0.1 * Float(failedShort.failedCount))
            limits.charge = limits.charge * keep
            limits.discharge = limits.discharge * keep
            if Float(failedShort.failedCount) > 0.05 * Float(c.cellCount) { latched.insert(.stringOutOfService) }
        }
        // CCD-aware derating: plating current at the coldest module (lowest CCD) stays below the
        // configured fraction of the CCD; the margin is reported either way.
        let coldest = temps.valid ? temps.minimum : meanTemperature
        if let ccd = c.cellModel.maximumPlatingCurrent(coldest, fraction: 1) {
            let strings = Float(c.parallelStrings)
            // The local density is the apparent one over the contact fraction (lost contact
            // focuses the current), taken at the worst cell.
            let contact = smallestContact
            let charging = max(0, -(current.value - status.currentOffset.value)) / strings
            status.ccdMargin = 1 - charging / contact / ccd.value
            if c.currentLimits.ccdFraction > 0 {
                let cap = ccd * (c.currentLimits.ccdFraction * strings * contact)
                if limits.charge > cap { limits.charge = cap }
            }
        }
        status.limits = limits
        // Balancing: decided once a second on the estimates (at once stopped by a fault or an
        // invalid frame), booked as charge bled on the following steps.
        let mayBalance = latched.isEmpty && !tooCold && allValid
        let balancingDue = balancingTimer.tick(c.step, period: Milliseconds(1000))
        if !mayBalance {
            balancing.stop(cellCount: c.cellCount)
        } else if balancingDue {
            balancing.update(
                deltas: cellDeltas, voltages: frame.cellVoltages, cellCount: c.cellCount, excluded: failedShort.excluded,
                allowed: true, settings: c.balancing)
        }
        status.balancingCells = balancing.count
        var command = CommandFrame<maxCells, maxModules>(
            contactors: sequence.commands, connection: sequencer.state, heaterDuty: duty,
            chargeCurrentLimit: limits.charge, dischargeCurrentLimit: limits.discharge, faults: faults)
        command.warnings = status.warnings
        command.alarms = tiers.alarms
        command.balance = balancing.mask
        return command
    }

    /// Runs the three-tier monitors; latches safety trips; returns the warnings and alarms.
    mutating func protect(
        cells: CellSummary<maxCells, maxModules>, temps: TemperatureSummary<maxCells, maxModules>, current: Amperes, currentValid: Bool, fresh: Bool
    ) -> (warnings: FaultFlags, alarms: FaultFlags) {
        let p = configuration.protection
        let o = p.maximumOperating
        let r = p.recommendedSafety
        let timing = TierTiming(debounceTime: p.debounce, debounceCount: p.debounceCount, releaseTime: p.releaseTime)
        let step = configuration.step
        var warnings = FaultFlags.clear
        var alarms = FaultFlags.clear
        func book(_ result: (warning: Bool, alarm: Bool, trip: Bool), _ flag: FaultFlags) {
            if result.warning { warnings.insert(flag) }
            if result.alarm { alarms.insert(flag) }
            if result.trip { latched.insert(flag) }
        }
        let v = p.release.voltage.value
        book(overVoltage.update(
            cells.maximum.value, limits: (o.cellOverVoltage.value, r.cellOverVoltage.value, p.cellOverVoltage.value), upper: true,
            margin: v, valid: cells.valid, fresh: fresh, step: step, timing: timing), .cellOverVoltage)
        book(underVoltage.update(
            cells.minimum.value, limits: (o.cellUnderVoltage.value, r.cellUnderVoltage.value, p.cellUnderVoltage.value), upper: false,
            margin: v, valid: cells.valid, fresh: fresh, step: step, timing: timing), .cellUnderVoltage)
        book(overTemperature.update(
            temps.maximum.value, limits: (o.overTemperature.value, r.overTemperature.value, p.overTemperature.value), upper: true,
            margin: p.release.temperature, valid: temps.valid, fresh: fresh, step: step, timing: timing), .overTemperature)
        let i = p.release.current.value
        book(dischargeOverCurrent.update(
            current.value, limits: (o.dischargeOverCurrent.value, r.dischargeOverCurrent.value, p.dischargeOverCurrent.value),
            upper: true, margin: i, valid: currentValid, fresh: fresh, step: step, timing: timing), .dischargeOverCurrent)
        book(chargeOverCurrent.update(
            -current.value, limits: (o.chargeOverCurrent.value, r.chargeOverCurrent.value, p.chargeOverCurrent.value),
            upper: true, margin: i, valid: currentValid, fresh: fresh, step: step, timing: timing), .chargeOverCurrent)
        status.warnings = warnings
        status.alarms = alarms
        return (warnings, alarms)
    }

    /// The SoC filter's step: predict with the measured current, then correct with whatever this
    /// frame can tell (mean cell voltage, zero current behind open contactors, full charge).
    mutating func estimate(
        _ frame: MeasurementFrame<maxCells, maxModules>, current: Amperes, currentValid: Bool, fresh: Bool, cells: CellSummary<maxCells, maxModules>
    ) {
        let c = configuration
        let model = c.cellModel
        // The filter models one cell: its share of the pack current, its own capacity.
        let strings = Float(c.parallelStrings)
        let packCurrent = current
        let current = packCurrent / strings
        estimator.predict(
            measuredCurrent: current, dt: c.step.seconds, capacity: c.ratedCapacity / strings,
            polarisationResistance: model.polarisationResistance * model.resistanceFactor(meanTemperature),
            timeConstant_s: model.polarisationTimeConstant_s)
        let counted = chargeCounter.stateOfCharge
        // Not at rest: there the voltage is one OCV reading repeated ten times a second (and,
        // while the cell relaxes, one the one-RC model misreads); the rest's single OCV read
        // below takes it once.
        if cells.valid && currentValid && restSteps == 0 {
            let n = Float(cells.counted)
            estimator.updateVoltage(
                measuredMean: Volts(cells.sum / n), measuredCurrent: current, counted: counted, temperature: meanTemperature,
                model: model, cellNoise: c.cellVoltageNoise / n.squareRoot())
        }
        // Once a minute under load: is the estimate consistent with the loaded voltage at all?
        if loadedCheckTimer.tick(c.step, period: Milliseconds(60_000)) {
            if cells.valid && currentValid && fresh {
                let n = Float(cells.counted)
                estimator.updateLoadedOCVRange(
                    measuredMean: Volts(cells.sum / n), measuredCurrent: current, counted: counted, temperature: meanTemperature,
                    model: model, cellNoise: c.cellVoltageNoise / n.squareRoot())
            }
        }
        // Depth of discharge from the reaction front's resistance (ZEBRA): one read per window.
        if model.resistancePerDepthOfDischarge > .zero {
            if cells.valid && currentValid && fresh {
                let n = Float(cells.counted)
                // The modelled polarisation is added back: its lag behind a trending current
                // would otherwise read as resistance.
                if let read = frontGauge.add(
                    meanVoltage: cells.sum / n + estimator.polarisation.value, cellCurrent: current.value, countedSoC: counted.value,
                    temperatureFactor: model.resistanceFactor(meanTemperature), voltageNoise: c.cellVoltageNoise / n.squareRoot(),
                    step: c.step)
                {
                    estimator.updateFrontResistance(read, model: model)
                }
            } else {
                frontGauge.interrupt()
            }
        }
        // At rest (below C/100 for five time constants and at least a minute) the mean cell
        // voltage is an OCV reading: read the table once per rest (repeated reads of one rest
        // are not independent measurements).
        let packTrueCurrent = packCurrent.value - estimator.currentOffset.value * strings
        // Judged on the current averaged over about 2 s: the sensor's noise alone (50 mA) would
        // break every rest of a 10 Ah cell, whose rest threshold is 100 mA.
        // Either the raw or the offset-corrected reading may show the rest: an offset estimate
        // gone wrong under load must not hide every rest (and with it every OCV read).
        let alpha = min(1, c.step.seconds / 2)
        restCurrent += alpha * (packTrueCurrent - restCurrent)
        restCurrentRaw += alpha * (packCurrent.value - restCurrentRaw)
        let resting = min(abs(restCurrent), abs(restCurrentRaw)) < c.ratedCapacity.value / 100
        restSteps = resting ? min(restSteps &+ 1, 1_000_000) : 0
        // (Int64 -> Int32 only: the generic widening conversions allocate in Embedded mode.)
        let restNeeded = Int32(truncatingIfNeeded: max(60_000, Int64(5 * model.polarisationTimeConstant_s * 1000)) / c.step.count)
        cellDeltas.predict(count: c.cellCount, dt: c.step.seconds)
        // Averaged over about 20 frames (2 s): noise down by about 6.
        let restVoltageWeight: Float = 0.05
        if restSteps == 1 {
            for k in 0..<c.cellCount { restVoltage[k] = frame.cellVoltages[k].value }
        } else if restSteps > 1 {
            for k in 0..<c.cellCount { restVoltage[k] += restVoltageWeight * (frame.cellVoltages[k].value - restVoltage[k]) }
        }
        if cells.valid, restSteps == restNeeded {
            let n = Float(cells.counted)
            let read = estimator.updateRestingOCV(
                measuredMean: Volts(cells.sum / n), restCurrent: Amperes(restCurrentRaw / strings), counted: chargeCounter.stateOfCharge,
                temperature: meanTemperature, model: model, cellNoise: c.cellVoltageNoise / n.squareRoot())
            // Cells differ from each other by noise, channel offsets and cell-to-cell OCV spread
            // (1.5 mV assumed for the last two); the table's error is common to all.
            let match: Float = 0.0015
            let averagedNoise = c.cellVoltageNoise * (restVoltageWeight / (2 - restVoltageWeight)).squareRoot()
            var restSum: Float = 0
            var restCount: Float = 0
            for k in 0..<c.cellCount where !failedShort.excluded[k] {
                restSum += restVoltage[k]
                restCount += 1
            }
            cellDeltas.updateResting(
                voltages: restVoltage, count: c.cellCount, excluded: failedShort.excluded,
                meanVoltage: restCount > 0 ? restSum / restCount : cells.sum / n,
                shift: model.ocvTemperatureCoefficient * (meanTemperature.value - model.ocvReference.value), table: model.ocv,
                voltageSigma: (match * match + averagedNoise * averagedNoise).squareRoot())
            capacityEstimator.anchor(
                soc: read.soc, sigma: read.sigma, dischargedMicrocoulombs: chargeCounter.dischargedMicrocoulombs, strings: strings,
                deltas: cellDeltas.lastRead, cellCount: c.cellCount)
        }
        // A rest that has lasted (the same time as an OCV read) is an idle converter: once a
        // minute its averaged reading is taken as the offset, within restCurrentSigma.
        if currentValid, restSteps >= restNeeded {
            if restCurrentTimer.tick(c.step, period: Milliseconds(60_000)) {
                estimator.updateRestCurrent(averaged: Amperes(restCurrentRaw / strings))
            }
        } else {
            restCurrentTimer = PeriodicTimer()
        }
        // Behind open contactors no current flows: after 5 s, the reading is the sensor's offset.
        openContactorSteps = frame.contactorClosed ? 0 : min(openContactorSteps &+ 1, 1_000_000)
        if currentValid, openContactorSteps * Int32(truncatingIfNeeded: c.step.count) >= 5000 {
            estimator.updateZeroCurrent(measured: current)
        }
        // Full charge: the highest cell at the charge-end voltage while the charge current has
        // tapered below C/20, for a minute; applied once per episode. Tapered means the firmware's
        // own charge limit has come down below C/20 (its voltage or SoC ramp is what holds the
        // current back): a small charge the EMS merely asked for is no taper, and the highest of
        // many noisy cells reads about two sigma high (a Na-S string charged at C/20 from 43 %
        // was once taken for full).
        let tapered = packTrueCurrent <= 0 && -packTrueCurrent < c.ratedCapacity.value / 20
            && status.limits.charge.value < c.ratedCapacity.value / 20
        if cells.valid, cells.maximum >= model.fullChargeVoltage, tapered {
            fullChargeSteps = min(fullChargeSteps &+ 1, 1_000_000)
            if fullChargeSteps * Int32(truncatingIfNeeded: c.step.count) == 60_000 {
                estimator.updateFullCharge(counted: chargeCounter.stateOfCharge, sigma: 0.01)
                capacityEstimator.anchor(
                    soc: 1, sigma: 0.01, dischargedMicrocoulombs: chargeCounter.dischargedMicrocoulombs, strings: strings,
                    deltas: cellDeltas.delta, cellCount: c.cellCount)
            }
        } else {
            fullChargeSteps = 0
        }
        status.soc = StateOfCharge(chargeCounter.stateOfCharge.value + estimator.socCorrection)
        var lowest = Float.infinity
        var highest = -Float.infinity
        for k in 0..<c.cellCount where !failedShort.excluded[k] {
            lowest = min(lowest, cellDeltas.delta[k])
            highest = max(highest, cellDeltas.delta[k])
        }
        status.minimumCellSoC = StateOfCharge(status.soc.value + lowest)
        status.maximumCellSoC = StateOfCharge(status.soc.value + highest)
        status.socSigma = estimator.socSigma
        if capacityEstimator.samples > 0 { updateCapacityStatus() }
        status.currentOffset = estimator.currentOffset * strings
        let offset = abs(estimator.currentOffset.value) * strings
        if offset - 3 * estimator.offsetSigma * strings > c.plausibility.currentOffset.value {
            status.measurement.insert(.chargeBalance)
        }
    }

    /// The capacity SoH of the mean cell and of the weakest cell (NaN until the first sample, so
    /// the cell loop runs only once there is one).
    mutating func updateCapacityStatus() {
        let c = configuration
        let ratedCell = c.ratedCapacity.value / Float(c.parallelStrings)
        status.capacitySoH = capacityEstimator.capacity / ratedCell
        var weakest = Float.nan
        for k in 0..<c.cellCount where !failedShort.excluded[k] && capacityEstimator.cellCapacity[k].isFinite {
            weakest = weakest.isNaN ? capacityEstimator.cellCapacity[k] : min(weakest, capacityEstimator.cellCapacity[k])
        }
        status.lowestCellCapacitySoH = weakest / ratedCell
    }

    /// Books the charge the bleed resistors took over the last step (commanded then): each bled
    /// cell's own SoC, and the mean cell's share through the pack counter.
    mutating func bookBleed(_ frame: MeasurementFrame<maxCells, maxModules>) {
        let c = configuration
        let capacity_As = c.ratedCapacity.value / Float(c.parallelStrings) * 3600
        var bled = InlineArray<maxCells, Float>(repeating: 0)
        var total: Float = 0
        for k in 0..<c.cellCount where balancing.mask[k] {
            let amps = max(0, frame.cellVoltages[k].value) / c.balancing.bleedResistance.value
            bled[k] = amps * c.step.seconds / capacity_As
            total += amps
        }
        let meanAmps = total / Float(c.cellCount)
        chargeCounter.integrate(Amperes(meanAmps * Float(c.parallelStrings)), over: c.step)
        cellDeltas.applyBleed(bled, meanBled: meanAmps * c.step.seconds / capacity_As, count: c.cellCount)
        if total > 0 {
            capacityEstimator.addBleed(bled, meanBled: meanAmps * c.step.seconds / capacity_As, capacity_As: capacity_As, count: c.cellCount)
        }
    }

    /// The factor on both current limits for the worst cell's resistance: a cell whose ohmic
    /// resistance (at the reference) exceeds the datasheet's by more than 20 % carries
    /// sqrt(1.2 R0 / R) of the rated current, which keeps its Joule heat at that of a cell 20 %
    /// above the datasheet. 1 before the first estimate.
    func healthDerating() -> Float {
        let c = configuration
        let r0 = c.cellModel.ohmicResistance.value
        var worst: Float = 0
        for k in 0..<c.cellCount where !failedShort.excluded[k] && resistance.reference[k].isFinite {
            worst = max(worst, resistance.reference[k])
        }
        guard worst > 1.2 * r0 else { return 1 }
        return (1.2 * r0 / worst).squareRoot()
    }

    /// Clears latched faults (an operator's explicit reset). Conditions still present trip again
    /// after their debounce time.
    /// Reports that the measurement link is down (call it, then `step` the last frame received).
    ///
    /// Latches `communicationLoss`: that step gives zero current limits and opens the contactors
    /// without the usual wait for the current to fall (the current can no longer be measured).
    /// Heater commands follow the last temperatures received: a molten-electrode pack must not
    /// freeze because a cable dropped. Cleared by `resetFaults()`.
    public mutating func reportCommunicationLoss() {
        latched.insert(.communicationLoss)
        sequencer.openNow()
    }

    public mutating func resetFaults() {
        latched = .clear
        interfaceHealth.reset()
        sequencer.reset()
    }
}

extension BMSController {
    static func validate(_ c: CoreConfiguration) throws(ConfigurationError) {
        guard c.cellCount > 0, c.cellCount <= maxCells else {
            throw .cellCountOutOfRange(count: c.cellCount, capacity: maxCells)
        }
        guard c.moduleCount > 0, c.moduleCount <= maxModules, c.moduleCount <= c.cellCount else {
            throw .moduleCountOutOfRange(count: c.moduleCount, capacity: maxModules)
        }
        guard c.step.count > 0 else { throw .nonPositiveStep }
        guard c.parallelStrings >= 1, c.parallelStrings <= c.cellCount else {
            throw .cellCountOutOfRange(count: c.parallelStrings, capacity: c.cellCount)
        }
        guard c.ratedCapacity.isFinite, c.ratedCapacity > .zero else { throw .nonPositiveCapacity }
        let p = c.protection
        guard p.cellUnderVoltage.isFinite, p.cellOverVoltage.isFinite, p.cellUnderVoltage < p.cellOverVoltage else {
            throw .inconsistentLimits(.cellVoltage)
        }
        guard p.minimumOperatingTemperature.isFinite, p.overTemperature.isFinite,
            p.minimumOperatingTemperature < p.overTemperature
        else { throw .inconsistentLimits(.temperature) }
        guard p.dischargeOverCurrent > .zero, p.chargeOverCurrent > .zero else {
            throw .inconsistentLimits(.overCurrent)
        }
        let o = p.maximumOperating
        let r = p.recommendedSafety
        guard o.cellOverVoltage <= r.cellOverVoltage, r.cellOverVoltage <= p.cellOverVoltage,
            o.cellUnderVoltage >= r.cellUnderVoltage, r.cellUnderVoltage >= p.cellUnderVoltage,
            o.overTemperature <= r.overTemperature, r.overTemperature <= p.overTemperature,
            o.dischargeOverCurrent <= r.dischargeOverCurrent, r.dischargeOverCurrent <= p.dischargeOverCurrent,
            o.chargeOverCurrent <= r.chargeOverCurrent, r.chargeOverCurrent <= p.chargeOverCurrent
        else { throw .inconsistentLimits(.tiers) }
        let l = c.currentLimits
        guard l.minimumSoC < l.maximumSoC, l.dischargeEndVoltage < l.chargeEndVoltage else {
            throw .inconsistentLimits(.currentLimitWindow)
        }
    }
}
