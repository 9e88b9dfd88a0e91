/// Tells when the pack rests (an OCV read is due) and when its contactors have been open long
/// enough for the current reading to be the sensor's offset; keeps every cell's voltage averaged
/// over the rest.
///
/// The current is judged averaged over `RestSettings.currentAveraging`, raw and offset-corrected:
/// either may show the rest (an offset estimate gone wrong under load must not hide every rest,
/// and with it every OCV read).
@usableFromInline struct RestDetector<let maxCells: Int, let maxModules: Int>: Sendable {
    /// The offset-corrected pack current, averaged, A.
    @usableFromInline var averagedCurrent: Float = 0
    /// The raw pack current reading, averaged, A.
    @usableFromInline var averagedRawCurrent: Float = 0
    /// Consecutive steps at rest (0: not resting).
    @usableFromInline var steps: Int32 = 0
    /// Consecutive steps with the contactors open.
    @usableFromInline var openSteps: Int32 = 0
    /// Each cell's voltage averaged over the rest (exponentially, `restVoltageWeight` per frame):
    /// one noisy sample per cell is no OCV read on a plateau a few millivolts wide.
    @usableFromInline var voltages: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    /// The mean rest voltage at the last settling checkpoint (NaN: none yet this rest).
    @usableFromInline var checkpointMean: Float = .nan
    /// This rest's OCV read has been taken.
    @usableFromInline var readTaken = false
    /// Steps since this rest's last read (its OCV read or a cells' re-read).
    @usableFromInline var sinceRead: Int32 = 0
    /// Steps since a bleed resistor last drew from a cell (`bled(_:)`): a bled cell is not at
    /// rest, and a read waits until none has bled for the relaxation time ...
    @usableFromInline var quietSteps: Int32 = stepCountCeiling
    /// ... and until the cells bled since the last read have settled as well: their mean rest
    /// voltage at the last of their checkpoints, one relaxation time apart (NaN: none bled, or
    /// no checkpoint yet) ...
    @usableFromInline var bledCheckpointMean: Float = .nan
    /// ... steps since it ...
    @usableFromInline var bledCheckpointAge: Int32 = 0
    /// ... and whether it moved by at most the settling voltage (or three sigmas of its noise)
    /// between the last two.
    @usableFromInline var bledSettled = true
    /// The cells bled since the last read.
    @usableFromInline var recentlyBled: InlineArray<maxCells, Bool> = InlineArray(repeating: false)

    /// Steps of rest after which the rest is an OCV read: `relaxationTimeConstants` polarisation
    /// time constants, at least `minimumRest`.
    @inlinable static func stepsNeeded(_ c: CoreConfiguration) -> Int32 {
        let r = c.rest
        // (Int64 -> Int32 only: the generic widening conversions allocate in Embedded mode.)
        return Int32(
            truncatingIfNeeded: max(r.minimumRest.count, Int64(r.relaxationTimeConstants * c.cellModel.polarisationTimeConstant.value * 1000))
                / c.step.count)
    }

    /// The pack current below which the pack rests (`RestSettings.restCurrent` of the rated
    /// capacity), A.
    @inlinable static func threshold(_ c: CoreConfiguration) -> Float {
        c.rest.restCurrent.current(for: c.ratedCapacity).value
    }

    /// Feeds one step's pack current (raw and offset-corrected); true while resting.
    @inlinable mutating func updateCurrent(raw: Float, corrected: Float, configuration c: CoreConfiguration) {
        let alpha = min(1, c.step.seconds / c.rest.currentAveraging.value)
        averagedCurrent += alpha * (corrected - averagedCurrent)
        averagedRawCurrent += alpha * (raw - averagedRawCurrent)
        let threshold = Self.threshold(c)
        let resting = min(abs(averagedCurrent), abs(averagedRawCurrent)) < threshold
        steps = resting ? min(steps &+ 1, stepCountCeiling) : 0
        quietSteps = min(quietSteps &+ 1, stepCountCeiling)
    }

