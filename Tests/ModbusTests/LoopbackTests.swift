import Modbus
import Testing

typealias BankServer = ModbusServer<RegisterBankService>

func loopbackServer(_ layout: RegisterLayout) throws -> BankServer {
    try BankServer(endpoint: .tcp(host: "127.0.0.1", port: 0), layout: layout, service: RegisterBankService())
}

/// Client and server talk over TCP on 127.0.0.1 through the real libmodbus.
@Suite("Modbus TCP loopback")
struct LoopbackTests {
    @Test func clientReadsInputRegistersServedByServer() throws {
        let server = try loopbackServer(.init(holdingRegisters: 16, inputRegisters: 200))
        server.withRegisters { t in
            for i in 0..<200 { t.inputRegisters[i] = UInt16(1000 + i) }
        }
        server.start()
        defer { server.stop() }
        #expect(server.port > 0)

        let client = try ModbusClient(endpoint: server.endpoint)
        let first = try client.readInputRegisters(address: 0, count: 125)
        var rest = [UInt16](repeating: 0, count: 80)
        try client.readInputRegisters(address: 125, count: 75, into: &rest, at: 5)
        let expected: [UInt16] = (0..<200).map { UInt16(1000 + $0) }
        let got: [UInt16] = first + Array(rest[5...])
        #expect(got == expected)
        #expect(client.isConnected, "the first request connects")
    }

    @Test func clientWritesAreSeenByServer() throws {
        let server = try loopbackServer(.init(holdingRegisters: 16))
        server.start()
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        try client.writeRegister(address: 3, value: 0xBEEF)
        try client.writeRegisters(address: 10, values: [1, 2, 3])
        let seen = server.withRegisters { Array($0.holdingRegisters) }
        #expect(seen[3] == 0xBEEF)
        #expect(Array(seen[10...12]) == [1, 2, 3])
        #expect(try client.readHoldingRegisters(address: 3, count: 1) == [0xBEEF])
    }

    @Test func readingBeyondTheMapIsAnIllegalDataAddressException() throws {
        let server = try loopbackServer(.init(inputRegisters: 10))
        server.start()
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        let error = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 8, count: 5) }
        #expect(error?.exception == .illegalDataAddress)
        #expect(error?.message.isEmpty == false)
        #expect(error?.isTransportFailure == false)
        #expect(client.isConnected, "an exception is an answer: the link stays up")
    }

    @Test func wrapperRefusesOversizedRequestsBeforeTheWire() throws {
        let client = try ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: 1))
        let error = #expect(throws: ModbusError.self) { try client.readInputRegisters(address: 0, count: 126) }
        #expect(error?.message.contains("1...125") == true)
        #expect(throws: ModbusError.self) { try client.readHoldingRegisters(address: 65_535, count: 2) }
        var small = [UInt16](repeating: 0, count: 4)
        #expect(throws: ModbusError.self) { try client.readHoldingRegisters(address: 0, count: 5, into: &small, at: 0) }
    }

    @Test func connectingToAClosedPortFailsWithLibmodbusMessage() throws {
        let port: Int
        do { port = try loopbackServer(.init(inputRegisters: 1)).port }  // bound, then closed
        let client = try ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), responseTimeout: .milliseconds(200))
        let error = #expect(throws: ModbusError.self) { try client.connect() }
        #expect(error?.operation.contains("connect") == true)
        #expect(error?.message.isEmpty == false)
        #expect(error?.isTransportFailure == true)
    }

    @Test func endpointsParse() throws {
        #expect(try ModbusEndpoint(parsing: "tcp://127.0.0.1:1502") == .tcp(host: "127.0.0.1", port: 1502))
        #expect(try ModbusEndpoint(parsing: "localhost:502") == .tcp(host: "localhost", port: 502))
        let serial = ModbusEndpoint.RTUSettings(device: "/dev/ttyUSB0", baud: 9600, parity: .none)
        #expect(try ModbusEndpoint(parsing: "rtu:/dev/ttyUSB0?baud=9600&parity=N") == .rtu(serial))
        let defaults = ModbusEndpoint.RTUSettings(device: "/tmp/a", baud: 19_200, parity: .even)
        #expect(try ModbusEndpoint(parsing: "rtu:/tmp/a") == .rtu(defaults))
        for bad in ["tcp://host", "host:99999", ":502", "rtu:", "rtu:/dev/x?baud=fast", "rtu:/dev/x?speed=1"] {
            let error = #expect(throws: ModbusError.self) { try ModbusEndpoint(parsing: bad) }
            #expect(error?.operation.contains(bad) == true)
        }
    }
}
