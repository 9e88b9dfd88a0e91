/// How many TCP clients a server takes, and how long a connection may idle or take over a frame.
public struct ModbusServerLimits: Sendable {
    /// Clients connected at once.
    public var maxConnections: Int
    /// A connection that sends no complete frame for this long is closed.
    public var idleTimeout: Duration
    /// A frame must be complete this long after its first byte, or its connection is closed.
    public var frameTimeout: Duration
    public init(maxConnections: Int = 128, idleTimeout: Duration = .seconds(60), frameTimeout: Duration = .seconds(1)) {
        self.maxConnections = max(1, maxConnections)
        self.idleTimeout = max(.milliseconds(1), idleTimeout)
        self.frameTimeout = max(.milliseconds(1), frameTimeout)
    }
}
