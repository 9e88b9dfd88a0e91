import CModbus

/// A Modbus TCP client (master) over one libmodbus context.
///
/// Not thread-safe (libmodbus contexts are not): use one client per thread.
public final class ModbusTCPClient {
    private let context: OpaquePointer
    /// Host and port this client talks to.
    public let host: String
    public let port: Int

    /// Creates a client for `host:port` with a response timeout; does not connect yet.
    public init(host: String, port: Int, responseTimeout: Duration = .seconds(1), unitID: UInt8 = 1) throws(ModbusError) {
        guard (1...65535).contains(port) else {
            throw .invalidArgument("new tcp client", "port \(port) is outside 1...65535")
        }
        guard let ctx = modbus_new_tcp(host, Int32(port)) else { throw .last("new tcp client \(host):\(port)") }
        context = ctx
        self.host = host
        self.port = port
        let (seconds, attoseconds) = responseTimeout.components
        modbus_set_response_timeout(ctx, UInt32(clamping: seconds), UInt32(clamping: attoseconds / 1_000_000_000_000))
        modbus_set_slave(ctx, Int32(unitID))
    }

    deinit {
        modbus_close(context)
        modbus_free(context)
    }

    /// Opens the TCP connection.
    public func connect() throws(ModbusError) {
        guard modbus_connect(context) == 0 else { throw .last("connect \(host):\(port)") }
    }

    /// Closes the TCP connection (the client can connect again).
    public func close() { modbus_close(context) }

    /// Reads `count` holding registers (function 3) starting at PDU `address`.
    public func readHoldingRegisters(address: Int, count: Int) throws(ModbusError) -> [UInt16] {
        try read("read holding registers", address: address, count: count) { ctx, a, n, dest in
            modbus_read_registers(ctx, a, n, dest)
        }
    }

    /// Reads `count` input registers (function 4) starting at PDU `address`.
    public func readInputRegisters(address: Int, count: Int) throws(ModbusError) -> [UInt16] {
        try read("read input registers", address: address, count: count) { ctx, a, n, dest in
            modbus_read_input_registers(ctx, a, n, dest)
        }
    }

    /// Writes one holding register (function 6).
    public func writeRegister(address: Int, value: UInt16) throws(ModbusError) {
        let op = "write register \(address)"
        guard (0...ModbusLimits.maxAddress).contains(address) else { throw .invalidArgument(op, "address out of range") }
        guard modbus_write_register(context, Int32(address), value) == 1 else { throw .last(op) }
    }

    /// Writes consecutive holding registers (function 16).
    public func writeRegisters(address: Int, values: [UInt16]) throws(ModbusError) {
        let op = "write registers \(address)+\(values.count)"
        try checkRange(op, address: address, count: values.count, max: ModbusLimits.maxWriteRegisters)
        let rc = values.withUnsafeBufferPointer { modbus_write_registers(context, Int32(address), Int32($0.count), $0.baseAddress) }
        guard rc == values.count else { throw .last(op) }
    }

    private func read(
        _ name: String, address: Int, count: Int,
        _ call: (OpaquePointer, Int32, Int32, UnsafeMutablePointer<UInt16>) -> Int32
    ) throws(ModbusError) -> [UInt16] {
        let op = "\(name) \(address)+\(count)"
        try checkRange(op, address: address, count: count, max: ModbusLimits.maxReadRegisters)
        var registers = [UInt16](repeating: 0, count: count)
        let rc = registers.withUnsafeMutableBufferPointer { call(context, Int32(address), Int32(count), $0.baseAddress!) }
        guard rc == count else { throw .last(op) }
        return registers
    }

    private func checkRange(_ op: String, address: Int, count: Int, max: Int) throws(ModbusError) {
        guard (1...max).contains(count) else { throw .invalidArgument(op, "count must be 1...\(max)") }
        guard address >= 0, address + count - 1 <= ModbusLimits.maxAddress else {
            throw .invalidArgument(op, "addresses beyond 0...65535")
        }
    }
}
