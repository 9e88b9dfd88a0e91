/// Per-cell ohmic resistance from the current changes of normal operation, normalised to the
/// reference temperature (so warming is not mistaken for healing) and, for ZEBRA, to full charge.
///
/// The frames are averaged in blocks of `blockFrames` (1 s at 100 ms): each cell's voltage, with
/// the modelled polarisation of the mean cell added back (a block is long enough for a 10 s RC
/// element to move by several percent), and the current. Between blocks b-1 and b the changes
/// dV_k and dI relate through the ohmic resistance; block means cut the voltage noise by
/// sqrt(blockFrames), which is what makes a per-cell resistance possible from a day of 2 s
/// grid set-points with a 5 mV front end. The current's noise is in dI, so a least-squares fit
/// would read low; the fit uses the change z between blocks b-2 and b+1 as an instrument (its
/// noise is independent of dI's; it carries the same step when the current moves smoothly or
/// holds, as an inverter's set-points do):
///
///     R_k = -sum(dV_k z / (f g_k)) / sum(dI z)
///
/// with f the Arrhenius factor and g_k = (R0 + k_front DoD_k) / R0 the datasheet law's rise with
/// the cell's depth of discharge (1 without a reaction front). The rise is divided out, not
/// subtracted: a cell's spread scales its front with the rest of its resistance.
///
/// The sums are pooled over windows, older windows fading by `forgetting` per window (about 17 h
/// of memory at the defaults: slow enough to average the noise of a day, fast enough to follow
/// ageing), and `reference` is the pooled ratio. (Pooling ratios window by window instead would
/// keep the windows whose noise happened to enlarge sum(dI z) past a threshold and read low.)
/// The same sums with an hour's memory give `recent`, for spotting a step.
public struct ResistanceEstimator<let maxCells: Int, let maxModules: Int>: Sendable {
    /// Its settings (`CoreConfiguration`).
    public let settings: ResistanceFitSettings

    /// Running sums of the block being filled, and the two finished blocks before it (means).
    @usableFromInline var blockVoltage: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    @usableFromInline var lastBlock: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var blockBefore: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var blockCurrent: Float = 0
    @usableFromInline var blockFactor: Float = 0
    @usableFromInline var framesInBlock: Int32 = 0
    /// The block being filled, and the two finished before it, had frames flowing both ways (their
    /// mean voltage mixes two directions' resistances: with a reaction front, not a sample).
    @usableFromInline var blockHighest: Float = -.infinity
    @usableFromInline var blockLowest: Float = .infinity
    @usableFromInline var lastBlockMixed = false
    @usableFromInline var blockBeforeMixed = false
    /// Block-mean currents: the step b-2 -> b-1 and its instrument b-3 -> b.
    @usableFromInline var instrument = StepInstrument()
    /// Temperature factor and depth normalisation of blocks b-1 and b (for the pair b-1 -> b).
    @usableFromInline var lastFactor: Float = .nan
    @usableFromInline var sumVZ: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    @usableFromInline var sumIZ: Float = 0
    @usableFromInline var steps: Float = 0
    @usableFromInline var pooledSteps: Float = 0
    @usableFromInline var shortSteps: Float = 0
    @usableFromInline var windowTimer = PeriodicTimer()
    @usableFromInline var pooledVZ: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    @usableFromInline var pooledIZ: Float = 0
    @usableFromInline var shortVZ: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    @usableFromInline var shortIZ: Float = 0

    /// Resistance at the reference temperature (and full charge), per cell, ohms: the pooled fit
    /// (NaN before there is enough excitation).
    @inlinable public var reference: InlineArray<maxCells, Float> { _read { yield _reference } }
    @usableFromInline var _reference: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// The last hour or so, per cell, ohms at the reference (NaN before there is enough
    /// excitation): a step rise shows here long before it moves `reference`.
    @inlinable public var recent: InlineArray<maxCells, Float> { _read { yield _recent } }
    @usableFromInline var _recent: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// Windows closed with a pooled fit so far.
    @inlinable public var fits: Int32 { _read { yield _fits } }
    @usableFromInline var _fits: Int32 = 0
    /// Excitation sum(dI z) behind `recent`, A^2 (its noise scales as 1 / sqrt of it).
    @inlinable public var recentExcitation: Float { _read { yield _recentExcitation } }
    @usableFromInline var _recentExcitation: Float = 0
    /// Whether the last window brought new excitation into `recent` (at least its share of the
    /// short fit's thresholds), rather than repeating a decaying sum through a rest.
    @inlinable public var recentFresh: Bool { _read { yield _recentFresh } }
    @usableFromInline var _recentFresh = false

    @inlinable public init(settings: ResistanceFitSettings = ResistanceFitSettings()) { self.settings = settings }

