/// What the thermal manager decided in one step.
@usableFromInline struct ThermalCommand<let maxModules: Int>: Sendable {
    /// Heater duty per module, 0 or 1.
    @usableFromInline var duty: InlineArray<maxModules, Float>
    /// A heater has been on for its check time without warming its module.
    @usableFromInline var heaterFault: Bool
    /// A module is below the freeze guard of its melt.
    @usableFromInline var freezeRisk: Bool
    /// A module's reading is outvoted by the others' (its heater follows them).
    @usableFromInline var sensorFault: Bool = false
    /// A module's temperature rises faster than any heater or load could warm it.
    @usableFromInline var rising: Bool = false
    /// The pack current is below the idle current this step (the setback counts such steps).
    @usableFromInline var idleNow: Bool = false
    /// Run the cooling blower.
    @usableFromInline var blower: Bool = false
    /// The blower's airflow has disagreed with its command for the check time.
    @usableFromInline var coolingFault: Bool = false

    @inlinable init(duty: InlineArray<maxModules, Float>, heaterFault: Bool, freezeRisk: Bool) {
        self.duty = duty
        self.heaterFault = heaterFault
        self.freezeRisk = freezeRisk
    }
}

/// Phase 4a, manage heat: one two-point heater control per module, the idle setback, the heater
/// check and the freeze guard.
///
/// No heater trusts one sensor blindly: a module whose reading is invalid, or more than
/// `HeaterSettings.sensorDisagreement` below the median of the valid modules' readings while its
/// heater has run `heaterCheckTime` without the reading rising (a thermocouple come loose reads
/// the ambient, and its heater ran forever), is controlled on the mean of the believed modules
/// (`temperatureSensorFault` for the disagreement); with none believed, on the hottest valid
/// reading. An over-temperature trip switches every heater off.
@usableFromInline struct ThermalManager<let maxCells: Int, let maxModules: Int>: Sendable {
    @usableFromInline var heaters: InlineArray<maxModules, HeaterControl>
    /// Consecutive steps below the idle current (capped at the setback time).
    @usableFromInline var idleSteps: Int32 = 0
    /// Modules whose reading the others outvote (far below them, not rising under the heater).
    @usableFromInline var outvoted: InlineArray<maxModules, Bool> = InlineArray(repeating: false)
    /// Each heater's last command, and how long its metered power has disagreed with it.
    @usableFromInline var commanded: InlineArray<maxModules, Bool> = InlineArray(repeating: false)
    @usableFromInline var powerMismatch: InlineArray<maxModules, Milliseconds> = InlineArray(repeating: .zero)
    /// How long each module has stood more than `sensorDrift` off the modules' median.
    @usableFromInline var offMedian: InlineArray<maxModules, Milliseconds> = InlineArray(repeating: .zero)
    /// The rate check: each module's sum of readings in the present window, the last window's
    /// mean, the samples summed, and the modules whose reading fell or rose too fast.
    @usableFromInline var windowSum: InlineArray<maxModules, Float> = InlineArray(repeating: 0)
    @usableFromInline var windowMean: InlineArray<maxModules, Float> = InlineArray(repeating: .nan)
    @usableFromInline var windowSamples: InlineArray<maxModules, Int32> = InlineArray(repeating: 0)
    @usableFromInline var windowElapsed = Milliseconds.zero
    @usableFromInline var fellTooFast: InlineArray<maxModules, Bool> = InlineArray(repeating: false)
    @usableFromInline var risingTooFast: InlineArray<maxModules, Bool> = InlineArray(repeating: false)
    /// Modules below the freeze guard, held until they are the protection's temperature
    /// hysteresis above it (a module cooling through the guard read it on and off with every
    /// sample's noise: thousands of `freezeRisk` events in one outage).
    @usableFromInline var belowFreezeGuard: InlineArray<maxModules, Bool> = InlineArray(repeating: false)
    /// The blower's command (held between its thresholds), and how long its airflow switch has
    /// disagreed with the last command.
    @usableFromInline var blowerOn = false
    @usableFromInline var airflowMismatch = Milliseconds.zero

