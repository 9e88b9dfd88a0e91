import BMSCore
import HIL
@_spi(Fuzzing) import Modbus

/// The EMS face's request admission, through the server's frame assembly and answer path: a
/// pack of hostile nameplate and state, one or two clients (allowed writers or a neighbour)
/// sending the rest of the input as their byte stream.
///
/// Invariants after every chunk: no write accepted from outside the writers; every writable
/// point holds a value in its range (or its default) and the SoC reserves stay ordered; every other register as
/// published; with no allowed writer, the map exactly as it started; the requests the
/// controller reads stay within their meaning.
enum SunSpecRequests {
    static let writer = "127.0.0.1"

    static func run(_ input: inout FuzzBytes) -> String? {
        let flags = input.byte()
        var hosts = [flags & 1 == 0 ? writer : "192.0.2.7"]
        if flags & 2 != 0 { hosts.append(flags & 4 == 0 ? writer : "192.0.2.8") }
        let nameplate = SunSpecCodec.nameplate(&input)
        let snapshot = SunSpecCodec.snapshot(&input)
        let seed = input.byte()
        let server: ModbusServer<SunSpecService>
        do { server = try SunSpecCodec.face(nameplate) } catch { return "server: \(error)" }
        defer { server.stop() }
        server.withService { service, tables in service.publish(snapshot, tables: tables) }
        let image0 = server.withRegisters { Array($0.holdingRegisters) }
        var writable = [Bool](repeating: false, count: image0.count)
        for w in SunSpecMap.writable { writable[SunSpecMap.battery + w.offset - SunSpecMap.base] = true }
        server.recordsWrites = true
        let anyWriter = hosts.contains(writer)
        return InjectedClients(server: server, hosts: hosts).run(input.rest(), seed: seed) { _, _ in
            for w in server.drainWrites() where w.refused == nil {
                if ModbusServerLimits.host(of: w.peer) != writer { return "write from \(w.peer) accepted: not a writer" }
            }
            return server.withService { service, tables in
                let image = tables.holdingRegisters
                if !anyWriter, !image.elementsEqual(image0) { return "the map changed with no allowed writer" }
                for a in image.indices where !writable[a] && image[a] != image0[a] {
                    return "register \(SunSpecMap.base + a) (read-only) changed from \(image0[a]) to \(image[a])"
                }
                for point in SunSpecMap.registers where point.writable {
                    // A value the point accepts, or the default it starts with (SetInvState: not implemented).
                    let v = point.raw(image, base: SunSpecMap.base)
                    if let range = point.writeRange, !range.contains(UInt32(v)), v != point.fixed {
                        return "\(point.name) holds \(v), outside \(range)"
                    }
                }
                let r = service.requests(tables: tables)
                guard 0 <= r.socReserveMin, r.socReserveMin <= r.socReserveMax, r.socReserveMax <= 1 else {
                    return "SoC reserves \(r.socReserveMin) ... \(r.socReserveMax)"
                }
                return nil
            }
        }
    }
}
