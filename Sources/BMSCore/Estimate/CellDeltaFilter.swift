/// Per-cell SoC as the mean cell's plus a per-cell difference ("bar-delta", Plett): one scalar
/// filter per cell, so hundreds of cells cost little.
///
/// A cell's difference moves with the charge that passes (a cell of smaller capacity than the
/// mean moves further: its mismatch times the mean cell's move, the string fanning out toward
/// both ends of charge), with balancing, and by a slow random walk (self-discharge). Each cell's
/// filter has two states, the difference and the capacity mismatch, and their covariance (as
/// Plett's capacity-delta filters): the mismatch is what two rests at different SoCs tell apart.
/// The difference is measured at rest, once per rest, from the cell's own OCV read
/// against the mean cell's estimate: the middle of the SoC range consistent with the cell's
/// reading (read at the table's voltage for the mean's SoC plus the cell's own difference from
/// the mean voltage) minus the mean's SoC (docs/core.md), with the range's width as its uncertainty. On a plateau the ranges
/// are wide and the differences stay where they were.
public struct CellDeltaFilter<let maxCells: Int, let maxModules: Int>: Sendable {
    /// SoC difference of each cell from the mean cell.
    @inlinable public var delta: InlineArray<maxCells, Float> { _read { yield _delta } }
    @usableFromInline var _delta: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    /// Its variance.
    @inlinable public var variance: InlineArray<maxCells, Float> { _read { yield _variance } }
    @usableFromInline var _variance: InlineArray<maxCells, Float>
    /// Each cell's capacity mismatch, mean cell's capacity / the cell's - 1 (0 until learnt).
    @inlinable public var mismatch: InlineArray<maxCells, Float> { _read { yield _mismatch } }
    @usableFromInline var _mismatch: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    /// Its variance, and its covariance with the difference.
    @usableFromInline var _mismatchVariance: InlineArray<maxCells, Float>
    @usableFromInline var _covariance: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    /// The last rest's own read of each difference (before filtering; NaN before the first).
    @inlinable public var lastRead: InlineArray<maxCells, Float> { _read { yield _lastRead } }
    @usableFromInline var _lastRead: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// Its settings (`CoreConfiguration`).
    public let settings: CellDeltaSettings

    /// Each cell's sharp resting read kept as the reference for the self-discharge check, and the
    /// hours since the references were taken.
    @usableFromInline var restDelta: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var hoursSinceReference: Float = .nan
    /// The charge booked as bled from each cell (less the mean cell's share) since its
    /// reference read: balancing between two reads is not self-discharge.
    @usableFromInline var bledSinceReference: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    /// The least interval between two compared reads, hours: an hour, less the rounding of its
    /// sum.
    @usableFromInline static var comparedAfter_h: Float { 0.99 }
    /// Cells whose last comparison showed a loss beyond the rate and the reads' errors: a second
    /// in a row confirms a soft short (one read off by its cell's own relaxation or OCV spread
    /// shows as one loss, then a gain).
    @usableFromInline var leakSuspect: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    /// The sigma of each cell's reference read (NaN before one).
    @usableFromInline var restSigma: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// The mean cell's SoC (the reads' anchor) when the references were taken (NaN before).
    @usableFromInline var restAnchor: Float = .nan
    /// Cells whose self-discharge is anomalous (a soft short), latched until reset.
    @inlinable public var softShort: InlineArray<maxCells, Bool> { _read { yield _softShort } }
    @usableFromInline var _softShort: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    @inlinable public var softShortCount: Int { _read { yield _softShortCount } }
    @usableFromInline var _softShortCount: Int = 0

    @inlinable public init(settings: CellDeltaSettings = CellDeltaSettings()) {
        self.settings = settings
        _variance = InlineArray(repeating: settings.initialSigma.value * settings.initialSigma.value)
        _mismatchVariance = InlineArray(repeating: settings.capacityMismatchSigma.value * settings.capacityMismatchSigma.value)
    }

