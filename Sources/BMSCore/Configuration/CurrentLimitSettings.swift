/// State-of-function settings: the current the EMS may draw, derated near the ends of the window.
///
/// Each limit is the rated current times linear ramps that reach zero at the window's edge:
/// discharge ramps down between `dischargeDerateStartSoC` and `minimumSoC` and between
/// `dischargeDerateStartVoltage` and `dischargeEndVoltage` (minimum cell); charge likewise towards
/// `maximumSoC` and `chargeEndVoltage` (maximum cell).
public struct CurrentLimitSettings: Sendable {
    public var ratedDischargeCurrent: Amperes
    public var ratedChargeCurrent: Amperes
    public var minimumSoC: StateOfCharge
    public var dischargeDerateStartSoC: StateOfCharge
    public var maximumSoC: StateOfCharge
    public var chargeDerateStartSoC: StateOfCharge
    public var dischargeEndVoltage: Volts
    public var dischargeDerateStartVoltage: Volts
    public var chargeEndVoltage: Volts
    public var chargeDerateStartVoltage: Volts
    /// Charge (plating) current is held to this fraction of the CCD at the coldest module
    /// temperature (0 disables CCD-aware derating), so dendrite shorts are prevented, not detected.
    /// (0.7: a 30 % margin for the CCD's lot-to-lot spread and the contact estimate's error.)
    public var ccdFraction = Ratio(0.7)
    /// A warning (maximum operating limit) multiplies the limit in its direction by this (0.5:
    /// foxBMS halves the current at its maximum-operating tier); an alarm zeroes it.
    public var warningFactor = Ratio(0.5)
    /// The voltage ramps' factors follow the ramps with these time constants, down and up
    /// (`VoltageWindowDerating`: a limit read afresh from the loaded voltage each step hunts when
    /// the ramp is narrow for the current; 0 reads it afresh). 200 ms and 10 s.
    public var voltageFallTime = Milliseconds(200)
    public var voltageRecoveryTime = Milliseconds(10_000)

    @inlinable public init(
        ratedDischargeCurrent: Amperes, ratedChargeCurrent: Amperes, minimumSoC: StateOfCharge,
        dischargeDerateStartSoC: StateOfCharge, maximumSoC: StateOfCharge,
        chargeDerateStartSoC: StateOfCharge, dischargeEndVoltage: Volts,
        dischargeDerateStartVoltage: Volts, chargeEndVoltage: Volts, chargeDerateStartVoltage: Volts
    ) {
        self.ratedDischargeCurrent = ratedDischargeCurrent
        self.ratedChargeCurrent = ratedChargeCurrent
        self.minimumSoC = minimumSoC
        self.dischargeDerateStartSoC = dischargeDerateStartSoC
        self.maximumSoC = maximumSoC
        self.chargeDerateStartSoC = chargeDerateStartSoC
        self.dischargeEndVoltage = dischargeEndVoltage
        self.dischargeDerateStartVoltage = dischargeDerateStartVoltage
        self.chargeEndVoltage = chargeEndVoltage
        self.chargeDerateStartVoltage = chargeDerateStartVoltage
    }
}
