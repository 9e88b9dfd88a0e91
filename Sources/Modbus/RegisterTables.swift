import CModbus

/// Sizes of a server's four register tables, each starting at address 0.
public struct RegisterLayout: Sendable, Equatable {
    public var coils: Int
    public var discreteInputs: Int
    public var holdingRegisters: Int
    public var inputRegisters: Int
    /// Address of the first holding register (SunSpec maps start at 40000; below is unmapped
    /// and answered with exception 2).
    public var holdingStart: Int

    public init(coils: Int = 0, discreteInputs: Int = 0, holdingRegisters: Int = 0, inputRegisters: Int = 0, holdingStart: Int = 0) {
        self.coils = coils
        self.discreteInputs = discreteInputs
        self.holdingRegisters = holdingRegisters
        self.inputRegisters = inputRegisters
        self.holdingStart = holdingStart
    }
}

/// Views of the four register tables of a server, valid only inside the call that hands them
/// out (the server's lock is held): do not keep the buffers.
public struct RegisterTables {
    let mapping: UnsafeMutablePointer<modbus_mapping_t>

    init(mapping: UnsafeMutablePointer<modbus_mapping_t>) { self.mapping = mapping }

    /// Address of `holdingRegisters[0]`.
    public var holdingStart: Int { Int(mapping.pointee.start_registers) }

    /// Holding registers (function 3 reads, 6/16 write), from `holdingStart`.
    public var holdingRegisters: UnsafeMutableBufferPointer<UInt16> {
        UnsafeMutableBufferPointer(start: mapping.pointee.tab_registers, count: Int(mapping.pointee.nb_registers))
    }
    /// Input registers (function 4 reads).
    public var inputRegisters: UnsafeMutableBufferPointer<UInt16> {
        UnsafeMutableBufferPointer(start: mapping.pointee.tab_input_registers, count: Int(mapping.pointee.nb_input_registers))
    }
    /// Coils, one byte per bit (0 or 1).
    public var coils: UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: mapping.pointee.tab_bits, count: Int(mapping.pointee.nb_bits))
    }
    /// Discrete inputs, one byte per bit (0 or 1).
    public var discreteInputs: UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: mapping.pointee.tab_input_bits, count: Int(mapping.pointee.nb_input_bits))
    }
}
