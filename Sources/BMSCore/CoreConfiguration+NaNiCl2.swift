extension CoreConfiguration {
    /// Datasheet-level settings for a string of Na-NiCl2 (ZEBRA-type) cells.
    ///
    /// Limits follow ../shared/REFERENCE.md section 1: charge limit about 2.67-2.8 V/cell,
    /// discharge limit about 1.8-2.1 V/cell, window 270-350 C. The operating numbers are this
    /// project's choices and are documented in docs/core.md.
    public static func naNiCl2(
        cellCount: Int, moduleCount: Int, ratedCapacity: AmpereHours, initialSoC: StateOfCharge,
        ratedCurrent: Amperes
    ) -> CoreConfiguration {
        CoreConfiguration(
            cellCount: cellCount, moduleCount: moduleCount, step: Milliseconds(100),
            ratedCapacity: ratedCapacity, initialSoC: initialSoC,
            protection: ProtectionLimits(
                cellOverVoltage: Volts(2.80), cellUnderVoltage: Volts(1.80),
                overTemperature: Celsius(350), minimumOperatingTemperature: Celsius(260),
                temperatureHysteresis: 5,
                dischargeOverCurrent: ratedCurrent * 2, chargeOverCurrent: ratedCurrent * 2,
                debounce: Milliseconds(500),
                maximumOperating: LimitSet(
                    cellOverVoltage: Volts(2.76), cellUnderVoltage: Volts(1.95), overTemperature: Celsius(340),
                    dischargeOverCurrent: ratedCurrent * 1.1, chargeOverCurrent: ratedCurrent * 1.1),
                recommendedSafety: LimitSet(
                    cellOverVoltage: Volts(2.78), cellUnderVoltage: Volts(1.88), overTemperature: Celsius(345),
                    dischargeOverCurrent: ratedCurrent * 1.5, chargeOverCurrent: ratedCurrent * 1.5)),
            currentLimits: CurrentLimitSettings(
                ratedDischargeCurrent: ratedCurrent, ratedChargeCurrent: ratedCurrent,
                minimumSoC: StateOfCharge(0.05), dischargeDerateStartSoC: StateOfCharge(0.15),
                maximumSoC: StateOfCharge(0.97), chargeDerateStartSoC: StateOfCharge(0.90),
                dischargeEndVoltage: Volts(2.00), dischargeDerateStartVoltage: Volts(2.15),
                chargeEndVoltage: Volts(2.75), chargeDerateStartVoltage: Volts(2.70)),
            heater: HeaterSettings(setpoint: Celsius(280), band: 10),
            plausibility: PlausibilityRanges(
                cellVoltage: Volts(0)...Volts(5), temperature: Celsius(-50)...Celsius(450),
                current: Amperes(-2000)...Amperes(2000)),
            cellModel: .naNiCl2)
    }
}