    @inlinable init(configuration c: CoreConfiguration) {
        heaters = InlineArray(repeating: HeaterControl(settings: c.heater))
    }

    /// Decides every module's heater from the temperature it believes for it, and the blower from
    /// the hottest; `current` is the pack current used this step; `heatersOff` (a latched
    /// over-temperature trip, the off mode) switches every heater off; `overheated` (a latched
    /// over-temperature trip) runs the blower whatever the readings.
    @inlinable mutating func update(
        _ frame: MeasurementFrame<maxCells, maxModules>, current: Amperes, heatersOff: Bool, overheated: Bool,
        configuration c: CoreConfiguration
    ) -> ThermalCommand<maxModules> {
        var command = ThermalCommand<maxModules>(duty: InlineArray(repeating: 0), heaterFault: false, freezeRisk: false)
        let standbySteps = Int32(truncatingIfNeeded: c.heater.standbyAfter.count / c.step.count)
        let idleCurrent = c.heater.idleCurrent.current(for: c.ratedCapacity).value
        command.idleNow = abs(current.value) < idleCurrent
        idleSteps = command.idleNow ? min(idleSteps &+ 1, standbySteps) : 0
        let idle = idleSteps >= standbySteps
        // Each module's own reading where plausible, and whether it agrees with the modules' median.
        var readings = InlineArray<maxModules, Float>(repeating: .nan)
        var valid = InlineArray<maxModules, Float>(repeating: .nan)
        var validCount = 0
        var hottest = -Float.infinity
        for m in 0..<c.moduleCount {
            let t = frame.moduleTemperatures[m]
            if t.isFinite && c.plausibility.temperature.contains(t) {
                readings[m] = t.value
                valid[validCount] = t.value
                validCount += 1
                hottest = max(hottest, t.value)
            }
        }
        let median = valid.sortedMedian(of: validCount)
        updateRates(readings, configuration: c)
        // A drifting thermocouple, against the other modules (three at least, for a median to mean
        // something).
        for m in 0..<c.moduleCount {
            let off = validCount >= 3 && readings[m].isFinite && abs(readings[m] - median) > c.heater.sensorDrift.value
            offMedian[m] = off ? min(offMedian[m] + c.step, c.heater.sensorCheckTime) : .zero
            if offMedian[m] >= c.heater.sensorCheckTime { command.sensorFault = true }
        }
        var believed = InlineArray<maxModules, Bool>(repeating: false)
        var sum: Float = 0
        var count = 0
        var hottestBelieved = -Float.infinity
        for m in 0..<c.moduleCount where readings[m].isFinite {
            // Outvoted: far below the others while its heater has run its check time without
            // the reading rising. (A module truly colder than the others warms under a working
            // heater and stays believed; one whose heater is broken loses nothing by it.)
            // Held until the reading is back within the band (the heater's own check restarts
            // on the fallback temperature, so it cannot be asked again).
            let far = readings[m] < median - c.heater.sensorDisagreement.value
            outvoted[m] = far && (outvoted[m] || heaters[m].notHeating || fellTooFast[m])
            if !far { fellTooFast[m] = false }
            if fellTooFast[m] { command.sensorFault = true }
            believed[m] = !outvoted[m]
            if believed[m] {
                sum += readings[m]
                count += 1
                hottestBelieved = max(hottestBelieved, readings[m])
            } else {
                command.sensorFault = true
            }
        }
        // For a module without a believed reading: the believed modules' mean; with none (two
        // modules that disagree), the hottest valid reading, which keeps every heater from
        // overheating its module (a freeze is slower, and the warning asks for service).
        let fallback: Celsius? = count > 0 ? Celsius(sum / Float(count)) : hottest.isFinite ? Celsius(hottest) : nil
        if let cooling = c.cooling {
            // The blower follows the hottest believed module (with none, the hottest valid one).
            cool(hottest: count > 0 ? hottestBelieved : hottest, airflow: frame.blowerAirflow, overheated: overheated, settings: cooling, step: c.step, into: &command)
        }
        // The metered power against the last command (the element answers within the frame).
        if let rated = c.heater.ratedPower?.value, rated > 0 {
            for m in 0..<c.moduleCount {
                let p = frame.heaterPower[m].value
                guard p.isFinite else {
                    powerMismatch[m] = .zero
                    continue
                }
                let wrong = commanded[m] ? p < 0.5 * rated : p > 0.1 * rated
                powerMismatch[m] = wrong ? min(powerMismatch[m] + c.step, c.heater.powerCheckTime) : .zero
                if powerMismatch[m] >= c.heater.powerCheckTime { command.heaterFault = true }
            }
        }
        for m in 0..<c.moduleCount {
            let own: Celsius? = believed[m] ? Celsius(readings[m]) : fallback
            let on = heaters[m].update(temperature: heatersOff || risingTooFast[m] ? nil : own, idle: idle, step: c.step)
            if risingTooFast[m] { command.rising = true }
            command.duty[m] = on ? 1 : 0
            commanded[m] = on
            if heaters[m].notHeating { command.heaterFault = true }
            if let guardT = c.heater.freezeGuard, let r = own {
                if r < guardT {
                    belowFreezeGuard[m] = true
                } else if r > guardT + c.protection.temperatureHysteresis {
                    belowFreezeGuard[m] = false
                }
                if belowFreezeGuard[m] { command.freezeRisk = true }
            }
        }
        return command
    }

