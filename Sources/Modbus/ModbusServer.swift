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
/// TCP: every client is served independently by one event loop (poll) over non-blocking
/// sockets. Each connection assembles its own frames (`MBAPAssembler`), so a client that sends a
/// frame a byte at a time, or floods garbage, holds nobody but itself. A connection is closed
/// when it sends something that is not Modbus (a protocol identifier other than 0, an MBAP
/// length that disagrees with the frame or with its function code), when a frame it began is
/// not complete within `limits.frameTimeout`, when it has sent no complete frame for
/// `limits.idleTimeout`, or when it does not read its replies. At most `limits.maxConnections`
/// at once; a newcomer to a full server takes the place of the connection idle longest if that
/// one has been idle a second or more, and is refused otherwise. RTU: requests for other unit
/// IDs are ignored, and so are requests with a function code of 128 or more; a garbled frame is
/// dropped and the line flushed. The tables and the service are guarded by one lock (libmodbus'
/// mapping is not); `withService` reaches them from any thread. `stop()` ends the thread and closes every socket.
public final class ModbusServer<Service: ModbusService>: @unchecked Sendable {
    /// The endpoint actually served (a TCP port 0 is replaced by the port bound).
    public let endpoint: ModbusEndpoint
    /// The TCP port bound (0 for RTU).
    public var port: Int {
        if case .tcp(_, let p) = endpoint { return p }
        return 0
    }
    public typealias Limits = ModbusServerLimits
    public let limits: Limits
    public var maxConnections: Int { limits.maxConnections }
    /// The clock the service's `tick` and `answered` see.
    public let clock: any HostClock

    private let context: OpaquePointer
    private let listenSocket: Int32
    let state: Mutex<State>
    private let stopRequested = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Requests answered (with data or an exception); connections dropped for garbage (or for
    /// not reading their replies), closed for a frame left unfinished or for idling, refused.
    private let answeredCount = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)
    private let timedOutCount = Atomic<Int>(0)
    private let refusedCount = Atomic<Int>(0)
    /// Writes received since the last `drainWrites` (only while `recordsWrites`).
    private let writes = Mutex<[ModbusWriteRecord]>([])
    private let recording = Atomic<Bool>(false)

    struct State: @unchecked Sendable {
        let mapping: UnsafeMutablePointer<modbus_mapping_t>
        var service: Service
    }

    /// Binds `endpoint` (TCP: listens; RTU: opens the serial device); call `start()` to serve.
    public init(
        endpoint: ModbusEndpoint, unitID: UInt8 = 1, layout: RegisterLayout, service: Service, limits: Limits = Limits(),
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
            let fd = modbus_tcp_listen(ctx, Int32(limits.maxConnections))
            guard fd >= 0 else {
                let error = ModbusError.last("listen on \(endpoint)")
                modbus_mapping_free(mapping)
                modbus_free(ctx)
                throw error
            }
            cmodbus_set_nonblocking(fd)
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
        // RTU (one line, one master): a request that arrives in pieces must not hold the line
        // for long: 50 ms between bytes is ample down to 9600 baud. TCP assembles its own frames.
        modbus_set_indication_timeout(ctx, 1, 0)
        modbus_set_byte_timeout(ctx, 0, 50_000)
        // libmodbus sleeps this long before an exception it answers itself; the server answers
        // those itself (ModbusRequest.protocolException), and this keeps any it misses short.
        modbus_set_response_timeout(ctx, 0, 1000)
        context = ctx
        self.endpoint = bound
        self.limits = limits
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

    /// Whether every write (accepted or refused) is recorded for `drainWrites` (off by default:
    /// a server nobody drains keeps nothing).
    public var recordsWrites: Bool {
        get { recording.load(ordering: .relaxed) }
        set { recording.store(newValue, ordering: .relaxed) }
    }

    /// The writes recorded since the last call, oldest first.
    public func drainWrites() -> [ModbusWriteRecord] {
        writes.withLock { w in
            defer { w.removeAll(keepingCapacity: true) }
            return w
        }
    }

    /// Requests answered so far (with data or an exception).
    public var requestsAnswered: Int { answeredCount.load(ordering: .relaxed) }
    /// TCP connections dropped because they sent something that is not Modbus or did not read
    /// their replies (RTU: garbled frames dropped).
    public var connectionsDropped: Int { droppedCount.load(ordering: .relaxed) }
    /// TCP connections closed for a frame left unfinished or for idling.
    public var connectionsTimedOut: Int { timedOutCount.load(ordering: .relaxed) }
    /// TCP connections refused because the server was full.
    public var connectionsRefused: Int { refusedCount.load(ordering: .relaxed) }

    private var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }

    /// One TCP client: its socket, address, the frame it is sending, and when it was last heard.
    struct Connection {
        let fd: Int32
        let peer: String
        var frames = MBAPAssembler()
        /// When it connected or last completed a frame.
        var lastFrame: ContinuousClock.Instant
        /// When the first byte of its unfinished frame came (nil between frames).
        var frameStarted: ContinuousClock.Instant?
    }

