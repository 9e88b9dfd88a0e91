import BMSCore
import Modbus

/// What the EMS face serves that does not change while running.
public struct BatteryNameplate: Sendable {
    public var manufacturer = "bmssim"
    public var model: String
    public var options: String
    public var version = "1"
    public var serialNumber: String
    public var unitID: UInt16 = 1
    public var capacity_Ah: Double
    public var energy_Wh: Double
    public var power_W: Double
    public var isSodiumSulfur: Bool
    public var cellsPerModule: Int

    public init(model: String, options: String, serialNumber: String, capacity_Ah: Double, energy_Wh: Double, power_W: Double, isSodiumSulfur: Bool, cellsPerModule: Int) {
        self.model = model
        self.options = options
        self.serialNumber = serialNumber
        self.capacity_Ah = capacity_Ah
        self.energy_Wh = energy_Wh
        self.power_W = power_W
        self.isSodiumSulfur = isSodiumSulfur
        self.cellsPerModule = max(1, cellsPerModule)
    }
}

/// The battery's live state, as the controller hands it to the EMS face each cycle.
public struct BatterySnapshot: Sendable {
    public var time_ms: Int64 = 0
    public var soc: Double = .nan
    public var soh: Double = .nan
    public var cycles: Double = .nan
    /// bmssim's sign: positive = discharge.
    public var current_A: Double = .nan
    public var voltage_V: Double = .nan
    public var cellMax_V: Double = .nan, cellMaxIndex = 0
    public var cellMin_V: Double = .nan, cellMinIndex = 0
    public var cellMean_V: Double = .nan
    public var chargeLimit_A: Double = 0
    public var dischargeLimit_A: Double = 0
    public var connection: ConnectionState = .open
    public var faults: FaultFlags = .clear
    public var warnings: FaultFlags = .clear
    public var alarms: FaultFlags = .clear
    /// Spreads the EMS is told about as imbalance events.
    public var cellSpread_V: Double = 0
    public var temperatureSpread_C: Double = 0
    /// Why current is held at zero by the EMS face itself.
    public var standby = false
    public var socProtection = false
    public var full = false
    public var empty = false
    /// The firmware's event log: events recorded since power-up, events its ring holds, and
    /// the newest of them, newest first (at most `SunSpecMap.eventLogEntries` are served).
    public var eventsRecorded: UInt32 = 0
    public var eventsHeld = 0
    public var recentEvents: [(number: UInt32, event: BMSCore.Event)] = []
    public init() {}
}

/// What the EMS asked for through the writable points.
public struct EMSRequests: Sendable, Equatable {
    /// SoC reserves (fractions): no discharge at or below `socReserveMin`, no charge at or above `socReserveMax`.
    public var socReserveMin = 0.0
    public var socReserveMax = 1.0
    /// SetOp: connect (true, the default) or disconnect.
    public var connect = true
    /// AlmRst was written 1 since the last time the requests were read.
    public var resetFaults = false
    /// SetInvState (1 stopped, 2 standby, 3 started; 0 = never written).
    public var inverterState: UInt16 = 0
    /// The EMS heartbeat (CtrlHb) as last written; nil until the first write. The controller
    /// supervises it (`BMSController.emsHeartbeat(_:)`, `EMSLinkSettings`).
    public var heartbeat: UInt16?
    public init() {}
}

/// The EMS face as a Modbus service: SunSpec models 1 and 802, writes admitted only to the
/// writable points and in range (exception 2 for read-only points, 3 for values out of range;
/// nothing is stored either way).
public struct SunSpecService: ModbusService {
    public let nameplate: BatteryNameplate
    private var requests = EMSRequests()
    private let whSF: Int16, ahSF: Int16, wSF: Int16

    public init(nameplate: BatteryNameplate) {
        self.nameplate = nameplate
        ahSF = Self.scaleFactor(nameplate.capacity_Ah * 10, limit: 65_534) - 1
        whSF = Self.scaleFactor(nameplate.energy_Wh, limit: 65_534)
        wSF = Self.scaleFactor(nameplate.power_W * 2, limit: 32_766)
    }