    /// Moves the differences by what balancing bled over one step: `bled[k]` is the SoC cell k
    /// lost, `meanBled` what the mean cell lost (the pack counter books that part).
    @inlinable mutating func applyBleed(_ bled: Span<Float>, meanBled: Float, count: Int) {
        for k in 0..<count {
            _delta[k] -= bled[k] - meanBled
            bledSinceReference[k] += bled[k] - meanBled
        }
    }

    /// Moves every difference by its mismatch times `swing`, the mean cell's SoC change over the
    /// step (the counted charge over the capacity), and grows its variance by that and by the
    /// walk over `dt` seconds.
    @inlinable mutating func predict(count: Int, dt: Float, swing s: Float) {
        let q = settings.walk_per_sqrt_h * settings.walk_per_sqrt_h * dt / 3600
        for k in 0..<count {
            _delta[k] += _mismatch[k] * s
            _variance[k] += s * (2 * _covariance[k] + s * _mismatchVariance[k]) + q
            _covariance[k] += s * _mismatchVariance[k]
        }
        if hoursSinceReference.isFinite { hoursSinceReference += dt / 3600 }
    }

    /// Whether two slopes of the table are alike for the soft-short comparison: both positive and
    /// within `CellDeltaSettings.sameSlopeForSoftShort` of each other.
    @inlinable func sameSlope(_ a: Float, _ b: Float) -> Bool {
        min(a, b) > 0 && max(a, b) < settings.sameSlopeForSoftShort * min(a, b)
    }

    /// The SoC range whose OCV lies within `reach` of voltage `v` (a cell's reading taken to the
    /// anchor); nil where that runs off the table's ends, where the read would collapse to a
    /// "sharp" one at the end.
    @inlinable static func readRange(_ v: Float, reach: Float, table: OCVTable) -> ClosedRange<StateOfCharge>? {
        guard table.covers(Volts(v - reach), Volts(v + reach)) else { return nil }
        return table.socRange(forVoltage: Volts(v - reach), Volts(v + reach))
    }

    /// A read range's difference from the mean cell at `anchor` (its middle) and its sigma.
    /// (Static: a method would copy the filter's per-cell arrays onto the firmware's stack.)
    @inlinable static func readOf(_ r: ClosedRange<StateOfCharge>, anchor: Float, settings: CellDeltaSettings) -> (read: Float, sigma: Float) {
        let width = r.upperBound.value - r.lowerBound.value
        return ((r.lowerBound.value + r.upperBound.value) / 2 - anchor, max(width / (2 * settings.readSigmas), settings.readSigmaFloor.value))
    }

    /// What cell `k` lost against the mean cell since its reference read, the charge bled from
    /// it added back, where its read can be compared: sharp (`sharpRead`), a reference to
    /// compare with, no soft short latched, and the cell on one slope of the table both times
    /// (near an end of the table the cells spread over a steepening foot, and as the mean cell
    /// moved down it the reads of the cells above it shrank hour by hour: an end-of-life sulfide
    /// string discharged to 5 %). Nil otherwise. (Mutating though it changes nothing: a method
    /// borrowing the filter copied its per-cell arrays onto the firmware's stack.)
    @inlinable mutating func comparedLoss(_ k: Int, read: Float, sigma: Float, anchor: Float, table: OCVTable) -> Float? {
        guard sigma < settings.sharpRead.value, restDelta[k].isFinite, !_softShort[k],
              sameSlope(table.evaluate(StateOfCharge(anchor + read)).slope, table.evaluate(StateOfCharge(restAnchor + restDelta[k])).slope)
        else { return nil }
        return read - restDelta[k] + bledSinceReference[k]
    }

