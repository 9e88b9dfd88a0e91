/// Extremes of the cell voltages of a frame, and whether every used channel was plausible.
struct CellSummary {
    var minimum = Volts(.infinity)
    var maximum = Volts(-.infinity)
    var sum: Float = 0
    var valid = true
    var flags = MeasurementFlags.clear

    init<let n: Int, let m: Int>(_ frame: MeasurementFrame<n, m>, count: Int, plausible: ClosedRange<Volts>) {
        for i in 0..<count {
            let v = frame.cellVoltages[i]
            guard v.isFinite else {
                valid = false
                flags.insert(.notANumber)
                continue
            }
            guard plausible.contains(v) else {
                valid = false
                flags.insert(.outOfRange)
                continue
            }
            if v < minimum { minimum = v }
            if maximum < v { maximum = v }
            sum += v.value
        }
        // Judged on the raw readings: the neighbour of an open wire may read beyond the plausible
        // range (two cells), so the mean is taken over the plausible cells only.
        var plausibleSum: Float = 0
        var plausibleCount = 0
        for i in 0..<count where frame.cellVoltages[i].isFinite && plausible.contains(frame.cellVoltages[i]) {
            plausibleSum += frame.cellVoltages[i].value
            plausibleCount += 1
        }
        if count >= 3, plausibleCount > 0, Self.hasOpenWire(frame, count: count, mean: plausibleSum / Float(plausibleCount)) {
            valid = false
            flags.insert(.openWire)
        }
    }

    /// An open sense wire between cells i and i+1 makes one read about 0 V and the other about
    /// two cells. (A failed-short cell also reads about 0 V, but its neighbours read normally.)
    static func hasOpenWire<let n: Int, let m: Int>(_ frame: MeasurementFrame<n, m>, count: Int, mean: Float) -> Bool {
        for i in 0..<count where frame.cellVoltages[i].value < 0.25 * mean {
            let below = i > 0 ? frame.cellVoltages[i - 1].value : 0
            let above = i + 1 < count ? frame.cellVoltages[i + 1].value : 0
            if below > 1.6 * mean || above > 1.6 * mean { return true }
        }
        return false
    }
}

/// Extremes of the module temperatures of a frame, and whether every used sensor was plausible.
struct TemperatureSummary {
    var minimum = Celsius(.infinity)
    var maximum = Celsius(-.infinity)
    var sum: Float = 0
    var valid = true
    var flags = MeasurementFlags.clear

    init<let n: Int, let m: Int>(_ frame: MeasurementFrame<n, m>, count: Int, plausible: ClosedRange<Celsius>) {
        for i in 0..<count {
            let t = frame.moduleTemperatures[i]
            guard t.isFinite, plausible.contains(t) else {
                valid = false
                flags.insert(t.isFinite ? .outOfRange : .notANumber)
                continue
            }
            if t < minimum { minimum = t }
            if maximum < t { maximum = t }
            sum += t.value
        }
    }
}