    /// Holding registers 0 ..< end marker + 2 (the map sits at 40000; below is unmapped).
    public static var layout: RegisterLayout { RegisterLayout(holdingRegisters: SunSpecMap.count, holdingStart: SunSpecMap.base) }

    /// The smallest exponent n >= 0 with value / 10^n <= limit.
    static func scaleFactor(_ value: Double, limit: Double) -> Int16 {
        var n: Int16 = 0
        var v = value
        while v.isFinite, v > limit, n < 9 { v /= 10; n += 1 }
        return n
    }

    /// Writes the static points: every declared fixed code (marker, headers, not-implemented
    /// codes, the writable points' defaults), then the nameplate and the per-pack scale factors.
    public mutating func publishNameplate(_ tables: RegisterTables) {
        var image = tables.holdingRegisters
        let b = SunSpecMap.base
        typealias P = SunSpecMap.Point
        for point in SunSpecMap.registers {
            if let code = point.fixed { point.put(raw: code, into: &image, base: b) }
        }
        P.Mn.put(text: nameplate.manufacturer, into: &image, base: b)
        P.Md.put(text: nameplate.model, into: &image, base: b)
        P.Opt.put(text: nameplate.options, into: &image, base: b)
        P.Vr.put(text: nameplate.version, into: &image, base: b)
        P.SN.put(text: nameplate.serialNumber, into: &image, base: b)
        P.DA.put(raw: UInt64(nameplate.unitID), into: &image, base: b)
        let type: SunSpecMap.BatteryType = nameplate.isSodiumSulfur ? .sodiumSulfur : .other
        P.Typ.put(raw: UInt64(type.code), into: &image, base: b)
        for (point, sf) in [(P.AHRtg_SF, ahSF), (P.WHRtg_SF, whSF), (P.WChaDisChaMax_SF, wSF), (P.W_SF, wSF)] {
            point.put(raw: UInt64(UInt16(bitPattern: sf)), into: &image, base: b)
        }
        P.AHRtg.encode(nameplate.capacity_Ah, scale: pow10(ahSF), into: &image, base: b)
        P.WHRtg.encode(nameplate.energy_Wh, scale: pow10(whSF), into: &image, base: b)
        P.WChaRteMax.encode(nameplate.power_W, scale: pow10(wSF), into: &image, base: b)
        P.WDisChaRteMax.encode(nameplate.power_W, scale: pow10(wSF), into: &image, base: b)
    }

