extension CoreConfiguration {
    /// The control steps the firmware supports: at least 1 ms, at most a second (a protection
    /// loop slower than that cannot meet the 500 ms debounce of its trips; every step-count timer
    /// is sized for it).
    public static let stepRange = Milliseconds(1)...Milliseconds(1000)

    /// Checks every setting: counts against the controller's capacity, the step, limit orders and
    /// tiers, and each value finite and inside the range its doc comment gives.
    public func validate(maxCells: Int, maxModules: Int) throws(ConfigurationError) {
        guard cellCount > 0, cellCount <= maxCells else {
            throw .cellCountOutOfRange(count: cellCount, capacity: maxCells)
        }
        guard moduleCount > 0, moduleCount <= maxModules, moduleCount <= cellCount else {
            throw .moduleCountOutOfRange(count: moduleCount, capacity: maxModules)
        }
        guard Self.stepRange.contains(step) else { throw .stepOutOfRange(step) }
        guard parallelStrings >= 1, parallelStrings <= cellCount else {
            throw .cellCountOutOfRange(count: parallelStrings, capacity: cellCount)
        }
        guard ratedCapacity.isFinite, ratedCapacity > .zero else { throw .nonPositiveCapacity }
        try require(initialSoC.isFinite && initialSoC >= .zero && initialSoC <= StateOfCharge(1), "initialSoC")
        try require(positive(cellVoltageNoise.value), "cellVoltageNoise")
        try validateProtection()
        try validateCurrentLimits()
        try validateHeater()
        try validatePlausibility()
        try validateCellModel()
        try validateEstimator()
        try validateContactors()
        try validateBalancing()
        try validatePhases()
        try validateEstimators()
    }

