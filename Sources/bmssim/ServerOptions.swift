import ArgumentParser
import Foundation
import Modbus

/// How many TCP clients a Modbus server takes and how long one may stay silent (plant-server,
/// and the controller's EMS face).
struct ServerOptions: ParsableArguments {
    @Option(help: "TCP clients served at once; a newcomer to a full server replaces the client idle longest (if idle 1 s or more) or is refused.")
    var maxClients: Int = 128

    @Option(help: "A TCP client that sends no complete request for this long is disconnected, s (a request must also be complete 1 s after its first byte).")
    var clientIdleS: Double = 60

    @Option(help: "IPv4 addresses allowed to write, comma-separated, or 'any' (others may read; their writes get exception 1 and are logged). Modbus has no authentication: hil/README.md 'Who may write'.")
    var writers: String = "127.0.0.1"

    mutating func validate() throws {
        _ = try allowedWriters()
        guard (1...1000).contains(maxClients) else { throw ValidationError("--max-clients must be 1 ... 1000") }
        try OptionCheck.within(clientIdleS, 0.1...86_400, "client-idle-s", "s")
    }

    /// The allowed writers (nil: any), each a dotted IPv4 address.
    func allowedWriters() throws -> Set<String>? {
        if writers.lowercased() == "any" { return nil }
        var set = Set<String>()
        for part in writers.split(separator: ",", omittingEmptySubsequences: false) {
            let a = part.trimmingCharacters(in: .whitespaces)
            let octets = a.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4, octets.allSatisfy({ o in o.count <= 3 && UInt8(o) != nil }) else {
                throw ValidationError("--writers: '\(a)' is not an IPv4 address (a.b.c.d); give addresses separated by commas, or 'any'")
            }
            set.insert(octets.map { String(UInt8($0)!) }.joined(separator: "."))
        }
        return set
    }

    /// The server's limits.
    func limits() throws -> ModbusServerLimits {
        .init(
            maxConnections: maxClients, idleTimeout: .milliseconds(Int64(clientIdleS * 1000)), frameTimeout: .seconds(1),
            writers: try allowedWriters())
    }
}
