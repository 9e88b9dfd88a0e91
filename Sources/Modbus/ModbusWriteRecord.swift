/// One write a server received, accepted or refused: who, when, where, the values before and
/// after (the audit log a command writes to its outputs; `ModbusServer.drainWrites`).
public struct ModbusWriteRecord: Sendable, Equatable {
    /// When it arrived, on the server's clock.
    public var time: ContinuousClock.Instant
    /// The client ("127.0.0.1:53124"), or "rtu" for the serial line.
    public var peer: String
    public var function: UInt8
    /// The first register written, and each register's value before and after (equal when
    /// the write was refused).
    public var address: Int
    public var old: [UInt16]
    public var new: [UInt16]
    /// Why it was refused (nil: accepted).
    public var refused: ModbusException?
    /// Who refused it: "writers" (not an allowed writer), "protocol" (the Modbus rules: a count
    /// or a range out of bounds) or "service" (the device's own rules).
    public var refusedBy: String?
}
