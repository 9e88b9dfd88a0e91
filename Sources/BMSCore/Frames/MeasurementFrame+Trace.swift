/// A measurement frame as words of a trace (tools/firmware: the host records a run's frames, the
/// firmware image replays them): little-endian 32-bit words, the same bytes on every target.
///
/// Layout for `cells` and `modules`: time (Int64, low word first), pack current, second current,
/// pack voltage, link voltage, the cell voltages, the module temperatures, the edge
/// temperatures, the heater powers (each as its Float's bit pattern), then one word of flags
/// (bit 0 main positive, 1 main negative, 2 precharge closed, 3 airflow).
extension MeasurementFrame {
    /// Words of one frame in a trace.
    @inlinable public static func traceWords(cells: Int, modules: Int) -> Int { 7 + cells + 3 * modules }

    /// Writes the frame's first `cells` and `modules` entries at `p` (`traceWords` words).
    @inlinable public func writeTrace(cells: Int, modules: Int, to p: UnsafeMutableRawPointer) {
        var k = 0
        func put(_ w: UInt32) {
            p.storeBytes(of: w.littleEndian, toByteOffset: 4 * k, as: UInt32.self)
            k += 1
        }
        // No integer conversion to or from 64 bits: on a 32-bit target it allocates (RecordWords).
        let (low, high) = RecordWords.split(time.count)
        put(low)
        put(high)
        put(packCurrent.value.bitPattern)
        put(secondCurrent.value.bitPattern)
        put(packVoltage.value.bitPattern)
        put(linkVoltage.value.bitPattern)
        for i in 0..<cells { put(cellVoltages[i].value.bitPattern) }
        for m in 0..<modules { put(moduleTemperatures[m].value.bitPattern) }
        for m in 0..<modules { put(edgeTemperatures[m].value.bitPattern) }
        for m in 0..<modules { put(heaterPower[m].value.bitPattern) }
        let f = contactorFeedback
        put((f.mainPositive ? 1 : 0) | (f.mainNegative ? 2 : 0) | (f.precharge ? 4 : 0) | (blowerAirflow ? 8 : 0))
    }

    /// Reads a frame written by `writeTrace` (entries past `cells` and `modules` are left as they are).
    @inlinable public mutating func readTrace(cells: Int, modules: Int, from p: UnsafeRawPointer) {
        var k = 0
        func word() -> UInt32 {
            defer { k += 1 }
            return UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))
        }
        let low = word()
        time = Milliseconds(RecordWords.join(low: low, high: word()))
        packCurrent = Amperes(Float(bitPattern: word()))
        secondCurrent = Amperes(Float(bitPattern: word()))
        packVoltage = Volts(Float(bitPattern: word()))
        linkVoltage = Volts(Float(bitPattern: word()))
        for i in 0..<cells { cellVoltages[i] = Volts(Float(bitPattern: word())) }
        for m in 0..<modules { moduleTemperatures[m] = Celsius(Float(bitPattern: word())) }
        for m in 0..<modules { edgeTemperatures[m] = Celsius(Float(bitPattern: word())) }
        for m in 0..<modules { heaterPower[m] = Watts(Float(bitPattern: word())) }
        let f = word()
        contactorFeedback = ContactorFeedback(mainPositive: f & 1 != 0, mainNegative: f & 2 != 0, precharge: f & 4 != 0)
        blowerAirflow = f & 8 != 0
    }
}
