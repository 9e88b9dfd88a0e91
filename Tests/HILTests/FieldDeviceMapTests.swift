import BatteryPlant
import HIL
import Modbus
import Testing

@Suite("Field-device map")
struct FieldDeviceMapTests {
    func sampleReadings() -> SensorReadings {
        var r = SensorReadings(cellCount: 240, moduleCount: 3)
        r.time_ms = 86_400_123
        r.current_A = -12.3456
        r.packVoltage_V = 619.2345
        for i in 0..<240 { r.cellVoltages_V[i] = 2.5 + Double(i) * 0.0005 }
        r.moduleTemperatures_C = [281.25, 279.9, -12.3]
        r.mainPositiveClosed = true
        r.mainNegativeClosed = true
        r.linkVoltage_V = 618.9
        return r
    }

    @Test func encodeDecodeRoundTripsWithinResolution() throws {
        let r = sampleReadings()
        var image = [UInt16](repeating: 0, count: FieldDeviceMap.inputRegisterCount(cellCount: 240))
        FieldDeviceMap.encode(r, into: &image)
        let back = try FieldDeviceMap.decode(image)
        #expect(back.time_ms == r.time_ms)
        #expect(abs(back.current_A - r.current_A) <= 0.0005)
        #expect(back.current_A < 0, "charge stays negative")
        #expect(abs(back.packVoltage_V - r.packVoltage_V) <= 0.0005)
        #expect(back.contactorClosed)
        for i in 0..<240 { #expect(abs(back.cellVoltages_V[i] - r.cellVoltages_V[i]) <= 0.00005) }
        // Half an LSB (0.05 K), with room for the binary representation of a decimal tie.
        for m in 0..<3 { #expect(abs(back.moduleTemperatures_C[m] - r.moduleTemperatures_C[m]) <= 0.05 + 1e-9) }
    }

    @Test func nanIsServedAsNotAvailableAndReadBackAsNaN() throws {
        var r = sampleReadings()
        r.cellVoltages_V[17] = .nan
        r.moduleTemperatures_C[1] = .nan
        r.current_A = .nan
        var image = [UInt16](repeating: 0, count: FieldDeviceMap.inputRegisterCount(cellCount: 240))
        FieldDeviceMap.encode(r, into: &image)
        #expect(image[FieldDeviceMap.Input.cellVoltage + 17] == 0xFFFF)
        #expect(image[FieldDeviceMap.Input.moduleTemperature + 1] == 0x8000)
        let back = try FieldDeviceMap.decode(image)
        #expect(back.cellVoltages_V[17].isNaN)
        #expect(back.moduleTemperatures_C[1].isNaN)
        #expect(back.current_A.isNaN)
        #expect(!back.cellVoltages_V[16].isNaN)
    }

    @Test func outOfRangeValuesClampInsteadOfWrapping() throws {
        var r = sampleReadings()
        r.cellVoltages_V[0] = 9.0  // beyond 6.5534 V
        r.cellVoltages_V[1] = -1.0
        var image = [UInt16](repeating: 0, count: FieldDeviceMap.inputRegisterCount(cellCount: 240))
        FieldDeviceMap.encode(r, into: &image)
        let back = try FieldDeviceMap.decode(image)
        #expect(abs(back.cellVoltages_V[0] - 6.5534) < 1e-9)
        #expect(back.cellVoltages_V[1] == 0)
    }

    @Test func decodeRejectsGarbage() {
        #expect(throws: FieldMapError.tooFewRegisters(have: 3, need: FieldDeviceMap.Input.headerCount)) { try FieldDeviceMap.decode([1, 2, 3]) }
        var image = [UInt16](repeating: 0, count: 20)
        image[0] = 7
        #expect(throws: FieldMapError.wrongVersion(7)) { try FieldDeviceMap.decode(image) }
        image[0] = FieldDeviceMap.version
        image[1] = 240
        #expect(throws: FieldMapError.tooFewRegisters(have: 20, need: 1240)) { try FieldDeviceMap.decode(image) }
    }

    /// The plant's readings served by a Modbus server and read back by a client over TCP.
    @Test func plantReadingsTravelOverModbusTCP() throws {
        var pack = BatteryPack(definition: .zebraString(cellCount: 240), seed: 7)
        pack.command(.closed)
        pack.step(current: 15, duration_ms: 100)
        let readings = pack.sample()
        let count = FieldDeviceMap.inputRegisterCount(cellCount: 240)
        var image = [UInt16](repeating: 0, count: count)
        FieldDeviceMap.encode(readings, into: &image)

        let server = try ModbusServer(
            endpoint: .tcp(host: "127.0.0.1", port: 0), layout: .init(inputRegisters: count), service: RegisterBankService())
        server.withRegisters { t in
            for i in 0..<count { t.inputRegisters[i] = image[i] }
        }
        server.start()
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        var fetched = [UInt16](repeating: 0, count: count)
        var address = 0
        while address < count {
            let n = min(125, count - address)
            let chunk = try client.readInputRegisters(address: address, count: n)
            fetched.replaceSubrange(address..<address + n, with: chunk)
            address += n
        }
        let decoded = try FieldDeviceMap.decode(fetched)
        #expect(decoded.cellVoltages_V.count == 240)
        #expect(abs(decoded.current_A - readings.current_A) <= 0.0005)
        #expect(abs(decoded.cellVoltages_V[239] - readings.cellVoltages_V[239]) <= 0.00005)
    }

    @Test func markdownTableListsEveryRegister() {
        let md = FieldDeviceMap.registers.markdownTable()
        for r in FieldDeviceMap.registers { #expect(md.contains("| \(r.name) |")) }
        // The registers column counts 16-bit registers: four for the uint64 time, two for an
        // int32, one per cell voltage for the 1000 cells.
        #expect(md.contains("| input | 3 | 4 | time | uint64 |"))
        #expect(md.contains("| input | 7 | 2 | pack_current | int32 |"))
        #expect(md.contains("| input | 1000 + i | 1000 | cell_voltage | uint16 |"))
    }
}

@Suite("SunSpec map declarations")
struct SunSpecMapTests {
    @Test func thePointsTileTheMapWithoutGapsOrOverlaps() {
        var next = SunSpecMap.base
        for point in SunSpecMap.registers {
            #expect(point.address == next, "\(point.name) starts at \(point.address), expected \(next)")
            next = point.address + point.count * point.encoding.words
        }
        #expect(next == SunSpecMap.base + SunSpecMap.count)
        #expect(SunSpecMap.Point.batteryL.fixed == UInt64(SunSpecMap.eventLogHeader - SunSpecMap.battery), "model 802's L counts its points")
        #expect(SunSpecMap.Point.logL.fixed == UInt64(SunSpecMap.end - SunSpecMap.eventLog), "the event log's L counts its points")
        #expect(SunSpecMap.Point.commonL.fixed == UInt64(SunSpecMap.batteryHeader - SunSpecMap.common))
    }

    /// Every scaled point names a scale-factor point of the map, and the table shows it with
    /// its value where the map fixes it.
    @Test func scaleFactorsAreDeclaredPointsAndShown() {
        let sunssf = Set(SunSpecMap.registers.filter { $0.encoding == .sunssf }.map(\.name))
        let scaled = SunSpecMap.registers.filter { $0.scaleFactor != nil }
        #expect(scaled.count >= 15)
        for p in scaled { #expect(sunssf.contains(p.scaleFactor!), "\(p.name) names \(p.scaleFactor!)") }
        // The physical points of model 802 (a unit, not fixed, not an index) all have one.
        for p in SunSpecMap.registers where ["%", "V", "A", "W", "Ah", "Wh"].contains(p.unit) && p.encoding != .sunssf {
            #expect(p.scaleFactor != nil, "\(p.name) (\(p.unit)) has no scale factor")
        }
        let md = SunSpecMap.registers.markdownTable()
        #expect(md.contains("| SoC | uint16 | R | 10^SoC_SF = 10^-1 | % |"), "a fixed factor with its value")
        #expect(md.contains("| WHRtg | uint16 | R | 10^WHRtg_SF (per pack) | Wh |"), "a factor chosen per pack")
        #expect(md.contains("| holding | 40004 | 16 | Mn | string16 |"), "a string16 takes 16 registers")
    }

    @Test func writableEnumerationsAcceptExactlyTheirSymbols() {
        let setOp = SunSpecMap.writable.first { $0.offset == SunSpecMap.Battery.SetOp }
        #expect(setOp?.range == 1...2)
        let inv = SunSpecMap.writable.first { $0.offset == SunSpecMap.Battery.SetInvState }
        #expect(inv?.range == 1...3)
        #expect(Set(SunSpecMap.writable.map(\.offset)) == [
            SunSpecMap.Battery.SocRsvMax, SunSpecMap.Battery.SoCRsvMin, SunSpecMap.Battery.CtrlHb,
            SunSpecMap.Battery.AlmRst, SunSpecMap.Battery.SetOp, SunSpecMap.Battery.SetInvState,
        ])
    }

    @Test func everyEventBitIsDocumentedOnEvt1() {
        let doc = SunSpecMap.Point.Evt1.summary
        for bit in SunSpecMap.Event.allCases { #expect(doc.contains("\(bit.rawValue) \(bit.meaning)")) }
        #expect(Set(SunSpecMap.Event.allCases.map(\.mask)).count == SunSpecMap.Event.allCases.count)
    }
}
