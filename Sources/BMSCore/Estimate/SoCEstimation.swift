/// Phase 2a, estimate the state of charge: the exact coulomb counter, the mean cell's Kalman
/// filter with every correction a frame can give (loaded voltage where the OCV slopes, the ZEBRA
/// reaction front's resistance, one OCV read per rest, the sensor offset at rest and behind open
/// contactors, full charge), per-cell SoC differences and capacity from SoC anchors.
@usableFromInline struct SoCEstimation<let maxCells: Int, let maxModules: Int>: Sendable {
    @usableFromInline var counter: ChargeCounter
    @usableFromInline var filter: SoCEstimator
    @usableFromInline var rest = RestDetector<maxCells, maxModules>()
    /// The mean cell's resistance from the current's steps: the reaction front's (ZEBRA,
    /// `CoreConfiguration.frontGauge`) or the resistance law's scale (`scaleGauge`).
    @usableFromInline var resistanceGauge: FrontResistanceGauge
    /// Whether a scale read has been applied (the voltage model's IR drop is then as uncertain
    /// as the filter's scale says, not `unmeasuredResistanceUncertainty`).
    @usableFromInline var scaleMeasured = false
    /// The mean cell voltage and the cell current low-passed alike over `smoothingTime` (NaN
    /// after an invalid frame): what the loaded-voltage update reads where the resistance scale
    /// is only read (`SoCEstimator.scaleOnlyFromReads`).
    @usableFromInline var smoothed: (voltage: Float, current: Float) = (.nan, .nan)
    /// The smoothing's time constant, s (10: the current reading's noise falls 14-fold at 10 Hz).
    @inlinable static var smoothingTime: Float { 10 }
    /// The cathode's reaction fronts (ZEBRA), moved by the offset-corrected current's charge.
    @usableFromInline var fronts: ReactionFrontTracker
    /// The direction of the last current beyond the front gauge's minimum step (a smaller
    /// reading may be the sensor's noise around zero): the front the resistance follows.
    @usableFromInline var frontDischarging = true
    /// The active front at the end of the last step (after the reconciliation), in the ohmic
    /// law's terms: what the per-cell resistance fit divides out. (0, 0) without a front.
    @usableFromInline var stepFront: (depth: Float, sensitivity: Float) = (0, 0)
    @usableFromInline var loadedCheckTimer = PeriodicTimer()
    @usableFromInline var restOffsetTimer = PeriodicTimer()
    @usableFromInline var fullChargeSteps: Int32 = 0
    /// Per-cell SoC differences from the mean cell.
    @usableFromInline var cellDeltas: CellDeltaFilter<maxCells, maxModules>
    /// Capacity of the mean cell and of each cell from the charge between SoC anchors.
    @usableFromInline var capacity: CapacityEstimator<maxCells>

    @inlinable init(configuration c: CoreConfiguration) {
        capacity = CapacityEstimator(settings: c.capacity, ratedCell: c.ratedCapacity / Float(c.parallelStrings))
        let belief = capacity.belief
        counter = ChargeCounter(capacity: AmpereHours(belief.capacity * Float(c.parallelStrings)), initialSoC: c.initialSoC)
        filter = SoCEstimator(settings: c.estimator, tracksHysteresis: c.cellModel.hysteresis != nil, capacityVariance: belief.relativeVariance)
        let hasFront = c.cellModel.resistancePerDepthOfDischarge > .zero
        filter.scaleOnlyFromReads = c.scaleGauge != nil && filter.learnsScale(c.cellModel)
        // A hysteresis cell of unknown history considers the scale instead (no state slot).
        if c.scaleGauge != nil, c.estimator.learnsResistanceScale, !hasFront { filter.startConsideringScale() }
        resistanceGauge = FrontResistanceGauge(settings: hasFront ? c.frontGauge : c.scaleGauge ?? c.frontGauge)
        fronts = ReactionFrontTracker(depthOfDischarge: 1 - c.initialSoC.value, zoneWidth: c.cellModel.reactionZoneWidth)
        cellDeltas = CellDeltaFilter(settings: c.cellDeltas)
        // The power-up estimate, where it is good enough to anchor, is one end of the charge
        // counted from it: its error (what the firmware is told) is independent of the count.
        // With a later anchor it makes a capacity sample (an end-of-life ZEBRA string counted a
        // discharge after its first full charge against the assumed 87.5 % and ended 7.5 points
        // high: sweep run 445). A record restored forgets it (`BMSController.restore`).
        capacity.anchorAtPowerUp(
            soc: c.initialSoC.value, sigma: c.estimator.initialSoCSigma.value, dischargedMicrocoulombs: counter.dischargedMicrocoulombs)
        // The commissioning test's whole resistance (sample cells' impedance at the reference,
        // what a 10 Hz fit sees) is a read of the law's scale before the first current step: a
        // worn sulfide string's smooth discharge ramp, with no step for the scale gauge, read
        // its unmeasured IR drop as SoC (4.2 points low, 3.1 sigma). It leaves the IR drop's
        // unmeasured allowance (`scaleMeasured` stays false): the test sees the ohmic part, not
        // the polarisation element, which ages with it.
        let commissioned = c.interfaceHealth.commissionedResistance.value
        if commissioned > 0, !hasFront {
            let sigma = Self.commissionedResistanceError * commissioned
            let read = FrontResistanceGauge.Read(resistanceAtReference: commissioned, variance: sigma * sigma, depth: 0, sensitivity: 0)
            filter.updateResistanceScale(read, model: c.cellModel)
        }
    }

