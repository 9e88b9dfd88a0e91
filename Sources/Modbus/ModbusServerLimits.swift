/// How many TCP clients a server takes, how long a connection may idle or take over a frame, and
/// which clients may write.
public struct ModbusServerLimits: Sendable {
    /// Clients connected at once.
    public var maxConnections: Int
    /// A connection that sends no complete frame for this long is closed.
    public var idleTimeout: Duration
    /// A frame must be complete this long after its first byte, or its connection is closed.
    public var frameTimeout: Duration
    /// The TCP clients whose writes are admitted, by IPv4 address ("127.0.0.1"); nil admits any.
    /// Others may read; their writes get exception 1 (illegal function) and are recorded. Modbus
    /// has no authentication: this is a guard against a neighbour's mistake, not an attacker who
    /// can take an allowed address (hil/README.md "Who may write").
    public var writers: Set<String>?
    public init(
        maxConnections: Int = 128, idleTimeout: Duration = .seconds(60), frameTimeout: Duration = .seconds(1), writers: Set<String>? = ["127.0.0.1"]
    ) {
        self.writers = writers
        self.maxConnections = max(1, maxConnections)
        self.idleTimeout = max(.milliseconds(1), idleTimeout)
        self.frameTimeout = max(.milliseconds(1), frameTimeout)
    }

    /// The address part of a peer ("127.0.0.1:53124" -> "127.0.0.1"): what `writers` names.
    public static func host(of peer: String) -> String { peer.lastIndex(of: ":").map { String(peer[..<$0]) } ?? peer }
}
