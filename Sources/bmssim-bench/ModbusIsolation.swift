import Foundation
import Modbus

#if canImport(Glibc)
import Glibc
#endif

/// `bmssim-bench modbus`: the TCP server's isolation (issue 16). A client's round trip on
/// loopback is timed alone, then again while one client floods garbage (reconnecting each time
/// it is dropped) and another keeps half a frame open (reopening it when closed); the p99 may
/// rise by at most 1 ms. Then 100 clients read at once and must all be answered.
enum ModbusIsolationBench {
    typealias Server = ModbusServer<RegisterBankService>

    /// A TCP socket to 127.0.0.1:`port` (-1 when it cannot connect).
    static func connectRaw(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = in_port_t(UInt16(port).bigEndian)
        a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        if rc != 0 {
            close(fd)
            return -1
        }
        return fd
    }

    /// Round trips of `count` single-register reads, microseconds, sorted.
    static func roundTrips(_ client: ModbusClient, count: Int) -> [Double] {
        var times: [Double] = []
        times.reserveCapacity(count)
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try? client.readInputRegisters(address: 0, count: 1)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
        }
        return times.sorted()
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

    static func run() {
        let server: Server
        do {
            server = try Server(endpoint: .tcp(host: "127.0.0.1", port: 0), layout: .init(inputRegisters: 8), service: RegisterBankService())
        } catch {
            print("cannot start a server: \(error)")
            return
        }
        server.start()
        defer { server.stop() }
        let port = server.port
        guard let client = try? ModbusClient(endpoint: server.endpoint, responseTimeout: .seconds(1)) else { return }
        let samples = 5000
        _ = roundTrips(client, count: 500)  // warm-up
        let alone = roundTrips(client, count: samples)

        // The adversaries, each on its own thread until told to stop.
        let stop = Flag()
        let garbageBytes = Counter()
        let flood = Thread {
            let noise = [UInt8](repeating: 0xA5, count: 4096)
            while !stop.isSet {
                let fd = connectRaw(port)
                guard fd >= 0 else { continue }
                while !stop.isSet {
                    let n = noise.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break }  // dropped: reconnect
                    garbageBytes.add(n)
                }
                close(fd)
            }
        }
        let half = Thread {
            while !stop.isSet {
                let fd = connectRaw(port)
                guard fd >= 0 else { continue }
                let part: [UInt8] = [0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x04]
                _ = part.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                // Held until the server closes it (its frame timeout), then again.
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                while !stop.isSet, poll(&p, 1, 100) == 0 {}
                close(fd)
            }
        }
        flood.start()
        half.start()
        Thread.sleep(forTimeInterval: 0.5)
        let attacked = roundTrips(client, count: samples)
        stop.set()
        Thread.sleep(forTimeInterval: 0.3)

        // 100 clients connected at once (each has read once), then each reads again.
        let clients = (0..<100).compactMap { _ in try? ModbusClient(endpoint: server.endpoint, responseTimeout: .seconds(2)) }
        for c in clients { _ = try? c.readInputRegisters(address: 0, count: 1) }
        let answered = Counter()
        for c in clients where (try? c.readInputRegisters(address: 0, count: 1)) != nil { answered.add() }
        let p99Alone = percentile(alone, 0.99), p99Attacked = percentile(attacked, 0.99)
        print(String(format: "round trip alone:           p50 %7.1f us  p99 %7.1f us  (%d reads)", percentile(alone, 0.5), p99Alone, samples))
        print(String(format: "flood + half frame:         p50 %7.1f us  p99 %7.1f us  (%d reads; %.1f MB of garbage sent)", percentile(attacked, 0.5), p99Attacked, samples, Double(garbageBytes.value) / 1e6))
        print(String(format: "p99 rise: %.3f ms (target <= 1 ms): %@", (p99Attacked - p99Alone) / 1000, p99Attacked - p99Alone <= 1000 ? "met" : "MISSED"))
        print("100 concurrent clients: \(answered.value) answered (target 100); server: \(server.connectionsDropped) dropped, \(server.connectionsTimedOut) timed out, \(server.connectionsRefused) refused")
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add(_ k: Int = 1) { lock.withLock { n += k } }
        var value: Int { lock.withLock { n } }
    }
}
