/// Extremes of the cell voltages of a frame, and whether every used channel was plausible.
/// (A generic type rather than a generic function: the host specialises generic types reliably.)
@usableFromInline struct CellSummary<let n: Int, let m: Int> {
    @usableFromInline var minimum = Volts(.infinity)
    @usableFromInline var maximum = Volts(-.infinity)
    @usableFromInline var sum: Float = 0
    @usableFromInline var valid = true
    @usableFromInline var flags = MeasurementFlags.clear

    /// Number of cells summed (all but the excluded ones).
    @usableFromInline var counted = 0

    /// Summarises the cells, leaving out those marked in `excluded` (cells known to have failed
    /// short: they read about 0 V by nature).
    @inlinable init(_ frame: MeasurementFrame<n, m>, count: Int, plausible: ClosedRange<Volts>, excluded: Span<Bool>, settings: ValidationSettings) {
        // Accumulated in locals (registers), stored once: stored properties updated in the loop
        // stay in memory, a store and a load on every cell's critical path.
        let low = plausible.lowerBound.value
        let high = plausible.upperBound.value
        var lowest = Float.infinity
        var highest = -Float.infinity
        var total: Float = 0
        var n = 0
        var notANumber = false
        var outOfRange = false
        for i in 0..<count {
            if excluded[i] { continue }
            let v = frame.cellVoltages[i].value
            guard v.isFinite else {
                notANumber = true
                continue
            }
            guard v >= low, v <= high else {
                outOfRange = true
                continue
            }
            if v < lowest { lowest = v }
            if highest < v { highest = v }
            total += v
            n += 1
        }
        minimum = Volts(lowest)
        maximum = Volts(highest)
        sum = total
        counted = n
        if notANumber {
            valid = false
            flags.insert(.notANumber)
        }
        if outOfRange {
            valid = false
            flags.insert(.outOfRange)
        }
        // Judged on the raw readings: the neighbour of an open wire may read beyond the plausible
        // range (two cells), so the mean is that of the plausible cells summed above.
        if count >= 3, counted > 0, Self.hasOpenWire(frame, count: count, mean: sum / Float(counted), settings: settings) {
            valid = false
            flags.insert(.openWire)
        }
    }

    /// An open sense wire between cells i and i+1 makes one read about 0 V and the other about
    /// two cells. (A failed-short cell also reads about 0 V, but its neighbours read normally.)
    @inlinable static func hasOpenWire(_ frame: MeasurementFrame<n, m>, count: Int, mean: Float, settings: ValidationSettings) -> Bool {
        let low = settings.collapsedCellFraction.value
        let high = settings.openWireHighFraction.value
        for i in 0..<count where frame.cellVoltages[i].value < low * mean {
            let below = i > 0 ? frame.cellVoltages[i - 1].value : 0
            let above = i + 1 < count ? frame.cellVoltages[i + 1].value : 0
            if below > high * mean || above > high * mean { return true }
        }
        return false
    }
}

/// Extremes of the module temperatures of a frame, and whether every used sensor was plausible.
@usableFromInline struct TemperatureSummary<let n: Int, let m: Int> {
    @usableFromInline var minimum = Celsius(.infinity)
    @usableFromInline var maximum = Celsius(-.infinity)
    @usableFromInline var sum: Float = 0
    @usableFromInline var valid = true
    @usableFromInline var flags = MeasurementFlags.clear

    /// `edges`: the modules' edge thermocouples count for the maximum too (the over-temperature
    /// tiers see the hotter of each pair even while the two agree).
    @inlinable init(_ frame: MeasurementFrame<n, m>, count: Int, plausible: ClosedRange<Celsius>, edges: Bool) {
        if edges {
            for i in 0..<count {
                let t = frame.edgeTemperatures[i]
                if t.isFinite, plausible.contains(t), maximum < t { maximum = t }
            }
        }
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