    /// The commissioning test's whole resistance as the mean cell's, relative standard
    /// deviation: the mean of a few sample cells (`InterfaceHealthSettings.commissionedCells`)
    /// of a string whose cells spread by several percent. Three cells of 60 draws of each
    /// chemistry of the targets sweep read the string's mean cell within 1.7 ... 2.6 % RMS (Na-S,
    /// NASICON, polymer; worst -9.6 %) and 7.0 % on sulfide (worst -11 %, its interphase arc at
    /// the analyser's band).
    @inlinable static var commissionedResistanceError: Float { 0.1 }

    /// Counts the pack current of one step.
    @inlinable mutating func count(_ current: Amperes, configuration c: CoreConfiguration) {
        counter.integrate(current, over: c.step)
    }

    /// Books the charge the bleed resistors took over the last step (commanded then): each bled
    /// cell's own SoC, and the mean cell's share through the pack counter.
    @inlinable mutating func bookBleed(_ mask: Span<Bool>, _ frame: MeasurementFrame<maxCells, maxModules>, configuration c: CoreConfiguration) {
        let capacity_As = counter.capacity.value / Float(c.parallelStrings) * 3600
        var bled = InlineArray<maxCells, Float>(repeating: 0)
        var total: Float = 0
        for k in 0..<c.cellCount where mask[k] {
            // A reading that is not a plausible voltage (the frame is invalid, and the bleed stops
            // this step) books no bleed: +inf here trapped in the counter.
            let v = frame.cellVoltages[k]
            guard v.value.isFinite, c.plausibility.cellVoltage.contains(v) else { continue }
            let amps = max(0, v.value) / c.balancing.bleedResistance.value
            bled[k] = amps * c.step.seconds / capacity_As
            total += amps
            // A bled cell is not at rest: the rest reads wait until none has bled for the
            // relaxation time and the bled ones have settled (read while the bleed drew on
            // them, the highest cells of a drained end-of-life polymer string stood 5 ... 20 mV
            // under their OCV, and six healthy cells latched softShort: `RestReadWhileBleedingTests`).
            rest.bled(k)
        }
        let meanAmps = total / Float(c.cellCount)
        counter.integrate(Amperes(meanAmps * Float(c.parallelStrings)), over: c.step)
        cellDeltas.applyBleed(bled.span, meanBled: meanAmps * c.step.seconds / capacity_As, count: c.cellCount)
        if total > 0 {
            capacity.addBleed(bled.span, meanBled: meanAmps * c.step.seconds / capacity_As, capacity_As: capacity_As, count: c.cellCount)
        }
    }

