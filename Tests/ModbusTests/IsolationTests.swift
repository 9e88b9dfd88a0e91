import Foundation
import Glibc
import Testing

@testable import Modbus

/// Every TCP client is served on its own: a client that drips a frame byte by byte, holds half a
/// frame or idles cannot hold another, idle connections make room, and a hundred clients at once
/// are all answered.
@Suite("Modbus TCP server: clients isolated")
struct IsolationTests {
    @Test func aFrameDrippedByteByByteHoldsNobodyElse() throws {
        let server = try loopbackServer(.init(inputRegisters: 4))
        server.withRegisters { $0.inputRegisters[1] = 7 }
        server.start()
        defer { server.stop() }
        // A client sends a read one byte every 40 ms (inside the old 50 ms byte timeout).
        let drip = try RawTCPSocket(port: server.port)
        let frame: [UInt8] = [0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x04, 0x00, 0x01, 0x00, 0x01]
        let dripping = Thread {
            for b in frame {
                drip.send([b])
                Thread.sleep(forTimeInterval: 0.04)
            }
        }
        dripping.start()
        // Meanwhile another client reads 20 times with a 300 ms response timeout: before, each
        // read waited behind the drip (6 s for the client); now none does.
        let good = try ModbusClient(endpoint: server.endpoint, responseTimeout: .milliseconds(300))
        for _ in 0..<20 {
            #expect(try good.readInputRegisters(address: 1, count: 1) == [7])
            Thread.sleep(forTimeInterval: 0.02)
        }
        // The dripped frame itself completes in 12 x 40 = 480 ms, inside the 1 s frame timeout,
        // and is answered.
        var reply = [UInt8](repeating: 0, count: 64)
        var p = pollfd(fd: drip.fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&p, 1, 2000) > 0, "the dripped request is answered")
        let n = reply.withUnsafeMutableBytes { recv(drip.fd, $0.baseAddress, $0.count, 0) }
        #expect(n == 11 && reply[7] == 0x04 && reply[10] == 7, "\(reply.prefix(max(0, n)))")
    }

    @Test func idleConnectionsAreClosedAndMakeRoomForNewcomers() throws {
        let clock = ManualClock()
        let server = try BankServer(
            endpoint: .tcp(host: "127.0.0.1", port: 0), layout: .init(inputRegisters: 4), service: RegisterBankService(),
            limits: .init(maxConnections: 3, idleTimeout: .seconds(30), frameTimeout: .seconds(1)), clock: clock)
        server.start()
        defer { server.stop() }
        let idle = try (0..<3).map { _ in try RawTCPSocket(port: server.port) }
        Thread.sleep(forTimeInterval: 0.3)  // accepted
        // Full, and nobody has idled a second yet: a newcomer is refused.
        let early = try RawTCPSocket(port: server.port)
        #expect(early.waitClosed(within: .seconds(2)), "refused while every connection is fresh")
        #expect(server.connectionsRefused == 1)
        // Two seconds later a newcomer takes the place of the connection idle longest.
        clock.advance(by: .seconds(2))
        let controller = try ModbusClient(endpoint: server.endpoint, responseTimeout: .milliseconds(500), clock: clock)
        #expect(try controller.readInputRegisters(address: 0, count: 1) == [0], "a restarted controller gets in")
        #expect(idle[0].waitClosed(within: .seconds(2)), "the oldest idle connection made room")
        // Past the idle timeout every silent connection is closed; the one that polls stays.
        for _ in 0..<4 {
            clock.advance(by: .seconds(10))
            #expect(try controller.readInputRegisters(address: 0, count: 1) == [0])
        }
        #expect(idle[1].waitClosed(within: .seconds(2)) && idle[2].waitClosed(within: .seconds(2)), "idle connections closed")
        #expect(try controller.readInputRegisters(address: 0, count: 1) == [0], "the polling client is still served")
        #expect(server.connectionsTimedOut == 3)
    }

    @Test func aHundredClientsAtOnceAreAllAnswered() throws {
        let server = try loopbackServer(.init(inputRegisters: 4))
        server.withRegisters { $0.inputRegisters[0] = 99 }
        server.start()
        defer { server.stop() }
        // All connected at once (each has read once), then each reads again.
        let clients = try (0..<100).map { _ in try ModbusClient(endpoint: server.endpoint, responseTimeout: .seconds(2)) }
        for c in clients { _ = try c.readInputRegisters(address: 0, count: 1) }
        var answered = 0
        for c in clients where try c.readInputRegisters(address: 0, count: 1) == [99] { answered += 1 }
        #expect(answered == 100)
        #expect(server.connectionsRefused == 0)
    }
}