    func validateEstimators() throws(ConfigurationError) {
        let e = estimator
        try require(nonNegative(e.initialPolarisationVariance), "estimator.initialPolarisationVariance")
        try require(positive(e.slopeCheckSigmas), "estimator.slopeCheckSigmas")
        try require(nonNegative(e.slopeCheckMinimumReach.value), "estimator.slopeCheckMinimumReach")
        try require(positive(e.readBandSigmas), "estimator.readBandSigmas")
        try require(positive(e.readSigmaFloor.value), "estimator.readSigmaFloor")
        try require(e.unmeasuredResistanceUncertainty.map { positive($0.value) } ?? true, "estimator.unmeasuredResistanceUncertainty")
        try require(e.innovationGate > 0, "estimator.innovationGate")
        try require(e.restCurrentGate > 0, "estimator.restCurrentGate")
        try require(positive(e.measuredResistanceRange.lowerBound) && e.measuredResistanceRange.upperBound.isFinite, "estimator.measuredResistanceRange")
        let d = cellDeltas
        try require(positive(d.initialSigma.value), "cellDeltas.initialSigma")
        try require(nonNegative(d.walk_per_sqrt_h), "cellDeltas.walk_per_sqrt_h")
        try require(nonNegative(d.capacityMismatchSigma.value) && d.capacityMismatchSigma.value < 1, "cellDeltas.capacityMismatchSigma")
        try require(positive(d.softShortRate_per_h), "cellDeltas.softShortRate_per_h")
        try require(positive(d.readSigmas), "cellDeltas.readSigmas")
        try require(positive(d.readSigmaFloor.value), "cellDeltas.readSigmaFloor")
        try require(positive(d.sharpRead.value), "cellDeltas.sharpRead")
        try require(positive(d.readConsistency.value), "cellDeltas.readConsistency")
        let k = capacity
        try require(positive(k.maximumAnchorSigma.value), "capacity.maximumAnchorSigma")
        try require(positive(k.minimumSwing.value, atMost: 1), "capacity.minimumSwing")
        try require(fraction(k.forgetting.value), "capacity.forgetting")
        try require(positive(k.assumedSoH.value, atMost: 2), "capacity.assumedSoH")
        try require(nonNegative(k.assumedSoHSigma.value) && k.assumedSoHSigma.value < 1, "capacity.assumedSoHSigma")
        try require(nonNegative(k.measuredSigmaFloor.value) && k.measuredSigmaFloor.value < 1, "capacity.measuredSigmaFloor")
        try require(nonNegative(k.fadeSigmaPerYear.value) && k.fadeSigmaPerYear.value < 1, "capacity.fadeSigmaPerYear")
        try require(positive(k.plausibleSoH.lowerBound) && k.plausibleSoH.upperBound.isFinite, "capacity.plausibleSoH")
        try validateGauge(frontGauge, scale: false)
        if let g = scaleGauge { try validateGauge(g, scale: true) }
        let r = resistanceFit
        try require(r.blockFrames >= 1 && r.blockFrames <= 10_000, "resistanceFit.blockFrames")
        try require(period(r.window, fromStepTo: 86_400_000), "resistanceFit.window")
        try require(positive(r.minimumExcitation), "resistanceFit.minimumExcitation")
        try require(positive(r.minimumStep.value), "resistanceFit.minimumStep")
        try require(positive(r.minimumSteps), "resistanceFit.minimumSteps")
        try require(r.recentStepsDivisor >= 1 && r.recentStepsDivisor.isFinite, "resistanceFit.recentStepsDivisor")
        try require(fraction(r.forgetting.value) && fraction(r.shortForgetting.value), "resistanceFit.forgetting")
        let h = interfaceHealth
        try require(positive(h.contactStep.value, atMost: 10), "interfaceHealth.contactStep")
        try require(positive(h.minimumStep.value, atMost: 1), "interfaceHealth.minimumStep")
        try require(positive(h.stepSigmas), "interfaceHealth.stepSigmas")
        try require(positive(h.scatterLimit) && h.scatterLimit.isFinite, "interfaceHealth.scatterLimit")
        try require(h.referenceLag.count >= 60_000 && h.referenceLag.count <= 86_400_000, "interfaceHealth.referenceLag")
        try require(h.confirmEvidence >= 1 && h.confirmEvidence <= 1e4, "interfaceHealth.confirmEvidence")
        try require(h.plausibleSpread.lowerBound > 0 && h.plausibleSpread.lowerBound < 1 && h.plausibleSpread.upperBound > 1 && h.plausibleSpread.upperBound.isFinite, "interfaceHealth.plausibleSpread")
        try require(nonNegative(h.riseDeadband.value), "interfaceHealth.riseDeadband")
        try require(h.baselineWindows >= 1, "interfaceHealth.baselineWindows")
        try require(nonNegative(h.commissionedInterface.value) && h.commissionedInterface.value <= 10, "interfaceHealth.commissionedInterface")
        try require(nonNegative(h.commissionedResistance.value) && h.commissionedResistance.value <= 10, "interfaceHealth.commissionedResistance")
        try require(
            h.commissionedCells >= 0 && Int(h.commissionedCells) <= cellCount && (h.commissionedResistance == .zero || h.commissionedCells > 0),
            "interfaceHealth.commissionedCells")
        try require(positive(h.baselineSteps), "interfaceHealth.baselineSteps")
        try require(h.evidenceSoC.lowerBound >= 0 && h.evidenceSoC.upperBound <= 1, "interfaceHealth.evidenceSoC")
    }

    func validateProtection() throws(ConfigurationError) {
        let p = protection
        guard p.cellUnderVoltage.isFinite, p.cellOverVoltage.isFinite, p.cellUnderVoltage < p.cellOverVoltage else {
            throw .inconsistentLimits(.cellVoltage)
        }
        guard p.minimumOperatingTemperature.isFinite, p.overTemperature.isFinite,
            p.minimumOperatingTemperature < p.overTemperature
        else { throw .inconsistentLimits(.temperature) }
        guard p.dischargeOverCurrent > .zero, p.chargeOverCurrent > .zero, p.dischargeOverCurrent.isFinite, p.chargeOverCurrent.isFinite else {
            throw .inconsistentLimits(.overCurrent)
        }
        let o = p.maximumOperating
        let r = p.recommendedSafety
        guard o.cellOverVoltage <= r.cellOverVoltage, r.cellOverVoltage <= p.cellOverVoltage,
            o.cellUnderVoltage >= r.cellUnderVoltage, r.cellUnderVoltage >= p.cellUnderVoltage,
            o.overTemperature <= r.overTemperature, r.overTemperature <= p.overTemperature,
            o.dischargeOverCurrent <= r.dischargeOverCurrent, r.dischargeOverCurrent <= p.dischargeOverCurrent,
            o.chargeOverCurrent <= r.chargeOverCurrent, r.chargeOverCurrent <= p.chargeOverCurrent,
            o.cellOverVoltage > o.cellUnderVoltage
        else { throw .inconsistentLimits(.tiers) }
        try require(period(p.debounce, fromZeroTo: 60_000), "protection.debounce")
        try require(p.debounceCount >= 1, "protection.debounceCount")
        try require(period(p.releaseTime, fromZeroTo: 3_600_000), "protection.releaseTime")
        try require(nonNegative(p.release.voltage.value), "protection.release.voltage")
        try require(nonNegative(p.release.temperature.value), "protection.release.temperature")
        try require(nonNegative(p.release.current.value), "protection.release.current")
        try require(nonNegative(p.temperatureHysteresis.value), "protection.temperatureHysteresis")
    }