    /// The filter's step: predict with the measured current, then correct with whatever this
    /// frame can tell. `limits` are the current limits the firmware offered in the last step
    /// (full charge needs its own taper); `heldByLimit`, whether the current is held at a limit
    /// the voltage sets (`VoltageWindowDerating.holds(_:at:)`); the results go to `status`.
    @inlinable mutating func estimate(
        _ frame: MeasurementFrame<maxCells, maxModules>, _ v: ValidatedFrame<maxCells, maxModules>, current: Amperes,
        excluded: Span<Bool>, meanTemperature: Celsius, limits: CurrentLimits, heldByLimit: Bool,
        configuration c: CoreConfiguration, status: inout CoreStatus
    ) {
        let model = c.cellModel
        // Cells that do not add up to the pack voltage (a dead channel's 0 V is a plausible
        // voltage), or one drifting from it, are no SoC reading: which channel lies is unknown,
        // and the estimate goes on counting. (A rest read took a dead channel into the mean cell
        // and put a ZEBRA string's estimate 37 points low at a sigma of 0.9 %.)
        var cells = v.cells
        cells.valid = v.cellsAgree
        let currentValid = v.currentValid
        // How far the health estimate's mean resistance (the last window's; NaN before one)
        // is from the datasheet's: the voltage model allows its IR drop that much error where it
        // is more than the settings' (`SoCEstimator.Settings.measuredResistanceRange`). It does
        // not replace the datasheet's: the polarisation element was characterised with that
        // (taking a NASICON string's fit in its place put the estimate 2.8 points off in a charge).
        // Where the filter learns the law's scale, against the learnt law (the scale carries the
        // correlated part), and once a scale read is in, never the unmeasured allowance.
        let learnsScale = filter.scaleOnlyFromReads || filter.considersScale
        let ratio = status.resistanceAtReference.value / (model.ohmicResistance.value * filter.lawScale(model))
        var resistanceSpread = ratio.isFinite && c.estimator.measuredResistanceRange.contains(ratio) ? abs(ratio - 1) : .nan
        if scaleMeasured, resistanceSpread.isNaN { resistanceSpread = 0 }
        let fresh = v.fresh
        // The filter models one cell: its share of the pack current, its own capacity.
        let strings = Float(c.parallelStrings)
        let packCurrent = current
        let current = packCurrent / strings
        let cellNoise = c.cellVoltageNoise.value
        // The polarisation's capacitance (a double layer) does not follow temperature; its
        // resistance does, and so its time constant, R C, with it.
        let thermal = model.resistanceFactor(meanTemperature)
        let cellCurrent = current.value - filter.currentOffset.value
        let moved = cellCurrent * c.step.seconds / (3600 * counter.capacity.value / strings)
        // The hysteresis state (the filter's, for a two-phase cell) moves with the same charge,
        // but not while the pack rests (the last step's verdict, on the averaged current): there
        // the reading is the sensor's noise and offset around no current, which would move it
        // while the cells' state stays where it was.
        var crossing: (share: Float, target: Float) = (0, 0)
        if let m = model.hysteresis, rest.steps == 0, moved != 0, moved.isFinite {
            crossing = (m.crossed(moved), moved > 0 ? -1 : 1)
        }
        let element = model.polarisationElement(carrying: Amperes(cellCurrent), temperature: meanTemperature, factor: thermal)
        filter.predict(
            measuredCurrent: current, dt: c.step.seconds, capacity: counter.capacity / strings,
            polarisationResistance: element.resistance, timeConstant: element.timeConstant, crossing: crossing,
            capacityWalk: c.capacity.fadeSigmaPerYear.value * c.capacity.fadeSigmaPerYear.value / 8766)
        // The correction goes to the counter's origin before it grows past 1/4096: the
        // predict's offset compensation (k x offset per step) must stay above its rounding.
        if abs(filter.socCorrection) >= 1.0 / 4096 { counter.shift(by: filter.takeSoCCorrection()) }
        let counted = counter.stateOfCharge
        // The fronts move with the charge of the offset-corrected current (an offset at rest would
        // lay down layers that are not there; the noise's own layers are thin and merge first);
        // the filter's corrections are reconciled at the deepest layers below.
        // Both directions' fronts in the ohmic law's terms (times the front's temperature factor
        // over the ohmic one's); the active one is the last current's beyond the noise.
        let hasFront = model.resistancePerDepthOfDischarge > .zero
        let frontRatio = hasFront ? model.frontFactorRatio(meanTemperature) : 1
        var dischargeFront: (depth: Float, sensitivity: Float) = (0, 0)
        var chargeFront: (depth: Float, sensitivity: Float) = (0, 0)
        if hasFront {
            fronts.move(by: moved)
            if abs(cellCurrent) >= c.frontGauge.minimumStep.value { frontDischarging = cellCurrent > 0 }
            dischargeFront = Self.scaled(fronts.depth(discharging: true), frontRatio)
            chargeFront = Self.scaled(fronts.depth(discharging: false), frontRatio)
        }
        let front = frontDischarging ? dischargeFront : chargeFront
        // Not at rest: there the voltage is one OCV reading repeated ten times a second (and,
        // while the cell relaxes, one the one-RC model misreads); the rest's single OCV read
        // below takes it once.
        // Where the scale is only read, voltage and current low-passed alike (a linear filter
        // keeps V = OCV - R i - v): the voltage follows the true current, and with the
        // reading's noise in h, consecutive frames at one true current looked like different
        // currents, the unknown scale and the SoC separable (an end-of-life sulfide string's
        // first minute under load put its SoC 1.7 points low at a sigma of 0.4 %).
        if learnsScale {
            if cells.valid && currentValid {
                let v = cells.sum / Float(cells.counted)
                if smoothed.voltage.isNaN {
                    smoothed = (v, current.value)
                } else {
                    let a = min(1, c.step.seconds / Self.smoothingTime)
                    smoothed = (smoothed.voltage + (v - smoothed.voltage) * a, smoothed.current + (current.value - smoothed.current) * a)
                }
            } else {
                smoothed = (.nan, .nan)
            }
        }
        // Outside the SoC span where the lab's pulses measured the resistance law (15 ... 90 %,
        // `InterfaceHealthSettings.evidenceSoC`) nothing measured how the resistance rises
        // towards the ends: the IR drop is allowed `SoCEstimator.unmeasuredEndAllowance` of
        // itself as error there (an end-of-life Na-S string charged from 6 % read its higher
        // voltage through the middle's law, 1.0 point high at 3.3 sigma before 15 %), or the
        // spread it has anyway (`SoCEstimator.spread`) where that is larger.
        if !c.interfaceHealth.evidenceSoCHolds(StateOfCharge(counted.value + filter.socCorrection), sigma: 0) {
            resistanceSpread = max(SoCEstimator.spread(resistanceSpread, settings: c.estimator), SoCEstimator.unmeasuredEndAllowance)
        }
        if cells.valid && currentValid && rest.steps == 0 {
            let n = Float(cells.counted)
            filter.updateVoltage(
                measuredMean: Volts(learnsScale ? smoothed.voltage : cells.sum / n),
                measuredCurrent: learnsScale ? Amperes(smoothed.current) : current, counted: counted, temperature: meanTemperature,
                model: model, front: front, cellNoise: cellNoise / n.squareRoot(), resistanceSpread: resistanceSpread,
                correlatedSteps: SoCEstimator.correlatedSteps(correlationTime: element.timeConstant, step: Seconds(c.step.seconds)))
        }
        // Periodically under load: is the estimate consistent with the loaded voltage at all?
        if loadedCheckTimer.tick(c.step, period: c.fullCharge.loadedCheckPeriod) {
            if cells.valid && currentValid && fresh {
                let n = Float(cells.counted)
                filter.updateLoadedOCVRange(
                    measuredMean: Volts(cells.sum / n), measuredCurrent: current, counted: counted, temperature: meanTemperature,
                    model: model, cellNoise: cellNoise / n.squareRoot(), resistanceSpread: resistanceSpread,
                    cellCount: c.cellCount, excluded: excluded, cellVoltages: frame.cellVoltages.span)
            }
        }
        // The mean cell's resistance from its voltage steps, one read per window: the reaction
        // front's (ZEBRA: depth of discharge), or the resistance law's scale where it is learnt
        // (no front: both directions' fronts are (0, 0), one law).
        if hasFront || learnsScale {
            if cells.valid && currentValid && fresh {
                let n = Float(cells.counted)
                // The modelled polarisation is added back: its lag behind a trending current
                // would otherwise read as resistance.
                // Held by the firmware's own voltage limit: the current follows the voltage
                // there (`FrontGaugeSettings.skipsLimitedCurrent`).
                let reads = resistanceGauge.add(
                    meanVoltage: cells.sum / n + filter.polarisation.value, cellCurrent: current.value,
                    discharge: dischargeFront, charge: chargeFront,
                    temperatureFactor: model.resistanceFactor(meanTemperature), voltageNoise: cellNoise / n.squareRoot(),
                    step: c.step, limited: heldByLimit)
                applyResistanceRead(reads.discharge, front: hasFront, model: model)
                applyResistanceRead(reads.charge, front: hasFront, model: model)
            } else {
                resistanceGauge.interrupt()
            }
        }
        // At rest (below the rest current for the relaxation time, the voltage settled) the mean
        // cell voltage is an OCV reading: read the table once per rest (repeated reads of one rest are not
        // independent measurements).
        let packTrueCurrent = packCurrent.value - filter.currentOffset.value * strings
        rest.updateCurrent(raw: packCurrent.value, corrected: packTrueCurrent, configuration: c)
        let restNeeded = RestDetector<maxCells, maxModules>.stepsNeeded(c)
        // The cells part by the charge counted (none without a valid current reading).
        let swing = -packTrueCurrent / strings * c.step.seconds / (counter.capacity.value * 3600)
        cellDeltas.predict(count: c.cellCount, dt: c.step.seconds, swing: currentValid && swing.isFinite ? swing : 0)
        rest.updateVoltages(frame, configuration: c)
        if rest.readDue(
            needed: restNeeded, count: c.cellCount, excluded: excluded, cellNoise: cellNoise, counted: cells.counted, configuration: c),
            cells.valid
        {
            readRest(cells, excluded: excluded, meanTemperature: meanTemperature, front: front, resistanceSpread: resistanceSpread, configuration: c)
        } else if rest.cellRereadDue(needed: restNeeded, configuration: c), cells.valid {
            rereadCells(excluded: excluded, configuration: c)
        }
        // A rest that has lasted (the same time as an OCV read) is an idle converter:
        // periodically its averaged reading is taken as the offset, within restCurrentSigma.
        // Not while the firmware's own limit holds the current below twice the rest threshold:
        // then a sub-threshold current is the EMS's request throttled, not an idle converter (a
        // NASICON string derated near empty to about C/100 had that current taken for offset,
        // and its estimate stood still at 5.8 % while the cells ran down to 3.5 %). A limit of
        // zero is no throttle: no current flows that way (at the SoC ceiling, a ZEBRA string
        // that stopped learning there counted its offset as discharge, and the trickle its limit
        // then allowed cancelled the offset in the reading while it charged the cells for days).
        let small = 2 * RestDetector<maxCells, maxModules>.threshold(c)
        let throttled = (limits.charge.value > 0 && limits.charge.value < small) || (limits.discharge.value > 0 && limits.discharge.value < small)
        if currentValid, rest.steps >= restNeeded, !throttled {
            if restOffsetTimer.tick(c.step, period: c.rest.offsetReadPeriod) {
                // The capacity's offset meter pools only what the filter took for offset.
                let read = Amperes(rest.averagedRawCurrent / strings)
                if filter.updateRestCurrent(averaged: read), let sigma = c.estimator.restCurrentSigma?.value {
                    capacity.readOffset(read, sigma: sigma)
                }
            }
        } else {
            restOffsetTimer = PeriodicTimer()
        }
        // Behind open contactors no current flows: after the settling time, the reading is the
        // sensor's offset.
        if rest.updateContactors(closed: frame.contactorClosed, configuration: c), currentValid {
            filter.updateZeroCurrent(measured: current)
            capacity.readOffset(current, sigma: c.estimator.currentNoise.value)
        }
        capacity.tick(c.step)
        detectFullCharge(
            cells, packTrueCurrent: packTrueCurrent, chargeLimit: limits.charge, temperature: meanTemperature, excluded: excluded,
            configuration: c)
        if hasFront {
            fronts.reconcile(depthOfDischarge: 1 - (counter.stateOfCharge.value + filter.socCorrection))
            stepFront = Self.scaled(fronts.depth(discharging: frontDischarging), frontRatio)
        }
        report(excluded: excluded, configuration: c, status: &status)
    }

