/// What a `ModbusServer` serves: decides on requests and keeps the register tables up to date.
///
/// Every call runs on the server's thread with the server's lock held, so a service sees its
/// tables and its own state change only through these calls and `ModbusServer.withService`.
public protocol ModbusService: SendableMetatype {
    /// Decides on a request before libmodbus answers it: nil lets libmodbus answer (reads and
    /// writes hit the tables), an exception is sent instead and the tables stay untouched.
    /// libmodbus itself answers requests beyond the tables with exception 2.
    mutating func admit(_ request: ModbusRequest, tables: RegisterTables) -> ModbusException?

    /// Called after a request was answered (a write is in the tables now), at `now` on the
    /// server's clock.
    mutating func answered(_ request: ModbusRequest, tables: RegisterTables, now: ContinuousClock.Instant)

    /// Called from the server loop with the server's clock; returns when it wants to be called
    /// next (nil: no hurry; the loop still calls it about every 100 ms).
    mutating func tick(now: ContinuousClock.Instant, tables: RegisterTables) -> ContinuousClock.Instant?

    /// Called when a TCP client's connection closes, for whatever reason (`peer` as in
    /// `ModbusRequest.peer`), at `now` on the server's clock.
    mutating func disconnected(peer: String, now: ContinuousClock.Instant)
}

extension ModbusService {
    public mutating func admit(_ request: ModbusRequest, tables: RegisterTables) -> ModbusException? { nil }
    public mutating func answered(_ request: ModbusRequest, tables: RegisterTables, now: ContinuousClock.Instant) {}
    public mutating func tick(now: ContinuousClock.Instant, tables: RegisterTables) -> ContinuousClock.Instant? { nil }
    public mutating func disconnected(peer: String, now: ContinuousClock.Instant) {}
}

/// A plain register bank: every request in range is answered, nothing else happens.
public struct RegisterBankService: ModbusService {
    public init() {}
}
