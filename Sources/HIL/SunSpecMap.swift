import BMSCore

/// The EMS face: SunSpec discovery ('SunS' at 40000), model 1 (common), model 802 (battery
/// base), vendor model 64210 (the firmware's event log), end marker. Holding registers, read
/// with function 3.
///
/// Sign: SunSpec's A and W count charging as positive here, the opposite of bmssim's convention
/// (positive = discharge); the map converts at this edge. The Markdown in hil/sunspec-map.md
/// is generated from `SunSpecMap.registers` (`bmssim hil-map --sunspec`).
public enum SunSpecMap {
    /// PDU address of 'SunS'.
    public static let base = 40_000
    /// Model 1 header (ID, L) and its first point.
    public static let commonHeader = base + 2
    public static let common = commonHeader + 2
    public static let commonLength = 66
    /// Model 802 header (ID, L) and its first point.
    public static let batteryHeader = common + commonLength
    public static let battery = batteryHeader + 2
    public static let batteryLength = 62
    /// Vendor model 64210 (the firmware's event log) header and its first point.
    public static let eventLogHeader = battery + batteryLength
    public static let eventLog = eventLogHeader + 2
    /// SunSpec's vendor range is 64000 ... 65535; this model is bmssim's.
    public static let eventLogModelID: UInt64 = 64210
    /// Entries the model shows, the newest first (12: the whole model is one read of 112 registers).
    public static let eventLogEntries = 12
    public static let eventLogLength = 4 + eventLogEntries * 9
    /// The end marker (0xFFFF, 0).
    public static let end = eventLog + eventLogLength
    /// Registers from `base` through the end marker.
    public static let count = end + 2 - base

    /// Model 1 point offsets (from `common`).
    public enum Common {
        public static let manufacturer = 0, model = 16, options = 32, version = 40, serialNumber = 48, deviceAddress = 64, pad = 65
    }

    /// Model 802 point offsets (from `battery`).
    public enum Battery {
        public static let AHRtg = 0, WHRtg = 1, WChaRteMax = 2, WDisChaRteMax = 3, DisChaRte = 4, SoCMax = 5, SoCMin = 6
        public static let SocRsvMax = 7, SoCRsvMin = 8, SoC = 9, DoD = 10, SoH = 11, NCyc = 12, ChaSt = 14, LocRemCtl = 15
        public static let Hb = 16, CtrlHb = 17, AlmRst = 18, Typ = 19, State = 20, StateVnd = 21, WarrDt = 22
        public static let Evt1 = 24, Evt2 = 26, EvtVnd1 = 28, EvtVnd2 = 30, V = 32, VMax = 33, VMin = 34
        public static let CellVMax = 35, CellVMaxStr = 36, CellVMaxMod = 37, CellVMin = 38, CellVMinStr = 39, CellVMinMod = 40
        public static let CellVAvg = 41, A = 42, AChaMax = 43, ADisChaMax = 44, W = 45, ReqInvState = 46, ReqW = 47
        public static let SetOp = 48, SetInvState = 49
        public static let AHRtg_SF = 50, WHRtg_SF = 51, WChaDisChaMax_SF = 52, DisChaRte_SF = 53, SoC_SF = 54, DoD_SF = 55
        public static let SoH_SF = 56, V_SF = 57, CellV_SF = 58, A_SF = 59, AMax_SF = 60, W_SF = 61
    }

    /// Fixed scale-factor exponents (the rating ones are chosen per pack, see `BatteryNameplate`).
    public static let socSF: Int16 = -1, sohSF: Int16 = -1, dodSF: Int16 = -1, voltageSF: Int16 = -1, cellVoltageSF: Int16 = -3
    public static let currentSF: Int16 = -1, currentLimitSF: Int16 = -1

    /// The not-implemented codes (SunSpec): uint16 and enum16, int16 and sunssf, uint32.
    public static let notImplemented16: UInt64 = 0xFFFF, notImplementedSigned: UInt64 = 0x8000, notImplemented32: UInt64 = 0xFFFF_FFFF