/// Frames assembled from any split of the stream; what is not Modbus is named.
@Suite("MBAP frame assembly")
struct MBAPAssemblerTests {
    static let read: [UInt8] = [0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x02]
    static let write: [UInt8] = [0x00, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x01, 0x10, 0x00, 0x00, 0x00, 0x02, 0x04, 0x00, 0x01, 0x00, 0x02]

    func frames(_ chunks: [[UInt8]]) throws(MBAPAssembler.Problem) -> [[UInt8]] {
        var a = MBAPAssembler()
        var out: [[UInt8]] = []
        for c in chunks { try c.withUnsafeBufferPointer { b throws(MBAPAssembler.Problem) in try a.feed(b) { out.append(Array($0)) } } }
        return out
    }

    @Test func anySplitGivesTheSameFrames() throws {
        let stream = Self.read + Self.write + Self.read
        for size in [1, 2, 5, 7, 12, 13, 100] {
            let chunks = stride(from: 0, to: stream.count, by: size).map { Array(stream[$0..<min(stream.count, $0 + size)]) }
            #expect(try frames(chunks) == [Self.read, Self.write, Self.read], "chunks of \(size)")
        }
        var a = MBAPAssembler()
        try Array(Self.read.prefix(9)).withUnsafeBufferPointer { b throws(MBAPAssembler.Problem) in try a.feed(b) { _ in } }
        #expect(a.hasPartialFrame)
    }

    @Test func whatIsNotModbusIsNamed() {
        #expect(throws: MBAPAssembler.Problem.protocolIdentifier(0xFFFF)) { try frames([[0, 1, 0xFF, 0xFF, 0, 6]]) }
        #expect(throws: MBAPAssembler.Problem.length(1)) { try frames([[0, 1, 0, 0, 0, 1, 1]]) }
        #expect(throws: MBAPAssembler.Problem.length(300)) { try frames([[0, 1, 0, 0, 0x01, 0x2C]]) }
        // Function 3 with a 4-byte PDU; function 16 whose byte count says 4 but carries 2.
        #expect(throws: MBAPAssembler.Problem.pduLength(function: 3, expected: 5, found: 4)) { try frames([[0, 1, 0, 0, 0, 5, 1, 3, 0, 0, 0]]) }
        #expect(throws: MBAPAssembler.Problem.pduLength(function: 0x10, expected: 10, found: 8)) {
            try frames([[0, 1, 0, 0, 0, 9, 1, 0x10, 0, 0, 0, 2, 4, 0, 1]])
        }
        // A function code of 128 or more is an exception response's, never a request's (libmodbus'
        // exception reply, function + 0x80, would wrap to another function code).
        #expect(throws: MBAPAssembler.Problem.function(0xBE)) { try frames([[0, 1, 0, 0, 0, 3, 1, 0xBE, 0]]) }
        #expect(throws: MBAPAssembler.Problem.function(0x80)) { try frames([[0, 1, 0, 0, 0, 2, 1, 0x80]]) }
        // An unknown function passes (libmodbus answers it with exception 1).
        #expect((try? frames([[0, 1, 0, 0, 0, 3, 1, 0x2B, 0x0E]]))?.count == 1)
    }
}
