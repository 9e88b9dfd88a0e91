/// Extremes of the cell voltages of a frame, and whether every used channel was plausible.
/// (A generic type rather than a generic function: the host specialises generic types reliably.)
struct CellSummary<let n: Int, let m: Int> {
    var minimum = Volts(.infinity)
    var maximum = Volts(-.infinity)
    var sum: Float = 0
    var valid = true
    var flags = MeasurementFlags.clear

    /// Number of cells summed (all but the excluded ones).
    var counted = 0

    /// Summarises the cells, leaving out those marked in `excluded` (cells known to have failed
    /// short: they read about 0 V by nature).
    init(_ frame: MeasurementFrame<n, m>, count: Int, plausible: ClosedRange<Volts>, excluded: InlineArray<n, Bool>) {
        for i in 0..<count {
            if excluded[i] { continue }
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
            counted += 1
        }
        // Judged on the raw readings: the neighbour of an open wire may read beyond the plausible
        // range (two cells), so the mean is that of the plausible cells summed above.
        if count >= 3, counted > 0, Self.hasOpenWire(frame, count: count, mean: sum / Float(counted)) {
            valid = false
            flags.insert(.openWire)
        }
    }

    /// An open sense wire between cells i and i+1 makes one read about 0 V and the other about
    /// two cells. (A failed-short cell also reads about 0 V, but its neighbours read normally.)
    static func hasOpenWire(_ frame: MeasurementFrame<n, m>, count: Int, mean: Float) -> Bool {
        for i in 0..<count where frame.cellVoltages[i].value < 0.25 * mean {
            let below = i > 0 ? frame.cellVoltages[i - 1].value : 0
            let above = i + 1 < count ? frame.cellVoltages[i + 1].value : 0
            if below > 1.6 * mean || above > 1.6 * mean { return true }
        }
        return false
    }
}

/// Extremes of the module temperatures of a frame, and whether every used sensor was plausible.
struct TemperatureSummary<let n: Int, let m: Int> {
    var minimum = Celsius(.infinity)
    var maximum = Celsius(-.infinity)
    var sum: Float = 0
    var valid = true
    var flags = MeasurementFlags.clear

    init(_ frame: MeasurementFrame<n, m>, count: Int, plausible: ClosedRange<Celsius>) {
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

/// Finds ZEBRA cells that have failed short: about 0 V (below a quarter of the mean) while both
/// neighbours read normally (an open wire would make a neighbour read two cells). A suspect is left
/// out of the cell statistics at once (so under-voltage protection does not trip on a cell the
/// chemistry is designed to lose) and confirmed after `confirmSteps`; confirmed cells stay out.
struct FailedShortDetector<let maxCells: Int, let m: Int>: Sendable {
    var suspectSteps: InlineArray<maxCells, Int32> = InlineArray(repeating: 0)
    /// Cells confirmed failed short.
    var failed: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    /// Cells left out of the statistics this step (confirmed or suspected).
    var excluded: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    var failedCount = 0

    mutating func update(_ frame: MeasurementFrame<maxCells, m>, count: Int, confirmSteps: Int32) {
        var sum: Float = 0
        var n = 0
        for i in 0..<count where !failed[i] {
            let v = frame.cellVoltages[i].value
            if v.isFinite { sum += v; n += 1 }
        }
        guard n > 2 else { return }
        let mean = sum / Float(n)
        for i in 0..<count where !failed[i] {
            let v = frame.cellVoltages[i].value
            let below = i > 0 ? frame.cellVoltages[i - 1].value : mean
            let above = i + 1 < count ? frame.cellVoltages[i + 1].value : mean
            let neighboursNormal = below > 0.5 * mean && below < 1.5 * mean && above > 0.5 * mean && above < 1.5 * mean
            if v.isFinite, v < 0.25 * mean, neighboursNormal {
                suspectSteps[i] &+= 1
                excluded[i] = true
                if suspectSteps[i] >= confirmSteps {
                    failed[i] = true
                    failedCount += 1
                }
            } else {
                suspectSteps[i] = 0
                excluded[i] = false
            }
        }
    }
}