    /// The writable points (model 802 offsets) and the values each accepts, from the point
    /// declarations below.
    public static let writable: [(offset: Int, range: ClosedRange<UInt16>)] = registers.filter(\.writable).map {
        let range = $0.writeRange ?? 0...UInt32(UInt16.max)
        return ($0.address - battery, UInt16(range.lowerBound)...UInt16(range.upperBound))
    }

    /// A model 1 point.
    private static func c(_ name: String, _ offset: Int, _ e: RegisterPoint.Encoding, fixed: UInt64? = nil, _ s: String) -> RegisterPoint {
        RegisterPoint(name, .holding, address: common + offset, e, writable: false, fixed: fixed, s)
    }

    /// A model 802 point; `accepts` makes it writable with those raw values.
    private static func p(
        _ name: String, _ offset: Int, _ e: RegisterPoint.Encoding, sf: String? = nil, unit: String = "", accepts range: ClosedRange<UInt32>? = nil,
        fixed: UInt64? = nil, _ s: String
    ) -> RegisterPoint {
        RegisterPoint(name, .holding, address: battery + offset, e, scaleFactor: sf, unit: unit, writable: range != nil, accepts: range, fixed: fixed, s)
    }

    /// A model 802 enumeration point whose values are `symbols`; writable ones accept exactly their range.
    private static func e<S: SunSpecSymbol>(
        _ name: String, _ offset: Int, _ symbols: S.Type, writable: Bool = false, fixed: S? = nil
    ) -> RegisterPoint {
        p(name, offset, .enum16, accepts: writable ? S.codeRange : nil, fixed: fixed.map { UInt64($0.code) }, S.documentation)
    }

    /// A not-implemented model 802 point (it reads the encoding's not-implemented code).
    private static func none(_ name: String, _ offset: Int, _ e: RegisterPoint.Encoding) -> RegisterPoint {
        let code = switch e {
        case .int16, .sunssf: notImplementedSigned
        case .uint32, .int32, .bitfield32: notImplemented32
        default: notImplemented16
        }
        return p(name, offset, e, fixed: code, "not implemented (0x\(String(code, radix: 16, uppercase: true)))")
    }

    /// A point of the event-log model (read only).
    private static func log(
        _ name: String, _ offset: Int, _ e: RegisterPoint.Encoding, count: Int = 1, unit: String = "", _ s: String
    ) -> RegisterPoint {
        RegisterPoint(name, .holding, address: eventLog + offset, count: count, e, unit: unit, writable: false, s)
    }

    /// The event kinds by code, for the docs ("1 faultLatched, 2 warningRaised, ...").
    static var eventKindDocumentation: String {
        (1...255).compactMap { code in BMSCore.Event.Kind(rawValue: UInt8(code)).map { "\(code) \($0)" } }.joined(separator: ", ")
    }

    /// A scale-factor point fixed at `sf`.
    private static func sf(_ name: String, _ offset: Int, _ sf: Int16) -> RegisterPoint {
        p(name, offset, .sunssf, fixed: UInt64(UInt16(bitPattern: sf)), "\(sf)")
    }

    /// Every point, declared once; the list below places them, the services write and read
    /// through them, and hil/sunspec-map.md is printed from them.
    public enum Point {
        public static let SunS = RegisterPoint("SunS", .holding, address: base, .uint32, writable: false, fixed: 0x5375_6E53, "SunSpec marker 0x5375 0x6E53")
        public static let commonID = RegisterPoint("ID", .holding, address: commonHeader, .uint16, writable: false, fixed: 1, "model 1 (common)")
        public static let commonL = RegisterPoint("L", .holding, address: commonHeader + 1, .uint16, writable: false, fixed: UInt64(commonLength), "\(commonLength)")
        public static let Mn = c("Mn", Common.manufacturer, .string16, "manufacturer: bmssim")
        public static let Md = c("Md", Common.model, .string16, "model: the pack's chemistry and cell count")
        public static let Opt = c("Opt", Common.options, .string8, "options: field-device endpoint kind (tcp/rtu)")
        public static let Vr = c("Vr", Common.version, .string8, "version of bmssim's EMS face")
        public static let SN = c("SN", Common.serialNumber, .string16, "serial number: bmssim-SEED")
        public static let DA = c("DA", Common.deviceAddress, .uint16, "Modbus unit ID")
        public static let Pad = c("Pad", Common.pad, .uint16, fixed: 0x8000, "0x8000")
        public static let batteryID = RegisterPoint("ID", .holding, address: batteryHeader, .uint16, writable: false, fixed: 802, "model 802 (battery base)")
        public static let batteryL = RegisterPoint("L", .holding, address: batteryHeader + 1, .uint16, writable: false, fixed: UInt64(batteryLength), "\(batteryLength)")

