/// Extremes of the cell voltages of a frame, and whether every used channel was plausible.
struct CellSummary {
    var minimum = Volts(.infinity)
    var maximum = Volts(-.infinity)
    var sum: Float = 0
    var valid = true

    init<let n: Int, let m: Int>(_ frame: MeasurementFrame<n, m>, count: Int, plausible: ClosedRange<Volts>) {
        for i in 0..<count {
            let v = frame.cellVoltages[i]
            guard v.isFinite, plausible.contains(v) else {
                valid = false
                continue
            }
            if v < minimum { minimum = v }
            if maximum < v { maximum = v }
            sum += v.value
        }
    }
}

/// Extremes of the module temperatures of a frame, and whether every used sensor was plausible.
struct TemperatureSummary {
    var minimum = Celsius(.infinity)
    var maximum = Celsius(-.infinity)
    var sum: Float = 0
    var valid = true

    init<let n: Int, let m: Int>(_ frame: MeasurementFrame<n, m>, count: Int, plausible: ClosedRange<Celsius>) {
        for i in 0..<count {
            let t = frame.moduleTemperatures[i]
            guard t.isFinite, plausible.contains(t) else {
                valid = false
                continue
            }
            if t < minimum { minimum = t }
            if maximum < t { maximum = t }
            sum += t.value
        }
    }
}