    /// Publishes the battery's state `s` on the live points.
    public mutating func publish(_ s: BatterySnapshot, tables: RegisterTables) {
        var image = tables.holdingRegisters
        let b = SunSpecMap.base
        typealias P = SunSpecMap.Point
        func put(_ point: RegisterPoint, _ raw: UInt64) { point.put(raw: raw, into: &image, base: b) }
        // A NaN estimate is served as not available (0xFFFF), never clamped into a number.
        let soc = s.soc.isNaN ? .nan : max(0, min(1, s.soc))
        P.SoC.encode(soc * 100, scale: pow10(SunSpecMap.socSF), into: &image, base: b)
        P.DoD.encode((1 - soc) * 100, scale: pow10(SunSpecMap.dodSF), into: &image, base: b)
        P.SoH.encode(s.soh * 100, scale: pow10(SunSpecMap.sohSF), into: &image, base: b)
        put(P.NCyc, UInt64(UInt32(scaled: s.cycles, by: 1)))
        put(P.Hb, UInt64(UInt16(truncatingIfNeeded: max(0, s.time_ms) / 1000)))
        P.V.encode(s.voltage_V, scale: pow10(SunSpecMap.voltageSF), into: &image, base: b)
        let cellSF = pow10(SunSpecMap.cellVoltageSF)
        let perModule = nameplate.cellsPerModule
        P.CellVMax.encode(s.cellMax_V, scale: cellSF, into: &image, base: b)
        put(P.CellVMaxStr, 1)
        put(P.CellVMaxMod, UInt64(UInt16(clamping: s.cellMaxIndex / perModule + 1)))
        P.CellVMin.encode(s.cellMin_V, scale: cellSF, into: &image, base: b)
        put(P.CellVMinStr, 1)
        put(P.CellVMinMod, UInt64(UInt16(clamping: s.cellMinIndex / perModule + 1)))
        P.CellVAvg.encode(s.cellMean_V, scale: cellSF, into: &image, base: b)
        // SunSpec counts charging as positive: the sign flips here, and only here.
        P.A.encode(-s.current_A, scale: pow10(SunSpecMap.currentSF), into: &image, base: b)
        P.W.encode(-s.current_A * s.voltage_V, scale: pow10(wSF), into: &image, base: b)
        P.AChaMax.encode(s.chargeLimit_A, scale: pow10(SunSpecMap.currentLimitSF), into: &image, base: b)
        P.ADisChaMax.encode(s.dischargeLimit_A, scale: pow10(SunSpecMap.currentLimitSF), into: &image, base: b)
        put(P.State, UInt64(state(s).code))
        put(P.ChaSt, UInt64(chargeStatus(s).code))
        put(P.Evt1, UInt64(events(s)))
        put(P.EvtVnd1, UInt64(s.faults.rawValue))
        put(P.EvtVnd2, UInt64(s.warnings.rawValue))
        put(P.EvtRec, UInt64(s.eventsRecorded))
        put(P.EvtHeld, UInt64(UInt16(clamping: s.eventsHeld)))
        let shown = min(s.recentEvents.count, SunSpecMap.eventLogEntries)
        put(P.EvtShown, UInt64(shown))
        for i in 0..<SunSpecMap.eventLogEntries {
            let entry = i < shown ? s.recentEvents[i] : nil
            P.EvtNum.put(raw: UInt64(entry?.number ?? 0), into: &image, instance: i, base: b)
            P.EvtTms.put(raw: UInt64(max(0, entry?.event.time.count ?? 0)), into: &image, instance: i, base: b)
            P.EvtKind.put(raw: UInt64(entry?.event.kind.rawValue ?? 0), into: &image, instance: i, base: b)
            P.EvtDtl.put(raw: UInt64(entry?.event.detail ?? 0), into: &image, instance: i, base: b)
        }
    }

    /// What the EMS asks for now (a pending AlmRst is handed over once, and reads 0 after).
    public mutating func requests(tables: RegisterTables) -> EMSRequests {
        var image = tables.holdingRegisters
        let b = SunSpecMap.base
        typealias P = SunSpecMap.Point
        requests.socReserveMax = Double(P.SocRsvMax.raw(image, base: b)) / 1000
        requests.socReserveMin = Double(P.SoCRsvMin.raw(image, base: b)) / 1000
        requests.connect = P.SetOp.raw(image, base: b) != UInt64(SunSpecMap.Operation.disconnect.code)
        let inv = P.SetInvState.raw(image, base: b)
        requests.inverterState = inv == SunSpecMap.notImplemented16 ? 0 : UInt16(truncatingIfNeeded: inv)
        let out = requests
        if requests.resetFaults {
            requests.resetFaults = false
            P.AlmRst.put(raw: 0, into: &image, base: b)
        }
        return out
    }

    public mutating func admit(_ request: ModbusRequest, tables: RegisterTables) -> ModbusException? {
        guard request.isWrite else { return nil }
        guard request.table == .holdingRegisters, request.count > 0 else { return .illegalDataAddress }
        let r = tables.holdingRegisters
        let start = tables.holdingStart
        typealias P = SunSpecMap.Point
        let mapped = r.count >= SunSpecMap.count
        var rsvMax = mapped ? UInt16(truncatingIfNeeded: P.SocRsvMax.raw(r, base: start)) : 1000
        var rsvMin = mapped ? UInt16(truncatingIfNeeded: P.SoCRsvMin.raw(r, base: start)) : 0
        for i in 0..<request.count {
            let address = request.address + i
            let offset = address - SunSpecMap.battery
            guard let point = SunSpecMap.writable.first(where: { $0.offset == offset }) else { return .illegalDataAddress }
            let k = address - start
            let v = request.registerValue(i, current: k >= 0 && k < r.count ? r[k] : 0)
            guard point.range.contains(v) else { return .illegalDataValue }
            if address == P.SocRsvMax.address { rsvMax = v }
            if address == P.SoCRsvMin.address { rsvMin = v }
        }
        return rsvMin <= rsvMax ? nil : .illegalDataValue
    }