        public static let AHRtg = p("AHRtg", Battery.AHRtg, .uint16, sf: "AHRtg_SF", unit: "Ah", "nameplate capacity of the string")
        public static let WHRtg = p("WHRtg", Battery.WHRtg, .uint16, sf: "WHRtg_SF", unit: "Wh", "nameplate energy (capacity x mid-SoC OCV x cells)")
        public static let WChaRteMax = p("WChaRteMax", Battery.WChaRteMax, .uint16, sf: "WChaDisChaMax_SF", unit: "W", "nameplate charge power (the scenario's rating)")
        public static let WDisChaRteMax = p("WDisChaRteMax", Battery.WDisChaRteMax, .uint16, sf: "WChaDisChaMax_SF", unit: "W", "nameplate discharge power")
        public static let DisChaRte = none("DisChaRte", Battery.DisChaRte, .uint16)
        public static let SoCMax = p("SoCMax", Battery.SoCMax, .uint16, sf: "SoC_SF", unit: "%", fixed: 1000, "100 %")
        public static let SoCMin = p("SoCMin", Battery.SoCMin, .uint16, sf: "SoC_SF", unit: "%", fixed: 0, "0 %")
        public static let SocRsvMax = p(
            "SocRsvMax", Battery.SocRsvMax, .uint16, sf: "SoC_SF", unit: "%", accepts: 0...1000, fixed: 1000,
            "EMS maximum reserve: no charge at or above it (0 ... 1000 = 0 ... 100 %, not below SoCRsvMin); default 1000")
        public static let SoCRsvMin = p(
            "SoCRsvMin", Battery.SoCRsvMin, .uint16, sf: "SoC_SF", unit: "%", accepts: 0...1000, fixed: 0,
            "EMS minimum reserve: no discharge at or below it (0 ... 1000, not above SocRsvMax); default 0")
        public static let SoC = p("SoC", Battery.SoC, .uint16, sf: "SoC_SF", unit: "%", "the firmware's pack SoC estimate")
        public static let DoD = p("DoD", Battery.DoD, .uint16, sf: "DoD_SF", unit: "%", "100 % - SoC")
        public static let SoH = p("SoH", Battery.SoH, .uint16, sf: "SoH_SF", unit: "%", "capacity SoH estimate; 0xFFFF until estimated")
        public static let NCyc = p("NCyc", Battery.NCyc, .uint32, "equivalent full cycles counted by the firmware")
        public static let ChaSt = e("ChaSt", Battery.ChaSt, ChargeStatus.self)
        public static let LocRemCtl = e("LocRemCtl", Battery.LocRemCtl, ControlMode.self, fixed: .remote)
        public static let Hb = p("Hb", Battery.Hb, .uint16, "battery heartbeat: +1 per second of controller time")
        public static let CtrlHb = p(
            "CtrlHb", Battery.CtrlHb, .uint16, accepts: 0...0xFFFF,
            "EMS heartbeat: once written, it must change within the heartbeat timeout or the pack drops to standby (no current)")
        public static let AlmRst = p("AlmRst", Battery.AlmRst, .uint16, accepts: 0...1, "write 1: reset the EMS-resettable latched faults (3 an hour; a weld, an over-temperature trip, a string out of service and a repeated precharge failure need service); reads 0 once done")
        public static let Typ = e("Typ", Battery.Typ, BatteryType.self)
        public static let State = e("State", Battery.State, SunSpecMap.State.self)
        public static let StateVnd = none("StateVnd", Battery.StateVnd, .enum16)
        public static let WarrDt = none("WarrDt", Battery.WarrDt, .uint32)
        public static let Evt1 = p("Evt1", Battery.Evt1, .bitfield32, "alarms and warnings, by bit: \(Event.documentation)")
        public static let Evt2 = p("Evt2", Battery.Evt2, .bitfield32, fixed: 0, "0")
        public static let EvtVnd1 = p("EvtVnd1", Battery.EvtVnd1, .bitfield32, "the firmware's fault bits (docs/core.md)")
        public static let EvtVnd2 = p("EvtVnd2", Battery.EvtVnd2, .bitfield32, "the firmware's warning bits")
        public static let V = p("V", Battery.V, .uint16, sf: "V_SF", unit: "V", "pack voltage")
        public static let VMax = none("VMax", Battery.VMax, .uint16)
        public static let VMin = none("VMin", Battery.VMin, .uint16)
        public static let CellVMax = p("CellVMax", Battery.CellVMax, .uint16, sf: "CellV_SF", unit: "V", "highest cell voltage")
        public static let CellVMaxStr = p("CellVMaxStr", Battery.CellVMaxStr, .uint16, "string of that cell (1-based)")
        public static let CellVMaxMod = p("CellVMaxMod", Battery.CellVMaxMod, .uint16, "module of that cell (1-based)")
        public static let CellVMin = p("CellVMin", Battery.CellVMin, .uint16, sf: "CellV_SF", unit: "V", "lowest cell voltage")
        public static let CellVMinStr = p("CellVMinStr", Battery.CellVMinStr, .uint16, "string of that cell (1-based)")
        public static let CellVMinMod = p("CellVMinMod", Battery.CellVMinMod, .uint16, "module of that cell (1-based)")
        public static let CellVAvg = p("CellVAvg", Battery.CellVAvg, .uint16, sf: "CellV_SF", unit: "V", "mean cell voltage")
        public static let A = p("A", Battery.A, .int16, sf: "A_SF", unit: "A", "pack current, POSITIVE = CHARGING (converted from bmssim's discharge-positive)")
        public static let AChaMax = p("AChaMax", Battery.AChaMax, .uint16, sf: "AMax_SF", unit: "A", "charge current the pack allows now")
        public static let ADisChaMax = p("ADisChaMax", Battery.ADisChaMax, .uint16, sf: "AMax_SF", unit: "A", "discharge current the pack allows now")
        public static let W = p("W", Battery.W, .int16, sf: "W_SF", unit: "W", "pack power, POSITIVE = CHARGING")
        public static let ReqInvState = e("ReqInvState", Battery.ReqInvState, InverterRequest.self, fixed: .noRequest)
        public static let ReqW = none("ReqW", Battery.ReqW, .int16)
        public static let SetOp = e("SetOp", Battery.SetOp, Operation.self, writable: true, fixed: .connect)
        public static let SetInvState = p(
            "SetInvState", Battery.SetInvState, .enum16, accepts: InverterState.codeRange, fixed: notImplemented16,
            InverterState.documentation + "; 0xFFFF until written")
        public static let AHRtg_SF = p("AHRtg_SF", Battery.AHRtg_SF, .sunssf, "chosen per pack")
        public static let WHRtg_SF = p("WHRtg_SF", Battery.WHRtg_SF, .sunssf, "chosen per pack")
        public static let WChaDisChaMax_SF = p("WChaDisChaMax_SF", Battery.WChaDisChaMax_SF, .sunssf, "chosen per pack")
        public static let DisChaRte_SF = none("DisChaRte_SF", Battery.DisChaRte_SF, .sunssf)
        public static let SoC_SF = sf("SoC_SF", Battery.SoC_SF, socSF)
        public static let DoD_SF = sf("DoD_SF", Battery.DoD_SF, dodSF)
        public static let SoH_SF = sf("SoH_SF", Battery.SoH_SF, sohSF)
        public static let V_SF = sf("V_SF", Battery.V_SF, voltageSF)
        public static let CellV_SF = sf("CellV_SF", Battery.CellV_SF, cellVoltageSF)
        public static let A_SF = sf("A_SF", Battery.A_SF, currentSF)
        public static let AMax_SF = sf("AMax_SF", Battery.AMax_SF, currentLimitSF)
        public static let W_SF = p("W_SF", Battery.W_SF, .sunssf, "chosen per pack (the same as WChaDisChaMax_SF)")
        public static let logID = RegisterPoint(
            "ID", .holding, address: eventLogHeader, .uint16, writable: false, fixed: eventLogModelID, "model \(eventLogModelID) (bmssim event log, vendor)")
        public static let logL = RegisterPoint(
            "L", .holding, address: eventLogHeader + 1, .uint16, writable: false, fixed: UInt64(eventLogLength), "\(eventLogLength)")
        public static let EvtRec = log("EvtRec", 0, .uint32, "events the firmware has recorded since power-up: the newest one's number (a reader that polls sees what it missed)")
        public static let EvtHeld = log("EvtHeld", 2, .uint16, "events the firmware's ring still holds (at most 64; the oldest are overwritten)")
        public static let EvtShown = log("EvtShown", 3, .uint16, "entries below that hold an event (at most \(eventLogEntries))")
        public static let EvtNum = log("EvtNum", 4, .uint32, count: eventLogEntries, "entry i (0 = the newest): the event's number; 0 = empty")
        public static let EvtTms = log(
            "EvtTms", 4 + 2 * eventLogEntries, .uint64, count: eventLogEntries, unit: "ms", "entry i: the controller's time of the event")
        public static let EvtKind = log(
            "EvtKind", 4 + 6 * eventLogEntries, .enum16, count: eventLogEntries, "entry i: what happened: \(eventKindDocumentation)")
        public static let EvtDtl = log(
            "EvtDtl", 4 + 7 * eventLogEntries, .uint32, count: eventLogEntries,
            "entry i: the detail word (fault or warning bits for 1, 2 and 5; old mode << 8 | new mode for 3; docs/core.md)")
        public static let end = RegisterPoint("end", .holding, address: SunSpecMap.end, .uint32, writable: false, fixed: 0xFFFF_0000, "end marker 0xFFFF 0x0000")
    }