    /// Gives a resistance read to the filter: the front law's (`front`) or the scale's.
    @inlinable mutating func applyResistanceRead(_ read: FrontResistanceGauge.Read?, front: Bool, model: CellModel) {
        guard let read else { return }
        if front {
            filter.updateFrontResistance(read, model: model)
        } else if filter.updateResistanceScale(read, model: model) {
            scaleMeasured = true
        }
    }

    /// A front's depth and sensitivity times the front's temperature ratio.
    @inlinable static func scaled(_ f: (depth: Float, sensitivity: Float), _ ratio: Float) -> (depth: Float, sensitivity: Float) {
        (f.depth * ratio, f.sensitivity * ratio)
    }

    /// One OCV read per rest: the mean cell's SoC, every cell's difference, a capacity anchor.
    @inlinable mutating func readRest(
        _ cells: CellSummary<maxCells, maxModules>, excluded: Span<Bool>, meanTemperature: Celsius,
        front: (depth: Float, sensitivity: Float), resistanceSpread: Float, configuration c: CoreConfiguration
    ) {
        let model = c.cellModel
        let strings = Float(c.parallelStrings)
        let n = Float(cells.counted)
        let cellNoise = c.cellVoltageNoise.value
        let read = filter.updateRestingOCV(
            measuredMean: Volts(cells.sum / n), cellVoltages: rest.voltages.span, cellCount: c.cellCount, excluded: excluded,
            restCurrent: Amperes(rest.averagedRawCurrent / strings), counted: counter.stateOfCharge, temperature: meanTemperature,
            model: model, front: front, cellNoise: cellNoise / n.squareRoot(), resistanceSpread: resistanceSpread)
        // The read comes on a settling checkpoint: its mean rest voltage over the cells not excluded.
        readCellDifferences(excluded: excluded, meanVoltage: rest.checkpointMean, configuration: c)
        let sampled = capacity.anchor(
            soc: read.soc, sigma: read.sigma, dischargedMicrocoulombs: counter.dischargedMicrocoulombs, strings: strings,
            deltas: cellDeltas._lastRead, cellCount: c.cellCount)
        if sampled { adoptCapacity(configuration: c) }
    }

