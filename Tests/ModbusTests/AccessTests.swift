import Foundation
import Modbus
import Testing

/// A service that counts the connections that closed.
struct DisconnectCounter: ModbusService {
    var closed: [String] = []
    mutating func disconnected(peer: String, now: ContinuousClock.Instant) { closed.append(peer) }
}

/// Who may write: only the allowed addresses (loopback by default); every write, accepted or
/// refused, is recorded with its peer and the values before and after.
@Suite("Modbus server: writers and the write record")
struct AccessTests {
    @Test func writesFromOtherAddressesAreRefusedAndRecorded() throws {
        let server = try ModbusServer(
            endpoint: .tcp(host: "127.0.0.1", port: 0), layout: .init(holdingRegisters: 8, inputRegisters: 2), service: RegisterBankService(),
            limits: .init(writers: ["10.9.8.7"]))
        server.recordsWrites = true
        server.start()
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        let refused = #expect(throws: ModbusError.self) { try client.writeRegister(address: 3, value: 5) }
        #expect(refused?.exception == .illegalFunction)
        #expect(try client.readHoldingRegisters(address: 3, count: 1) == [0], "nothing stored, and reads still served")
        let records = server.drainWrites()
        #expect(records.count == 1)
        #expect(records.first?.refused == .illegalFunction && records.first?.refusedBy == "writers")
        #expect(records.first?.peer.hasPrefix("127.0.0.1:") == true, "\(records)")
        #expect(server.drainWrites().isEmpty, "drained")
    }

    @Test func loopbackWritesByDefaultAndTheRecordHoldsOldAndNewValues() throws {
        let server = try ModbusServer(
            endpoint: .tcp(host: "127.0.0.1", port: 0), layout: .init(holdingRegisters: 8, inputRegisters: 2), service: RegisterBankService())
        server.recordsWrites = true
        server.withRegisters { $0.holdingRegisters[2] = 11 }
        server.start()
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        try client.writeRegisters(address: 2, values: [12, 13])
        let r = try #require(server.drainWrites().first)
        #expect(r.address == 2 && r.old == [11, 0] && r.new == [12, 13] && r.refused == nil && r.function == 0x10)
    }

    @Test func theServiceHearsWhenAConnectionCloses() throws {
        let server = try ModbusServer(
            endpoint: .tcp(host: "127.0.0.1", port: 0), layout: .init(inputRegisters: 2), service: DisconnectCounter())
        server.start()
        defer { server.stop() }
        do {
            let client = try ModbusClient(endpoint: server.endpoint)
            _ = try client.readInputRegisters(address: 0, count: 1)
        }
        var closed: [String] = []
        for _ in 0..<100 where closed.isEmpty {
            Thread.sleep(forTimeInterval: 0.02)
            closed = server.withService { s, _ in s.closed }
        }
        #expect(closed.count == 1 && closed[0].hasPrefix("127.0.0.1:"), "\(closed)")
    }
}
