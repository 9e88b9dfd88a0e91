import BatteryPlant

/// Why a register image could not be decoded.
public enum FieldMapError: Error, Equatable, CustomStringConvertible {
    case wrongVersion(UInt16)
    case sizeOutOfRange(cells: Int, modules: Int)
    case tooFewRegisters(have: Int, need: Int)

    public var description: String {
        switch self {
        case .wrongVersion(let v): "field map version \(v), expected \(FieldDeviceMap.version)"
        case .sizeOutOfRange(let c, let m): "field map declares \(c) cells / \(m) modules, beyond the map's capacity"
        case .tooFewRegisters(let have, let need): "field map image has \(have) registers, needs \(need)"
        }
    }
}

extension FieldDeviceMap {
    /// Writes `readings` into an input-register image. Values are clamped to their encoding's range;
    /// a NaN reading is served as the encoding's not-available code (0xFFFF, 0x8000, ...).
    public static func encode(_ readings: SensorReadings, into registers: inout [UInt16]) {
        let cells = readings.cellVoltages_V.count
        let modules = readings.moduleTemperatures_C.count
        precondition(cells <= maxCells && modules <= maxModules, "pack larger than the field map")
        precondition(registers.count >= inputRegisterCount(cellCount: cells), "register image too small")
        registers[Input.mapVersion] = version
        registers[Input.cellCount] = UInt16(cells)
        registers[Input.moduleCount] = UInt16(modules)
        let t = UInt64(max(0, readings.time_ms))
        for w in 0..<4 { registers[Input.time + w] = UInt16(truncatingIfNeeded: t >> (48 - 16 * UInt64(w))) }
        let current = UInt32(bitPattern: Int32(scaled: readings.current_A, by: currentScale_A))
        registers[Input.packCurrent] = UInt16(truncatingIfNeeded: current >> 16)
        registers[Input.packCurrent + 1] = UInt16(truncatingIfNeeded: current)
        let voltage = UInt32(scaled: readings.packVoltage_V, by: packVoltageScale_V)
        registers[Input.packVoltage] = UInt16(truncatingIfNeeded: voltage >> 16)
        registers[Input.packVoltage + 1] = UInt16(truncatingIfNeeded: voltage)
        registers[Input.status] = (readings.mainPositiveClosed ? 1 : 0) | (readings.mainNegativeClosed ? 2 : 0) | (readings.prechargeClosed ? 4 : 0)
        let link = UInt32(scaled: readings.linkVoltage_V, by: packVoltageScale_V)
        registers[Input.linkVoltage] = UInt16(truncatingIfNeeded: link >> 16)
        registers[Input.linkVoltage + 1] = UInt16(truncatingIfNeeded: link)
        for m in 0..<modules {
            registers[Input.moduleTemperature + m] = UInt16(
                bitPattern: Int16(scaled: readings.moduleTemperatures_C[m], by: temperatureScale_C))
        }
        for i in 0..<cells {
            registers[Input.cellVoltage + i] = UInt16(scaled: readings.cellVoltages_V[i], by: cellVoltageScale_V)
        }
    }

    /// Reads an input-register image back into sensor readings (in the map's resolution).
    public static func decode(_ registers: [UInt16]) throws(FieldMapError) -> SensorReadings {
        guard registers.count > Input.linkVoltage + 1 else { throw .tooFewRegisters(have: registers.count, need: Input.linkVoltage + 2) }
        guard registers[Input.mapVersion] == version else { throw .wrongVersion(registers[Input.mapVersion]) }
        let cells = Int(registers[Input.cellCount])
        let modules = Int(registers[Input.moduleCount])
        guard cells <= maxCells, modules <= maxModules else { throw .sizeOutOfRange(cells: cells, modules: modules) }
        let need = inputRegisterCount(cellCount: cells)
        guard registers.count >= need else { throw .tooFewRegisters(have: registers.count, need: need) }
        var r = SensorReadings(cellCount: cells, moduleCount: modules)
        var t: UInt64 = 0
        for w in 0..<4 { t = t << 16 | UInt64(registers[Input.time + w]) }
        r.time_ms = Int64(clamping: t)
        let current = UInt32(registers[Input.packCurrent]) << 16 | UInt32(registers[Input.packCurrent + 1])
        r.current_A = Int32(bitPattern: current).physical(scale: currentScale_A)
        let voltage = UInt32(registers[Input.packVoltage]) << 16 | UInt32(registers[Input.packVoltage + 1])
        r.packVoltage_V = voltage.physical(scale: packVoltageScale_V)
        let status = registers[Input.status]
        r.mainPositiveClosed = status & 1 != 0
        r.mainNegativeClosed = status & 2 != 0
        r.prechargeClosed = status & 4 != 0
        let link = UInt32(registers[Input.linkVoltage]) << 16 | UInt32(registers[Input.linkVoltage + 1])
        r.linkVoltage_V = link.physical(scale: packVoltageScale_V)
        for m in 0..<modules {
            r.moduleTemperatures_C[m] = Int16(bitPattern: registers[Input.moduleTemperature + m]).physical(scale: temperatureScale_C)
        }
        for i in 0..<cells {
            r.cellVoltages_V[i] = registers[Input.cellVoltage + i].physical(scale: cellVoltageScale_V)
        }
        return r
    }
}

extension FixedWidthInteger {
    /// The "not available" code of this encoding (SunSpec style): min for signed, max for
    /// unsigned types. A NaN reading (failed sensor) is served as this code, never as a number.
    static var notAvailable: Self { Self.isSigned ? Self.min : Self.max }

    /// `value / scale` rounded and clamped to the type's range less the not-available code;
    /// NaN gives `notAvailable`.
    init(scaled value: Double, by scale: Double) {
        let x = (value / scale).rounded()
        let lowest = Self.isSigned ? Self.min + 1 : Self.min
        let highest = Self.isSigned ? Self.max : Self.max - 1
        if x.isNaN {
            self = Self.notAvailable
        } else if x <= Double(lowest) {
            self = lowest
        } else if x >= Double(highest) {
            self = highest
        } else {
            self = Self(x)
        }
    }

    /// The physical value of a raw code: raw x scale, or NaN for the not-available code.
    func physical(scale: Double) -> Double {
        self == Self.notAvailable ? .nan : Double(self) * scale
    }
}
