/// What the EMS or the operator asks the pack to do (`BMSController.modeRequest`).
public enum ModeRequest: UInt8, Sendable {
    /// Shut down: contactors open, heaters off (a molten-electrode pack is let cool; it raises
    /// `freezeRisk` on the way down).
    case off = 0
    /// Contactors open, heaters holding the pack ready (the power-up request).
    case standby = 1
    /// Connected, charge and discharge.
    case normal = 2
    /// Connected, charge only (the discharge limit held at zero).
    case chargeOnly = 3
    /// Connected, discharge only (the charge limit held at zero).
    case dischargeOnly = 4
}

/// The mode the controller runs in (`CoreStatus.mode`), from the request, the latched faults
/// and the service switch:
///
/// | mode | contactors | currents | heaters | entered when |
/// |---|---|---|---|---|
/// | off | open | 0 | off | requested |
/// | standby | open | 0 | hold | requested; at power-up until a request to connect |
/// | normal | connect | both | hold | requested, nothing latched |
/// | chargeOnly | connect | charge | hold | requested, nothing latched |
/// | dischargeOnly | connect | discharge | hold | requested, nothing latched |
/// | fault | open | 0 | hold (off after an over-temperature trip) | a fault latches, whatever was requested |
/// | service | open | 0 | hold | the local service switch (`enterService()`), over everything |
///
/// Leaving fault takes a reset (`resetFaults(by:)`) that clears every latched fault; the mode is
/// then the request again. Leaving service (`leaveService()`) returns to fault or the request.
/// A connection only ever follows a request: the request itself, not a mode left over from before
/// a fault or a reset, and never at power-up on its own.
public enum SystemMode: UInt8, Sendable {
    case off = 0, standby = 1, normal = 2, chargeOnly = 3, dischargeOnly = 4, fault = 5, service = 6

    /// The mode for `request` with `faulted` (anything latched) and the service switch `service`.
    @inlinable public static func resolve(request: ModeRequest, faulted: Bool, service: Bool) -> SystemMode {
        if service { return .service }
        if faulted { return .fault }
        switch request {
        case .off: return .off
        case .standby: return .standby
        case .normal: return .normal
        case .chargeOnly: return .chargeOnly
        case .dischargeOnly: return .dischargeOnly
        }
    }

    /// Whether the contactors may connect in this mode.
    @inlinable public var connects: Bool { self == .normal || self == .chargeOnly || self == .dischargeOnly }
    /// Whether charge current is allowed in this mode.
    @inlinable public var allowsCharge: Bool { self == .normal || self == .chargeOnly }
    /// Whether discharge current is allowed in this mode.
    @inlinable public var allowsDischarge: Bool { self == .normal || self == .dischargeOnly }
}
