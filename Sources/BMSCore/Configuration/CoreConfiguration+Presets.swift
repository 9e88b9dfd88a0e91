/// The chemistries the firmware has settings for.
public enum FirmwareChemistry: UInt8, Sendable {  // not CaseIterable: allCases allocates in Embedded mode
    case naNiCl2, naS, nasicon, sulfide, polymer
}

extension CoreConfiguration {
    /// Settings for a string of `chemistry` cells: the characterised cell model and the
    /// datasheet limits (FirmwareChemistry+Characterised.swift, generated from
    /// profiles/firmware/; docs/core.md lists the numbers).
    ///
    /// ZEBRA strings are not balanced (a full cell takes the overcharge reaction of its NaAlCl4
    /// melt instead), and read SoC from the voltage only where the OCV slopes at least 0.1 V per
    /// unit (the Fe step below about 15 %): both are in the firmware files.
    @inlinable public static func preset(
        _ chemistry: FirmwareChemistry, cellCount: Int, moduleCount: Int, initialSoC: StateOfCharge, ratedCurrent: Amperes
    ) -> CoreConfiguration {
        var c = datasheet(
            cellCount: cellCount, moduleCount: moduleCount, initialSoC: initialSoC, ratedCurrent: ratedCurrent,
            model: chemistry.cellModel, limits: chemistry.datasheetLimits)
        c.balancing.enabled = chemistry.balancing
        if let slope = chemistry.minimumOCVSlope { c.estimator.minimumOCVSlope = slope }
        return c
    }

    /// A configuration for a cell model of any chemistry, from its datasheet limits (what a
    /// firmware file gives): the presets' structure with these numbers.
    @inlinable public static func datasheet(
        cellCount: Int, moduleCount: Int, initialSoC: StateOfCharge, ratedCurrent: Amperes, model: CellModel, limits: DatasheetLimits
    ) -> CoreConfiguration {
        make(
            cellCount: cellCount, moduleCount: moduleCount, initialSoC: initialSoC, ratedCurrent: ratedCurrent, model: model,
            voltage: (safety: limits.safetyVoltage, recommended: limits.recommendedVoltage, operating: limits.operatingVoltage),
            window: (discharge: limits.dischargeWindow, charge: limits.chargeWindow),
            temperature: (
                minimum: limits.minimumTemperature, setpoint: limits.setpoint, band: limits.band,
                over: limits.overTemperature
            ))
    }

    /// A configuration from the few numbers that differ between chemistries. Voltages are
    /// (low, high) pairs per tier; `window` gives where the current limits reach zero and where
    /// their derating starts (discharge: zero, start; charge: zero, start); over-temperature is
    /// (operating, recommended, safety). Over-current: 1.1, 1.5 and 2 x the rated current; the
    /// current sensor's range (beyond it a reading is saturated: over-current) 2000 A or 4 x
    /// the rated current, whichever is larger, so that every current tier is measurable.
    @inlinable static func make(
        cellCount: Int, moduleCount: Int, initialSoC: StateOfCharge, ratedCurrent: Amperes, model: CellModel,
        voltage: (safety: (Float, Float), recommended: (Float, Float), operating: (Float, Float)),
        window: (discharge: (Float, Float), charge: (Float, Float)),
        temperature: (minimum: Float, setpoint: Float, band: Float, over: (Float, Float, Float))
    ) -> CoreConfiguration {
        CoreConfiguration(
            cellCount: cellCount, moduleCount: moduleCount, step: Milliseconds(100), ratedCapacity: model.capacity,
            initialSoC: initialSoC,
            protection: ProtectionLimits(
                cellOverVoltage: Volts(voltage.safety.1), cellUnderVoltage: Volts(voltage.safety.0),
                overTemperature: Celsius(temperature.over.2), minimumOperatingTemperature: Celsius(temperature.minimum),
                temperatureHysteresis: .kelvin(5), dischargeOverCurrent: ratedCurrent * 2, chargeOverCurrent: ratedCurrent * 2,
                debounce: Milliseconds(500),
                maximumOperating: LimitSet(
                    cellOverVoltage: Volts(voltage.operating.1), cellUnderVoltage: Volts(voltage.operating.0),
                    overTemperature: Celsius(temperature.over.0), dischargeOverCurrent: ratedCurrent * 1.1,
                    chargeOverCurrent: ratedCurrent * 1.1),
                recommendedSafety: LimitSet(
                    cellOverVoltage: Volts(voltage.recommended.1), cellUnderVoltage: Volts(voltage.recommended.0),
                    overTemperature: Celsius(temperature.over.1), dischargeOverCurrent: ratedCurrent * 1.5,
                    chargeOverCurrent: ratedCurrent * 1.5)),
            currentLimits: CurrentLimitSettings(
                ratedDischargeCurrent: ratedCurrent, ratedChargeCurrent: ratedCurrent,
                minimumSoC: StateOfCharge(0.05), dischargeDerateStartSoC: StateOfCharge(0.15),
                maximumSoC: StateOfCharge(0.97), chargeDerateStartSoC: StateOfCharge(0.90),
                dischargeEndVoltage: Volts(window.discharge.0), dischargeDerateStartVoltage: Volts(window.discharge.1),
                chargeEndVoltage: Volts(window.charge.0), chargeDerateStartVoltage: Volts(window.charge.1)),
            heater: HeaterSettings(
                setpoint: Celsius(temperature.setpoint), band: .kelvin(temperature.band),
                standbySetpoint: Celsius(max(temperature.setpoint - 10, temperature.minimum + temperature.band / 2 + 5)),
                freezeGuard: model.freezingPoint.map { Celsius($0.value + 50) }),
            plausibility: PlausibilityRanges(
                cellVoltage: Volts(0)...Volts(5), temperature: Celsius(-50)...Celsius(450),
                current: Amperes(-max(2000, 4 * ratedCurrent.value))...Amperes(max(2000, 4 * ratedCurrent.value))),
            cellModel: model,
            balancing: BalancingSettings(minimumCellVoltage: Volts(window.discharge.1)))
    }
}
