import Modbus
import Testing

@Suite("Modbus client timeouts and reconnection")
struct ReconnectTests {
    /// The back-off on a manual clock: no attempt before it is due, one the moment it is, and
    /// the delay doubling up to its maximum.
    @Test func clientReconnectsAfterTheServerComesBack() throws {
        var server: BankServer? = try loopbackServer(.init(inputRegisters: 2))
        let port = server!.port
        server!.withRegisters { $0.inputRegisters[0] = 7 }
        server!.start()
        let clock = ManualClock()
        let client = try ModbusClient(
            endpoint: .tcp(host: "127.0.0.1", port: port), responseTimeout: .milliseconds(200),
            reconnect: .init(initialDelay: .milliseconds(500), maximumDelay: .milliseconds(800)), clock: clock)
        #expect(try client.readInputRegisters(address: 0, count: 1) == [7])

        server!.stop()
        server = nil  // the port is free: requests fail, then reconnects are refused and back off
        let lost = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 0, count: 1) }
        #expect(lost?.isTransportFailure == true)
        #expect(!client.isConnected)
        let refused = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 0, count: 1) }
        #expect(refused?.isTransportFailure == true, "first reconnect is immediate, and refused")
        clock.advance(by: .milliseconds(499))
        let waiting = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 0, count: 1) }
        #expect(waiting?.code == ModbusError.notConnectedCode, "1 ms before the back-off ends: no attempt")
        clock.advance(by: .milliseconds(1))
        let second = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 0, count: 1) }
        #expect(second?.isTransportFailure == true, "at 500 ms it tries again (refused)")
        clock.advance(by: .milliseconds(799))
        let doubled = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 0, count: 1) }
        #expect(doubled?.code == ModbusError.notConnectedCode, "the delay doubled, capped at 800 ms")

        let back = try BankServer(endpoint: .tcp(host: "127.0.0.1", port: port), layout: .init(inputRegisters: 2), service: .init())
        back.withRegisters { $0.inputRegisters[0] = 8 }
        back.start()
        defer { back.stop() }
        clock.advance(by: .milliseconds(1))
        #expect(try client.readInputRegisters(address: 0, count: 1) == [8])
        #expect(client.reconnections == 1)
    }

    @Test func aSilentServerTimesOutWithinTheResponseTimeout() throws {
        let silent = try SilentListener()  // accepts, never answers
        let client = try ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: silent.port), responseTimeout: .milliseconds(150))
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 0, count: 1) }
        let took = clock.now - start
        #expect(error?.isTransportFailure == true)
        #expect(error?.message.lowercased().contains("timed out") == true)
        #expect(took >= .milliseconds(140) && took < .milliseconds(1000))
    }
}
