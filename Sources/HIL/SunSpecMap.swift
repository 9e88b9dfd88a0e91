/// The EMS face: SunSpec discovery ('SunS' at 40000), model 1 (common), model 802 (battery
/// base), end marker. Holding registers, read with function 3.
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
    /// The end marker (0xFFFF, 0).
    public static let end = battery + batteryLength
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
    public static let currentSF: Int16 = -1, currentLimitSF: Int16 = -1, powerSF: Int16 = 0

    /// Model 802 State.
    public enum State: UInt16, Sendable {
        case disconnected = 1, initializing = 2, connected = 3, standby = 4, socProtection = 5, suspending = 6, fault = 99
    }
    /// Model 802 ChaSt.
    public enum ChargeStatus: UInt16, Sendable {
        case off = 1, empty = 2, discharging = 3, charging = 4, full = 5, holding = 6, testing = 7
    }
    /// Model 802 Typ: 9 sodium-sulfur, 99 other.
    public static let typeSodiumSulfur: UInt16 = 9, typeOther: UInt16 = 99

    /// The writable points (model 802 offsets) and the values each accepts, from the point
    /// declarations below.
    public static let writable: [(offset: Int, range: ClosedRange<UInt16>)] = registers.filter(\.writable).map {
        let range = $0.writeRange ?? 0...UInt32(UInt16.max)
        return ($0.address - battery, UInt16(range.lowerBound)...UInt16(range.upperBound))
    }

    /// A model 802 point; `accepts` makes it writable with those raw values.
    private static func p(
        _ name: String, _ offset: Int, _ e: RegisterPoint.Encoding, unit: String = "", accepts range: ClosedRange<UInt32>? = nil, _ s: String
    ) -> RegisterPoint {
        RegisterPoint(name, .holding, address: battery + offset, e, unit: unit, writable: range != nil, accepts: range, s)
    }

    /// The numeric live and nameplate points the service writes (declared once; the list below
    /// places them).
    public enum Point {
        public static let AHRtg = p("AHRtg", Battery.AHRtg, .uint16, unit: "Ah", "nameplate capacity of the string, x 10^AHRtg_SF")
        public static let WHRtg = p("WHRtg", Battery.WHRtg, .uint16, unit: "Wh", "nameplate energy (capacity x mid-SoC OCV x cells), x 10^WHRtg_SF")
        public static let WChaRteMax = p("WChaRteMax", Battery.WChaRteMax, .uint16, unit: "W", "nameplate charge power (the scenario's rating), x 10^WChaDisChaMax_SF")
        public static let WDisChaRteMax = p("WDisChaRteMax", Battery.WDisChaRteMax, .uint16, unit: "W", "nameplate discharge power, x 10^WChaDisChaMax_SF")
        public static let SoC = p("SoC", Battery.SoC, .uint16, unit: "%", "the firmware's pack SoC estimate, x 10^SoC_SF")
        public static let DoD = p("DoD", Battery.DoD, .uint16, unit: "%", "100 % - SoC, x 10^DoD_SF")
        public static let SoH = p("SoH", Battery.SoH, .uint16, unit: "%", "capacity SoH estimate, x 10^SoH_SF; 0xFFFF until estimated")
        public static let V = p("V", Battery.V, .uint16, unit: "V", "pack voltage, x 10^V_SF")
        public static let CellVMax = p("CellVMax", Battery.CellVMax, .uint16, unit: "V", "highest cell voltage, x 10^CellV_SF")
        public static let CellVMin = p("CellVMin", Battery.CellVMin, .uint16, unit: "V", "lowest cell voltage, x 10^CellV_SF")
        public static let CellVAvg = p("CellVAvg", Battery.CellVAvg, .uint16, unit: "V", "mean cell voltage, x 10^CellV_SF")
        public static let A = p("A", Battery.A, .int16, unit: "A", "pack current, POSITIVE = CHARGING (converted from bmssim's discharge-positive), x 10^A_SF")
        public static let AChaMax = p("AChaMax", Battery.AChaMax, .uint16, unit: "A", "charge current the pack allows now, x 10^AMax_SF")
        public static let ADisChaMax = p("ADisChaMax", Battery.ADisChaMax, .uint16, unit: "A", "discharge current the pack allows now, x 10^AMax_SF")
        public static let W = p("W", Battery.W, .int16, unit: "W", "pack power, POSITIVE = CHARGING, x 10^W_SF")
    }

    /// Every point of the map, in address order.
    public static let registers: [RegisterPoint] = [
        RegisterPoint("SunS", .holding, address: base, .uint32, writable: false, "SunSpec marker 0x5375 0x6E53"),
        RegisterPoint("ID", .holding, address: commonHeader, .uint16, writable: false, "model 1 (common)"),
        RegisterPoint("L", .holding, address: commonHeader + 1, .uint16, writable: false, "66"),
        RegisterPoint("Mn", .holding, address: common + Common.manufacturer, .string16, writable: false, "manufacturer: bmssim"),
        RegisterPoint("Md", .holding, address: common + Common.model, .string16, writable: false, "model: the pack's chemistry and cell count"),
        RegisterPoint("Opt", .holding, address: common + Common.options, .string8, writable: false, "options: field-device endpoint kind (tcp/rtu)"),
        RegisterPoint("Vr", .holding, address: common + Common.version, .string8, writable: false, "version of bmssim's EMS face"),
        RegisterPoint("SN", .holding, address: common + Common.serialNumber, .string16, writable: false, "serial number: bmssim-SEED"),
        RegisterPoint("DA", .holding, address: common + Common.deviceAddress, .uint16, writable: false, "Modbus unit ID"),
        RegisterPoint("Pad", .holding, address: common + Common.pad, .uint16, writable: false, "0x8000"),
        RegisterPoint("ID", .holding, address: batteryHeader, .uint16, writable: false, "model 802 (battery base)"),
        RegisterPoint("L", .holding, address: batteryHeader + 1, .uint16, writable: false, "62"),
        Point.AHRtg,
        Point.WHRtg,
        Point.WChaRteMax,
        Point.WDisChaRteMax,
        p("DisChaRte", Battery.DisChaRte, .uint16, "not implemented (0xFFFF)"),
        p("SoCMax", Battery.SoCMax, .uint16, unit: "%", "100 %, x 10^SoC_SF"),
        p("SoCMin", Battery.SoCMin, .uint16, unit: "%", "0 %, x 10^SoC_SF"),
        p("SocRsvMax", Battery.SocRsvMax, .uint16, unit: "%", accepts: 0...1000, "EMS maximum reserve: no charge at or above it (0 ... 1000 = 0 ... 100 %, not below SoCRsvMin); default 1000"),
        p("SoCRsvMin", Battery.SoCRsvMin, .uint16, unit: "%", accepts: 0...1000, "EMS minimum reserve: no discharge at or below it (0 ... 1000, not above SocRsvMax); default 0"),
        Point.SoC,
        Point.DoD,
        Point.SoH,
        p("NCyc", Battery.NCyc, .uint32, "equivalent full cycles counted by the firmware"),
        p("ChaSt", Battery.ChaSt, .enum16, "1 off (contactors open), 2 empty, 3 discharging, 4 charging, 5 full, 6 holding"),
        p("LocRemCtl", Battery.LocRemCtl, .enum16, "0 remote"),
        p("Hb", Battery.Hb, .uint16, "battery heartbeat: +1 per second of controller time"),
        p("CtrlHb", Battery.CtrlHb, .uint16, accepts: 0...0xFFFF, "EMS heartbeat: once written, it must change within the heartbeat timeout or the pack drops to standby (no current)"),
        p("AlmRst", Battery.AlmRst, .uint16, accepts: 0...1, "write 1: reset latched faults; reads 0 once done"),
        p("Typ", Battery.Typ, .enum16, "9 sodium-sulfur, 99 other (Na-NiCl2 and the solid-state chemistries)"),
        p("State", Battery.State, .enum16, "1 disconnected, 2 initializing (precharge), 3 connected, 4 standby (EMS heartbeat lost), 5 SoC protection (a reserve blocks a direction), 99 fault (latched)"),
        p("StateVnd", Battery.StateVnd, .enum16, "not implemented (0xFFFF)"),
        p("WarrDt", Battery.WarrDt, .uint32, "not implemented (0xFFFFFFFF)"),
        p("Evt1", Battery.Evt1, .bitfield32, "alarms and warnings: 0 comm, 1/2 over-temp, 3/4 under-temp, 5/6 charge current, 7/8 discharge current, 9/10 over-volt, 11/12 under-volt, 13/14 under SoC min, 15/16 over SoC max, 17 voltage imbalance, 18/19 temperature imbalance, 20 contactor, 25/26 other (alarm/warning)"),
        p("Evt2", Battery.Evt2, .bitfield32, "0"),
        p("EvtVnd1", Battery.EvtVnd1, .bitfield32, "the firmware's fault bits (docs/core.md)"),
        p("EvtVnd2", Battery.EvtVnd2, .bitfield32, "the firmware's warning bits"),
        Point.V,
        p("VMax", Battery.VMax, .uint16, "not implemented (0xFFFF)"),
        p("VMin", Battery.VMin, .uint16, "not implemented (0xFFFF)"),
        Point.CellVMax,
        p("CellVMaxStr", Battery.CellVMaxStr, .uint16, "string of that cell (1-based)"),
        p("CellVMaxMod", Battery.CellVMaxMod, .uint16, "module of that cell (1-based)"),
        Point.CellVMin,
        p("CellVMinStr", Battery.CellVMinStr, .uint16, "string of that cell (1-based)"),
        p("CellVMinMod", Battery.CellVMinMod, .uint16, "module of that cell (1-based)"),
        Point.CellVAvg,
        Point.A,
        Point.AChaMax,
        Point.ADisChaMax,
        Point.W,
        p("ReqInvState", Battery.ReqInvState, .enum16, "0 no request"),
        p("ReqW", Battery.ReqW, .int16, "not implemented (0x8000)"),
        p("SetOp", Battery.SetOp, .enum16, accepts: 1...2, "1 connect (default), 2 disconnect (contactors open, current first)"),
        p("SetInvState", Battery.SetInvState, .enum16, accepts: 1...3, "1 inverter stopped, 2 standby, 3 started (stored; informative)"),
        p("AHRtg_SF", Battery.AHRtg_SF, .sunssf, "chosen per pack"),
        p("WHRtg_SF", Battery.WHRtg_SF, .sunssf, "chosen per pack"),
        p("WChaDisChaMax_SF", Battery.WChaDisChaMax_SF, .sunssf, "chosen per pack"),
        p("DisChaRte_SF", Battery.DisChaRte_SF, .sunssf, "not implemented (0x8000)"),
        p("SoC_SF", Battery.SoC_SF, .sunssf, "\(socSF)"),
        p("DoD_SF", Battery.DoD_SF, .sunssf, "\(dodSF)"),
        p("SoH_SF", Battery.SoH_SF, .sunssf, "\(sohSF)"),
        p("V_SF", Battery.V_SF, .sunssf, "\(voltageSF)"),
        p("CellV_SF", Battery.CellV_SF, .sunssf, "\(cellVoltageSF)"),
        p("A_SF", Battery.A_SF, .sunssf, "\(currentSF)"),
        p("AMax_SF", Battery.AMax_SF, .sunssf, "\(currentLimitSF)"),
        p("W_SF", Battery.W_SF, .sunssf, "\(powerSF)"),
        RegisterPoint("end", .holding, address: end, .uint32, writable: false, "end marker 0xFFFF 0x0000"),
    ]
}