    func validateCurrentLimits() throws(ConfigurationError) {
        let l = currentLimits
        guard l.minimumSoC < l.maximumSoC, l.dischargeEndVoltage < l.chargeEndVoltage else {
            throw .inconsistentLimits(.currentLimitWindow)
        }
        try require(nonNegative(l.ratedChargeCurrent.value) && nonNegative(l.ratedDischargeCurrent.value), "currentLimits.rated")
        try require(
            l.minimumSoC.isFinite && l.maximumSoC.isFinite && l.dischargeDerateStartSoC.isFinite && l.chargeDerateStartSoC.isFinite,
            "currentLimits.soc")
        try require(
            l.dischargeEndVoltage.isFinite && l.chargeEndVoltage.isFinite && l.dischargeDerateStartVoltage.isFinite
                && l.chargeDerateStartVoltage.isFinite, "currentLimits.voltage")
        try require(fraction(l.ccdFraction.value), "currentLimits.ccdFraction")
        try require(fraction(l.warningFactor.value), "currentLimits.warningFactor")
        try require(period(l.voltageFallTime, fromZeroTo: 10_000), "currentLimits.voltageFallTime")
        try require(l.voltageRecoveryTime >= l.voltageFallTime && l.voltageRecoveryTime.count <= 600_000, "currentLimits.voltageRecoveryTime")
    }

    func validateHeater() throws(ConfigurationError) {
        let h = heater
        try require(h.setpoint.isFinite, "heater.setpoint")
        try require(positive(h.band.value), "heater.band")
        try require(h.standbySetpoint.map { $0.isFinite } ?? true, "heater.standbySetpoint")
        try require(h.freezeGuard.map { $0.isFinite } ?? true, "heater.freezeGuard")
        try require(h.standbyAfter >= .zero, "heater.standbyAfter")
        try require(h.heaterCheckTime > .zero, "heater.heaterCheckTime")
        try require(positive(h.heatingEvidence.value), "heater.heatingEvidence")
        try require(positive(h.idleCurrent.hours), "heater.idleCurrent")
        if let hours = h.freezeReserveHours {
            try require(hours > 0 && hours <= 24 * 30 && h.ratedPower != nil, "heater.freezeReserveHours (0 ... 720 h, with heater.ratedPower)")
        }
        try require(h.ratedPower.map { $0.value.isFinite && $0.value > 0 } ?? true, "heater.ratedPower")
        try require(period(h.rateWindow, fromStepTo: 600_000), "heater.rateWindow")
        try require(positive(h.maximumFallRate) && positive(h.maximumRiseRate), "heater.maximumFallRate/maximumRiseRate")
        if let b = cooling {
            try require(b.onAbove.isFinite && positive(b.band.value, atMost: 100), "cooling.onAbove/band")
            // The blower must stop before the heaters start: the two never fight.
            try require(b.onAbove.value - b.band.value > h.setpoint.value + h.band.value / 2, "cooling.onAbove - band must be above the heater's off threshold")
            try require(period(b.airflowCheckTime, fromStepTo: 3_600_000), "cooling.airflowCheckTime")
        }
    }