    /// Feeds a fresh, valid frame's cell voltages, the modelled polarisation of the mean cell
    /// (`polarisation`, V, added back to each cell) and the current (a cell's share of the pack
    /// current). `frontRise` is the law's relative rise per unit depth of the active reaction
    /// front (k_front / R0, 0 without a front); each cell's depth is the mean cell's `front.depth`
    /// plus its sensitivity to the SoC times the cell's SoC difference in `cellDeltas` (on the
    /// deepest front a cell that holds more charge has its front nearer the separator). Returns
    /// whether a window closed with a fit.
    @discardableResult
    @inlinable mutating func update(
        _ frame: MeasurementFrame<maxCells, maxModules>, cellCount: Int, cellCurrent: Float, polarisation: Float,
        temperatureFactor: Float, frontRise: Float, front: (depth: Float, sensitivity: Float), cellDeltas: Span<Float>,
        step: Milliseconds
    ) -> Bool {
        for k in 0..<cellCount { blockVoltage[k] += frame.cellVoltages[k].value + polarisation }
        blockCurrent += cellCurrent
        blockFactor += temperatureFactor
        blockHighest = max(blockHighest, cellCurrent)
        blockLowest = min(blockLowest, cellCurrent)
        framesInBlock &+= 1
        if framesInBlock >= settings.blockFrames {
            let n = Float(Int(framesInBlock))  // via Int: Float(Int32) allocates in Embedded mode
            // The pair (b-2 -> b-1) now has its instrument: z = I[b] - I[b-3].
            let (di, z) = instrument.push(blockCurrent / n)
            let factor = lastFactor
            // With a reaction front, not steps through zero (each direction follows its own front).
            let mixed = instrument.mixesDirections(instrument: z) || lastBlockMixed || blockBeforeMixed
            // Only a pair whose instrument carries a step (`ResistanceFitSettings.minimumStep`).
            if di.isFinite, z.isFinite, abs(z) >= settings.minimumStep.value, factor > 0, frontRise == 0 || !mixed {
                sumIZ += di * z
                if abs(di) >= settings.minimumStep.value { steps += 1 }
                let scale = z / factor
                for k in 0..<cellCount {
                    let depth = max(0, min(2, front.depth + front.sensitivity * cellDeltas[k]))
                    let dv = lastBlock[k] - blockBefore[k]
                    if dv.isFinite { sumVZ[k] += dv * scale / (1 + frontRise * depth) }
                }
            }
            for k in 0..<cellCount {
                blockBefore[k] = lastBlock[k]
                lastBlock[k] = blockVoltage[k] / n
                blockVoltage[k] = 0
            }
            lastFactor = blockFactor / n
            let floor = 0.1 * settings.minimumStep.value
            blockBeforeMixed = lastBlockMixed
            lastBlockMixed = blockHighest > floor && blockLowest < -floor
            blockHighest = -.infinity
            blockLowest = .infinity
            blockCurrent = 0
            blockFactor = 0
            framesInBlock = 0
        }
        guard windowTimer.tick(step, period: settings.window) else { return false }
        defer { clear(cellCount: cellCount) }
        pooledIZ = pooledIZ * settings.forgetting.value + sumIZ
        shortIZ = shortIZ * settings.shortForgetting.value + sumIZ
        pooledSteps = pooledSteps * settings.forgetting.value + steps
        shortSteps = shortSteps * settings.shortForgetting.value + steps
        for k in 0..<cellCount {
            pooledVZ[k] = pooledVZ[k] * settings.forgetting.value + sumVZ[k]
            shortVZ[k] = shortVZ[k] * settings.shortForgetting.value + sumVZ[k]
        }
        _recentFresh = false
        guard pooledIZ >= settings.minimumExcitation, pooledSteps >= settings.minimumSteps else { return false }
        let shortFits = shortIZ >= settings.minimumExcitation && shortSteps >= settings.minimumSteps / settings.recentStepsDivisor
        // A cell's resistance is positive: a fit that is not (the voltage moved with the current
        // the wrong way, something else moving it in phase with the load) is not taken, and the
        // last plausible one stands.
        for k in 0..<cellCount {
            if let r = Self.resistance(-pooledVZ[k] / pooledIZ) { _reference[k] = r }
            if shortFits, let r = Self.resistance(-shortVZ[k] / shortIZ) { _recent[k] = r }
        }
        _recentExcitation = shortIZ
        _recentFresh = shortFits && steps >= 1 && sumIZ >= settings.minimumExcitation * (1 - settings.shortForgetting.value)
        _fits &+= 1
        return true
    }

    /// A fit's value when it can be a resistance (finite and positive), else nil.
    @inlinable static func resistance(_ fit: Float) -> Float? { fit.isFinite && fit > 0 ? fit : nil }

    /// Forgets the blocks in progress (after a stale, invalid or missing frame).
    @inlinable mutating func interrupt(cellCount: Int) {
        instrument.reset()
        lastFactor = .nan
        for k in 0..<cellCount {
            blockVoltage[k] = 0
            lastBlock[k] = .nan
            blockBefore[k] = .nan
        }
        blockCurrent = 0
        blockFactor = 0
        framesInBlock = 0
        blockHighest = -.infinity
        blockLowest = .infinity
    }

    @inlinable mutating func clear(cellCount: Int) {
        for k in 0..<cellCount { sumVZ[k] = 0 }
        sumIZ = 0
        steps = 0
    }

    /// The mean over `count` cells, leaving out `excluded` ones, of the reference resistance
    /// (NaN before the first fit).
    @inlinable public func meanReference(count: Int, excluded: InlineArray<maxCells, Bool>) -> Float {
        _reference.span.mean(count: count, excluded: excluded.span)
    }
}
