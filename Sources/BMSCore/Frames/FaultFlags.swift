/// Fault and inhibit bits reported by the core.
///
/// Three classes. `underTemperature` and `staleFrame` are conditions, not latches: they clear by
/// themselves when the condition ends. The `emsResettable` faults latch until a reset, which an
/// EMS may send remotely a limited number of times (`FaultResetSettings`). The `serviceOnly`
/// faults (a weld, a thermal event, a string out of service, and a precharge that failed again
/// after a reset) latch until a service reset on site (`BMSController.resetFaults(by:)`).
///
/// This is a plain bit set rather than an `OptionSet`: the `SetAlgebra` conformance brings array
/// literals, which allocate and so cannot build under `-no-allocations`.
public struct FaultFlags: Hashable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// No fault.
    public static let clear = FaultFlags(rawValue: 0)
    /// A cell above the over-voltage trip limit (latched).
    public static let cellOverVoltage = FaultFlags(rawValue: 1 << 0)
    /// A cell below the under-voltage trip limit (latched).
    public static let cellUnderVoltage = FaultFlags(rawValue: 1 << 1)
    /// A module above the over-temperature trip limit (latched).
    public static let overTemperature = FaultFlags(rawValue: 1 << 2)
    /// A module below the minimum operating temperature: no charge or discharge (not latched).
    public static let underTemperature = FaultFlags(rawValue: 1 << 3)
    /// Discharge current above its trip limit (latched).
    public static let dischargeOverCurrent = FaultFlags(rawValue: 1 << 4)
    /// Charge current above its trip limit (latched).
    public static let chargeOverCurrent = FaultFlags(rawValue: 1 << 5)
    /// Measurements missing, NaN or out of range for longer than the debounce time (latched).
    public static let measurementInvalid = FaultFlags(rawValue: 1 << 6)
    /// This frame's timestamp did not advance (not latched).
    public static let staleFrame = FaultFlags(rawValue: 1 << 7)
    /// The DC link did not precharge in the allowed attempts (latched).
    public static let prechargeFailed = FaultFlags(rawValue: 1 << 8)
    /// A main contactor reads closed while commanded open (latched).
    public static let contactorWelded = FaultFlags(rawValue: 1 << 9)
    /// A relay's feedback does not follow its command (latched).
    public static let contactorFeedback = FaultFlags(rawValue: 1 << 10)
    /// A cell has failed short (ZEBRA: the string runs one cell down, derated). A warning.
    public static let cellFailedShort = FaultFlags(rawValue: 1 << 11)
    /// A cell loses charge the others do not (a soft short, from its self-discharge at rest). A warning.
    public static let softShort = FaultFlags(rawValue: 1 << 13)
    /// A cell's resistance rose by a step (contact loss or delamination: after a thermal cycle or a
    /// high stripping current). A warning; the current limits follow the cell's health.
    public static let contactLoss = FaultFlags(rawValue: 1 << 14)
    /// A heater has been on for its check time without warming its module. A warning.
    public static let heaterFault = FaultFlags(rawValue: 1 << 15)
    /// A module is below the freeze guard of its melt (molten-electrode cells). A warning: the
    /// pack already refuses current below its minimum operating temperature.
    public static let freezeRisk = FaultFlags(rawValue: 1 << 16)
    /// The measurement link (the field bus to the front end) stopped answering (latched): the
    /// pack is disconnected at once, without waiting for a current it can no longer measure.
    public static let communicationLoss = FaultFlags(rawValue: 1 << 17)
    /// A module's temperature reading disagrees with the other modules' by more than
    /// `HeaterSettings.sensorDisagreement` (a thermocouple come loose reads the ambient): its
    /// heater follows the others. A warning.
    public static let temperatureSensorFault = FaultFlags(rawValue: 1 << 18)
    /// A module's temperature rises faster than `HeaterSettings.maximumRiseRate` (a thermal
    /// event: an internal short, a heater run away): its heater is switched off. A warning.
    public static let temperatureRising = FaultFlags(rawValue: 1 << 19)
    /// The controller powered up without a clean record: after a reset or power cut (its SoC
    /// sigma widened), with a copy refused, or with the record lost. A warning, held for
    /// `RecordSettings.restartWarningTime` after the power-up.
    public static let uncleanRestart = FaultFlags(rawValue: 1 << 20)
    /// The EMS heartbeat has stood still longer than `EMSLinkSettings.heartbeatTimeout`: both
    /// current limits are zero until it changes again. A warning.
    public static let emsLinkLost = FaultFlags(rawValue: 1 << 21)
    /// The cooling blower's airflow has disagreed with its command for
    /// `CoolingSettings.airflowCheckTime` (a failed fan; a relay stuck closed). A warning.
    public static let coolingFault = FaultFlags(rawValue: 1 << 22)
    /// More than 5 % of the string's cells have failed: the string is taken out of service (latched).
    public static let stringOutOfService = FaultFlags(rawValue: 1 << 12)

    /// Latched faults an EMS may reset remotely (a limited number of times).
    public static let emsResettable = FaultFlags(
        rawValue: cellOverVoltage.rawValue | cellUnderVoltage.rawValue | dischargeOverCurrent.rawValue | chargeOverCurrent.rawValue
            | measurementInvalid.rawValue | prechargeFailed.rawValue | contactorFeedback.rawValue | communicationLoss.rawValue)
    /// Latched faults only a service reset clears: a welded contactor, an over-temperature trip
    /// (a thermal event), a string out of service (failed cells).
    public static let serviceOnly = FaultFlags(rawValue: contactorWelded.rawValue | overTemperature.rawValue | stringOutOfService.rawValue)

    /// Faults that stay set until an explicit reset.
    public static let latching = FaultFlags(
        rawValue: cellOverVoltage.rawValue | cellUnderVoltage.rawValue | overTemperature.rawValue
            | dischargeOverCurrent.rawValue | chargeOverCurrent.rawValue | measurementInvalid.rawValue
            | prechargeFailed.rawValue | contactorWelded.rawValue | contactorFeedback.rawValue | stringOutOfService.rawValue
            | communicationLoss.rawValue)

    /// True when no bit is set.
    @inlinable public var isEmpty: Bool { rawValue == 0 }
    /// True when every bit of `other` is set here.
    @inlinable public func contains(_ other: FaultFlags) -> Bool { rawValue & other.rawValue == other.rawValue }
    /// Sets the bits of `other`.
    @inlinable public mutating func insert(_ other: FaultFlags) { rawValue |= other.rawValue }
    /// Clears the bits of `other`.
    @inlinable public mutating func remove(_ other: FaultFlags) { rawValue &= ~other.rawValue }
    /// The bits set in either.
    @inlinable public func union(_ other: FaultFlags) -> FaultFlags { FaultFlags(rawValue: rawValue | other.rawValue) }
    /// The bits set in both.
    @inlinable public func intersection(_ other: FaultFlags) -> FaultFlags {
        FaultFlags(rawValue: rawValue & other.rawValue)
    }
}

