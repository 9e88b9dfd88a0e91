import CModbus

/// A failed Modbus operation: which call failed, the errno it left, and libmodbus' message.
public struct ModbusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation that failed, e.g. "read input registers 0+4".
    public let operation: String
    /// The errno value (libmodbus' own codes are MODBUS_ENOBASE + n; exceptions included).
    public let code: Int32
    /// The text of `modbus_strerror(code)` or of the wrapper's own check.
    public let message: String

    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// The Modbus exception the server answered with, when the error is one.
    public var exception: ModbusException? {
        ModbusException(rawValue: UInt8(truncatingIfNeeded: cmodbus_exception_code(code)))
    }

    public var description: String { "\(operation): \(message) (errno \(code))" }

    /// True when the link itself failed (timeout, reset, refused, garbled answer), as opposed to a
    /// Modbus exception from a live peer or a request the wrapper refused: the client reconnects.
    public var isTransportFailure: Bool { exception == nil && code != EINVAL && code != ModbusError.notConnectedCode }

    /// The code of `notConnected` (a client waiting out its reconnect back-off).
    public static let notConnectedCode: Int32 = ENOTCONN

    /// The error libmodbus just reported for `operation` (reads errno right away).
    static func last(_ operation: @autoclosure () -> String) -> ModbusError {
        let code = cmodbus_errno()
        return ModbusError(operation: operation(), code: code, message: String(cString: modbus_strerror(code)))
    }

    /// The client is disconnected and its next reconnect attempt is not due yet.
    static func notConnected(_ operation: String, retryIn: Duration) -> ModbusError {
        let ms = retryIn.components.seconds * 1000 + retryIn.components.attoseconds / 1_000_000_000_000_000
        return ModbusError(operation: operation, code: ENOTCONN, message: "not connected; next reconnect attempt in \(ms) ms")
    }

    /// A request the wrapper refuses before it reaches the wire.
    static func invalidArgument(_ operation: String, _ why: String) -> ModbusError {
        ModbusError(operation: operation, code: EINVAL, message: why)
    }
}

/// Modbus exception codes (Modbus Application Protocol v1.1b3, section 7).
public enum ModbusException: UInt8, Sendable, Equatable {
    case illegalFunction = 1
    case illegalDataAddress = 2
    case illegalDataValue = 3
    case serverDeviceFailure = 4
    case acknowledge = 5
    case serverDeviceBusy = 6
    case negativeAcknowledge = 7
    case memoryParityError = 8
    case gatewayPathUnavailable = 10
    case gatewayTargetFailedToRespond = 11
}