    /// After an anchor that made a capacity sample: the counter and the filter go on with the
    /// capacity believed now (`CapacityEstimator.belief`; a belief outside
    /// `CapacitySettings.plausibleSoH` of the rated capacity is not used).
    @inlinable mutating func adoptCapacity(configuration c: CoreConfiguration) {
        let belief = capacity.belief
        let strings = Float(c.parallelStrings)
        let soh = belief.capacity * strings / c.ratedCapacity.value
        guard soh.isFinite, c.capacity.plausibleSoH.contains(soh) else { return }
        counter.rescale(to: AmpereHours(belief.capacity * strings))
        let floor = c.capacity.measuredSigmaFloor.value
        filter.adoptCapacity(relativeVariance: max(belief.relativeVariance, floor * floor))
    }

    /// A lasting rest's hourly re-read of the cells' differences (not the mean cell's SoC, not a
    /// capacity anchor): what a cell lost while the pack stood shows, and the soft-short check
    /// compares it with the read an hour before. Gated as the rest's first read is (every cell
    /// reading plausible); a channel found stuck or drifting has already opened the pack, and the
    /// cell it reads is unknown either way.
    @inlinable mutating func rereadCells(excluded: Span<Bool>, configuration c: CoreConfiguration) {
        var sum: Float = 0
        var n = 0
        for k in 0..<c.cellCount where !excluded[k] {
            sum += rest.voltages[k]
            n += 1
        }
        guard n > 0 else { return }
        readCellDifferences(excluded: excluded, meanVoltage: sum / Float(n), configuration: c)
    }

