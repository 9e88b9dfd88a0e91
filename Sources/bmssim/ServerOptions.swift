import ArgumentParser
import Modbus

/// How many TCP clients a Modbus server takes and how long one may stay silent (plant-server,
/// and the controller's EMS face).
struct ServerOptions: ParsableArguments {
    @Option(help: "TCP clients served at once; a newcomer to a full server replaces the client idle longest (if idle 1 s or more) or is refused.")
    var maxClients: Int = 128

    @Option(help: "A TCP client that sends no complete request for this long is disconnected, s (a request must also be complete 1 s after its first byte).")
    var clientIdleS: Double = 60

    mutating func validate() throws {
        guard (1...1000).contains(maxClients) else { throw ValidationError("--max-clients must be 1 ... 1000") }
        try OptionCheck.within(clientIdleS, 0.1...86_400, "client-idle-s", "s")
    }

    /// The server's limits.
    var limits: ModbusServerLimits {
        .init(maxConnections: maxClients, idleTimeout: .milliseconds(Int64(clientIdleS * 1000)), frameTimeout: .seconds(1))
    }
}
