import Modbus
import Testing

/// Client and server talk over TCP on 127.0.0.1 through the real libmodbus.
@Suite("Modbus TCP loopback")
struct LoopbackTests {
    @Test func clientReadsInputRegistersServedByServer() throws {
        let server = try ModbusTCPServer(port: 0, layout: .init(holdingRegisters: 16, inputRegisters: 200))
        server.withRegisters { t in
            for i in 0..<200 { t.inputRegisters[i] = UInt16(1000 + i) }
        }
        server.start()
        defer { server.stop() }
        #expect(server.port > 0)

        let client = try ModbusTCPClient(host: "127.0.0.1", port: server.port)
        try client.connect()
        let first = try client.readInputRegisters(address: 0, count: 125)
        let rest = try client.readInputRegisters(address: 125, count: 75)
        #expect(first + rest == (0..<200).map { UInt16(1000 + $0) })
    }

    @Test func clientWritesAreSeenByServer() throws {
        let server = try ModbusTCPServer(port: 0, layout: .init(holdingRegisters: 16))
        server.start()
        defer { server.stop() }
        let client = try ModbusTCPClient(host: "127.0.0.1", port: server.port)
        try client.connect()
        try client.writeRegister(address: 3, value: 0xBEEF)
        try client.writeRegisters(address: 10, values: [1, 2, 3])
        let seen = server.withRegisters { Array($0.holdingRegisters) }
        #expect(seen[3] == 0xBEEF)
        #expect(Array(seen[10...12]) == [1, 2, 3])
        #expect(try client.readHoldingRegisters(address: 3, count: 1) == [0xBEEF])
    }

    @Test func readingBeyondTheMapIsAnIllegalDataAddressException() throws {
        let server = try ModbusTCPServer(port: 0, layout: .init(inputRegisters: 10))
        server.start()
        defer { server.stop() }
        let client = try ModbusTCPClient(host: "127.0.0.1", port: server.port)
        try client.connect()
        let error = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 8, count: 5) }
        #expect(error?.exception == .illegalDataAddress)
        #expect(error?.message.isEmpty == false)
    }

    @Test func wrapperRefusesOversizedRequestsBeforeTheWire() throws {
        let client = try ModbusTCPClient(host: "127.0.0.1", port: 1)
        let error = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 0, count: 126) }
        #expect(error?.message.contains("1...125") == true)
        #expect(throws: ModbusError.self) { try client.readHoldingRegisters(address: 65_535, count: 2) }
    }

    @Test func connectingToAClosedPortFailsWithLibmodbusMessage() throws {
        // Bind a server to learn a free port, then stop it so nothing listens there.
        let port: Int
        do {
            let probe = try ModbusTCPServer(port: 0, layout: .init(inputRegisters: 1))
            port = probe.port
        }
        let client = try ModbusTCPClient(host: "127.0.0.1", port: port, responseTimeout: .milliseconds(200))
        let error = #expect(throws: ModbusError.self) { try client.connect() }
        #expect(error?.operation.contains("connect") == true)
        #expect(error?.message.isEmpty == false)
    }
}