    /// Cell `k`'s bleed resistor drew from it over the last step: the quiet time starts again.
    @inlinable mutating func bled(_ k: Int) {
        quietSteps = 0
        recentlyBled[k] = true
        bledCheckpointMean = .nan
        bledSettled = false
    }

    /// Whether the bleed resistors are to be off for a read: resting, and a read due (this
    /// rest's OCV read past the relaxation time, or a re-read past its period) and not yet
    /// taken; off for at most a re-read period (`RestSettings.cellRereadPeriod`), on for the
    /// next, and so on until the read comes (cells that never settle do not stop the balancing
    /// for good). (Held back until the bleeding stopped on its own, a soft-shorted cell, which
    /// the others are bled down to more slowly than it leaks, was read hours late or never.)
    @inlinable func wantsPause(needed: Int32, configuration c: CoreConfiguration) -> Bool {
        guard steps > 0 else { return false }
        let period = max(1, Int32(truncatingIfNeeded: c.rest.cellRereadPeriod.count / c.step.count))
        let waited = readTaken ? sinceRead &- period : steps &- needed
        return waited >= 0 && (waited / period) % 2 == 0
    }

    /// Averages the cell voltages over the rest (the first resting frame starts the average). A
    /// sample that is not finite is skipped (one NaN made the average NaN for the whole rest, and
    /// the rest gave no read); a cell whose average has no sample yet takes its next finite one.
    @inlinable mutating func updateVoltages(_ frame: MeasurementFrame<maxCells, maxModules>, configuration c: CoreConfiguration) {
        let weight = c.rest.restVoltageWeight.value
        if steps == 1 {
            for k in 0..<c.cellCount { voltages[k] = frame.cellVoltages[k].value.isFinite ? frame.cellVoltages[k].value : .nan }
        } else if steps > 1 {
            for k in 0..<c.cellCount {
                let v = frame.cellVoltages[k].value
                guard v.isFinite else { continue }
                voltages[k] = voltages[k].isFinite ? voltages[k] + weight * (v - voltages[k]) : v
            }
        }
    }

    /// The noise of one cell's rest-voltage average, from one reading's `cellNoise` (the
    /// exponential average of weight w keeps w / (2 - w) of the variance).
    @inlinable static func averagedNoise(_ cellNoise: Float, configuration c: CoreConfiguration) -> Float {
        let weight = c.rest.restVoltageWeight.value
        return cellNoise * (weight / (2 - weight)).squareRoot()
    }

    /// True once per rest, on the first settling checkpoint past `needed` steps of rest and of
    /// quiet (no cell bled; the cells bled since the last read settled, `checkBled`) at which the
    /// mean rest voltage of the cells not `excluded` moved by at most the settling voltage (or
    /// three sigmas of the difference of two checkpoints, the mean of `counted` cells' averages
    /// with `cellNoise` each being one) since the last. When true, `checkpointMean` is the mean
    /// rest voltage the read is taken at.
    @inlinable mutating func readDue(
        needed: Int32, count: Int, excluded: Span<Bool>, cellNoise: Float, counted: Int, configuration c: CoreConfiguration
    ) -> Bool {
        if steps == 0 {
            checkpointMean = .nan
            bledCheckpointMean = .nan
            readTaken = false
            sinceRead = 0
            return false
        }
        let period = max(1, Int32(truncatingIfNeeded: c.rest.settlingPeriod.count / c.step.count))
        guard steps % period == 0 else { return false }
        checkBled(needed: needed, count: count, excluded: excluded, cellNoise: cellNoise, configuration: c)
        guard !readTaken else { return false }
        var sum: Float = 0
        var n: Float = 0
        for k in 0..<count where !excluded[k] {
            sum += voltages[k]
            n += 1
        }
        guard n > 0 else { return false }
        let mean = sum / n
        let previous = checkpointMean
        checkpointMean = mean
        guard steps >= needed, quietSteps >= needed, bledSettled, previous.isFinite else { return false }
        guard abs(mean - previous) <= Self.settlingLimit(cells: counted, cellNoise: cellNoise, configuration: c) else { return false }
        readTaken = true
        sinceRead = 0
        forgetBled(count: count)
        return true
    }

