/// Per-cell interface health from the resistance estimates: the split into electrolyte and
/// interface parts, the interface's growth trend, contact-loss steps and the contact fraction the
/// CCD derating needs.
///
/// At 10 Hz the interface arc (microseconds to milliseconds) cannot be told from the bulk by its
/// dynamics, so the split uses the datasheet and the cell's own history: each cell's resistance
/// at commissioning (`baseline`: its pooled estimate once `baselineWindows` windows have been
/// fitted and the pooled fit holds `baselineSteps` current steps) holds the datasheet's interface share (`CellModel.interfaceResistance`) and the rest is
/// electrolyte; every later rise is charged to the interface, which is where solid-state sodium
/// cells degrade (interphase growth, voids, delamination). For the CCD this is the conservative
/// reading: the contact fraction f = R_int / (R_int + rise) is the smallest the rise (past a
/// deadband for the estimates' noise) allows, and
/// the local current density is the apparent one over f. (A pack commissioned already worn
/// starts from its worn state.)
///
/// A contact-loss step: a cell whose last hour's resistance (`ResistanceEstimator.recent`)
/// stands above its long-term value by `contactStep` of its interface part (at least
/// `minimumStep` of the whole) and, by more than half that, above the median cell's ratio (so a pack-wide temperature or model effect does not count) and by
/// `stepSigmas` of the cells' scatter that window (so the noise of a weakly excited hour does
/// not), for `confirmWindows` excited windows in a row (`ResistanceEstimator.recentFresh`: a
/// window of rest repeats the last fit and neither counts nor breaks the run), with the pack SoC
/// inside `evidenceSoC` for the fit's memory. Latched per cell (`contactLoss`) until reset.
public struct InterfaceHealth<let maxCells: Int, let maxModules: Int>: Sendable {
    /// Its settings (`CoreConfiguration`).
    public let settings: InterfaceHealthSettings

    @usableFromInline var baselineTaken = false
    /// Each cell's resistance at commissioning, ohms at the reference (NaN until taken).
    @inlinable public var baseline: InlineArray<maxCells, Float> { _read { yield _baseline } }
    @usableFromInline var _baseline: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// Interface part per cell, ohms at the reference temperature (NaN before the first fit).
    @inlinable public var interface: InlineArray<maxCells, Float> { _read { yield _interface } }
    @usableFromInline var _interface: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// Estimated contact fraction per cell (1 = full contact).
    @inlinable public var contactFraction: InlineArray<maxCells, Float> { _read { yield _contactFraction } }
    @usableFromInline var _contactFraction: InlineArray<maxCells, Float> = InlineArray(repeating: 1)
    /// Cells with a contact-loss step (latched until reset).
    @inlinable public var contactLoss: InlineArray<maxCells, Bool> { _read { yield _contactLoss } }
    @usableFromInline var _contactLoss: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    @inlinable public var contactLossCount: Int { _read { yield _contactLossCount } }
    @usableFromInline var _contactLossCount: Int = 0
    /// Growth of the mean interface part over the last full day, ohms per day (NaN before a day).
    @inlinable public var meanGrowthPerDay: Float { _read { yield _meanGrowthPerDay } }
    @usableFromInline var _meanGrowthPerDay: Float = .nan
    /// Largest growth of one cell's interface part over the last full day, ohms per day.
    @inlinable public var worstGrowthPerDay: Float { _read { yield _worstGrowthPerDay } }
    @usableFromInline var _worstGrowthPerDay: Float = .nan
    @usableFromInline var persistence: InlineArray<maxCells, Int32> = InlineArray(repeating: 0)
    @usableFromInline var daySnapshot: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var sinceSnapshot = Milliseconds.zero
    /// Windows in a row with the pack SoC within `InterfaceHealthSettings.evidenceSoC`.
    @usableFromInline var windowsInsideSoC: Float = 0

    @inlinable public init(settings: InterfaceHealthSettings = InterfaceHealthSettings()) { self.settings = settings }