    /// Corrects every difference with the cells' resting voltages. `voltageSigma` is what tells
    /// one cell's reading from another's (noise, channel offsets, cell-to-cell OCV spread), not the
    /// table's error, which every cell shares and the difference cancels.
    ///
    /// Each cell is read at the table's voltage for the mean cell's estimated SoC (`anchor`)
    /// plus its own difference from the mean rest voltage: what all cells share (the table's
    /// offset, the temperature shift, relaxation still under way) leaves the differences, and a
    /// mean voltage a few millivolts off its OCV cannot put every cell's read across a knee of
    /// the table (a ZEBRA plateau's lower end) where the table's nonlinearity would make equal
    /// voltages different SoCs.
    ///
    /// `noiseSigma` is the part of `voltageSigma` that one cell's two reads do not share: its
    /// averaged noise (its channel's offset and its OCV's offset from the others' are the same
    /// in both at one state of charge); NaN takes `voltageSigma` whole.
    @inlinable mutating func updateResting(
        voltages: InlineArray<maxCells, Float>, count: Int, excluded: Span<Bool>, meanVoltage: Float,
        anchor: StateOfCharge, table: OCVTable, voltageSigma: Float, noiseSigma: Float = .nan
    ) {
        // Three sigma for one cell's single reading: at two, one cell in twenty would read a
        // narrow range off a plateau's sloped end at every rest and be moved there.
        let reach = settings.readSigmas * voltageSigma
        let atAnchor = table.evaluate(anchor)
        let anchorVoltage = atAnchor.voltage.value
        // Differences are taken from the anchor itself, not from the middle of the mean cell's
        // own read range: at a plateau's knee that range runs one way across the plateau, and its
        // middle would sit tens of percent from the anchor (a Na-S string resting at 40 % read
        // one cell 30 % below the others).
        let anchorSoC = anchor.value
        // References are taken at the first rest and then compared and renewed once an hour has
        // passed. (The hours are summed in Float step by step, and a rest re-reads every hour
        // (`RestSettings.cellRereadPeriod`): the re-read an hour on found 0.9999 h and the
        // comparisons came every two hours.)
        let renew = hoursSinceReference >= Self.comparedAfter_h || hoursSinceReference.isNaN
        // ... at one state of charge and one slope of the table (`sameSoCForSoftShort`,
        // `sameSlopeForSoftShort`); otherwise the references renew.
        let slopeThen = restAnchor.isFinite ? table.evaluate(StateOfCharge(restAnchor)).slope : 0
        let compare = hoursSinceReference >= Self.comparedAfter_h && abs(anchor.value - restAnchor) < settings.sameSoCForSoftShort.value
            && sameSlope(atAnchor.slope, slopeThen)
        // First the reads' consistency: their ranges, averaged over the cells, must hold the
        // mean cell's zero difference (`CellDeltaSettings.readConsistency`).
        var lowest: Float = 0
        var highest: Float = 0
        var read = 0
        for k in 0..<count where !excluded[k] {
            guard let r = Self.readRange(voltages[k] - meanVoltage + anchorVoltage, reach: reach, table: table) else { continue }
            lowest += r.lowerBound.value - anchorSoC
            highest += r.upperBound.value - anchorSoC
            read += 1
        }
        let tolerance = settings.readConsistency.value * Float(read)
        guard lowest <= tolerance, highest >= -tolerance else {
            for k in 0..<count { _lastRead[k] = .nan }
            return
        }
        // A soft short is one cell's loss against the others: what the compared cells lost alike
        // (the median of their losses, with three or more compared) is the reads' common shift
        // from rest to rest, not a leak. A drained end-of-life polymer string resting at 3 %,
        // one cell on the OCV's steep foot pulling the mean voltage down, read nine of its
        // thirteen compared cells 0.5-0.6 % lower than an hour before, the median -0.57 %, and
        // raised a false softShort. Only a common loss is taken out: a common gain taken out
        // made a loss of a cell that stood still (an end-of-life sulfide string on a fresh seed).
        var common: Float = 0
        var scatter: Float = 0
        if compare {
            var losses = InlineArray<maxCells, Float>(repeating: 0)
            var compared = 0
            for k in 0..<count where !excluded[k] {
                guard let r = Self.readRange(voltages[k] - meanVoltage + anchorVoltage, reach: reach, table: table) else { continue }
                let (read, sigma) = Self.readOf(r, anchor: anchorSoC, settings: settings)
                guard let lost = comparedLoss(k, read: read, sigma: sigma, anchor: anchorSoC, table: table) else { continue }
                losses[compared] = lost
                compared += 1
            }
            if compared >= 3 {
                let median = losses.sortedMedian(of: compared)
                common = min(0, median)
                // ... and how far the compared cells' losses scatter about it (1.4826 MAD): a
                // loss must stand out from that as well.
                scatter = losses.robustScatter(about: median, of: compared)
            }
        }
        for k in 0..<count where !excluded[k] {
            guard let r = Self.readRange(voltages[k] - meanVoltage + anchorVoltage, reach: reach, table: table) else {
                _lastRead[k] = .nan
                continue
            }
            let (read, sigma) = Self.readOf(r, anchor: anchorSoC, settings: settings)
            _lastRead[k] = read
            // As for the mean cell: a weak read the difference already satisfies is not applied
            // (repeated plateau reads are not independent and would pull toward its middle).
            let estimate = anchorSoC + _delta[k]
            let inside = estimate >= r.lowerBound.value && estimate <= r.upperBound.value
            if !(inside && sigma * sigma > _variance[k]) {
                let total = _variance[k] + sigma * sigma
                let gain = _variance[k] / total
                let mismatchGain = _covariance[k] / total
                let innovation = read - _delta[k]
                _delta[k] += gain * innovation
                _mismatch[k] += mismatchGain * innovation
                _mismatchVariance[k] -= mismatchGain * _covariance[k]
                _covariance[k] *= 1 - gain
                _variance[k] *= 1 - gain
            }
            // Self-discharge anomaly: compare sharp reads (sigma under 1 %) an hour or more apart.
            if sigma < settings.sharpRead.value, renew {
                // A loss must beat the rate and the two reads' own errors, which do not grow with
                // the interval (a short one made a read difference look like a fast leak): their
                // noise, not what one cell's two reads share (`noiseSigma`; with the channel
                // offset and OCV spread counted a sulfide cell leaking 1.6 %/h read 1.0 ... 1.7 %
                // lost an hour against a bar of 1.3 %, and was flagged only when two came in a row),
                // nor less than the compared cells' losses scatter (at a table's foot, the cells
                // spread across its bend, a NASICON string's losses scattered by 1 ... 5 % between
                // two rests, which the noise alone took for a leak).
                let unshared = noiseSigma.isFinite && voltageSigma > 0 ? min(1, noiseSigma / voltageSigma) : 1
                let readError = settings.readSigmas
                    * max(unshared * (sigma * sigma + restSigma[k] * restSigma[k]).squareRoot(), scatter)
                if compare, let own = comparedLoss(k, read: read, sigma: sigma, anchor: anchorSoC, table: table) {
                    let lost = own - common
                    // A cell bled more than the mean cell since its reference is no evidence: the
                    // firmware bleeds the fullest cells, a leaking one falls below them and stops
                    // bleeding, and a bled cell's read at a table's foot fell 1.3 ... 1.9 % an hour
                    // more than its booked bleed (health sweep run 2, sulfide at 4 ... 7 %).
                    let ownBleed = bledSinceReference[k] > 0
                    let losing = !ownBleed && lost / hoursSinceReference < -settings.softShortRate_per_h && -lost > readError
                    if losing && leakSuspect[k] {
                        _softShort[k] = true
                        _softShortCount += 1
                    }
                    leakSuspect[k] = losing
                }
                restDelta[k] = read
                restSigma[k] = sigma
                bledSinceReference[k] = 0
            }
        }
        if renew {
            hoursSinceReference = 0
            restAnchor = anchorSoC
        }
    }
}
