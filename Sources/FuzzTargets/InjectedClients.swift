@_spi(Fuzzing) import Modbus

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Feeds a byte stream to a server that was not started, as TCP clients would send it: in
/// chunks of varying size (a frame split anywhere, several frames in one read), alternating
/// between the peers given, each with its own socket pair for the replies. A client the server
/// drops comes back as a new connection from the same address. Every reply is checked to be one
/// well-formed Modbus/TCP response.
struct InjectedClients<Service: ModbusService> {
    let server: ModbusServer<Service>
    /// The clients' addresses ("ip"; each connection gets its own port).
    let hosts: [String]

    private struct Client {
        var injected: ModbusServer<Service>.InjectedClient
        var peer: String
        let serverEnd: Int32
        let clientEnd: Int32
        var replies: [UInt8] = []
    }

    /// Sends `stream` in chunks drawn from `seed`; after each chunk calls `check(peer, closed)`
    /// (`closed`: the server dropped that connection) and stops at the first problem it returns.
    func run(_ stream: UnsafeRawBufferPointer, seed: UInt8, check: (String, Bool) -> String?) -> String? {
        var port = 40_000
        func connect(_ host: String) -> Client? {
            var pair: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { return nil }
            for fd in pair { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            port += 1
            let peer = "\(host):\(port)"
            return Client(injected: server.injectClient(peer: peer, replyingOn: pair[0]), peer: peer, serverEnd: pair[0], clientEnd: pair[1])
        }
        var clients: [Client] = []
        for h in hosts {
            guard let c = connect(h) else { return "socketpair failed" }
            clients.append(c)
        }
        defer {
            for var c in clients {
                server.disconnect(&c.injected)
                close(c.serverEnd)
                close(c.clientEnd)
            }
        }
        var state = UInt32(seed) &* 2_654_435_761 &+ 1
        var at = 0
        while at < stream.count {
            state = state &* 1_664_525 &+ 1_013_904_223
            let length = min(stream.count - at, 1 + Int(state >> 8) % 300)
            let k = clients.count > 1 ? Int(state >> 28) % clients.count : 0
            let chunk = UnsafeRawBufferPointer(rebasing: stream[at..<at + length]).bindMemory(to: UInt8.self)
            at += length
            let open = server.inject(chunk, into: &clients[k].injected)
            if let problem = Self.readReplies(&clients[k]) { return "\(clients[k].peer): \(problem)" }
            if !open { server.disconnect(&clients[k].injected) }
            if let problem = check(clients[k].peer, !open) { return problem }
            if !open {
                close(clients[k].serverEnd)
                close(clients[k].clientEnd)
                guard let c = connect(ModbusServerLimits.host(of: clients[k].peer)) else { return "socketpair failed" }
                clients[k] = c
            }
        }
        return nil
    }

    /// Reads what the server sent the client and checks each complete reply.
    private static func readReplies(_ c: inout Client) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(c.clientEnd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard n > 0 else { break }
            c.replies += buffer[..<n]
        }
        while c.replies.count >= 6 {
            let protocolID = Int(c.replies[2]) << 8 | Int(c.replies[3])
            let length = Int(c.replies[4]) << 8 | Int(c.replies[5])
            guard protocolID == 0 else { return "reply with protocol identifier \(protocolID)" }
            guard (3...254).contains(length) else { return "reply with MBAP length \(length)" }
            guard c.replies.count >= 6 + length else { break }
            if let problem = checkReply(Array(c.replies[7..<6 + length])) { return problem }
            c.replies.removeFirst(6 + length)
        }
        return nil
    }

    /// One reply's PDU: an exception the services give (1, 2, 3, 4, 6) or a response whose
    /// length agrees with its function code.
    static func checkReply(_ pdu: [UInt8]) -> String? {
        let function = pdu[0]
        if function & 0x80 != 0 {
            guard pdu.count == 2, [1, 2, 3, 4, 6].contains(pdu[1]) else { return "malformed exception reply \(pdu)" }
            return nil
        }
        let ok: Bool =
            switch function {
            case 1, 2, 3, 4, 0x17: pdu.count >= 2 && pdu.count == 2 + Int(pdu[1]) && (function <= 2 || pdu[1] % 2 == 0)
            case 5, 6, 0x0F, 0x10: pdu.count == 5
            case 0x16: pdu.count == 7
            case 0x11: pdu.count >= 2 && pdu.count == 2 + Int(pdu[1])
            default: false
            }
        return ok ? nil : "malformed reply to function \(function): \(pdu.count) bytes"
    }
}
