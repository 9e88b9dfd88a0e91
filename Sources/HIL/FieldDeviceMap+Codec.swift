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
    /// Writes `readings` into an input-register image (header counts, time, current, voltages,
    /// contacts, temperatures, cells). Values are clamped to their encoding's range; a NaN
    /// reading is served as the encoding's not-available code (0xFFFF, 0x8000, ...).
    /// The device fields (step length, run mode, steps done, heater power) are the server's.
    public static func encode<R: MutableCollection<UInt16>>(_ readings: SensorReadings, into registers: inout R) where R.Index == Int {
        let cells = readings.cellVoltages_V.count
        let modules = readings.moduleTemperatures_C.count
        precondition(cells <= maxCells && modules <= maxModules, "pack larger than the field map")
        precondition(registers.count >= inputRegisterCount(cellCount: cells), "register image too small")
        registers[Input.mapVersion] = version
        registers[Input.cellCount] = UInt16(cells)
        registers[Input.moduleCount] = UInt16(modules)
        put(UInt64(max(0, readings.time_ms)), at: Input.time, into: &registers)
        put(UInt32(bitPattern: Int32(scaled: readings.current_A, by: currentScale_A)), at: Input.packCurrent, into: &registers)
        put(UInt32(scaled: readings.packVoltage_V, by: packVoltageScale_V), at: Input.packVoltage, into: &registers)
        registers[Input.status] = (readings.mainPositiveClosed ? 1 : 0) | (readings.mainNegativeClosed ? 2 : 0) | (readings.prechargeClosed ? 4 : 0)
        put(UInt32(scaled: readings.linkVoltage_V, by: packVoltageScale_V), at: Input.linkVoltage, into: &registers)
        for m in 0..<modules {
            registers[Input.moduleTemperature + m] = UInt16(bitPattern: Int16(scaled: readings.moduleTemperatures_C[m], by: temperatureScale_C))
        }
        for i in 0..<cells {
            registers[Input.cellVoltage + i] = UInt16(scaled: readings.cellVoltages_V[i], by: cellVoltageScale_V)
        }
    }

    /// Reads an input-register image back into sensor readings (in the map's resolution).
    public static func decode<R: RandomAccessCollection<UInt16>>(_ registers: R) throws(FieldMapError) -> SensorReadings where R.Index == Int {
        var r = SensorReadings(cellCount: 0, moduleCount: 0)
        try decode(registers, into: &r)
        return r
    }

    /// Reads an input-register image into `r`, reusing its arrays when the counts match.
    public static func decode<R: RandomAccessCollection<UInt16>>(_ registers: R, into r: inout SensorReadings) throws(FieldMapError) where R.Index == Int {
        guard registers.count >= Input.headerCount else { throw .tooFewRegisters(have: registers.count, need: Input.headerCount) }
        guard registers[Input.mapVersion] == version else { throw .wrongVersion(registers[Input.mapVersion]) }
        let cells = Int(registers[Input.cellCount])
        let modules = Int(registers[Input.moduleCount])
        guard cells <= maxCells, modules <= maxModules else { throw .sizeOutOfRange(cells: cells, modules: modules) }
        let need = inputRegisterCount(cellCount: cells)
        guard registers.count >= need else { throw .tooFewRegisters(have: registers.count, need: need) }
        if r.cellVoltages_V.count != cells { r.cellVoltages_V = Array(repeating: 0, count: cells) }
        if r.moduleTemperatures_C.count != modules { r.moduleTemperatures_C = Array(repeating: 0, count: modules) }
        r.time_ms = Int64(clamping: word64(registers, Input.time))
        r.current_A = Int32(bitPattern: word32(registers, Input.packCurrent)).physical(scale: currentScale_A)
        r.packVoltage_V = word32(registers, Input.packVoltage).physical(scale: packVoltageScale_V)
        let status = registers[Input.status]
        r.mainPositiveClosed = status & 1 != 0
        r.mainNegativeClosed = status & 2 != 0
        r.prechargeClosed = status & 4 != 0
        r.linkVoltage_V = word32(registers, Input.linkVoltage).physical(scale: packVoltageScale_V)
        for m in 0..<modules {
            r.moduleTemperatures_C[m] = Int16(bitPattern: registers[Input.moduleTemperature + m]).physical(scale: temperatureScale_C)
        }
        for i in 0..<cells {
            r.cellVoltages_V[i] = registers[Input.cellVoltage + i].physical(scale: cellVoltageScale_V)
        }
    }

    /// `readings` as the map carries them: each value encoded and decoded again, exactly what a
    /// controller polling the map receives (the in-process loop uses this, so that it and a
    /// lockstep run over Modbus see bit-identical numbers).
    public static func quantise(_ readings: inout SensorReadings) {
        readings.time_ms = max(0, readings.time_ms)
        readings.current_A = Int32(scaled: readings.current_A, by: currentScale_A).physical(scale: currentScale_A)
        readings.packVoltage_V = UInt32(scaled: readings.packVoltage_V, by: packVoltageScale_V).physical(scale: packVoltageScale_V)
        readings.linkVoltage_V = UInt32(scaled: readings.linkVoltage_V, by: packVoltageScale_V).physical(scale: packVoltageScale_V)
        for m in readings.moduleTemperatures_C.indices {
            readings.moduleTemperatures_C[m] = Int16(scaled: readings.moduleTemperatures_C[m], by: temperatureScale_C).physical(scale: temperatureScale_C)
        }
        for i in readings.cellVoltages_V.indices {
            readings.cellVoltages_V[i] = UInt16(scaled: readings.cellVoltages_V[i], by: cellVoltageScale_V).physical(scale: cellVoltageScale_V)
        }
    }

    static func put<R: MutableCollection<UInt16>>(_ v: UInt64, at a: Int, into r: inout R) where R.Index == Int {
        for w in 0..<4 { r[a + w] = UInt16(truncatingIfNeeded: v >> (48 - 16 * UInt64(w))) }
    }
    static func put<R: MutableCollection<UInt16>>(_ v: UInt32, at a: Int, into r: inout R) where R.Index == Int {
        r[a] = UInt16(truncatingIfNeeded: v >> 16)
        r[a + 1] = UInt16(truncatingIfNeeded: v)
    }
    static func word32<R: RandomAccessCollection<UInt16>>(_ r: R, _ a: Int) -> UInt32 where R.Index == Int {
        UInt32(r[a]) << 16 | UInt32(r[a + 1])
    }
    static func word64<R: RandomAccessCollection<UInt16>>(_ r: R, _ a: Int) -> UInt64 where R.Index == Int {
        var t: UInt64 = 0
        for w in 0..<4 { t = t << 16 | UInt64(r[a + w]) }
        return t
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