    private func serve() {
        var query = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        var clients: [Connection] = []
        var fds: [pollfd] = []
        var nextTick = clock.now
        let rtuSocket = listenSocket < 0 ? modbus_get_socket(context) : -1
        var received = [UInt8](repeating: 0, count: 1024)
        while !shouldStop {
            let now = clock.now
            if now >= nextTick {
                let wanted = state.withLock { s in s.service.tick(now: now, tables: RegisterTables(mapping: s.mapping)) }
                nextTick = min(wanted ?? now + .milliseconds(100), now + .milliseconds(100))
            }
            // Connections that left a frame unfinished too long, or idled too long.
            clients.removeAll { c in
                let stalled = c.frameStarted.map { now - $0 > limits.frameTimeout } ?? false
                guard stalled || now - c.lastFrame > limits.idleTimeout else { return false }
                timedOutCount.add(1, ordering: .relaxed)
                close(c)
                return true
            }
            fds.removeAll(keepingCapacity: true)
            if listenSocket >= 0 {
                fds.append(pollfd(fd: listenSocket, events: Int16(POLLIN), revents: 0))
                for c in clients { fds.append(pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0)) }
            } else {
                fds.append(pollfd(fd: rtuSocket, events: Int16(POLLIN), revents: 0))
            }
            // At most 100 ms (a manual clock moves without waking the poll), less when a frame's
            // deadline comes sooner.
            var deadline = nextTick
            for c in clients { if let started = c.frameStarted { deadline = min(deadline, started + limits.frameTimeout) } }
            let wait = min(.milliseconds(100), max(Duration.zero, deadline - clock.now))
            let waitMs = Int32(clamping: wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)
            let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), waitMs) }
            guard ready > 0 else { continue }
            if listenSocket < 0 {
                let events = Int32(fds[0].revents)
                if events & Int32(POLLHUP | POLLERR | POLLNVAL) != 0 {
                    // The line hung up (the other end of a pty gone, an adapter unplugged): poll
                    // reports it at once every time, and reading it is no frame. Wait for the
                    // next tick instead of spinning; requests resume if the line comes back.
                    usleep(UInt32(clamping: max(10, Int(waitMs)) * 1000))
                } else if events != 0 {
                    handleRTU(&query)
                }
                continue
            }
            // Clients first (fds[1...] are clients[0...] in order), then the newcomer.
            var closed: [Int32] = []
            for k in clients.indices where fds[k + 1].revents != 0 {
                if !receive(&clients[k], &received, &query) {
                    closed.append(clients[k].fd)
                    close(clients[k])
                }
            }
            if !closed.isEmpty { clients.removeAll { closed.contains($0.fd) } }
            if fds[0].revents != 0 { accept(&clients) }
        }
        for c in clients { close(c) }
        modbus_set_socket(context, -1)
    }

    /// Closes a client's socket and tells the service.
    private func close(_ c: Connection) {
        cmodbus_close_socket(c.fd)
        let now = clock.now
        state.withLock { $0.service.disconnected(peer: c.peer, now: now) }
    }

    /// Accepts a newcomer; a full server makes room by closing the connection idle longest (if
    /// idle a second or more) or refuses it.
    private func accept(_ clients: inout [Connection]) {
        var fd = listenSocket
        let client = modbus_tcp_accept(context, &fd)
        guard client >= 0 else { return }
        let now = clock.now
        if clients.count >= limits.maxConnections {
            if let k = clients.indices.filter({ clients[$0].frameStarted == nil }).min(by: { clients[$0].lastFrame < clients[$1].lastFrame }),
                now - clients[k].lastFrame >= .seconds(1)
            {
                timedOutCount.add(1, ordering: .relaxed)
                close(clients[k])
                clients.remove(at: k)
            } else {
                refusedCount.add(1, ordering: .relaxed)
                cmodbus_close_socket(client)
                return
            }
        }
        cmodbus_prepare_client(client)
        var address = [CChar](repeating: 0, count: 64)
        cmodbus_peer_name(client, &address, Int32(address.count))
        let peer = address.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        clients.append(Connection(fd: client, peer: peer, lastFrame: now))
    }

    /// Reads what `client` has sent (without waiting) and answers each complete frame; false
    /// when the connection should be closed (closed by the peer, not Modbus, replies not read).
    private func receive(_ client: inout Connection, _ buffer: inout [UInt8], _ query: inout [UInt8]) -> Bool {
        let n = buffer.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n == 0 { return false }  // closed by the peer
        if n < 0 {
            let e = cmodbus_errno()
            if e == EAGAIN || e == EWOULDBLOCK || e == EINTR { return true }
            if e != ECONNRESET { droppedCount.add(1, ordering: .relaxed) }
            return false
        }
        return buffer.withUnsafeBufferPointer { consume(UnsafeBufferPointer(rebasing: $0[..<n]), &client, &query) }
    }

    /// Assembles what `client` sent and answers each complete frame on its socket; false when
    /// the connection should be closed (not Modbus, replies not read).
    func consume(_ bytes: UnsafeBufferPointer<UInt8>, _ client: inout Connection, _ query: inout [UInt8]) -> Bool {
        var keep = true
        var completed = 0
        let fd = client.fd, peer = client.peer
        do {
            try client.frames.feed(bytes) { frame in
                guard keep else { return }
                completed += 1
                // libmodbus answers from a full-size buffer (it never reads past it).
                for i in query.indices { query[i] = i < frame.count ? frame[i] : 0 }
                modbus_set_socket(context, fd)
                keep = answer(query, length: frame.count, peer: peer)
            }
        } catch {
            droppedCount.add(1, ordering: .relaxed)
            return false
        }
        if !keep {
            droppedCount.add(1, ordering: .relaxed)  // it does not read its replies
            return false
        }
        // Idle counts from the last complete frame; an unfinished one has its own deadline, from
        // its first byte.
        let now = clock.now
        if completed > 0 {
            client.lastFrame = now
            client.frameStarted = client.frames.hasPartialFrame ? now : nil
        } else if client.frames.hasPartialFrame && client.frameStarted == nil {
            client.frameStarted = now
        }
        return true
    }

    private func handleRTU(_ query: inout [UInt8]) {
        let length = query.withUnsafeMutableBufferPointer { modbus_receive(context, $0.baseAddress) }
        if length < 0 {
            droppedCount.add(1, ordering: .relaxed)
            modbus_flush(context)  // a garbled frame: forget it, keep listening
            return
        }
        if length > 0 { _ = answer(query, length: Int(length), peer: nil) }
    }

    private func answer(_ query: [UInt8], length: Int, peer: String?) -> Bool {
        let header = Int(modbus_get_header_length(context))
        let record = recordsWrites
        let sent: Int32 = query.withUnsafeBufferPointer { q in
            let request = ModbusRequest(adu: UnsafeBufferPointer(rebasing: q[..<length]), headerLength: header, peer: peer)
            // A function code of 128 or more is an exception response's, not a request: no reply
            // could be well-formed (RTU: ignored like a garbled frame; TCP frames never get here).
            guard request.function < 0x80 else { return -1 }
            return state.withLock { s in
                let tables = RegisterTables(mapping: s.mapping)
                // Stamped when it arrived, before the reply: once the reply is out, the client may
                // already act on it (a test moves its manual clock), and a stamp taken after the
                // send could be later than the write.
                let arrived = clock.now
                let before = record && request.isWrite ? registers(request, tables) : []
                func refuse(_ e: ModbusException, by who: String) -> Int32 {
                    if record && request.isWrite { log(request, arrived, before, before, refused: e, by: who) }
                    return modbus_reply_exception(context, q.baseAddress, UInt32(e.rawValue))
                }
                if request.isWrite, let writers = limits.writers, let peer, !writers.contains(Limits.host(of: peer)) {
                    return refuse(.illegalFunction, by: "writers")
                }
                // The protocol's own exceptions first, answered here (libmodbus would sleep its
                // response timeout before each one, holding every client).
                if let e = request.protocolException(in: tables) { return refuse(e, by: "protocol") }
                if let refused = s.service.admit(request, tables: tables) { return refuse(refused, by: "service") }
                // Recorded before the reply goes out (the client may look at once), with the
                // values as the write leaves them.
                if record && request.isWrite && request.fits(in: tables) {
                    let after = before.indices.map { request.registerValue($0, current: before[$0]) }
                    log(request, arrived, before, after, refused: nil, by: nil)
                }
                let rc = modbus_reply(context, q.baseAddress, Int32(length), s.mapping)
                if request.fits(in: tables) { s.service.answered(request, tables: tables, now: arrived) }
                return rc
            }
        }
        answeredCount.add(1, ordering: .relaxed)
        return sent >= 0 || listenSocket < 0
    }

    /// The holding registers a write covers, as they stand (empty for other tables or out of range).
    private func registers(_ request: ModbusRequest, _ tables: RegisterTables) -> [UInt16] {
        guard request.table == .holdingRegisters, request.fits(in: tables) else { return [] }
        let start = request.address - tables.holdingStart
        return (start..<start + request.count).map { tables.holdingRegisters[$0] }
    }

    private func log(_ r: ModbusRequest, _ t: ContinuousClock.Instant, _ old: [UInt16], _ new: [UInt16], refused: ModbusException?, by: String?) {
        let entry = ModbusWriteRecord(
            time: t, peer: r.peer ?? "rtu", function: r.function, address: r.address, old: old, new: new, refused: refused, refusedBy: by)
        writes.withLock { $0.append(entry) }
    }

}