    /// Every point of the map, in address order.
    public static let registers: [RegisterPoint] = {
        typealias P = Point
        return [
            P.SunS, P.commonID, P.commonL, P.Mn, P.Md, P.Opt, P.Vr, P.SN, P.DA, P.Pad, P.batteryID, P.batteryL,
            P.AHRtg, P.WHRtg, P.WChaRteMax, P.WDisChaRteMax, P.DisChaRte, P.SoCMax, P.SoCMin, P.SocRsvMax, P.SoCRsvMin,
            P.SoC, P.DoD, P.SoH, P.NCyc, P.ChaSt, P.LocRemCtl, P.Hb, P.CtrlHb, P.AlmRst, P.Typ, P.State, P.StateVnd, P.WarrDt,
            P.Evt1, P.Evt2, P.EvtVnd1, P.EvtVnd2, P.V, P.VMax, P.VMin, P.CellVMax, P.CellVMaxStr, P.CellVMaxMod,
            P.CellVMin, P.CellVMinStr, P.CellVMinMod, P.CellVAvg, P.A, P.AChaMax, P.ADisChaMax, P.W, P.ReqInvState, P.ReqW,
            P.SetOp, P.SetInvState, P.AHRtg_SF, P.WHRtg_SF, P.WChaDisChaMax_SF, P.DisChaRte_SF, P.SoC_SF, P.DoD_SF, P.SoH_SF,
            P.V_SF, P.CellV_SF, P.A_SF, P.AMax_SF, P.W_SF,
            P.logID, P.logL, P.EvtRec, P.EvtHeld, P.EvtShown, P.EvtNum, P.EvtTms, P.EvtKind, P.EvtDtl, P.end,
        ]
    }()
}