    func validatePlausibility() throws(ConfigurationError) {
        let p = plausibility
        try require(p.cellVoltage.lowerBound.isFinite && p.cellVoltage.upperBound.isFinite, "plausibility.cellVoltage")
        try require(p.temperature.lowerBound.isFinite && p.temperature.upperBound.isFinite, "plausibility.temperature")
        try require(p.current.lowerBound.isFinite && p.current.upperBound.isFinite, "plausibility.current")
        // Every current tier must be measurable: a trip beyond the sensor's range would see only
        // the saturated reading.
        try require(
            protection.dischargeOverCurrent < p.current.upperBound && -protection.chargeOverCurrent.value > p.current.lowerBound.value,
            "plausibility.current (the sensor's range) must hold the over-current trips")
        try require(nonNegative(p.currentOffset.value), "plausibility.currentOffset")
    }

    func validateCellModel() throws(ConfigurationError) {
        let m = cellModel
        try require(positive(m.capacity.value), "cellModel.capacity")
        try require(m.ocvTemperatureCoefficient.isFinite, "cellModel.ocvTemperatureCoefficient")
        try require(m.ocvReference.isFinite, "cellModel.ocvReference")
        try require(positive(m.ohmicResistance.value), "cellModel.ohmicResistance")
        try require(nonNegative(m.interfaceResistance.value) && m.interfaceResistance <= m.ohmicResistance, "cellModel.interfaceResistance")
        try require(nonNegative(m.resistancePerDepthOfDischarge.value), "cellModel.resistancePerDepthOfDischarge")
        try require(m.reactionZoneWidth > 0 && m.reactionZoneWidth <= 0.5, "cellModel.reactionZoneWidth")
        try require(m.hysteresis.map { $0.count == m.ocv.count } ?? true, "cellModel.hysteresis (one half gap per OCV table point)")
        // The estimator's fourth state is either the front law's scale or the hysteresis.
        try require(m.hysteresis == nil || m.resistancePerDepthOfDischarge.value == 0, "cellModel.hysteresis (not with a reaction front)")
        try require(nonNegative(m.resistanceActivationEnergy_eV) && m.resistanceActivationEnergy_eV < 2, "cellModel.resistanceActivationEnergy_eV")
        try require(m.resistanceReference.isFinite, "cellModel.resistanceReference")
        try require(nonNegative(m.polarisationResistance.value), "cellModel.polarisationResistance")
        try require(positive(m.polarisationTimeConstant.value, atMost: 3600), "cellModel.polarisationTimeConstant")
        if let i0 = m.polarisationExchangeCurrent { try require(positive(i0.value) && i0.value < 1e6, "cellModel.polarisationExchangeCurrent") }
        try require(m.fullChargeVoltage.isFinite, "cellModel.fullChargeVoltage")
        try require(m.freezingPoint.map { $0.isFinite } ?? true, "cellModel.freezingPoint")
        if let ccd = m.criticalCurrent {
            try require(
                positive(ccd.reference_mA_per_cm2) && positive(ccd.area_cm2) && ccd.referenceTemperature.isFinite
                    && nonNegative(ccd.activationEnergy_eV), "cellModel.criticalCurrent")
        }
    }

    func validateEstimator() throws(ConfigurationError) {
        let e = estimator
        try require(positive(e.initialSoCSigma.value), "estimator.initialSoCSigma")
        try require(positive(e.initialOffsetSigma.value), "estimator.initialOffsetSigma")
        try require(nonNegative(e.socWalk_per_sqrt_h), "estimator.socWalk_per_sqrt_h")
        try require(nonNegative(e.offsetWalk_per_sqrt_h), "estimator.offsetWalk_per_sqrt_h")
        try require(nonNegative(e.polarisationWalk_per_sqrt_s), "estimator.polarisationWalk_per_sqrt_s")
        try require(positive(e.voltageModelError.value), "estimator.voltageModelError")
        try require(positive(e.currentNoise.value), "estimator.currentNoise")
        try require(nonNegative(e.resistanceUncertainty.value), "estimator.resistanceUncertainty")
        try require(nonNegative(e.minimumOCVSlope), "estimator.minimumOCVSlope")
        try require(positive(e.frontResistanceError.value), "estimator.frontResistanceError")
        try require(nonNegative(e.resistanceScaleWalk_per_sqrt_h), "estimator.resistanceScaleWalk_per_sqrt_h")
        try require(e.restCurrentSigma.map { positive($0.value) } ?? true, "estimator.restCurrentSigma")
    }

