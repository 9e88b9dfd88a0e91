/// Main contactors, precharge relay and DC link of the pack.
public struct ContactorState: Sendable, Equatable {
    public internal(set) var mainPositiveClosed = false
    public internal(set) var mainNegativeClosed = false
    public internal(set) var prechargeClosed = false
    /// The main contactors are welded closed (an injected fault).
    public internal(set) var welded = false
    /// Voltage of the DC link (inverter input) behind the contactors, V.
    public internal(set) var linkVoltage_V = 0.0
    /// The mains closed since the last step: the link meets the pack (inrush if not precharged).
    var justConnected = false

    /// Both main contactors closed: the pack is connected to the DC link and the load.
    @inlinable public var isConnected: Bool { mainPositiveClosed && mainNegativeClosed }
    /// Main negative and precharge closed, main positive open: the link charges through the resistor.
    public var isPrecharging: Bool { !mainPositiveClosed && mainNegativeClosed && prechargeClosed }
    /// Auxiliary-contact feedback: (main positive, main negative, precharge).
    public var feedback: (mainPositive: Bool, mainNegative: Bool, precharge: Bool) {
        (mainPositiveClosed, mainNegativeClosed, prechargeClosed)
    }
}

/// Which contactor coils the plant's relay driver energises (true = coil on). The plant's side of
/// the wire; the firmware's request is `BMSCore.ContactorCommands`, and the two never meet but
/// through a field map or the in-process loop.
public struct ContactorCoils: Sendable, Equatable {
    public var mainPositive: Bool
    public var mainNegative: Bool
    public var precharge: Bool

    public init(mainPositive: Bool, mainNegative: Bool, precharge: Bool) {
        self.mainPositive = mainPositive
        self.mainNegative = mainNegative
        self.precharge = precharge
    }

    /// Everything open.
    public static let open = ContactorCoils(mainPositive: false, mainNegative: false, precharge: false)
    /// Both mains closed, precharge open.
    public static let closed = ContactorCoils(mainPositive: true, mainNegative: true, precharge: false)
    /// Main negative and precharge closed, main positive open.
    public static let precharge = ContactorCoils(mainPositive: false, mainNegative: true, precharge: true)
}

extension BatteryPack {
    /// Sets the contactors (ideal: they move at once). Welded mains that are closed stay closed. Opening a main
    /// contactor while more than 1 A flows is recorded as an `openedUnderLoad` event.
    public mutating func command(_ c: ContactorCoils) {
        let wasConnected = contactors.isConnected
        contactors.prechargeClosed = c.precharge
        if contactors.welded, wasConnected {
            // Welded contacts do not open, whatever the command.
        } else {
            contactors.mainPositiveClosed = c.mainPositive
            contactors.mainNegativeClosed = c.mainNegative
        }
        if !wasConnected, contactors.isConnected { contactors.justConnected = true }
        if wasConnected, !contactors.isConnected, abs(current_A) > 1 {
            events.append(PlantEvent(time_ms: time_ms, kind: .openedUnderLoad, index: -1, value: current_A))
        }
    }
}