    /// Updates from the resistance estimator after one of its windows closed (`window` long).
    @inlinable mutating func update(
        _ r: ResistanceEstimator<maxCells, maxModules>, cellCount: Int, excluded: InlineArray<maxCells, Bool>, model: CellModel,
        window: Milliseconds, soc: StateOfCharge
    ) {
        windowsInsideSoC = settings.evidenceSoC.contains(soc.value) ? min(windowsInsideSoC + 1, 1e6) : 0
        // The short fit remembers about 1 / (1 - forgetting) windows: all of them inside.
        let memory = 1 / max(1e-3, 1 - r.settings.shortForgetting.value)
        let evidence = r._recentFresh && windowsInsideSoC >= memory
        let ri = model.interfaceResistance.value
        var ratios = InlineArray<maxCells, Float>(repeating: .nan)
        var n = 0
        let takeBaseline = !baselineTaken && r.fits >= settings.baselineWindows && r.pooledSteps >= settings.baselineSteps
        if takeBaseline { baselineTaken = true }
        for k in 0..<cellCount where !excluded[k] {
            let total = r._reference[k]
            guard total.isFinite else { continue }
            if takeBaseline { _baseline[k] = total }
            if _baseline[k].isFinite {
                // A rise counts past the estimates' noise (`riseDeadband` of the baseline); for a
                // cell with a confirmed step the last hour's value counts where it is higher, so
                // the derating follows within the hour instead of the day the long-term value takes.
                let latest = _contactLoss[k] && r._recent[k].isFinite ? max(total, r._recent[k]) : total
                let rise = max(0, latest - _baseline[k] * (1 + settings.riseDeadband.value))
                _interface[k] = ri + rise
                _contactFraction[k] = ri > 0 ? ri / (ri + rise) : 1
            }
            let ratio = r._recent[k] / total
            if ratio.isFinite {
                ratios[n] = ratio
                n += 1
            }
        }
        let median = ratios.sortedMedian(of: n)
        // The cells' own scatter this window (1.4826 MAD: a standard deviation robust to the one
        // cell that stepped) is what an hour's fit can tell: with weak excitation the last hour's
        // estimates scatter by tens of percent, and a healthy cell stood out by chance.
        var deviations = InlineArray<maxCells, Float>(repeating: .nan)
        for j in 0..<n { deviations[j] = abs(ratios[j] - median) }
        let scatter = 1.4826 * deviations.sortedMedian(of: n)
        let noise = settings.stepSigmas * scatter
        // Only a window that brought new excitation is evidence: through a rest the short fit
        // repeats its last value, and five of those are one observation, not five.
        for k in 0..<cellCount where evidence && !excluded[k] && !_contactLoss[k] {
            let ratio = r._recent[k] / r._reference[k]
            // The rise that means a third of the contact lost, as a ratio of this cell's whole.
            let threshold = max(settings.minimumStep.value, settings.contactStep.value * ri / r._reference[k])
            let step = ratio.isFinite && threshold.isFinite && ratio > 1 + threshold && ratio - median > max(threshold / 2, noise)
            persistence[k] = step ? persistence[k] &+ 1 : 0
            if persistence[k] >= settings.confirmWindows {
                _contactLoss[k] = true
                _contactLossCount += 1
            }
        }
        // Daily trend of the interface part.
        sinceSnapshot = sinceSnapshot + window
        if sinceSnapshot.count >= 86_400_000 {
            var sum: Float = 0
            var worst = -Float.infinity
            var counted = 0
            for k in 0..<cellCount where !excluded[k] && _interface[k].isFinite && daySnapshot[k].isFinite {
                let growth = _interface[k] - daySnapshot[k]
                sum += growth
                worst = max(worst, growth)
                counted += 1
            }
            let days = sinceSnapshot.seconds / 86_400
            if counted > 0 {
                _meanGrowthPerDay = sum / Float(counted) / days
                _worstGrowthPerDay = worst / days
            }
            for k in 0..<cellCount { daySnapshot[k] = _interface[k] }
            sinceSnapshot = .zero
        } else if !daySnapshot[0].isFinite && _interface[0].isFinite {
            // The first snapshot once the first fits exist.
            for k in 0..<cellCount { daySnapshot[k] = _interface[k] }
            sinceSnapshot = .zero
        }
    }

    /// The smallest contact fraction over the cells (1 when none is known).
    @inlinable public func smallestContactFraction(count: Int, excluded: InlineArray<maxCells, Bool>) -> Float {
        var f: Float = 1
        for k in 0..<count where !excluded[k] { f = min(f, _contactFraction[k]) }
        return f
    }

    /// Clears the latched contact-loss flags (an operator's reset after inspection).
    @inlinable mutating func reset() {
        for k in 0..<maxCells {
            _contactLoss[k] = false
            persistence[k] = 0
        }
        _contactLossCount = 0
    }
}