extension FaultFlags {
    /// The name of a one-bit flag, as it is declared above (nil for a bit with no meaning, or a
    /// value with several bits or none): summaries, logs and maps spell faults with it.
    @inlinable public var bitName: StaticString? {
        switch self {
        case .cellOverVoltage: "cellOverVoltage"
        case .cellUnderVoltage: "cellUnderVoltage"
        case .overTemperature: "overTemperature"
        case .underTemperature: "underTemperature"
        case .dischargeOverCurrent: "dischargeOverCurrent"
        case .chargeOverCurrent: "chargeOverCurrent"
        case .measurementInvalid: "measurementInvalid"
        case .staleFrame: "staleFrame"
        case .prechargeFailed: "prechargeFailed"
        case .contactorWelded: "contactorWelded"
        case .contactorFeedback: "contactorFeedback"
        case .cellFailedShort: "cellFailedShort"
        case .stringOutOfService: "stringOutOfService"
        case .softShort: "softShort"
        case .contactLoss: "contactLoss"
        case .heaterFault: "heaterFault"
        case .freezeRisk: "freezeRisk"
        case .communicationLoss: "communicationLoss"
        case .temperatureSensorFault: "temperatureSensorFault"
        case .temperatureRising: "temperatureRising"
        case .uncleanRestart: "uncleanRestart"
        case .emsLinkLost: "emsLinkLost"
        case .coolingFault: "coolingFault"
        default: nil
        }
    }
}
