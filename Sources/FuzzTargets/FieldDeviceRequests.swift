import BatteryPlant
import HIL
@_spi(Fuzzing) import Modbus

/// A plant that only counts its steps: the target is the device's admission and codecs, not
/// the physics.
struct CountingPlant: FieldDevicePlant {
    let cellCount: Int
    let moduleCount: Int
    let step_ms: Int64 = 100
    let readings: SensorReadings
    let heaterPower_W: [Double]
    private(set) var steps = 0
    mutating func advance(_ commands: FieldCommands) { steps += 1 }
}

/// The field device's request admission, through the server's frame assembly and answer path:
/// a pack of hostile size and readings, in lockstep or real time, one or two masters (allowed
/// writers or a neighbour) sending the rest of the input as their byte stream.
///
/// Invariants after every chunk: no write accepted from an address outside the writers, none
/// from a second master while another holds the lease; every writable register holds a value
/// its point accepts (balancing bits only for cells that exist, `lockstep_advance` back at 0);
/// every other holding register and every input register as published (steps done excepted,
/// which must equal the device's count); with no allowed writer, the holding registers exactly
/// as they started.
enum FieldDeviceRequests {
    static let writer = "127.0.0.1"

    static func run(_ input: inout FuzzBytes) -> String? {
        let cells = 1 + Int(input.word()) % FieldDeviceMap.maxCells
        let modules = 1 + Int(input.byte()) % min(cells, FieldDeviceMap.maxModules)
        let flags = input.byte()
        let mode: FieldDeviceMap.RunMode = flags & 1 == 0 ? .lockstep : .realTime
        var hosts = [flags & 2 == 0 ? writer : "192.0.2.7"]
        if flags & 4 != 0 { hosts.append(flags & 8 == 0 ? writer : "192.0.2.8") }
        var readings = SensorReadings(cellCount: cells, moduleCount: modules)
        readings.time_ms = Int64(bitPattern: UInt64(input.word()) << 48 | UInt64(input.word()))
        readings.current_A = input.double()
        readings.packVoltage_V = input.double()
        readings.linkVoltage_V = input.double()
        readings.secondCurrent_A = input.double()
        for m in 0..<modules { readings.moduleTemperatures_C[m] = m < 4 ? input.double() : readings.moduleTemperatures_C[m % 4] }
        for m in 0..<modules { readings.edgeTemperatures_C[m] = m < 2 ? input.double() : .nan }
        for i in 0..<cells { readings.cellVoltages_V[i] = i < 8 ? input.double() : readings.cellVoltages_V[i % 8] }
        let contacts = input.byte()
        (readings.mainPositiveClosed, readings.mainNegativeClosed) = (contacts & 1 != 0, contacts & 2 != 0)
        (readings.prechargeClosed, readings.blowerAirflow) = (contacts & 4 != 0, contacts & 8 != 0)
        FieldDeviceMap.quantise(&readings)
        let heater = (0..<modules).map { $0 == 0 ? input.double() : 0 }
        let seed = input.byte()

        let plant = CountingPlant(cellCount: cells, moduleCount: modules, readings: readings, heaterPower_W: heater)
        let service = FieldDeviceService(plant: plant, mode: mode, commandTimeout: .seconds(1))
        let server: ModbusServer<FieldDeviceService<CountingPlant>>
        do {
            server = try ModbusServer(endpoint: .tcp(host: "127.0.0.1", port: 0), layout: service.layout, service: service, clock: ManualClock())
        } catch {
            return "server: \(error)"
        }
        defer { server.stop() }
        server.tickNow()
        let (holding0, input0) = server.withRegisters { (Array($0.holdingRegisters), Array($0.inputRegisters)) }
        // What the device serves reads back as the plant's readings (the codec, both ways).
        do {
            let served = try FieldDeviceMap.decode(input0)
            if let problem = FieldMapCodec.compare(served, readings) { return "served readings: \(problem)" }
        } catch {
            return "served readings do not decode: \(error)"
        }
        server.recordsWrites = true
        var holder: String?
        let anyWriter = hosts.contains(writer)
        return InjectedClients(server: server, hosts: hosts).run(input.rest(), seed: seed) { peer, closed in
            for w in server.drainWrites() where w.refused == nil {
                if ModbusServerLimits.host(of: w.peer) != writer { return "write from \(w.peer) accepted: not a writer" }
                if let h = holder, h != w.peer { return "write from \(w.peer) accepted while \(h) held the lease" }
                holder = w.peer
            }
            if closed && peer == holder { holder = nil }
            return server.withService { service, tables in
                check(service, tables, holding0: holding0, input0: input0, anyWriter: anyWriter)
            }
        }
    }

    static func check(
        _ service: FieldDeviceService<CountingPlant>, _ tables: RegisterTables, holding0: [UInt16], input0: [UInt16], anyWriter: Bool
    ) -> String? {
        typealias P = FieldDeviceMap.Point
        let holding = tables.holdingRegisters, inputs = tables.inputRegisters
        let plant = service.plant
        if !anyWriter, !holding.elementsEqual(holding0) { return "holding registers changed with no allowed writer" }
        var writable = [Bool](repeating: false, count: holding.count)
        for point in FieldDeviceMap.registers where point.table == .holding && point.writable {
            let instances = point == P.heaterDuty ? plant.moduleCount
                : point == P.balancing ? FieldDeviceMap.balancingWords(cellCount: plant.cellCount) : point.count
            for i in 0..<instances {
                let a = point.address(i)
                for w in 0..<point.encoding.words where a + w < holding.count { writable[a + w] = true }
                guard a < holding.count else { continue }
                let raw = point.raw(holding, instance: i)
                if point == P.lockstepAdvance {
                    if raw != 0 { return "lockstep_advance reads \(raw), not 0" }
                } else if let range = point.writeRange, point.encoding.words == 1, !range.contains(UInt32(raw)) {
                    return "\(point.name)[\(i)] holds \(raw), outside \(range)"
                }
                if point == P.balancing {
                    let cellsInWord = min(16, plant.cellCount - 16 * i)
                    if cellsInWord < 16, raw >> UInt64(cellsInWord) != 0 { return "balancing word \(i) switches cells that do not exist: \(raw)" }
                }
            }
        }
        for a in holding.indices where !writable[a] && holding[a] != holding0[a] {
            return "holding register \(a) (not writable) changed from \(holding0[a]) to \(holding[a])"
        }
        let steps = P.stepsDone.addresses
        for a in inputs.indices where !steps.contains(a) && inputs[a] != input0[a] {
            return "input register \(a) changed from \(input0[a]) to \(inputs[a])"
        }
        if P.stepsDone.raw(inputs) != UInt64(UInt32(truncatingIfNeeded: service.stepsDone)) { return "steps_done disagrees with the device" }
        if UInt64(plant.steps) != service.stepsDone { return "the plant stepped \(plant.steps) times, the device counts \(service.stepsDone)" }
        if service.mode == .realTime, service.stepsDone != 0 { return "a real-time device stepped on a write" }
        return nil
    }
}