    /// Every cell's difference from its rest voltage against `meanVoltage`, at the mean cell's
    /// estimate. Cells differ from each other by noise, channel offsets and cell-to-cell OCV
    /// spread (`cellVoltageMatch` for the last two); the table's error is common to all.
    @inlinable mutating func readCellDifferences(excluded: Span<Bool>, meanVoltage: Float, configuration c: CoreConfiguration) {
        let match = c.rest.cellVoltageMatch.value
        let averagedNoise = RestDetector<maxCells, maxModules>.averagedNoise(c.cellVoltageNoise.value, configuration: c)
        cellDeltas.updateResting(
            voltages: rest.voltages, count: c.cellCount, excluded: excluded, meanVoltage: meanVoltage,
            anchor: StateOfCharge(min(1, max(0, counter.stateOfCharge.value + filter.socCorrection))), table: c.cellModel.ocv,
            voltageSigma: (match * match + averagedNoise * averagedNoise).squareRoot(), noiseSigma: averagedNoise)
    }

    /// Full charge: the highest cell at the charge-end voltage while the charge current has
    /// tapered, for the hold time; applied once per episode. Tapered means the firmware's own
    /// charge limit has come down below the taper current too (its voltage or SoC ramp is what
    /// holds the current back): a small charge the EMS merely asked for is no taper, and the
    /// highest of many noisy cells reads about two sigma high (without the taper, a Na-S string
    /// charged at C/20 from 43 % reads as full). What is full is the fullest cell: the mean cell,
    /// which the pack SoC is, stands below it by that cell's difference from the mean (on an
    /// end-of-life polymer string 5.7 points: taken as 100 %, the estimate ended 3.8 points high
    /// at a sigma of 0.6), and the anchor carries that difference's uncertainty too. Nor is the
    /// fullest cell at the table's 100 % (`fullestCellLevel`). Which cell is the fullest, and by
    /// how much, is as uncertain as the cells' differences are: its difference is the largest
    /// of them, each as the filter holds it (`CoreMath.largerOfNormals`). Before the cells'
    /// differences are learnt, all of them 0 +- 2.5 %, the largest of 20 stands about 1.9
    /// sigma above the mean; the first cell's 0 anchored an end-of-life ZEBRA string whose
    /// fullest cell stood 7.4 points above the mean 4 points high (1.8 sigma). The taper is
    /// the current's size, of either sign: a charge held at zero reads the sensor's noise
    /// around it, and asking for a charging sign restarted the hold at every positive reading
    /// (an end-of-life ZEBRA string stood full for five hours without an anchor, 4 points low).
    @inlinable mutating func detectFullCharge(
        _ cells: CellSummary<maxCells, maxModules>, packTrueCurrent: Float, chargeLimit: Amperes, temperature: Celsius,
        excluded: Span<Bool>, configuration c: CoreConfiguration
    ) {
        let f = c.fullCharge
        let taper = f.taperCurrent.current(for: c.ratedCapacity).value
        let tapered = abs(packTrueCurrent) < taper && chargeLimit.value < taper
        if cells.valid, cells.maximum >= c.cellModel.fullChargeVoltage, tapered {
            fullChargeSteps = min(fullChargeSteps &+ 1, stepCountCeiling)
            if fullChargeSteps &* Int32(truncatingIfNeeded: c.step.count) == Int32(truncatingIfNeeded: f.hold.count) {
                // The fullest cell's difference: the largest of the cells' differences, each
                // as uncertain as the filter holds it.
                var largest = (mean: -Float.infinity, variance: Float(0))
                // (A difference that is not a number starts the fold again at the next cell.)
                for k in 0..<c.cellCount where !excluded[k] {
                    let cell = (mean: cellDeltas._delta[k], variance: max(0, cellDeltas._variance[k]))
                    largest = largest.mean.isFinite ? CoreMath.largerOfNormals(largest, cell) : cell
                }
                let top = largest.mean.isFinite ? largest.mean : 0
                let topVariance = largest.variance
                let strings = Float(c.parallelStrings)
                let fullest = Self.fullestCellLevel(
                    highest: cells.maximum, cellCurrent: packTrueCurrent / strings, temperature: temperature,
                    lawScale: filter.lawScale(c.cellModel), model: c.cellModel)
                let level = fullest - top
                let sigma = (f.socSigma.value * f.socSigma.value + max(0, topVariance)).squareRoot()
                filter.updateFullCharge(counted: counter.stateOfCharge, level: level, sigma: sigma)
                let sampled = capacity.anchor(
                    soc: level, sigma: sigma, dischargedMicrocoulombs: counter.dischargedMicrocoulombs,
                    strings: Float(c.parallelStrings), deltas: cellDeltas._delta, cellCount: c.cellCount)
                if sampled { adoptCapacity(configuration: c) }
            }
        } else {
            fullChargeSteps = 0
        }
    }