    func validateContactors() throws(ConfigurationError) {
        let s = contactors
        try require(s.prechargeTimeout > .zero, "contactors.prechargeTimeout")
        try require(fraction(s.prechargeVoltageTolerance.value) && s.prechargeVoltageTolerance > .zero, "contactors.prechargeVoltageTolerance")
        try require(positive(s.prechargeCurrentLimit.value), "contactors.prechargeCurrentLimit")
        try require(s.maximumPrechargeAttempts >= 1, "contactors.maximumPrechargeAttempts")
        try require(s.retryDelay >= .zero, "contactors.retryDelay")
        try require(positive(s.openingCurrent.value), "contactors.openingCurrent")
        try require(s.openingTimeout > .zero, "contactors.openingTimeout")
        try require(s.feedbackTimeout > .zero, "contactors.feedbackTimeout")
        let r = faultResets
        try require(r.emsResets >= 0 && r.emsResetWindow > .zero && r.prechargeFailuresBeforeService >= 1, "faultResets")
        let p = record
        try require(p.minimumInterval >= step && p.period >= p.minimumInterval && p.period.count <= 86_400_000, "record.period")
        try require(positive(p.socChange.value, atMost: 0.2), "record.socChange")
        try require(period(p.restartWarningTime, fromZeroTo: 86_400_000), "record.restartWarningTime")
        try require(period(emsLink.heartbeatTimeout, fromStepTo: 3_600_000), "emsLink.heartbeatTimeout")
        if let tau = s.prechargeTimeConstant { try require(tau > .zero && tau < s.prechargeTimeout, "contactors.prechargeTimeConstant") }
    }

    func validateBalancing() throws(ConfigurationError) {
        let b = balancing
        try require(positive(b.threshold.value) && nonNegative(b.release.value) && b.release < b.threshold, "balancing.threshold")
        try require(positive(b.bleedResistance.value), "balancing.bleedResistance")
        try require(b.minimumCellVoltage.isFinite, "balancing.minimumCellVoltage")
        try require(b.decisionPeriod >= step, "balancing.decisionPeriod")
    }

    func validatePhases() throws(ConfigurationError) {
        let v = validation
        try require(fraction(v.cellSumRelativeTolerance.value), "validation.cellSumRelativeTolerance")
        try require(nonNegative(v.cellSumAbsoluteTolerance.value), "validation.cellSumAbsoluteTolerance")
        try require(v.cellSumDebounce >= .zero, "validation.cellSumDebounce")
        try require(v.frameTimeout > .zero, "validation.frameTimeout")
        try require(v.movingVoltage.value > 0 && v.movingVoltage.value.isFinite, "validation.movingVoltage")
        try require(period(v.failedShortConfirmation, fromStepTo: 3_600_000), "validation.failedShortConfirmation")
        try require(positive(v.collapsedCellFraction.value, atMost: 1), "validation.collapsedCellFraction")
        try require(positive(v.normalNeighbourBand.value, atMost: 1), "validation.normalNeighbourBand")
        try require(v.openWireHighFraction.value > 1 && v.openWireHighFraction.isFinite, "validation.openWireHighFraction")
        try require(v.cellStuckSamples >= 2 && v.temperatureStuckSamples >= 2, "validation.stuckSamples")
        try require(nonNegative(v.movingCurrent.value), "validation.movingCurrent")
        try require(positive(v.temperatureFilterTime.value, atMost: 3600), "validation.temperatureFilterTime")
        try require(positive(v.voltageDriftLimit.value), "validation.voltageDriftLimit")
        try require(fraction(v.voltageDriftGainTolerance.value), "validation.voltageDriftGainTolerance")
        try require(period(v.voltageDriftConfirmation, fromZeroTo: 86_400_000), "validation.voltageDriftConfirmation")
        try require(positive(v.voltageDriftFilterTime.value, atMost: 86_400), "validation.voltageDriftFilterTime")
        try require(period(v.voltageDriftLearnTime, fromStepTo: 86_400_000), "validation.voltageDriftLearnTime")
        try require(positive(v.thermocouplePairTolerance.value, atMost: 200), "validation.thermocouplePairTolerance")
        try require(period(v.thermocouplePairTime, fromStepTo: 86_400_000), "validation.thermocouplePairTime")
        let r = rest
        try require(positive(r.restCurrent.hours), "rest.restCurrent")
        try require(positive(r.currentAveraging.value), "rest.currentAveraging")
        try require(positive(r.relaxationTimeConstants), "rest.relaxationTimeConstants")
        try require(period(r.minimumRest, fromStepTo: 86_400_000), "rest.minimumRest")
        try require(positive(r.restVoltageWeight.value, atMost: 1), "rest.restVoltageWeight")
        try require(nonNegative(r.cellVoltageMatch.value), "rest.cellVoltageMatch")
        try require(r.offsetReadPeriod >= step, "rest.offsetReadPeriod")
        try require(r.cellRereadPeriod >= r.settlingPeriod && r.cellRereadPeriod.count <= 86_400_000, "rest.cellRereadPeriod")
        try require(period(r.openContactorSettling, fromZeroTo: 3_600_000), "rest.openContactorSettling")
        try require(r.settlingPeriod.count >= step.count && r.settlingPeriod.count <= 3_600_000, "rest.settlingPeriod")
        try require(r.settlingVoltage.value > 0 && r.settlingVoltage.value < 0.1, "rest.settlingVoltage")
        let f = fullCharge
        try require(positive(f.taperCurrent.hours), "fullCharge.taperCurrent")
        try require(period(f.hold, fromStepTo: 3_600_000), "fullCharge.hold")
        try require(positive(f.socSigma.value), "fullCharge.socSigma")
        try require(f.loadedCheckPeriod >= step, "fullCharge.loadedCheckPeriod")
        try require(positive(f.chargeBalanceSigmas), "fullCharge.chargeBalanceSigmas")
        let d = derating
        try require(fraction(d.perFailedCell.value), "derating.perFailedCell")
        try require(fraction(d.failedCellFloor.value), "derating.failedCellFloor")
        try require(fraction(d.outOfServiceFraction.value), "derating.outOfServiceFraction")
        try require(d.healthResistanceFactor.value >= 1 && d.healthResistanceFactor.isFinite, "derating.healthResistanceFactor")
        let y = cycleCounting
        try require(positive(y.thermalSwing.value), "cycleCounting.thermalSwing")
        try require(nonNegative(y.freezeHysteresis.value), "cycleCounting.freezeHysteresis")
    }

