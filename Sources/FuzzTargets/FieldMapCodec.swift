import BMSCore
import BatteryPlant
import HIL

/// The field map's codecs on hostile values and images: readings of any value (NaN, infinities,
/// numbers past every encoding's range) encode and decode back to exactly what `quantise` says
/// a controller receives; a register image of arbitrary words decodes to readings within the
/// map's limits or to an error, never a trap; commands of any value round-trip through the
/// holding image to their quantised selves.
enum FieldMapCodec {
    static func run(_ input: inout FuzzBytes) -> String? {
        let cells = 1 + Int(input.word()) % FieldDeviceMap.maxCells
        let modules = 1 + Int(input.byte()) % min(cells, FieldDeviceMap.maxModules)
        var readings = SensorReadings(cellCount: cells, moduleCount: modules)
        readings.time_ms = Int64(bitPattern: UInt64(input.word()) << 48 | UInt64(input.word()) << 16 | UInt64(input.word()))
        readings.current_A = input.double()
        readings.packVoltage_V = input.double()
        readings.linkVoltage_V = input.double()
        readings.secondCurrent_A = input.double()
        for m in 0..<min(modules, 6) {
            readings.moduleTemperatures_C[m] = input.double()
            readings.edgeTemperatures_C[m] = input.double()
        }
        for i in 0..<min(cells, 12) { readings.cellVoltages_V[i] = input.double() }
        let contacts = input.byte()
        (readings.mainPositiveClosed, readings.mainNegativeClosed) = (contacts & 1 != 0, contacts & 2 != 0)
        (readings.prechargeClosed, readings.blowerAirflow) = (contacts & 4 != 0, contacts & 8 != 0)

        // Readings: encode, decode, compare with quantise.
        var image = [UInt16](repeating: 0, count: FieldDeviceMap.inputRegisterCount(cellCount: cells))
        FieldDeviceMap.encode(readings, into: &image)
        var expected = readings
        FieldDeviceMap.quantise(&expected)
        do {
            let decoded = try FieldDeviceMap.decode(image)
            if let problem = compare(decoded, expected) { return "readings round trip: \(problem)" }
        } catch {
            return "an encoded image does not decode: \(error)"
        }

        // Commands: encode, decode, compare with quantise.
        var commands = FieldCommands(cellCount: cells, moduleCount: modules)
        let k = input.byte()
        commands.contactors = ContactorCoils(mainPositive: k & 1 != 0, mainNegative: k & 2 != 0, precharge: k & 4 != 0)
        commands.blower = k & 8 != 0
        commands.chargeLimit_A = input.double()
        commands.dischargeLimit_A = input.double()
        for m in 0..<min(modules, 4) { commands.heaterDuty[m] = input.double() }
        for i in 0..<min(cells, 32) { commands.balancing[i] = input.byte() & 1 != 0 }
        var holding = [UInt16](repeating: 0, count: FieldDeviceMap.holdingRegisterCount(cellCount: cells))
        FieldDeviceMap.encode(commands, into: &holding)
        var decoded = FieldCommands(cellCount: 0, moduleCount: 0)
        FieldDeviceMap.decodeCommands(holding, cellCount: cells, moduleCount: modules, into: &decoded)
        var quantised = commands
        FieldDeviceMap.quantise(&quantised)
        if !same(decoded.chargeLimit_A, quantised.chargeLimit_A) || !same(decoded.dischargeLimit_A, quantised.dischargeLimit_A)
            || !zip(decoded.heaterDuty, quantised.heaterDuty).allSatisfy(same) || decoded.balancing != quantised.balancing
            || decoded.contactors != quantised.contactors || decoded.blower != quantised.blower
        {
            return "commands round trip: \(commands) decoded as \(decoded), quantised \(quantised)"
        }
        for limit in [decoded.chargeLimit_A, decoded.dischargeLimit_A] where !(limit >= 0) { return "a decoded current limit is \(limit)" }
        for duty in decoded.heaterDuty where !(0...1).contains(duty) { return "a decoded heater duty is \(duty)" }

        // An image of arbitrary words (what a faulty or hostile field device serves) decodes to
        // readings within the map's limits, or to an error.
        var words = [UInt16](repeating: 0, count: Int(input.word()) % 2100)
        for i in words.indices { words[i] = input.isEmpty ? UInt16(truncatingIfNeeded: i &* 40_503) : input.word() }
        if input.byte() & 1 == 0, words.count > 2 { words[0] = FieldDeviceMap.version }
        if let r = try? FieldDeviceMap.decode(words) {
            if r.cellVoltages_V.count > FieldDeviceMap.maxCells || r.moduleTemperatures_C.count > FieldDeviceMap.maxModules {
                return "an arbitrary image decoded to \(r.cellVoltages_V.count) cells, \(r.moduleTemperatures_C.count) modules"
            }
            if r.time_ms < 0 { return "an arbitrary image decoded to time \(r.time_ms)" }
        }
        return nil
    }

    /// Equal, NaN equal to NaN.
    static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

    /// The first field in which two readings differ (NaN equal to NaN), nil when none does.
    static func compare(_ a: SensorReadings, _ b: SensorReadings) -> String? {
        if a.time_ms != b.time_ms { return "time \(a.time_ms) against \(b.time_ms)" }
        for (name, x, y) in [
            ("current", a.current_A, b.current_A), ("pack voltage", a.packVoltage_V, b.packVoltage_V),
            ("link voltage", a.linkVoltage_V, b.linkVoltage_V), ("second current", a.secondCurrent_A, b.secondCurrent_A),
        ] where !same(x, y) {
            return "\(name) \(x) against \(y)"
        }
        guard a.cellVoltages_V.count == b.cellVoltages_V.count, a.moduleTemperatures_C.count == b.moduleTemperatures_C.count else {
            return "sizes \(a.cellVoltages_V.count)/\(a.moduleTemperatures_C.count) against \(b.cellVoltages_V.count)/\(b.moduleTemperatures_C.count)"
        }
        for i in a.cellVoltages_V.indices where !same(a.cellVoltages_V[i], b.cellVoltages_V[i]) {
            return "cell \(i) \(a.cellVoltages_V[i]) against \(b.cellVoltages_V[i])"
        }
        for m in a.moduleTemperatures_C.indices where !same(a.moduleTemperatures_C[m], b.moduleTemperatures_C[m]) {
            return "module \(m) \(a.moduleTemperatures_C[m]) against \(b.moduleTemperatures_C[m])"
        }
        for m in a.moduleTemperatures_C.indices where !same(a.edgeTemperatures_C[m], m < b.edgeTemperatures_C.count ? b.edgeTemperatures_C[m] : .nan) {
            return "edge \(m) \(a.edgeTemperatures_C[m])"
        }
        if (a.mainPositiveClosed, a.mainNegativeClosed, a.prechargeClosed, a.blowerAirflow)
            != (b.mainPositiveClosed, b.mainNegativeClosed, b.prechargeClosed, b.blowerAirflow)
        {
            return "contacts differ"
        }
        return nil
    }
}
