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
        // Each read of a hung-up line was counted as a garbled frame: the count is the spin's
        // (185,865 in these 0.5 s before the fix). The process's CPU time would say it too, but
        // the other tests share the process.
        usleep(500_000)
        #expect(server.connectionsDropped < 20, "\(server.connectionsDropped) garbled frames counted in 0.5 s of a hung-up line")
    }
}