    /// How far a mean of `cells` rest voltages may move over a settling period and count as
    /// settled: the settling voltage, or three sigmas of the difference of two such means.
    @inlinable static func settlingLimit(cells: Int, cellNoise: Float, configuration c: CoreConfiguration) -> Float {
        let meanNoise = averagedNoise(cellNoise, configuration: c) / Float(max(1, cells)).squareRoot()
        return max(c.rest.settlingVoltage.value, 3 * meanNoise * Float(2).squareRoot())
    }

    /// A settling checkpoint of the cells bled since the last read, taken on the first settling
    /// checkpoint `needed` steps (the relaxation time) after the last: `bledSettled` unless
    /// their mean rest voltage moved by more than the settling limit between the two (or this
    /// is the first since a cell bled). (Over one settling period a bled cell's recovery, a few
    /// millivolts over many minutes, stays inside one cell's noise; over a relaxation time it
    /// does not.)
    @inlinable mutating func checkBled(needed: Int32, count: Int, excluded: Span<Bool>, cellNoise: Float, configuration c: CoreConfiguration) {
        bledCheckpointAge = min(bledCheckpointAge &+ Int32(truncatingIfNeeded: c.rest.settlingPeriod.count / c.step.count), stepCountCeiling)
        guard bledCheckpointAge >= needed || bledCheckpointMean.isNaN else { return }
        bledCheckpointAge = 0
        var sum: Float = 0
        var n = 0
        for k in 0..<count where recentlyBled[k] {
            // (The span read stays out of the `where` clause: inside `&&` it crashes the 6.3.1
            // compiler's copy propagation.)
            let out = excluded[k]
            if out { continue }
            sum += voltages[k]
            n += 1
        }
        guard n > 0 else {
            forgetBled(count: 0)
            return
        }
        let mean = sum / Float(n)
        let previous = bledCheckpointMean
        bledCheckpointMean = mean
        bledSettled = previous.isFinite && abs(mean - previous) <= Self.settlingLimit(cells: n, cellNoise: cellNoise, configuration: c)
    }

    /// A read was taken: the cells bled before it are forgotten.
    @inlinable mutating func forgetBled(count: Int) {
        for k in 0..<count { recentlyBled[k] = false }
        bledCheckpointMean = .nan
        bledCheckpointAge = 0
        bledSettled = true
    }

    /// True every `RestSettings.cellRereadPeriod` of a rest whose OCV read has been taken, on a
    /// settling checkpoint (the cells' averages then hold the last period's voltages), once no
    /// cell has bled for `needed` steps and the cells bled since the last read have settled (a
    /// re-read due while cells bleed waits for that). `readDue`, called first each step, takes
    /// the checkpoints.
    @inlinable mutating func cellRereadDue(needed: Int32, configuration c: CoreConfiguration) -> Bool {
        guard readTaken, steps > 0 else { return false }
        sinceRead = min(sinceRead &+ 1, stepCountCeiling)
        let period = max(1, Int32(truncatingIfNeeded: c.rest.settlingPeriod.count / c.step.count))
        guard sinceRead >= Int32(truncatingIfNeeded: c.rest.cellRereadPeriod.count / c.step.count), steps % period == 0,
            quietSteps >= needed, bledSettled
        else { return false }
        sinceRead = 0
        forgetBled(count: c.cellCount)
        return true
    }

    /// Counts the steps the contactors have been open; true once they have been open for the
    /// settling time (no current can flow: the reading is the sensor's offset).
    @inlinable mutating func updateContactors(closed: Bool, configuration c: CoreConfiguration) -> Bool {
        openSteps = closed ? 0 : min(openSteps &+ 1, stepCountCeiling)
        return openSteps &* Int32(truncatingIfNeeded: c.step.count) >= Int32(truncatingIfNeeded: c.rest.openContactorSettling.count)
    }
}
