/// A SunSpec enumeration or bit-field symbol as this EMS face serves it: its value and what it
/// means here. The point declarations derive their docs (and, for writable points, the values
/// they accept) from the symbols, so a symbol cannot be served without being documented.
public protocol SunSpecSymbol: CaseIterable, Sendable {
    /// The symbol's value (an enum16 value, or a bit number of a bitfield32).
    var code: UInt16 { get }
    /// What the symbol means on this face (lower case, as the docs print it).
    var meaning: String { get }
}

extension SunSpecSymbol {
    /// "1 disconnected, 2 initializing, ..." for the generated docs.
    static var documentation: String { allCases.map { "\($0.code) \($0.meaning)" }.joined(separator: ", ") }
    /// The smallest and largest value (the range a writable enumeration accepts).
    static var codeRange: ClosedRange<UInt32> {
        let codes = allCases.map { UInt32($0.code) }
        return codes.min()!...codes.max()!
    }
}

extension SunSpecSymbol where Self: RawRepresentable, RawValue == UInt16 {
    public var code: UInt16 { rawValue }
}

extension SunSpecMap {
    /// Model 802 State (symbols from sunspec/models json/model_802.json).
    public enum State: UInt16, SunSpecSymbol {
        case disconnected = 1, initializing = 2, connected = 3, standby = 4, socProtection = 5, suspending = 6, fault = 99
        public var meaning: String {
            switch self {
            case .disconnected: "disconnected"
            case .initializing: "initializing (precharge, closing)"
            case .connected: "connected"
            case .standby: "standby (EMS heartbeat lost: no current)"
            case .socProtection: "SoC protection (a reserve blocks a direction)"
            case .suspending: "suspending (opening: current first, then contactors)"
            case .fault: "fault (a latched fault)"
            }
        }
    }

    /// Model 802 ChaSt. TESTING (7) is never served.
    public enum ChargeStatus: UInt16, SunSpecSymbol {
        case off = 1, empty = 2, discharging = 3, charging = 4, full = 5, holding = 6
        public var meaning: String {
            switch self {
            case .off: "off (contactors open)"
            case .empty: "empty"
            case .discharging: "discharging (above C/100)"
            case .charging: "charging (above C/100)"
            case .full: "full"
            case .holding: "holding"
            }
        }
    }

    /// Model 802 Typ, of the values this simulator can be.
    public enum BatteryType: UInt16, SunSpecSymbol {
        case sodiumSulfur = 9, other = 99
        public var meaning: String {
            switch self {
            case .sodiumSulfur: "sodium-sulfur"
            case .other: "other (Na-NiCl2 and the solid-state chemistries)"
            }
        }
    }

    /// Model 802 LocRemCtl: this face is always under remote control.
    public enum ControlMode: UInt16, SunSpecSymbol {
        case remote = 0
        public var meaning: String { "remote" }
    }

    /// Model 802 ReqInvState: the battery never asks the inverter for anything.
    public enum InverterRequest: UInt16, SunSpecSymbol {
        case noRequest = 0
        public var meaning: String { "no request" }
    }

    /// Model 802 SetOp, written by the EMS.
    public enum Operation: UInt16, SunSpecSymbol {
        case connect = 1, disconnect = 2
        public var meaning: String {
            switch self {
            case .connect: "connect (default)"
            case .disconnect: "disconnect (current first, then contactors open)"
            }
        }
    }

    /// Model 802 SetInvState, written by the EMS; stored and informative only.
    public enum InverterState: UInt16, SunSpecSymbol {
        case stopped = 1, standby = 2, started = 3
        public var meaning: String {
            switch self {
            case .stopped: "inverter stopped"
            case .standby: "standby"
            case .started: "started (stored; informative)"
            }
        }
    }

    /// Model 802 Evt1 bits this face raises (bit numbers from json/model_802.json).
    public enum Event: UInt16, SunSpecSymbol {
        case communicationError = 0
        case overTemperatureAlarm = 1, overTemperatureWarning = 2
        case underTemperatureAlarm = 3, underTemperatureWarning = 4
        case overChargeCurrentAlarm = 5, overChargeCurrentWarning = 6
        case overDischargeCurrentAlarm = 7, overDischargeCurrentWarning = 8
        case overVoltageAlarm = 9, overVoltageWarning = 10
        case underVoltageAlarm = 11, underVoltageWarning = 12
        case underSoCMinWarning = 14, overSoCMaxWarning = 16
        case voltageImbalanceWarning = 17, temperatureImbalanceWarning = 19
        case contactorError = 20
        case otherAlarm = 25, otherWarning = 26

        public var meaning: String {
            switch self {
            case .communicationError: "communication error (field bus lost)"
            case .overTemperatureAlarm: "over-temperature alarm"
            case .overTemperatureWarning: "over-temperature warning"
            case .underTemperatureAlarm: "under-temperature alarm"
            case .underTemperatureWarning: "under-temperature or freeze-risk warning"
            case .overChargeCurrentAlarm: "charge over-current alarm"
            case .overChargeCurrentWarning: "charge over-current warning"
            case .overDischargeCurrentAlarm: "discharge over-current alarm"
            case .overDischargeCurrentWarning: "discharge over-current warning"
            case .overVoltageAlarm: "cell over-voltage alarm"
            case .overVoltageWarning: "cell over-voltage warning"
            case .underVoltageAlarm: "cell under-voltage alarm"
            case .underVoltageWarning: "cell under-voltage warning"
            case .underSoCMinWarning: "empty (under SoC min warning)"
            case .overSoCMaxWarning: "full (over SoC max warning)"
            case .voltageImbalanceWarning: "cell voltage spread above \(cellSpreadEvent_V * 1000) mV"
            case .temperatureImbalanceWarning: "module temperature spread above \(temperatureSpreadEvent_C) K"
            case .contactorError: "contactor welded, feedback mismatch or precharge failed"
            case .otherAlarm: "measurement invalid or string out of service"
            case .otherWarning: "failed or soft-shorted cell, contact loss or heater fault"
            }
        }

        /// The bit's mask in the 32-bit field.
        public var mask: UInt32 { 1 << UInt32(rawValue) }
    }

    /// The spreads above which Evt1's imbalance warnings are raised.
    public static let cellSpreadEvent_V = 0.05, temperatureSpreadEvent_C = 10.0
}
