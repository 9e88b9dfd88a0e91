/// One request a server received, decoded far enough to decide on it before it is answered.
///
/// Valid only inside the service call it is handed to (it points into the receive buffer).
public struct ModbusRequest {
    /// Which table a request reads or writes.
    public enum Table: Sendable, Equatable {
        case coils, discreteInputs, holdingRegisters, inputRegisters
    }

    /// Function code (3 read holding, 4 read input, 6 write one, 16 write many, ...).
    public let function: UInt8
    /// The table the request writes, or reads when it writes nothing; nil for functions that
    /// touch no table (libmodbus answers those itself).
    public let table: Table?
    /// Whether the request changes the table.
    public let isWrite: Bool
    /// First address written (or read, for a pure read).
    public let address: Int
    /// Number of registers or bits written (or read).
    public let count: Int
    /// The client's address ("127.0.0.1:53124") for TCP; nil for RTU (one line, one master).
    public let peer: String?
    private let pdu: UnsafeBufferPointer<UInt8>

    /// Decodes the PDU that follows `headerLength` bytes of `adu` (one whole frame).
    init(adu: UnsafeBufferPointer<UInt8>, headerLength: Int, peer: String? = nil) {
        self.peer = peer
        let p = UnsafeBufferPointer(rebasing: adu[min(headerLength, adu.count)...])
        pdu = p
        func word(_ i: Int) -> Int { i + 1 < p.count ? Int(p[i]) << 8 | Int(p[i + 1]) : 0 }
        let function = p.isEmpty ? 0 : p[0]
        self.function = function
        let table: Table?, isWrite: Bool, address: Int, count: Int
        switch function {
        case 1: (table, isWrite, address, count) = (.coils, false, word(1), word(3))
        case 2: (table, isWrite, address, count) = (.discreteInputs, false, word(1), word(3))
        case 3: (table, isWrite, address, count) = (.holdingRegisters, false, word(1), word(3))
        case 4: (table, isWrite, address, count) = (.inputRegisters, false, word(1), word(3))
        case 5: (table, isWrite, address, count) = (.coils, true, word(1), 1)
        case 6, 0x16: (table, isWrite, address, count) = (.holdingRegisters, true, word(1), 1)
        case 0x0F: (table, isWrite, address, count) = (.coils, true, word(1), word(3))
        case 0x10: (table, isWrite, address, count) = (.holdingRegisters, true, word(1), word(3))
        case 0x17: (table, isWrite, address, count) = (.holdingRegisters, true, word(5), word(7))
        default: (table, isWrite, address, count) = (nil, false, 0, 0)
        }
        (self.table, self.isWrite, self.address, self.count) = (table, isWrite, address, count)
    }

    /// The `i`-th register value a register write carries (i in 0 ..< count); `current` is the
    /// register's present value (a mask write, function 22, combines with it).
    public func registerValue(_ i: Int, current: UInt16) -> UInt16 {
        func word(_ k: Int) -> UInt16 { k + 1 < pdu.count ? UInt16(pdu[k]) << 8 | UInt16(pdu[k + 1]) : 0 }
        switch function {
        case 6: return word(3)
        case 0x10: return word(6 + 2 * i)
        case 0x17: return word(10 + 2 * i)
        case 0x16:
            let and = word(3), or = word(5)
            return (current & and) | (or & ~and)
        default: return current
        }
    }

    /// Whether the request's range lies inside its table (libmodbus answers it with data, not
    /// with exception 2).
    public func fits(in tables: RegisterTables) -> Bool {
        guard let table, count > 0 else { return false }
        let (start, size) = switch table {
        case .coils: (0, tables.coils.count)
        case .discreteInputs: (0, tables.discreteInputs.count)
        case .holdingRegisters: (tables.holdingStart, tables.holdingRegisters.count)
        case .inputRegisters: (0, tables.inputRegisters.count)
        }
        return address >= start && address + count <= start + size
    }

    /// The exception the request gets by the protocol's own rules (an unknown function, a count
    /// outside the function's limits or disagreeing with its byte count, a range outside the
    /// table, a coil value other than on or off), nil when it is answered with data. The server
    /// answers these itself: libmodbus would answer them after sleeping its response timeout and
    /// flushing the socket, holding every other client meanwhile.
    public func protocolException(in tables: RegisterTables) -> ModbusException? {
        func word(_ i: Int) -> Int { i + 1 < pdu.count ? Int(pdu[i]) << 8 | Int(pdu[i + 1]) : -1 }
        func byte(_ i: Int) -> Int { i < pdu.count ? Int(pdu[i]) : -1 }
        switch function {
        case 1, 2:
            guard (1...2000).contains(count) else { return .illegalDataValue }
        case 3, 4:
            guard (1...ModbusLimits.maxReadRegisters).contains(count) else { return .illegalDataValue }
        case 5:
            guard word(3) == 0 || word(3) == 0xFF00 else { return .illegalDataValue }
        case 6, 0x16:
            break
        case 0x0F:
            guard (1...1968).contains(count), byte(5) == (count + 7) / 8 else { return .illegalDataValue }
        case 0x10:
            guard (1...ModbusLimits.maxWriteRegisters).contains(count), byte(5) == 2 * count else { return .illegalDataValue }
        case 0x17:
            let readCount = word(3)
            guard (1...ModbusLimits.maxReadRegisters).contains(readCount), (1...121).contains(count), byte(9) == 2 * count else {
                return .illegalDataValue
            }
            let start = tables.holdingStart, size = tables.holdingRegisters.count
            let readAddress = word(1)
            guard readAddress >= start, readAddress + readCount <= start + size else { return .illegalDataAddress }
        case 0x11:
            return nil  // report server ID: libmodbus answers it
        default:
            return .illegalFunction
        }
        return fits(in: tables) ? nil : .illegalDataAddress
    }

    /// Whether the request's range `address ..< address + count` overlaps `range`.
    public func touches(_ range: Range<Int>) -> Bool {
        count > 0 && address < range.upperBound && range.lowerBound < address + count
    }
}