    /// The fullest cell's SoC at a full charge: its voltage (`highest`) less the drop of the
    /// taper current (`cellCurrent`, negative while charging) across the ohmic law and the
    /// polarisation element, less the charge branch's half gap, read through the table; the top
    /// of a flat stretch, and at most 1. The table's 100 % is the equilibrium of the lab's hold at
    /// the maximum operating voltage, and a charge that tapers at the lower charge-end voltage
    /// stops short of it: an NVP cell at 3.65 V rests at 98.2 % of its table, a sulfide cell at
    /// 3.45 V at 98.3 %. Anchored at 100 %, an end-of-life polymer string's estimate ended 2.2
    /// points high (3.4 sigma) after its full charge; the capacity's anchor takes the same
    /// level. (Static: a method of the phase would copy it, per-cell arrays and all, onto the
    /// firmware's stack.)
    @inlinable static func fullestCellLevel(
        highest: Volts, cellCurrent: Float, temperature: Celsius, lawScale: Float, model: CellModel
    ) -> Float {
        guard cellCurrent.isFinite, highest.value.isFinite else { return 1 }
        let factor = model.resistanceFactor(temperature)
        let ohmic = SoCEstimator.ohmicResistance(model, depth: 0, factor: factor) * lawScale
        let element = model.polarisationResistance(carrying: Amperes(cellCurrent), temperature: temperature, factor: factor).value
        let drop = min(0, cellCurrent) * (ohmic + element)
        guard drop.isFinite else { return 1 }
        let ocv = highest.value + drop - model.ocvShift(temperature)
        var level = model.ocv.socRange(forVoltage: Volts(ocv), Volts(ocv)).upperBound.value
        if let m = model.hysteresis {
            let gap = m.halfGap(at: StateOfCharge(level), table: model.ocv)
            level = model.ocv.socRange(forVoltage: Volts(ocv - gap), Volts(ocv - gap)).upperBound.value
        }
        return level.isFinite ? min(1, level) : 1
    }

