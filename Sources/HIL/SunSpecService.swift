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
    /// The EMS heartbeat (CtrlHb) was armed by a first write and has not changed within the timeout.
    public var heartbeatLost = false
    public init() {}
}

/// The EMS face as a Modbus service: SunSpec models 1 and 802, writes admitted only to the
/// writable points and in range (exception 2 for read-only points, 3 for values out of range;
/// nothing is stored either way).
public struct SunSpecService: ModbusService {
    public let nameplate: BatteryNameplate
    /// How long the EMS heartbeat may stand still once armed.
    public let heartbeatTimeout: Duration
    private var requests = EMSRequests()
    private var lastHeartbeatValue: UInt16?
    private var lastHeartbeatAt: ContinuousClock.Instant?
    private let whSF: Int16, ahSF: Int16, wSF: Int16

    public init(nameplate: BatteryNameplate, heartbeatTimeout: Duration = .seconds(10)) {
        self.nameplate = nameplate
        self.heartbeatTimeout = heartbeatTimeout
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

    private func index(_ offset: Int) -> Int { SunSpecMap.battery + offset - SunSpecMap.base }

    /// Writes the static points (marker, model 1, headers, nameplate, scale factors, defaults).
    public mutating func publishNameplate(_ tables: RegisterTables) {
        let r = tables.holdingRegisters
        let b = SunSpecMap.base
        r[0] = 0x5375
        r[1] = 0x6E53
        r[SunSpecMap.commonHeader - b] = 1
        r[SunSpecMap.commonHeader + 1 - b] = UInt16(SunSpecMap.commonLength)
        func text(_ s: String, at address: Int, words: Int) {
            var bytes = Array(s.utf8.prefix(2 * words))
            bytes += Array(repeating: 0, count: 2 * words - bytes.count)
            for w in 0..<words { r[address - b + w] = UInt16(bytes[2 * w]) << 8 | UInt16(bytes[2 * w + 1]) }
        }
        let c = SunSpecMap.common
        text(nameplate.manufacturer, at: c + SunSpecMap.Common.manufacturer, words: 16)
        text(nameplate.model, at: c + SunSpecMap.Common.model, words: 16)
        text(nameplate.options, at: c + SunSpecMap.Common.options, words: 8)
        text(nameplate.version, at: c + SunSpecMap.Common.version, words: 8)
        text(nameplate.serialNumber, at: c + SunSpecMap.Common.serialNumber, words: 16)
        r[c + SunSpecMap.Common.deviceAddress - b] = nameplate.unitID
        r[c + SunSpecMap.Common.pad - b] = 0x8000
        r[SunSpecMap.batteryHeader - b] = 802
        r[SunSpecMap.batteryHeader + 1 - b] = UInt16(SunSpecMap.batteryLength)
        r[SunSpecMap.end - b] = 0xFFFF
        r[SunSpecMap.end + 1 - b] = 0
        typealias B = SunSpecMap.Battery
        typealias P = SunSpecMap.Point
        var image = r
        P.AHRtg.encode(nameplate.capacity_Ah, scale: pow10(ahSF), into: &image, base: b)
        P.WHRtg.encode(nameplate.energy_Wh, scale: pow10(whSF), into: &image, base: b)
        P.WChaRteMax.encode(nameplate.power_W, scale: pow10(wSF), into: &image, base: b)
        P.WDisChaRteMax.encode(nameplate.power_W, scale: pow10(wSF), into: &image, base: b)
        r[index(B.DisChaRte)] = 0xFFFF
        r[index(B.SoCMax)] = 1000
        r[index(B.SoCMin)] = 0
        r[index(B.SocRsvMax)] = 1000
        r[index(B.SoCRsvMin)] = 0
        r[index(B.LocRemCtl)] = 0
        r[index(B.Typ)] = nameplate.isSodiumSulfur ? SunSpecMap.typeSodiumSulfur : SunSpecMap.typeOther
        r[index(B.StateVnd)] = 0xFFFF
        r[index(B.WarrDt)] = 0xFFFF
        r[index(B.WarrDt) + 1] = 0xFFFF
        r[index(B.VMax)] = 0xFFFF
        r[index(B.VMin)] = 0xFFFF
        r[index(B.ReqInvState)] = 0
        r[index(B.ReqW)] = 0x8000
        r[index(B.SetOp)] = 1
        r[index(B.SetInvState)] = 0xFFFF
        let sfs: [(Int, Int16)] = [
            (B.AHRtg_SF, ahSF), (B.WHRtg_SF, whSF), (B.WChaDisChaMax_SF, wSF), (B.DisChaRte_SF, Int16.min),
            (B.SoC_SF, SunSpecMap.socSF), (B.DoD_SF, SunSpecMap.dodSF), (B.SoH_SF, SunSpecMap.sohSF), (B.V_SF, SunSpecMap.voltageSF),
            (B.CellV_SF, SunSpecMap.cellVoltageSF), (B.A_SF, SunSpecMap.currentSF), (B.AMax_SF, SunSpecMap.currentLimitSF), (B.W_SF, wSF),
        ]
        for (o, sf) in sfs { r[index(o)] = UInt16(bitPattern: sf) }
    }

    /// Publishes the battery's state `s` on the live points.
    public mutating func publish(_ s: BatterySnapshot, tables: RegisterTables) {
        let r = tables.holdingRegisters
        var image = r
        let b = SunSpecMap.base
        typealias B = SunSpecMap.Battery
        typealias P = SunSpecMap.Point
        let soc = max(0, min(1, s.soc))
        P.SoC.encode(soc * 100, scale: pow10(SunSpecMap.socSF), into: &image, base: b)
        P.DoD.encode((1 - soc) * 100, scale: pow10(SunSpecMap.dodSF), into: &image, base: b)
        P.SoH.encode(s.soh * 100, scale: pow10(SunSpecMap.sohSF), into: &image, base: b)
        let cycles = UInt32(scaled: s.cycles, by: 1)
        r[index(B.NCyc)] = UInt16(truncatingIfNeeded: cycles >> 16)
        r[index(B.NCyc) + 1] = UInt16(truncatingIfNeeded: cycles)
        r[index(B.Hb)] = UInt16(truncatingIfNeeded: max(0, s.time_ms) / 1000)
        P.V.encode(s.voltage_V, scale: pow10(SunSpecMap.voltageSF), into: &image, base: b)
        let cellSF = pow10(SunSpecMap.cellVoltageSF)
        let perModule = nameplate.cellsPerModule
        P.CellVMax.encode(s.cellMax_V, scale: cellSF, into: &image, base: b)
        r[index(B.CellVMaxStr)] = 1
        r[index(B.CellVMaxMod)] = UInt16(clamping: s.cellMaxIndex / perModule + 1)
        P.CellVMin.encode(s.cellMin_V, scale: cellSF, into: &image, base: b)
        r[index(B.CellVMinStr)] = 1
        r[index(B.CellVMinMod)] = UInt16(clamping: s.cellMinIndex / perModule + 1)
        P.CellVAvg.encode(s.cellMean_V, scale: cellSF, into: &image, base: b)
        // SunSpec counts charging as positive: the sign flips here, and only here.
        P.A.encode(-s.current_A, scale: pow10(SunSpecMap.currentSF), into: &image, base: b)
        P.W.encode(-s.current_A * s.voltage_V, scale: pow10(wSF), into: &image, base: b)
        P.AChaMax.encode(s.chargeLimit_A, scale: pow10(SunSpecMap.currentLimitSF), into: &image, base: b)
        P.ADisChaMax.encode(s.dischargeLimit_A, scale: pow10(SunSpecMap.currentLimitSF), into: &image, base: b)
        r[index(B.State)] = state(s).rawValue
        r[index(B.ChaSt)] = chargeStatus(s).rawValue
        let evt = events(s)
        put(evt, at: index(B.Evt1), r)
        put(0, at: index(B.Evt2), r)
        put(s.faults.rawValue, at: index(B.EvtVnd1), r)
        put(s.warnings.rawValue, at: index(B.EvtVnd2), r)
    }

    /// What the EMS asks for now (a pending AlmRst is handed over once, and reads 0 after).
    public mutating func requests(now: ContinuousClock.Instant, tables: RegisterTables) -> EMSRequests {
        let r = tables.holdingRegisters
        typealias B = SunSpecMap.Battery
        requests.socReserveMax = Double(r[index(B.SocRsvMax)]) / 1000
        requests.socReserveMin = Double(r[index(B.SoCRsvMin)]) / 1000
        requests.connect = r[index(B.SetOp)] != 2
        let inv = r[index(B.SetInvState)]
        requests.inverterState = inv == 0xFFFF ? 0 : inv
        // CtrlHb changes are timed in `answered`, which sees every write.
        requests.heartbeatLost = lastHeartbeatAt.map { now - $0 > heartbeatTimeout } ?? false
        let out = requests
        if requests.resetFaults {
            requests.resetFaults = false
            r[index(B.AlmRst)] = 0
        }
        return out
    }

    public mutating func admit(_ request: ModbusRequest, tables: RegisterTables) -> ModbusException? {
        guard request.isWrite else { return nil }
        guard request.table == .holdingRegisters, request.count > 0 else { return .illegalDataAddress }
        let r = tables.holdingRegisters
        let start = tables.holdingStart
        var rsvMax = r.count > index(SunSpecMap.Battery.SocRsvMax) ? r[index(SunSpecMap.Battery.SocRsvMax)] : 1000
        var rsvMin = r.count > index(SunSpecMap.Battery.SoCRsvMin) ? r[index(SunSpecMap.Battery.SoCRsvMin)] : 0
        for i in 0..<request.count {
            let address = request.address + i
            let offset = address - SunSpecMap.battery
            guard let point = SunSpecMap.writable.first(where: { $0.offset == offset }) else { return .illegalDataAddress }
            let k = address - start
            let v = request.registerValue(i, current: k >= 0 && k < r.count ? r[k] : 0)
            guard point.range.contains(v) else { return .illegalDataValue }
            if offset == SunSpecMap.Battery.SocRsvMax { rsvMax = v }
            if offset == SunSpecMap.Battery.SoCRsvMin { rsvMin = v }
        }
        return rsvMin <= rsvMax ? nil : .illegalDataValue
    }

    public mutating func answered(_ request: ModbusRequest, tables: RegisterTables, now: ContinuousClock.Instant) {
        guard request.isWrite else { return }
        let r = tables.holdingRegisters
        if request.touches(SunSpecMap.battery + SunSpecMap.Battery.AlmRst..<SunSpecMap.battery + SunSpecMap.Battery.AlmRst + 1),
            r[index(SunSpecMap.Battery.AlmRst)] == 1
        {
            requests.resetFaults = true
        }
        if request.touches(SunSpecMap.battery + SunSpecMap.Battery.CtrlHb..<SunSpecMap.battery + SunSpecMap.Battery.CtrlHb + 1) {
            let hb = r[index(SunSpecMap.Battery.CtrlHb)]
            if lastHeartbeatValue != hb || lastHeartbeatAt == nil {
                lastHeartbeatValue = hb
                lastHeartbeatAt = now
            }
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
        var e: UInt32 = 0
        func set(_ bit: Int, _ on: Bool) { if on { e |= 1 << UInt32(bit) } }
        let alarm = s.faults.union(s.alarms)
        let warn = s.warnings
        set(0, s.faults.contains(.communicationLoss))
        set(1, alarm.contains(.overTemperature)); set(2, warn.contains(.overTemperature))
        set(3, alarm.contains(.underTemperature)); set(4, warn.contains(.underTemperature) || warn.contains(.freezeRisk))
        set(5, alarm.contains(.chargeOverCurrent)); set(6, warn.contains(.chargeOverCurrent))
        set(7, alarm.contains(.dischargeOverCurrent)); set(8, warn.contains(.dischargeOverCurrent))
        set(9, alarm.contains(.cellOverVoltage)); set(10, warn.contains(.cellOverVoltage))
        set(11, alarm.contains(.cellUnderVoltage)); set(12, warn.contains(.cellUnderVoltage))
        set(14, s.empty); set(16, s.full)
        set(17, s.cellSpread_V > 0.05)
        set(19, s.temperatureSpread_C > 10)
        set(20, !s.faults.intersection(FaultFlags(rawValue: FaultFlags.contactorWelded.rawValue | FaultFlags.contactorFeedback.rawValue | FaultFlags.prechargeFailed.rawValue)).isEmpty)
        let otherAlarms = FaultFlags(rawValue: FaultFlags.measurementInvalid.rawValue | FaultFlags.stringOutOfService.rawValue)
        set(25, !s.faults.intersection(otherAlarms).isEmpty)
        let otherWarnings = FaultFlags(rawValue: FaultFlags.cellFailedShort.rawValue | FaultFlags.softShort.rawValue | FaultFlags.contactLoss.rawValue | FaultFlags.heaterFault.rawValue)
        set(26, !s.faults.union(warn).intersection(otherWarnings).isEmpty)
        return e
    }

    private func put(_ v: UInt32, at k: Int, _ r: UnsafeMutableBufferPointer<UInt16>) {
        r[k] = UInt16(truncatingIfNeeded: v >> 16)
        r[k + 1] = UInt16(truncatingIfNeeded: v)
    }
}

/// 10^n as a Double (scale-factor exponents are small).
func pow10(_ n: Int16) -> Double {
    var x = 1.0
    if n >= 0 { for _ in 0..<n { x *= 10 } } else { for _ in 0..<(-n) { x /= 10 } }
    return x
}
