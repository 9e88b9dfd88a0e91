/// Protocol limits of one request (Modbus spec; libmodbus enforces the same).
enum ModbusLimits {
    /// Registers in one read (function 3 or 4).
    static let maxReadRegisters = 125
    /// Registers in one write-multiple (function 16).
    static let maxWriteRegisters = 123
    /// Highest register address.
    static let maxAddress = 0xFFFF
}
