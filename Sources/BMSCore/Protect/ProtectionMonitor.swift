/// What the protect phase found in one step.
@usableFromInline struct ProtectionResult: Sendable {
    /// Quantities beyond their maximum operating limit (the current that way is reduced).
    @usableFromInline var warnings: FaultFlags
    /// Quantities beyond their recommended safety limit (no current that way).
    @usableFromInline var alarms: FaultFlags
    /// Quantities beyond their maximum safety limit (to be latched: the pack disconnects).
    @usableFromInline var trips: FaultFlags

    @inlinable init(warnings: FaultFlags, alarms: FaultFlags, trips: FaultFlags) {
        self.warnings = warnings
        self.alarms = alarms
        self.trips = trips
    }
}

/// Phase 3, protect: three tiers per monitored quantity (foxBMS style: maximum operating,
/// recommended safety, maximum safety) with debounce by time and count and release by margin and
/// time, and the cold inhibit (no current below the minimum operating temperature, released
/// above it by the hysteresis).
@usableFromInline struct ProtectionMonitor<let maxCells: Int, let maxModules: Int>: Sendable {
    @usableFromInline var overVoltage = LimitMonitor()
    @usableFromInline var underVoltage = LimitMonitor()
    @usableFromInline var overTemperature = LimitMonitor()
    @usableFromInline var dischargeOverCurrent = LimitMonitor()
    @usableFromInline var chargeOverCurrent = LimitMonitor()
    /// The pack is below its minimum operating temperature (true from power-up until a valid
    /// frame shows it warm).
    @usableFromInline var tooCold = true

    /// Runs the tier monitors on one validated frame; `current` is the pack current used (the
    /// last valid one when this frame's is not; a reading beyond the sensor's range as read).
    @inlinable mutating func check(_ v: ValidatedFrame<maxCells, maxModules>, current: Amperes, configuration c: CoreConfiguration) -> ProtectionResult {
        let p = c.protection
        let o = p.maximumOperating
        let r = p.recommendedSafety
        let timing = TierTiming(debounceTime: p.debounce, debounceCount: p.debounceCount, releaseTime: p.releaseTime)
        let step = c.step
        let cells = v.cells
        let temps = v.temperatures
        let fresh = v.fresh
        var result = ProtectionResult(warnings: .clear, alarms: .clear, trips: .clear)
        func book(_ tier: (warning: Bool, alarm: Bool, trip: Bool), _ flag: FaultFlags) {
            if tier.warning { result.warnings.insert(flag) }
            if tier.alarm { result.alarms.insert(flag) }
            if tier.trip { result.trips.insert(flag) }
        }
        let dv = p.release.voltage.value
        book(overVoltage.update(
            cells.maximum.value, limits: (o.cellOverVoltage.value, r.cellOverVoltage.value, p.cellOverVoltage.value), upper: true,
            margin: dv, valid: cells.valid, fresh: fresh, step: step, timing: timing), .cellOverVoltage)
        book(underVoltage.update(
            cells.minimum.value, limits: (o.cellUnderVoltage.value, r.cellUnderVoltage.value, p.cellUnderVoltage.value), upper: false,
            margin: dv, valid: cells.valid, fresh: fresh, step: step, timing: timing), .cellUnderVoltage)
        book(overTemperature.update(
            temps.maximum.value, limits: (o.overTemperature.value, r.overTemperature.value, p.overTemperature.value), upper: true,
            margin: p.release.temperature.value, valid: temps.valid, fresh: fresh, step: step, timing: timing), .overTemperature)
        let di = p.release.current.value
        book(dischargeOverCurrent.update(
            current.value, limits: (o.dischargeOverCurrent.value, r.dischargeOverCurrent.value, p.dischargeOverCurrent.value),
            upper: true, margin: di, valid: v.currentValid || v.currentSaturated, fresh: fresh, step: step, timing: timing),
            .dischargeOverCurrent)
        book(chargeOverCurrent.update(
            -current.value, limits: (o.chargeOverCurrent.value, r.chargeOverCurrent.value, p.chargeOverCurrent.value),
            upper: true, margin: di, valid: v.currentValid || v.currentSaturated, fresh: fresh, step: step, timing: timing),
            .chargeOverCurrent)
        if temps.valid {
            if temps.minimum < p.minimumOperatingTemperature {
                tooCold = true
            } else if temps.minimum.value > p.minimumOperatingTemperature.value + p.temperatureHysteresis.value {
                tooCold = false
            }
        }
        return result
    }
}