    /// Writes the estimates to `status`. (Mutating though it changes nothing: a non-mutating
    /// call from `estimate` copied the whole phase, per-cell arrays and all, on every step.)
    @inlinable mutating func report(excluded: Span<Bool>, configuration c: CoreConfiguration, status: inout CoreStatus) {
        let strings = Float(c.parallelStrings)
        status.soc = StateOfCharge(counter.stateOfCharge.value + filter.socCorrection)
        var lowest = Float.infinity
        var highest = -Float.infinity
        for k in 0..<c.cellCount where !excluded[k] {
            lowest = min(lowest, cellDeltas._delta[k])
            highest = max(highest, cellDeltas._delta[k])
        }
        status.minimumCellSoC = StateOfCharge(status.soc.value + lowest)
        status.maximumCellSoC = StateOfCharge(status.soc.value + highest)
        status.socSigma = filter.socSigma
        status.resistanceLawFactor = scaleMeasured ? 1 + filter.resistanceScale + filter.consideredScale : .nan
        if capacity.samples > 0 { reportCapacity(excluded: excluded, configuration: c, status: &status) }
        status.currentOffset = filter.currentOffset * strings
        let offset = abs(filter.currentOffset.value) * strings
        if offset - c.fullCharge.chargeBalanceSigmas * filter.offsetSigma * strings > c.plausibility.currentOffset.value {
            status.measurement.insert(.chargeBalance)
        }
    }

    /// The capacity SoH of the mean cell and of the weakest cell (NaN until the first sample, so
    /// the cell loop runs only once there is one).
    @inlinable mutating func reportCapacity(excluded: Span<Bool>, configuration c: CoreConfiguration, status: inout CoreStatus) {
        let ratedCell = c.ratedCapacity.value / Float(c.parallelStrings)
        status.capacitySoH = capacity.capacity / ratedCell
        var weakest = Float.nan
        for k in 0..<c.cellCount where !excluded[k] && capacity._cellCapacity[k].isFinite {
            weakest = weakest.isNaN ? capacity._cellCapacity[k] : min(weakest, capacity._cellCapacity[k])
        }
        status.lowestCellCapacitySoH = weakest / ratedCell
    }
}
