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
    /// contacts, both thermocouples of each module, cells), each through its point. Values are clamped to their
    /// encoding's range; a NaN reading is served as the encoding's not-available code (0xFFFF,
    /// 0x8000, ...). The device fields (step length, run mode, steps done, heater power) are the
    /// server's.
    public static func encode<R: MutableCollection<UInt16>>(_ readings: SensorReadings, into registers: inout R) where R.Index == Int {
        let cells = readings.cellVoltages_V.count
        let modules = readings.moduleTemperatures_C.count
        precondition(cells <= maxCells && modules <= maxModules, "pack larger than the field map")
        precondition(registers.count >= inputRegisterCount(cellCount: cells), "register image too small")
        Point.mapVersion.put(raw: UInt64(version), into: &registers)
        Point.cellCount.put(raw: UInt64(cells), into: &registers)
        Point.moduleCount.put(raw: UInt64(modules), into: &registers)
        Point.time.put(raw: UInt64(max(0, readings.time_ms)), into: &registers)
        Point.packCurrent.encode(readings.current_A, into: &registers)
        Point.packVoltage.encode(readings.packVoltage_V, into: &registers)
        Point.status.put(raw: contacts(readings), into: &registers)
        Point.linkVoltage.encode(readings.linkVoltage_V, into: &registers)
        Point.secondCurrent.encode(readings.secondCurrent_A, into: &registers)
        for m in 0..<modules { Point.moduleTemperature.encode(readings.moduleTemperatures_C[m], into: &registers, instance: m) }
        for m in 0..<modules {
            let edge = m < readings.edgeTemperatures_C.count ? readings.edgeTemperatures_C[m] : .nan
            Point.edgeTemperature.encode(edge, into: &registers, instance: m)
        }
        for i in 0..<cells { Point.cellVoltage.encode(readings.cellVoltages_V[i], into: &registers, instance: i) }
    }

    /// The contact bits of `status`.
    static func contacts(_ r: SensorReadings) -> UInt64 {
        (r.mainPositiveClosed ? 1 : 0) | (r.mainNegativeClosed ? 2 : 0) | (r.prechargeClosed ? 4 : 0) | (r.blowerAirflow ? 8 : 0)
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
        let mapVersion = UInt16(truncatingIfNeeded: Point.mapVersion.raw(registers))
        guard mapVersion == version else { throw .wrongVersion(mapVersion) }
        let cells = Int(Point.cellCount.raw(registers))
        let modules = Int(Point.moduleCount.raw(registers))
        guard cells <= maxCells, modules <= maxModules else { throw .sizeOutOfRange(cells: cells, modules: modules) }
        let need = inputRegisterCount(cellCount: cells)
        guard registers.count >= need else { throw .tooFewRegisters(have: registers.count, need: need) }
        if r.cellVoltages_V.count != cells { r.cellVoltages_V = Array(repeating: 0, count: cells) }
        if r.moduleTemperatures_C.count != modules { r.moduleTemperatures_C = Array(repeating: 0, count: modules) }
        r.time_ms = Int64(clamping: Point.time.raw(registers))
        r.current_A = Point.packCurrent.decode(registers)
        r.packVoltage_V = Point.packVoltage.decode(registers)
        let status = Point.status.raw(registers)
        r.mainPositiveClosed = status & 1 != 0
        r.mainNegativeClosed = status & 2 != 0
        r.prechargeClosed = status & 4 != 0
        r.blowerAirflow = status & 8 != 0
        r.linkVoltage_V = Point.linkVoltage.decode(registers)
        r.secondCurrent_A = Point.secondCurrent.decode(registers)
        for m in 0..<modules { r.moduleTemperatures_C[m] = Point.moduleTemperature.decode(registers, instance: m) }
        if r.edgeTemperatures_C.count != modules { r.edgeTemperatures_C = Array(repeating: .nan, count: modules) }
        for m in 0..<modules { r.edgeTemperatures_C[m] = Point.edgeTemperature.decode(registers, instance: m) }
        if r.heaterPower_W.count != modules { r.heaterPower_W = Array(repeating: .nan, count: modules) }
        for m in 0..<modules { r.heaterPower_W[m] = Point.heaterPower.decode(registers, instance: m) }
        for i in 0..<cells { r.cellVoltages_V[i] = Point.cellVoltage.decode(registers, instance: i) }
    }

    /// `readings` as the map carries them: each value encoded and decoded again through its
    /// point, exactly what a controller polling the map receives (the in-process loop uses this,
    /// so that it and a lockstep run over Modbus see bit-identical numbers).
    public static func quantise(_ readings: inout SensorReadings) {
        readings.time_ms = max(0, readings.time_ms)
        readings.current_A = Point.packCurrent.quantise(readings.current_A)
        readings.packVoltage_V = Point.packVoltage.quantise(readings.packVoltage_V)
        readings.linkVoltage_V = Point.linkVoltage.quantise(readings.linkVoltage_V)
        readings.secondCurrent_A = Point.secondCurrent.quantise(readings.secondCurrent_A)
        for m in readings.moduleTemperatures_C.indices {
            readings.moduleTemperatures_C[m] = Point.moduleTemperature.quantise(readings.moduleTemperatures_C[m])
        }
        for m in readings.edgeTemperatures_C.indices {
            readings.edgeTemperatures_C[m] = Point.edgeTemperature.quantise(readings.edgeTemperatures_C[m])
        }
        for m in readings.heaterPower_W.indices { readings.heaterPower_W[m] = Point.heaterPower.quantise(readings.heaterPower_W[m]) }
        let cell = Point.cellVoltage
        for i in readings.cellVoltages_V.indices {
            readings.cellVoltages_V[i] = cell.quantise(readings.cellVoltages_V[i])
        }
    }
}

extension FixedWidthInteger {
    /// The "not available" code of this encoding (SunSpec style): min for signed, max for
    /// unsigned types. A NaN reading (failed sensor) is served as this code, never as a number.
    static var notAvailable: Self { Self.isSigned ? Self.min : Self.max }

    /// `value / scale` rounded and clamped to the type's range less the not-available code;
    /// NaN gives `notAvailable`.
    init(scaled value: Double, by scale: Double) {
        let x = (value / scale).roundedHalfAwayFromZero
        let lowest = Self.isSigned ? Self.min + 1 : Self.min
        let highest = Self.isSigned ? Self.max : Self.max - 1
        if x.isNaN {
            self = Self.notAvailable
        } else if x <= Double(lowest) {
            self = lowest
        } else if x >= Double(highest) {
            self = highest
        } else if Self.bitWidth <= 32 {
            // Integral and inside the type's range: exact, and far cheaper than the generic
            // Double conversion (per cell per step in the in-process loop).
            self = Self(truncatingIfNeeded: Int64(x))
        } else {
            self = Self(x)
        }
    }

    /// The physical value of a raw code: raw x scale, or NaN for the not-available code.
    func physical(scale: Double) -> Double {
        self == Self.notAvailable ? .nan : Double(self) * scale
    }
}
