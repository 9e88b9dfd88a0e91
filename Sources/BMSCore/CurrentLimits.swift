/// The current the EMS may draw now, from SoC and the extreme cell voltages (state of function).
public struct CurrentLimits: Sendable, Equatable {
    public var charge: Amperes
    public var discharge: Amperes

    /// No current in either direction.
    public static let zero = CurrentLimits(charge: .zero, discharge: .zero)

    public init(charge: Amperes, discharge: Amperes) {
        self.charge = charge
        self.discharge = discharge
    }

    /// Applies the derating ramps of `settings` (see `CurrentLimitSettings`).
    public init(
        settings s: CurrentLimitSettings, soc: StateOfCharge, minimumCell: Volts, maximumCell: Volts
    ) {
        let dischargeFactor = min(
            ramp(soc.value, zeroAt: s.minimumSoC.value, fullAt: s.dischargeDerateStartSoC.value),
            ramp(minimumCell.value, zeroAt: s.dischargeEndVoltage.value, fullAt: s.dischargeDerateStartVoltage.value))
        let chargeFactor = min(
            ramp(soc.value, zeroAt: s.maximumSoC.value, fullAt: s.chargeDerateStartSoC.value),
            ramp(maximumCell.value, zeroAt: s.chargeEndVoltage.value, fullAt: s.chargeDerateStartVoltage.value))
        self.init(charge: s.ratedChargeCurrent * chargeFactor, discharge: s.ratedDischargeCurrent * dischargeFactor)
    }
}

/// 0 at `zeroAt`, 1 at `fullAt`, linear between, clamped; works for either ordering of the ends.
@inlinable func ramp(_ x: Float, zeroAt: Float, fullAt: Float) -> Float {
    let span = fullAt - zeroAt
    guard span != 0 else { return x == zeroAt ? 0 : 1 }
    let f = (x - zeroAt) / span
    return f < 0 ? 0 : (f > 1 ? 1 : f)
}
