import Foundation
import Modbus
import Testing

/// A serial line that hangs up (the other end of a pty gone, an adapter unplugged) is not a
/// stream of garbled frames: the RTU server waits instead of spinning on the hang-up.
@Suite("RTU server on a line that hangs up")
struct RTUHangupTests {
    @Test func aHungUpLineIsNotReadAsGarbledFrames() throws {
        var master: Int32 = -1, slave: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        try #require(openpty(&master, &slave, &name, nil, nil) == 0)
        let device = String(cString: name)
        let server = try ModbusServer(
            endpoint: .rtu(.init(device: device)), layout: .init(holdingRegisters: 8, inputRegisters: 8), service: RegisterBankService())
        close(slave)   // the server has its own descriptor
        server.start()
        defer { server.stop() }
        usleep(200_000)
        close(master)   // the other end goes: the server's line hangs up
        let start = ProcessInfo.processInfo.systemUptime
        let cpu = clock()
        usleep(500_000)
        let cpuSeconds = Double(clock() - cpu) / Double(CLOCKS_PER_SEC)
        #expect(server.connectionsDropped < 20, "\(server.connectionsDropped) garbled frames counted in 0.5 s of a hung-up line")
        #expect(cpuSeconds < 0.25 * (ProcessInfo.processInfo.systemUptime - start), "the server spun: \(cpuSeconds) s of CPU")
    }
}
