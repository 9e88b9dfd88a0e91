import BMSCore
import HIL
import Modbus

/// The EMS face's codec on hostile values: any nameplate and any battery state publish without
/// a trap, every fixed point keeps its code, scale factors stay within SunSpec's -10 ... 10 (or read not implemented), a
/// NaN estimate is served as not available (never as a number), and what is served decodes
/// within its meaning (SoC and DoD 0 ... 100 %).
enum SunSpecCodec {
    static func run(_ input: inout FuzzBytes) -> String? {
        let server: ModbusServer<SunSpecService>
        do { server = try face(nameplate(&input)) } catch { return "server: \(error)" }
        defer { server.stop() }
        // Two states in turn: the second must overwrite everything the first wrote.
        for _ in 0..<2 {
            let s = snapshot(&input)
            if let problem = server.withService({ service, tables in
                service.publish(s, tables: tables)
                return check(s, tables)
            }) {
                return problem
            }
        }
        return nil
    }

    static func check(_ s: BatterySnapshot, _ tables: RegisterTables) -> String? {
        typealias P = SunSpecMap.Point
        let image = tables.holdingRegisters, b = SunSpecMap.base
        for point in SunSpecMap.registers where !point.writable {
            if let code = point.fixed, point.raw(image, base: b) != code { return "\(point.name) reads \(point.raw(image, base: b)), not its fixed \(code)" }
            if point.encoding == .sunssf {
                let sf = Int16(bitPattern: UInt16(truncatingIfNeeded: point.raw(image, base: b)))
                if sf != Int16.min, !(-10...10).contains(sf) { return "\(point.name) = \(sf)" }
            }
        }
        for (point, value) in [(P.SoC, s.soc), (P.DoD, 1 - s.soc)] {
            let raw = point.raw(image, base: b)
            if value.isNaN {
                if raw != SunSpecMap.notImplemented16 { return "\(point.name) serves \(raw) for a NaN estimate" }
            } else if raw > 1000 {
                return "\(point.name) serves \(raw) (over 100 %) for \(value)"
            }
        }
        if s.soh.isNaN, P.SoH.raw(image, base: b) != SunSpecMap.notImplemented16 { return "SoH serves a number for a NaN estimate" }
        return nil
    }

    /// An EMS face for `nameplate`, not started, on a manual clock, its nameplate published.
    static func face(_ nameplate: BatteryNameplate) throws(ModbusError) -> ModbusServer<SunSpecService> {
        let server = try ModbusServer(
            endpoint: .tcp(host: "127.0.0.1", port: 0), layout: SunSpecService.layout, service: SunSpecService(nameplate: nameplate),
            clock: ManualClock())
        server.withService { service, tables in service.publishNameplate(tables) }
        return server
    }

    /// A nameplate of hostile ratings.
    static func nameplate(_ input: inout FuzzBytes) -> BatteryNameplate {
        let flags = input.byte()
        var text = ""
        for _ in 0..<Int(input.byte() % 40) { text.unicodeScalars.append(Unicode.Scalar(UInt8(32 + input.byte() % 95))) }
        return BatteryNameplate(
            model: text, options: text, serialNumber: text, capacity_Ah: input.double(), energy_Wh: input.double(), power_W: input.double(),
            isSodiumSulfur: flags & 1 != 0, cellsPerModule: Int(Int8(bitPattern: input.byte())))
    }

    /// A battery state of hostile values (indices and counts as a controller gives them).
    static func snapshot(_ input: inout FuzzBytes) -> BatterySnapshot {
        var s = BatterySnapshot()
        s.time_ms = Int64(bitPattern: UInt64(input.word()) << 48 | UInt64(input.word()) << 16 | UInt64(input.word()))
        s.soc = input.double()
        s.soh = input.double()
        s.cycles = input.double()
        s.current_A = input.double()
        s.voltage_V = input.double()
        s.cellMax_V = input.double()
        s.cellMin_V = input.double()
        s.cellMean_V = input.double()
        s.cellMaxIndex = Int(input.word()) % 1000
        s.cellMinIndex = Int(input.word()) % 1000
        s.chargeLimit_A = input.double()
        s.dischargeLimit_A = input.double()
        s.connection = ConnectionState(rawValue: input.byte() % 5) ?? .open
        s.faults = FaultFlags(rawValue: UInt32(input.word()) << 16 | UInt32(input.word()))
        s.warnings = FaultFlags(rawValue: UInt32(input.word()) << 16 | UInt32(input.word()))
        s.alarms = FaultFlags(rawValue: UInt32(input.word()))
        s.cellSpread_V = input.double()
        s.temperatureSpread_C = input.double()
        let flags = input.byte()
        (s.standby, s.socProtection, s.full, s.empty) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0, flags & 8 != 0)
        s.eventsRecorded = UInt32(input.word()) << 16 | UInt32(input.word())
        s.eventsHeld = Int(input.word())
        for k in 0..<Int(input.byte() % 16) {
            let time = Int64(bitPattern: UInt64(input.word()) << 48 | UInt64(input.word()))
            let kind = BMSCore.Event.Kind(rawValue: 1 + input.byte() % 9) ?? .powerUp
            s.recentEvents.append((number: UInt32(k + 1), event: BMSCore.Event(time: Milliseconds(time), kind: kind, detail: UInt32(input.word()))))
        }
        return s
    }
}
