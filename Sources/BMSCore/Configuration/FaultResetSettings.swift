/// Who may clear which latched fault, and how often (`BMSController.resetFaults(by:)`).
///
/// Faults come in three classes (`FaultFlags`): conditions that clear themselves, faults an EMS
/// may reset remotely (a limited number of times), and faults only a service reset on site clears
/// (a weld, a repeated precharge failure, a thermal event, a string out of service).
public struct FaultResetSettings: Sendable {
    /// Remote (EMS) resets accepted per `emsResetWindow`; further ones are refused.
    public var emsResets: Int32
    /// The window the remote resets are counted over.
    public var emsResetWindow: Milliseconds
    /// Precharge failures (each a latched `prechargeFailed`, attempts exhausted) since the last
    /// successful connection or service reset from which `prechargeFailed` is service-only.
    public var prechargeFailuresBeforeService: Int32

    @inlinable public init(
        emsResets: Int32 = 3, emsResetWindow: Milliseconds = .seconds(3600), prechargeFailuresBeforeService: Int32 = 2
    ) {
        self.emsResets = emsResets
        self.emsResetWindow = emsResetWindow
        self.prechargeFailuresBeforeService = prechargeFailuresBeforeService
    }
}
