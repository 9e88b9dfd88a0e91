/// The current the EMS may draw now, from SoC and the extreme cell voltages (state of function).
public struct CurrentLimits: Sendable, Equatable {
    public var charge: Amperes
    public var discharge: Amperes

    /// No current in either direction.
    public static let zero = CurrentLimits(charge: .zero, discharge: .zero)

    @inlinable public init(charge: Amperes, discharge: Amperes) {
        self.charge = charge
        self.discharge = discharge
    }

    /// Applies the derating ramps of `settings` (see `CurrentLimitSettings`) at one SoC.
    @inlinable public init(settings s: CurrentLimitSettings, soc: StateOfCharge, minimumCell: Volts, maximumCell: Volts) {
        self.init(settings: s, lowestSoC: soc, highestSoC: soc, minimumCell: minimumCell, maximumCell: maximumCell)
    }

    /// Applies the derating ramps: discharge by the emptiest cell, charge by the fullest, the
    /// voltage ramps read afresh.
    @inlinable public init(
        settings s: CurrentLimitSettings, lowestSoC: StateOfCharge, highestSoC: StateOfCharge, minimumCell: Volts, maximumCell: Volts
    ) {
        let voltage = VoltageWindowDerating.ramps(settings: s, minimumCell: minimumCell, maximumCell: maximumCell)
        self.init(settings: s, lowestSoC: lowestSoC, highestSoC: highestSoC, charge: voltage.charge, discharge: voltage.discharge)
    }

    /// Applies the SoC ramps and the voltage window's factors as they stand.
    @inlinable public init(settings s: CurrentLimitSettings, lowestSoC: StateOfCharge, highestSoC: StateOfCharge, voltage: VoltageWindowDerating) {
        self.init(settings: s, lowestSoC: lowestSoC, highestSoC: highestSoC, charge: voltage.charge, discharge: voltage.discharge)
    }

    /// Applies the SoC ramps under the voltage factors `charge` and `discharge`.
    @inlinable init(settings s: CurrentLimitSettings, lowestSoC: StateOfCharge, highestSoC: StateOfCharge, charge: Float, discharge: Float) {
        let dischargeFactor = min(ramp(lowestSoC.value, zeroAt: s.minimumSoC.value, fullAt: s.dischargeDerateStartSoC.value), discharge)
        let chargeFactor = min(ramp(highestSoC.value, zeroAt: s.maximumSoC.value, fullAt: s.chargeDerateStartSoC.value), charge)
        self.init(charge: s.ratedChargeCurrent * chargeFactor, discharge: s.ratedDischargeCurrent * dischargeFactor)
    }
}

extension CurrentLimits {
    /// Applies the protection tiers: a warning multiplies the limit in its direction by
    /// `warningFactor` (a half by default), an alarm zeroes it (over-voltage and charge
    /// over-current act on charge; under-voltage and discharge over-current on discharge;
    /// over-temperature on both).
    @inlinable mutating func apply(warnings: FaultFlags, alarms: FaultFlags, warningFactor: Ratio) {
        func factor(_ flags: FaultFlags) -> Float {
            alarms.intersection(flags).isEmpty ? (warnings.intersection(flags).isEmpty ? 1 : warningFactor.value) : 0
        }
        let chargeSide = FaultFlags(rawValue: FaultFlags.cellOverVoltage.rawValue | FaultFlags.chargeOverCurrent.rawValue | FaultFlags.overTemperature.rawValue)
        let dischargeSide = FaultFlags(rawValue: FaultFlags.cellUnderVoltage.rawValue | FaultFlags.dischargeOverCurrent.rawValue | FaultFlags.overTemperature.rawValue)
        charge = charge * factor(chargeSide)
        discharge = discharge * factor(dischargeSide)
    }
}

/// 0 at `zeroAt`, 1 at `fullAt`, linear between, clamped; works for either ordering of the ends.
@inlinable func ramp(_ x: Float, zeroAt: Float, fullAt: Float) -> Float {
    let span = fullAt - zeroAt
    guard span != 0 else { return x == zeroAt ? 0 : 1 }
    let f = (x - zeroAt) / span
    return f < 0 ? 0 : (f > 1 ? 1 : f)
}
