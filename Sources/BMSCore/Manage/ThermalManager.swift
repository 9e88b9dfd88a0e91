/// What the thermal manager decided in one step.
@usableFromInline struct ThermalCommand<let maxModules: Int>: Sendable {
    /// Heater duty per module, 0 or 1.
    @usableFromInline var duty: InlineArray<maxModules, Float>
    /// A heater has been on for its check time without warming its module.
    @usableFromInline var heaterFault: Bool
    /// A module is below the freeze guard of its melt.
    @usableFromInline var freezeRisk: Bool

    @inlinable init(duty: InlineArray<maxModules, Float>, heaterFault: Bool, freezeRisk: Bool) {
        self.duty = duty
        self.heaterFault = heaterFault
        self.freezeRisk = freezeRisk
    }
}

/// Phase 4a, manage heat: one two-point heater control per module, the idle setback, the heater
/// check and the freeze guard.
@usableFromInline struct ThermalManager<let maxCells: Int, let maxModules: Int>: Sendable {
    @usableFromInline var heaters: InlineArray<maxModules, HeaterControl>
    /// Consecutive steps below the idle current (capped at the setback time).
    @usableFromInline var idleSteps: Int32 = 0

    @inlinable init(configuration c: CoreConfiguration) {
        heaters = InlineArray(repeating: HeaterControl(settings: c.heater))
    }

    /// Decides every module's heater from its own temperature reading (an invalid reading turns
    /// its heater off); `current` is the pack current used this step.
    @inlinable mutating func update(
        _ frame: MeasurementFrame<maxCells, maxModules>, current: Amperes, configuration c: CoreConfiguration
    ) -> ThermalCommand<maxModules> {
        var command = ThermalCommand<maxModules>(duty: InlineArray(repeating: 0), heaterFault: false, freezeRisk: false)
        let standbySteps = Int32(truncatingIfNeeded: c.heater.standbyAfter.count / c.step.count)
        let idleCurrent = c.heater.idleCurrent.current(for: c.ratedCapacity).value
        idleSteps = abs(current.value) < idleCurrent ? min(idleSteps &+ 1, standbySteps) : 0
        let idle = idleSteps >= standbySteps
        for m in 0..<c.moduleCount {
            let t = frame.moduleTemperatures[m]
            let reading: Celsius? = t.isFinite && c.plausibility.temperature.contains(t) ? t : nil
            command.duty[m] = heaters[m].update(temperature: reading, idle: idle, step: c.step) ? 1 : 0
            if heaters[m].notHeating { command.heaterFault = true }
            if let guardT = c.heater.freezeGuard, let r = reading, r < guardT { command.freezeRisk = true }
        }
        return command
    }
}