    /// The blower: on above its threshold (or after an over-temperature trip), off a band below,
    /// held without a reading; its airflow switch checked against the last command.
    @inlinable mutating func cool(
        hottest: Float, airflow: Bool, overheated: Bool, settings b: CoolingSettings, step: Milliseconds,
        into command: inout ThermalCommand<maxModules>
    ) {
        let wrong = airflow != blowerOn
        airflowMismatch = wrong ? min(airflowMismatch + step, b.airflowCheckTime) : .zero
        if airflowMismatch >= b.airflowCheckTime { command.coolingFault = true }
        if overheated || hottest > b.onAbove.value {
            blowerOn = true
        } else if hottest < b.onAbove.value - b.band.value {
            blowerOn = false
        }
        command.blower = blowerOn
    }

    /// Sums this step's plausible readings into the window; at the window's end, each module's
    /// rate from the last window's mean to this one's sets or clears `fellTooFast` (cleared
    /// otherwise once the reading is back near the median) and `risingTooFast`. A module with a
    /// missing sample in the window is not judged.
    @inlinable mutating func updateRates(_ readings: InlineArray<maxModules, Float>, configuration c: CoreConfiguration) {
        for m in 0..<c.moduleCount where readings[m].isFinite {
            windowSum[m] += readings[m]
            windowSamples[m] &+= 1
        }
        windowElapsed = windowElapsed + c.step
        guard windowElapsed >= c.heater.rateWindow else { return }
        let full = Int32(truncatingIfNeeded: windowElapsed.count / c.step.count)
        let minutes = windowElapsed.seconds / 60
        windowElapsed = .zero
        for m in 0..<c.moduleCount {
            let mean = windowSamples[m] >= full ? windowSum[m] / Float(Int(windowSamples[m])) : Float.nan
            let rate = (mean - windowMean[m]) / minutes
            if rate.isFinite {
                if rate < -c.heater.maximumFallRate { fellTooFast[m] = true }
                risingTooFast[m] = rate > c.heater.maximumRiseRate
            }
            windowMean[m] = mean
            windowSum[m] = 0
            windowSamples[m] = 0
        }
    }
}
