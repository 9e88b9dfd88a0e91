import Modbus
import Testing

/// A service that only lets register 5 be written, with values up to 100, and counts writes.
struct GuardedService: ModbusService {
    var writes = 0
    var ticks = 0

    mutating func admit(_ request: ModbusRequest, tables: RegisterTables) -> ModbusException? {
        guard request.isWrite else { return nil }
        guard request.address == 5, request.count == 1 else { return .illegalDataAddress }
        return request.registerValue(0, current: tables.holdingRegisters[5]) <= 100 ? nil : .illegalDataValue
    }

    mutating func answered(_ request: ModbusRequest, tables: RegisterTables, now: ContinuousClock.Instant) {
        if request.isWrite { writes += 1 }
    }

    mutating func tick(now: ContinuousClock.Instant, tables: RegisterTables) -> ContinuousClock.Instant? {
        ticks += 1
        tables.inputRegisters[0] = UInt16(truncatingIfNeeded: ticks)
        return now + .milliseconds(5)
    }
}

@Suite("Modbus server services")
struct ServiceTests {
    func start() throws -> ModbusServer<GuardedService> {
        let s = try ModbusServer(
            endpoint: .tcp(host: "127.0.0.1", port: 0), layout: .init(holdingRegisters: 10, inputRegisters: 1), service: GuardedService())
        s.start()
        return s
    }

    @Test func refusedWritesGetTheServicesExceptionAndStoreNothing() throws {
        let server = try start()
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        let readOnly = #expect(throws: ModbusError.self) { try client.writeRegister(address: 4, value: 1) }
        #expect(readOnly?.exception == .illegalDataAddress)
        let outOfRange = #expect(throws: ModbusError.self) { try client.writeRegister(address: 5, value: 101) }
        #expect(outOfRange?.exception == .illegalDataValue)
        let spanning = #expect(throws: ModbusError.self) { try client.writeRegisters(address: 4, values: [1, 2]) }
        #expect(spanning?.exception == .illegalDataAddress)
        #expect(server.withRegisters { Array($0.holdingRegisters) } == Array(repeating: 0, count: 10))

        try client.writeRegister(address: 5, value: 100)
        #expect(server.withRegisters { $0.holdingRegisters[5] } == 100)
        #expect(server.withService { s, _ in s.writes } == 1)
    }

    @Test func tickRunsOnTheServerThreadAtTheRateAsked() throws {
        let server = try start()
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        let first = try client.readInputRegisters(address: 0, count: 1)[0]
        var later = first
        for _ in 0..<100 where later < first &+ 5 {
            SystemClock().sleep(for: .milliseconds(10))
            later = try client.readInputRegisters(address: 0, count: 1)[0]
        }
        #expect(later >= first &+ 5, "ticks every 5 ms keep advancing the register")
    }

    @Test func garbageOnOneConnectionDropsOnlyThatConnection() throws {
        let server = try loopbackServer(.init(inputRegisters: 4))
        server.withRegisters { $0.inputRegisters[2] = 42 }
        server.start()
        defer { server.stop() }
        let good = try ModbusClient(endpoint: server.endpoint)
        #expect(try good.readInputRegisters(address: 2, count: 1) == [42])
        // A peer that sends noise (protocol identifier 0xFFFF), one whose MBAP length lies, and
        // one that stops half-way through a request.
        let noise = try RawTCPSocket(port: server.port)
        noise.send(Array(repeating: 0xFF, count: 300))
        let liar = try RawTCPSocket(port: server.port)
        liar.send([0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x01, 0x04, 0x00, 0x02, 0x00, 0x01])
        let stalled = try RawTCPSocket(port: server.port)
        stalled.send([0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x04, 0x00])
        // A frame whose MBAP length is shorter than its function needs (function 4: 5 bytes).
        let short = try RawTCPSocket(port: server.port)
        short.send([0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x01, 0x04, 0x00, 0x02, 0x00])
        #expect(noise.waitClosed(within: .seconds(3)), "the noisy peer is disconnected")
        #expect(short.waitClosed(within: .seconds(3)), "the short frame's peer is disconnected")
        #expect(liar.waitClosed(within: .seconds(3)), "the lying peer is disconnected (its frame never completes)")
        #expect(stalled.waitClosed(within: .seconds(3)), "the stalled peer is disconnected")
        #expect(try good.readInputRegisters(address: 2, count: 1) == [42], "the other client is served on")
        #expect(server.connectionsDropped == 2, "not Modbus: the noise and the short frame")
        #expect(server.connectionsTimedOut == 2, "frames left unfinished: the liar's and the stalled one's")
    }
}
