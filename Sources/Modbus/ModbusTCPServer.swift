import CModbus
import Foundation
import Synchronization

/// A Modbus TCP server (slave) that serves a register bank from a background thread.
///
/// The bank is guarded by a lock; `withRegisters` reads or writes it from any thread. One client
/// connection is served at a time. `stop()` ends the thread and closes every socket.
public final class ModbusTCPServer: @unchecked Sendable {
    /// Sizes of the four register tables, each starting at address 0.
    public struct Layout: Sendable, Equatable {
        public var coils: Int
        public var discreteInputs: Int
        public var holdingRegisters: Int
        public var inputRegisters: Int
        public init(coils: Int = 0, discreteInputs: Int = 0, holdingRegisters: Int = 0, inputRegisters: Int = 0) {
            self.coils = coils
            self.discreteInputs = discreteInputs
            self.holdingRegisters = holdingRegisters
            self.inputRegisters = inputRegisters
        }
    }

    /// The TCP port the server is bound to (useful when created with port 0).
    public let port: Int
    /// The address the server listens on.
    public let host: String

    private let context: OpaquePointer
    private let listenSocket: Int32
    private let bank: Mutex<RegisterBank>
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)

    /// Binds and listens on `host:port` (port 0 = any free port); call `start()` to serve.
    public init(host: String = "127.0.0.1", port: Int = 0, layout: Layout) throws(ModbusError) {
        guard (0...65535).contains(port) else { throw .invalidArgument("new tcp server", "port \(port) is outside 0...65535") }
        guard let ctx = modbus_new_tcp(host, Int32(port)) else { throw .last("new tcp server \(host):\(port)") }
        guard let mapping = modbus_mapping_new(
            Int32(layout.coils), Int32(layout.discreteInputs), Int32(layout.holdingRegisters), Int32(layout.inputRegisters))
        else {
            let error = ModbusError.last("allocate register mapping")
            modbus_free(ctx)
            throw error
        }
        let fd = modbus_tcp_listen(ctx, 1)
        guard fd >= 0 else {
            let error = ModbusError.last("listen on \(host):\(port)")
            modbus_mapping_free(mapping)
            modbus_free(ctx)
            throw error
        }
        // Replies to requests that arrive in pieces must not wait forever.
        modbus_set_indication_timeout(ctx, 1, 0)
        context = ctx
        listenSocket = fd
        self.host = host
        self.port = Int(cmodbus_socket_port(fd))
        bank = Mutex(RegisterBank(mapping: mapping))
    }

    deinit {
        stop()
        cmodbus_close_socket(listenSocket)
        modbus_close(context)
        modbus_free(context)
        bank.withLock { modbus_mapping_free($0.mapping) }
    }

    /// Starts serving on a background thread (idempotent).
    public func start() {
        guard !started.exchange(true, ordering: .sequentiallyConsistent) else { return }
        let thread = Thread { [self] in
            serve()
            finished.signal()
        }
        thread.name = "modbus-tcp-server:\(port)"
        thread.start()
    }

    /// Stops serving and waits for the server thread to end (idempotent).
    public func stop() {
        guard started.load(ordering: .sequentiallyConsistent),
            !stopRequested.exchange(true, ordering: .sequentiallyConsistent)
        else { return }
        finished.wait()
    }

    /// Runs `body` with exclusive access to the register tables.
    public func withRegisters<R>(_ body: (inout RegisterTables) -> R) -> R {
        bank.withLock { b in
            var tables = RegisterTables(mapping: b.mapping)
            return body(&tables)
        }
    }

    private var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }

    private func serve() {
        while !shouldStop {
            guard cmodbus_wait_readable(listenSocket, 100) > 0 else { continue }
            var fd = listenSocket
            let client = modbus_tcp_accept(context, &fd)
            guard client >= 0 else { continue }
            serveConnection(client)
            // Forget the socket before closing it, so no later modbus_close closes the same fd
            // number again after another thread has reused it.
            modbus_set_socket(context, -1)
            cmodbus_close_socket(client)
        }
    }

    private func serveConnection(_ client: Int32) {
        var query = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        while !shouldStop {
            let ready = cmodbus_wait_readable(client, 100)
            if ready == 0 { continue }
            if ready < 0 { return }
            let length = query.withUnsafeMutableBufferPointer { modbus_receive(context, $0.baseAddress) }
            if length == 0 { continue }  // a request for another unit: ignored
            if length < 0 { return }  // connection closed or garbage: drop the connection
            query.withUnsafeBufferPointer { q in
                bank.withLock { b in _ = modbus_reply(context, q.baseAddress, length, b.mapping) }
            }
        }
    }
}

/// The libmodbus mapping; only touched under the server's lock.
struct RegisterBank: @unchecked Sendable {
    let mapping: UnsafeMutablePointer<modbus_mapping_t>
}

/// Views of the four register tables of a server, valid inside `withRegisters` only: do not keep
/// the buffers beyond the closure.
public struct RegisterTables {
    fileprivate let mapping: UnsafeMutablePointer<modbus_mapping_t>

    fileprivate init(mapping: UnsafeMutablePointer<modbus_mapping_t>) { self.mapping = mapping }

    /// Holding registers (function 3 reads, 6/16 write).
    public var holdingRegisters: UnsafeMutableBufferPointer<UInt16> {
        UnsafeMutableBufferPointer(start: mapping.pointee.tab_registers, count: Int(mapping.pointee.nb_registers))
    }
    /// Input registers (function 4 reads).
    public var inputRegisters: UnsafeMutableBufferPointer<UInt16> {
        UnsafeMutableBufferPointer(start: mapping.pointee.tab_input_registers, count: Int(mapping.pointee.nb_input_registers))
    }
    /// Coils, one byte per bit (0 or 1).
    public var coils: UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: mapping.pointee.tab_bits, count: Int(mapping.pointee.nb_bits))
    }
    /// Discrete inputs, one byte per bit (0 or 1).
    public var discreteInputs: UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: mapping.pointee.tab_input_bits, count: Int(mapping.pointee.nb_input_bits))
    }
}
