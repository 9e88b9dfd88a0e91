/// The chemistries the firmware has settings for.
public enum FirmwareChemistry: UInt8, Sendable {  // not CaseIterable: allCases allocates in Embedded mode
    case naNiCl2, naS, nasicon, sulfide, polymer
}

extension FirmwareChemistry {
    /// The firmware's model of this chemistry's cell.
    @inlinable public var cellModel: CellModel {
        switch self {
        case .naNiCl2: .naNiCl2
        case .naS: .naS
        case .nasicon: .nasicon
        case .sulfide: .sulfide
        case .polymer: .polymer
        }
    }
}

extension CoreConfiguration {
    /// Datasheet-level settings for a string of `chemistry` cells (docs/core.md lists the numbers).
    @inlinable public static func preset(
        _ chemistry: FirmwareChemistry, cellCount: Int, moduleCount: Int, initialSoC: StateOfCharge, ratedCurrent: Amperes
    ) -> CoreConfiguration {
        switch chemistry {
        case .naNiCl2:
            return .naNiCl2(cellCount: cellCount, moduleCount: moduleCount, ratedCapacity: chemistry.cellModel.capacity, initialSoC: initialSoC, ratedCurrent: ratedCurrent)
        case .naS:
            return .make(
                cellCount: cellCount, moduleCount: moduleCount, initialSoC: initialSoC, ratedCurrent: ratedCurrent, model: .naS,
                voltage: (safety: (1.74, 2.20), recommended: (1.76, 2.17), operating: (1.78, 2.14)),
                window: (discharge: (1.80, 1.85), charge: (2.12, 2.10)),
                temperature: (minimum: 290, setpoint: 330, band: 10, over: (340, 345, 350)))
        case .nasicon:
            return .make(
                cellCount: cellCount, moduleCount: moduleCount, initialSoC: initialSoC, ratedCurrent: ratedCurrent, model: .nasicon,
                voltage: (safety: (2.40, 3.90), recommended: (2.45, 3.85), operating: (2.50, 3.80)),
                window: (discharge: (2.60, 3.00), charge: (3.75, 3.65)),
                temperature: (minimum: 10, setpoint: 30, band: 6, over: (55, 58, 60)))
        case .sulfide:
            return .make(
                cellCount: cellCount, moduleCount: moduleCount, initialSoC: initialSoC, ratedCurrent: ratedCurrent, model: .sulfide,
                voltage: (safety: (2.30, 3.60), recommended: (2.35, 3.55), operating: (2.40, 3.50)),
                window: (discharge: (2.50, 2.70), charge: (3.48, 3.40)),
                temperature: (minimum: 10, setpoint: 30, band: 6, over: (55, 58, 60)))
        case .polymer:
            return .make(
                cellCount: cellCount, moduleCount: moduleCount, initialSoC: initialSoC, ratedCurrent: ratedCurrent, model: .polymer,
                voltage: (safety: (2.40, 3.90), recommended: (2.45, 3.85), operating: (2.50, 3.80)),
                window: (discharge: (2.60, 3.00), charge: (3.75, 3.65)),
                temperature: (minimum: 55, setpoint: 70, band: 6, over: (80, 83, 85)))
        }
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
    /// (operating, recommended, safety). Over-current: 1.1, 1.5 and 2 x the rated current.
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
                current: Amperes(-2000)...Amperes(2000)),
            cellModel: model,
            balancing: BalancingSettings(minimumCellVoltage: Volts(window.discharge.1)))
    }
}
