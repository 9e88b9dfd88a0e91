import CModbus
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Modbus server (slave), TCP or RTU, that serves register tables through a `ModbusService`
/// from its own thread.
///
/// TCP: up to `maxConnections` clients at once (a field bus master and a monitoring tool, say);
/// a client that sends something that is not Modbus (an MBAP header with a protocol identifier
/// other than 0 or a length that disagrees with the frame, a frame cut short) is disconnected,
/// the others are not disturbed. RTU: requests for
/// other unit IDs are ignored; a garbled frame is dropped and the line flushed. The tables and
/// the service are guarded by one lock (libmodbus' mapping is not); `withService` reaches them from
/// any thread. `stop()` ends the thread and closes every socket.
public final class ModbusServer<Service: ModbusService>: @unchecked Sendable {
    /// The endpoint actually served (a TCP port 0 is replaced by the port bound).
    public let endpoint: ModbusEndpoint
    /// The TCP port bound (0 for RTU).
    public var port: Int {
        if case .tcp(_, let p) = endpoint { return p }
        return 0
    }
    public let maxConnections: Int
    /// The clock the service's `tick` and `answered` see.
    public let clock: any HostClock

    private let context: OpaquePointer
    private let listenSocket: Int32
    private let state: Mutex<State>
    private let stopRequested = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Requests answered (with data or an exception) and connections dropped for garbage.
    private let answeredCount = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)

    struct State: @unchecked Sendable {
        let mapping: UnsafeMutablePointer<modbus_mapping_t>
        var service: Service
    }

    /// Binds `endpoint` (TCP: listens; RTU: opens the serial device); call `start()` to serve.
    public init(
        endpoint: ModbusEndpoint, unitID: UInt8 = 1, layout: RegisterLayout, service: Service, maxConnections: Int = 8,
        clock: any HostClock = SystemClock()
    ) throws(ModbusError) {
        self.clock = clock
        let ctx = try Context.make(endpoint, role: "server")
        guard let mapping = modbus_mapping_new_start_address(
            0, UInt32(layout.coils), 0, UInt32(layout.discreteInputs), UInt32(layout.holdingStart),
            UInt32(layout.holdingRegisters), 0, UInt32(layout.inputRegisters))
        else {
            let error = ModbusError.last("allocate register mapping")
            modbus_free(ctx)
            throw error
        }
        var bound = endpoint
        switch endpoint {
        case .tcp(let host, _):
            let fd = modbus_tcp_listen(ctx, Int32(maxConnections))
            guard fd >= 0 else {
                let error = ModbusError.last("listen on \(endpoint)")
                modbus_mapping_free(mapping)
                modbus_free(ctx)
                throw error
            }
            listenSocket = fd
            bound = .tcp(host: host, port: Int(cmodbus_socket_port(fd)))
        case .rtu:
            modbus_set_slave(ctx, Int32(unitID))
            guard modbus_connect(ctx) == 0 else {
                let error = ModbusError.last("open \(endpoint)")
                modbus_mapping_free(mapping)
                modbus_free(ctx)
                throw error
            }
            listenSocket = -1
        }
        // A request that arrives in pieces must not hold the server (and its other clients) for
        // long: 50 ms between bytes is ample for TCP and for RTU down to 9600 baud.
        modbus_set_indication_timeout(ctx, 1, 0)
        modbus_set_byte_timeout(ctx, 0, 50_000)
        context = ctx
        self.endpoint = bound
        self.maxConnections = max(1, maxConnections)
        state = Mutex(State(mapping: mapping, service: service))
    }

    deinit {
        stop()
        modbus_free(context)
        state.withLock { modbus_mapping_free($0.mapping) }
    }

    /// Starts serving on a background thread (idempotent).
    public func start() {
        guard !stopRequested.load(ordering: .sequentiallyConsistent), !started.exchange(true, ordering: .sequentiallyConsistent) else { return }
        let thread = Thread { [self] in
            serve()
            finished.signal()
        }
        thread.name = "modbus-server \(endpoint)"
        thread.start()
    }

    /// Stops serving, waits for the server thread to end and closes the listening socket or the
    /// serial line, so the port is free again (idempotent; a stopped server does not restart).
    public func stop() {
        let wasRunning = started.load(ordering: .sequentiallyConsistent)
        guard !stopRequested.exchange(true, ordering: .sequentiallyConsistent) else { return }
        if wasRunning { finished.wait() }
        if listenSocket >= 0 { cmodbus_close_socket(listenSocket) }
        if case .rtu = endpoint { modbus_close(context) }
    }

    /// Runs `body` with exclusive access to the service and the register tables.
    public func withService<R>(_ body: (inout Service, RegisterTables) -> R) -> R {
        state.withLock { s in body(&s.service, RegisterTables(mapping: s.mapping)) }
    }

    /// Runs the service's `tick` now, on this thread (a test that has moved a manual clock calls
    /// it instead of waiting for the server thread's next turn).
    public func tickNow() {
        let now = clock.now
        state.withLock { s in _ = s.service.tick(now: now, tables: RegisterTables(mapping: s.mapping)) }
    }

    /// Runs `body` with exclusive access to the register tables.
    public func withRegisters<R>(_ body: (RegisterTables) -> R) -> R {
        state.withLock { s in body(RegisterTables(mapping: s.mapping)) }
    }

    /// Requests answered so far (with data or an exception).
    public var requestsAnswered: Int { answeredCount.load(ordering: .relaxed) }
    /// TCP connections dropped because they sent something that is not Modbus.
    public var connectionsDropped: Int { droppedCount.load(ordering: .relaxed) }

    private var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }

    private func serve() {
        var query = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        var clients: [Int32] = []
        var fds: [pollfd] = []
        var nextTick = clock.now
        let rtuSocket = listenSocket < 0 ? modbus_get_socket(context) : -1
        while !shouldStop {
            let now = clock.now
            if now >= nextTick {
                let wanted = state.withLock { s in s.service.tick(now: now, tables: RegisterTables(mapping: s.mapping)) }
                nextTick = min(wanted ?? now + .milliseconds(100), now + .milliseconds(100))
            }
            fds.removeAll(keepingCapacity: true)
            if listenSocket >= 0 {
                fds.append(pollfd(fd: listenSocket, events: Int16(POLLIN), revents: 0))
                for c in clients { fds.append(pollfd(fd: c, events: Int16(POLLIN), revents: 0)) }
            } else {
                fds.append(pollfd(fd: rtuSocket, events: Int16(POLLIN), revents: 0))
            }
            // At most 100 ms: a manual clock moves without waking the poll.
            let wait = min(.milliseconds(100), max(Duration.zero, nextTick - clock.now))
            let waitMs = Int32(clamping: wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)
            let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), waitMs) }
            guard ready > 0 else { continue }
            if listenSocket < 0 {
                if fds[0].revents != 0 { handleRTU(&query) }
                continue
            }
            for i in fds.indices.reversed() where fds[i].revents != 0 {
                if i == 0 {
                    var fd = listenSocket
                    let client = modbus_tcp_accept(context, &fd)
                    guard client >= 0 else { continue }
                    if clients.count >= maxConnections {
                        cmodbus_close_socket(client)  // full: the newcomer is refused
                    } else {
                        clients.append(client)
                    }
                    continue
                }
                let client = fds[i].fd
                if !handleTCP(client, &query) {
                    clients.removeAll { $0 == client }
                    cmodbus_close_socket(client)
                }
            }
        }
        for c in clients { cmodbus_close_socket(c) }
        modbus_set_socket(context, -1)
    }

    /// Serves one request from `client`; false when the connection should be dropped.
    private func handleTCP(_ client: Int32, _ query: inout [UInt8]) -> Bool {
        modbus_set_socket(context, client)
        let length = query.withUnsafeMutableBufferPointer { modbus_receive(context, $0.baseAddress) }
        if length == 0 { return true }  // a request for another unit: ignored
        if length < 0 {
            // Closed by the peer, or not Modbus: drop this connection only.
            if cmodbus_errno() != ECONNRESET { droppedCount.add(1, ordering: .relaxed) }
            return false
        }
        // libmodbus reads by function code and trusts the MBAP header: a protocol identifier
        // other than 0 or a length field that disagrees with the frame is not Modbus; drop it.
        let protocolID = Int(query[2]) << 8 | Int(query[3])
        let declared = Int(query[4]) << 8 | Int(query[5])
        guard protocolID == 0, declared == Int(length) - 6 else {
            droppedCount.add(1, ordering: .relaxed)
            return false
        }
        return answer(query, length: Int(length))
    }

    private func handleRTU(_ query: inout [UInt8]) {
        let length = query.withUnsafeMutableBufferPointer { modbus_receive(context, $0.baseAddress) }
        if length < 0 {
            droppedCount.add(1, ordering: .relaxed)
            modbus_flush(context)  // a garbled frame: forget it, keep listening
            return
        }
        if length > 0 { _ = answer(query, length: Int(length)) }
    }

    private func answer(_ query: [UInt8], length: Int) -> Bool {
        let header = Int(modbus_get_header_length(context))
        let sent: Int32 = query.withUnsafeBufferPointer { q in
            let request = ModbusRequest(adu: UnsafeBufferPointer(rebasing: q[..<length]), headerLength: header)
            return state.withLock { s in
                let tables = RegisterTables(mapping: s.mapping)
                if let refused = s.service.admit(request, tables: tables) {
                    return modbus_reply_exception(context, q.baseAddress, UInt32(refused.rawValue))
                }
                // Stamped when it arrived, before the reply: once the reply is out, the client may
                // already act on it (a test moves its manual clock), and a stamp taken after the
                // send could be later than the write.
                let arrived = clock.now
                let rc = modbus_reply(context, q.baseAddress, Int32(length), s.mapping)
                if request.fits(in: tables) { s.service.answered(request, tables: tables, now: arrived) }
                return rc
            }
        }
        answeredCount.add(1, ordering: .relaxed)
        return sent >= 0 || listenSocket < 0
    }
}