    /// The front gauge's settings (`scale`: the scale gauge's, named so).
    func validateGauge(_ g: FrontGaugeSettings, scale: Bool) throws(ConfigurationError) {
        try require(positive(g.minimumStep.value), scale ? "scaleGauge.minimumStep" : "frontGauge.minimumStep")
        try require(period(g.window, fromStepTo: 86_400_000), scale ? "scaleGauge.window" : "frontGauge.window")
        try require(positive(g.minimumExcitation), scale ? "scaleGauge.minimumExcitation" : "frontGauge.minimumExcitation")
        try require(g.minimumSamples >= 2, scale ? "scaleGauge.minimumSamples" : "frontGauge.minimumSamples")
        try require(g.blockFrames >= 1 && g.blockFrames <= 1000 && Float(Int(g.blockFrames)) * step.seconds <= g.window.seconds, scale ? "scaleGauge.blockFrames" : "frontGauge.blockFrames")
    }

    @inline(never) func require(_ condition: Bool, _ name: StaticString) throws(ConfigurationError) {
        if !condition { throw .invalidSetting(name: name) }
    }

    /// Whether a period `m` lies from one step (from zero) to `fromStepTo` (`fromZeroTo`)
    /// milliseconds. (Not inlined: a call is less flash than the two 64-bit comparisons at each
    /// of the sixteen settings.)
    @inline(never) func period(_ m: Milliseconds, fromStepTo upper: Int64) -> Bool { m >= step && m.count <= upper }
    @inline(never) func period(_ m: Milliseconds, fromZeroTo upper: Int64) -> Bool { m >= .zero && m.count <= upper }

    @inline(never) func positive(_ x: Float) -> Bool { x.isFinite && x > 0 }
    /// Whether `x` lies in (0, `upper`]. (Not inlined, as `period`.)
    @inline(never) func positive(_ x: Float, atMost upper: Float) -> Bool { x.isFinite && x > 0 && x <= upper }
    @inline(never) func nonNegative(_ x: Float) -> Bool { x.isFinite && x >= 0 }
    @inline(never) func fraction(_ x: Float) -> Bool { x.isFinite && x >= 0 && x <= 1 }
}