    public mutating func answered(_ request: ModbusRequest, tables: RegisterTables, now: ContinuousClock.Instant) {
        guard request.isWrite else { return }
        let r = tables.holdingRegisters
        let b = tables.holdingStart
        typealias P = SunSpecMap.Point
        if request.touches(P.AlmRst.addresses), P.AlmRst.raw(r, base: b) == 1 {
            requests.resetFaults = true
        }
        if request.touches(P.CtrlHb.addresses) {
            requests.heartbeat = UInt16(truncatingIfNeeded: P.CtrlHb.raw(r, base: b))
        }
    }

    private func state(_ s: BatterySnapshot) -> SunSpecMap.State {
        if !s.faults.intersection(.latching).isEmpty { return .fault }
        switch s.connection {
        case .open: return .disconnected
        case .precharging, .closing: return .initializing
        case .opening: return .suspending
        case .closed:
            if s.standby { return .standby }
            if s.socProtection { return .socProtection }
            return .connected
        }
    }

    private func chargeStatus(_ s: BatterySnapshot) -> SunSpecMap.ChargeStatus {
        guard s.connection == .closed else { return .off }
        if s.full { return .full }
        if s.empty { return .empty }
        let threshold = nameplate.capacity_Ah / 100
        if s.current_A > threshold { return .discharging }
        if s.current_A < -threshold { return .charging }
        return .holding
    }

    private func events(_ s: BatterySnapshot) -> UInt32 {
        typealias E = SunSpecMap.Event
        var e: UInt32 = 0
        func set(_ bit: E, _ on: Bool) { if on { e |= bit.mask } }
        let alarm = s.faults.union(s.alarms)
        let warn = s.warnings
        set(.communicationError, s.faults.contains(.communicationLoss))
        set(.overTemperatureAlarm, alarm.contains(.overTemperature))
        set(.overTemperatureWarning, warn.contains(.overTemperature))
        set(.underTemperatureAlarm, alarm.contains(.underTemperature))
        set(.underTemperatureWarning, warn.contains(.underTemperature) || warn.contains(.freezeRisk))
        set(.overChargeCurrentAlarm, alarm.contains(.chargeOverCurrent))
        set(.overChargeCurrentWarning, warn.contains(.chargeOverCurrent))
        set(.overDischargeCurrentAlarm, alarm.contains(.dischargeOverCurrent))
        set(.overDischargeCurrentWarning, warn.contains(.dischargeOverCurrent))
        set(.overVoltageAlarm, alarm.contains(.cellOverVoltage))
        set(.overVoltageWarning, warn.contains(.cellOverVoltage))
        set(.underVoltageAlarm, alarm.contains(.cellUnderVoltage))
        set(.underVoltageWarning, warn.contains(.cellUnderVoltage))
        set(.underSoCMinWarning, s.empty)
        set(.overSoCMaxWarning, s.full)
        set(.voltageImbalanceWarning, s.cellSpread_V > SunSpecMap.cellSpreadEvent_V)
        set(.temperatureImbalanceWarning, s.temperatureSpread_C > SunSpecMap.temperatureSpreadEvent_C)
        let contactor = FaultFlags.contactorWelded.union(.contactorFeedback).union(.prechargeFailed)
        set(.contactorError, !s.faults.intersection(contactor).isEmpty)
        let otherAlarms = FaultFlags.measurementInvalid.union(.stringOutOfService)
        set(.otherAlarm, !s.faults.intersection(otherAlarms).isEmpty)
        let otherWarnings = FaultFlags.cellFailedShort.union(.softShort).union(.contactLoss).union(.heaterFault).union(.temperatureSensorFault).union(.temperatureRising).union(.uncleanRestart).union(.coolingFault)
        set(.otherWarning, !s.faults.union(warn).intersection(otherWarnings).isEmpty)
        return e
    }
}

/// 10^n as a Double (scale-factor exponents are small).
func pow10(_ n: Int16) -> Double {
    var x = 1.0
    if n >= 0 { for _ in 0..<n { x *= 10 } } else { for _ in 0..<(-n) { x /= 10 } }
    return x
}
