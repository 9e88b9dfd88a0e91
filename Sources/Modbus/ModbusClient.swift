import CModbus

/// A Modbus client (master) over one libmodbus context, TCP or RTU, that reconnects by itself.
///
/// Every request is bounded by `responseTimeout`. When the link fails (timeout, reset, refused,
/// garbled answer) the client closes it; the next request reconnects at once, and further failed
/// attempts back off as `reconnect` says (a request made before the next attempt is due fails
/// right away with `ModbusError.notConnectedCode`, so a control loop keeps its period).
/// Not thread-safe (libmodbus contexts are not): one client per thread.
public final class ModbusClient {
    public let endpoint: ModbusEndpoint
    public let reconnect: ReconnectPolicy
    private let context: OpaquePointer
    /// The clock the back-off is timed on.
    public let clock: any HostClock
    private var connected = false
    private var backoff: Duration
    private var nextAttempt: ContinuousClock.Instant
    /// Links opened after the first one.
    public private(set) var reconnections = 0
    private var everConnected = false

    /// Creates a client for `endpoint`; does not connect yet.
    public init(
        endpoint: ModbusEndpoint, unitID: UInt8 = 1, responseTimeout: Duration = .milliseconds(500),
        reconnect: ReconnectPolicy = .init(), clock: any HostClock = SystemClock()
    ) throws(ModbusError) {
        self.clock = clock
        context = try Context.make(endpoint, role: "client")
        self.endpoint = endpoint
        self.reconnect = reconnect
        backoff = reconnect.initialDelay
        nextAttempt = clock.now
        let t = Context.timeout(responseTimeout)
        modbus_set_response_timeout(context, t.seconds, t.microseconds)
        modbus_set_slave(context, Int32(unitID))
    }

    deinit {
        modbus_close(context)
        modbus_free(context)
    }

    /// Whether the link is open.
    public var isConnected: Bool { connected }

    /// Opens the link now (whatever the back-off says).
    public func connect() throws(ModbusError) {
        if connected { return }
        guard modbus_connect(context) == 0 else {
            let error = ModbusError.last("connect \(endpoint)")
            scheduleRetry()
            throw error
        }
        connected = true
        if everConnected { reconnections += 1 }
        everConnected = true
        backoff = reconnect.initialDelay
        if case .rtu = endpoint { modbus_flush(context) }
    }

    /// Closes the link (the next request reconnects).
    public func close() {
        if connected { modbus_close(context) }
        connected = false
    }

    /// Reads `count` holding registers (function 3) starting at PDU `address`.
    public func readHoldingRegisters(address: Int, count: Int) throws(ModbusError) -> [UInt16] {
        var r = [UInt16](repeating: 0, count: count)
        try readHoldingRegisters(address: address, count: count, into: &r, at: 0)
        return r
    }

    /// Reads `count` input registers (function 4) starting at PDU `address`.
    public func readInputRegisters(address: Int, count: Int) throws(ModbusError) -> [UInt16] {
        var r = [UInt16](repeating: 0, count: count)
        try readInputRegisters(address: address, count: count, into: &r, at: 0)
        return r
    }

    /// Reads holding registers into `buffer[offset ..< offset + count]` (no allocation).
    public func readHoldingRegisters(address: Int, count: Int, into buffer: inout [UInt16], at offset: Int) throws(ModbusError) {
        try read("read holding registers", address: address, count: count, into: &buffer, at: offset) { modbus_read_registers($0, $1, $2, $3) }
    }

    /// Reads input registers into `buffer[offset ..< offset + count]` (no allocation).
    public func readInputRegisters(address: Int, count: Int, into buffer: inout [UInt16], at offset: Int) throws(ModbusError) {
        try read("read input registers", address: address, count: count, into: &buffer, at: offset) { modbus_read_input_registers($0, $1, $2, $3) }
    }

    /// Writes one holding register (function 6).
    public func writeRegister(address: Int, value: UInt16) throws(ModbusError) {
        let op = "write register \(address)"
        guard (0...ModbusLimits.maxAddress).contains(address) else { throw .invalidArgument(op, "address out of range") }
        try perform(op) { modbus_write_register($0, Int32(address), value) == 1 }
    }

    /// Writes consecutive holding registers (function 16).
    public func writeRegisters(address: Int, values: [UInt16]) throws(ModbusError) {
        try writeRegisters(address: address, values: values[...])
    }

    /// Writes consecutive holding registers (function 16) from a slice (no allocation).
    public func writeRegisters(address: Int, values: ArraySlice<UInt16>) throws(ModbusError) {
        let op = "write registers \(address)+\(values.count)"
        try checkRange(op, address: address, count: values.count, max: ModbusLimits.maxWriteRegisters)
        try perform(op) { ctx in
            values.withUnsafeBufferPointer { modbus_write_registers(ctx, Int32(address), Int32($0.count), $0.baseAddress) } == values.count
        }
    }

    private func read(
        _ name: String, address: Int, count: Int, into buffer: inout [UInt16], at offset: Int,
        _ call: (OpaquePointer, Int32, Int32, UnsafeMutablePointer<UInt16>) -> Int32
    ) throws(ModbusError) {
        // Built only when needed: formatting the name costs as much as a loopback request.
        guard (1...ModbusLimits.maxReadRegisters).contains(count), address >= 0, address + count - 1 <= ModbusLimits.maxAddress,
            offset >= 0, offset + count <= buffer.count
        else {
            let op = "\(name) \(address)+\(count)"
            try checkRange(op, address: address, count: count, max: ModbusLimits.maxReadRegisters)
            throw .invalidArgument(op, "buffer holds \(buffer.count) registers, not \(offset)+\(count)")
        }
        try prepare { "\(name) \(address)+\(count)" }
        let rc = buffer.withUnsafeMutableBufferPointer { call(context, Int32(address), Int32(count), $0.baseAddress! + offset) }
        if rc != count { try fail("\(name) \(address)+\(count)") }
    }

    private func perform(_ op: String, _ call: (OpaquePointer) -> Bool) throws(ModbusError) {
        try prepare { op }
        if !call(context) { try fail(op) }
    }

    /// Makes sure the link is open, reconnecting when the back-off allows.
    private func prepare(_ op: () -> String) throws(ModbusError) {
        if connected { return }
        let now = clock.now
        guard now >= nextAttempt else { throw .notConnected(op(), retryIn: nextAttempt - now) }
        try connect()
    }

    /// Reports the failure of `op`; a link failure closes the link for a reconnect.
    private func fail(_ op: String) throws(ModbusError) -> Never {
        let error = ModbusError.last(op)
        if error.isTransportFailure {
            // A late answer would be taken for the next request's: drop the link, start afresh.
            close()
            nextAttempt = clock.now
        }
        throw error
    }

    private func scheduleRetry() {
        nextAttempt = clock.now + backoff
        backoff = min(reconnect.maximumDelay, backoff * reconnect.factor)
    }

    private func checkRange(_ op: String, address: Int, count: Int, max: Int) throws(ModbusError) {
        guard (1...max).contains(count) else { throw .invalidArgument(op, "count must be 1...\(max)") }
        guard address >= 0, address + count - 1 <= ModbusLimits.maxAddress else {
            throw .invalidArgument(op, "addresses beyond 0...65535")
        }
    }
}

/// How a client backs off between failed reconnect attempts: the first attempt after a failure is
/// immediate, then `initialDelay`, growing by `factor` up to `maximumDelay`.
public struct ReconnectPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var factor: Int

    public init(initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(5), factor: Int = 2) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.factor = max(1, factor)
    }
}
