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
///
/// The polarisation added back is the characterised element's; a cell whose element has grown
/// with age (an aged pack's charge transfer, which the datasheet's does not know) leaves the
/// rest of it in the blocks after each step, where the instrument still carries the step, and
/// the fit read it as ohmic (Na-S +9 %, NASICON +12 % on end-of-life strings). So the mean
/// cell's changes are fitted on two regressors: dI (instrument z) and q, the change of the
/// element's response to the measured current alone (its own instrument: no voltage is in it),
///
///     dV_mean = -R dI + c q,
///
/// and each cell's resistance takes the share c q out: R_k = -(sum(dV_k z) - c sum(q z)) / sum(dI z).
/// c is the polarisation's scale less the one added back (0 for a cell as characterised); a
/// pooled fit whose two regressors cannot be told apart keeps c at 0.
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
    /// The noise's weight in the fit, window and short-term: a pair's voltage change is the
    /// difference of two blocks' noise, e_b - e_(b-1), so sum(dV z) holds each block's noise
    /// once with the difference of its two pairs' instruments, and a cell's fit errs by the
    /// block noise times sqrt(sum(dz^2)) / sum(dI z), where dz is the change of z / g (g the
    /// mean cell's normalisation; 0 for a pair that is not fitted) from one pair to the next.
    /// (Taking sum(z^2) instead, as if the pairs' noise were independent, overrated an FR hour
    /// fit's uncertainty by about two.)
    @usableFromInline var sumZZ: Float = 0
    @usableFromInline var shortZZ: Float = 0
    @usableFromInline var pooledZZ: Float = 0
    @usableFromInline var lastWeight: Float = 0
    /// The cells' block-to-block voltage changes about their mean over the window's quiet pairs
    /// (a current change under `minimumStep`: what is left is each cell's noise, twice a block's
    /// variance), the sum of squares and its degrees of freedom; and their variance, V^2,
    /// averaged as the short fit forgets (NaN before the first quiet pair).
    @usableFromInline var quietSquares: Float = 0
    @usableFromInline var quietDegrees: Float = 0
    @usableFromInline var changeVariance: Float = .nan
    /// The characterised element's response to the measured current alone, V, its block sums
    /// and the two finished blocks' means; the sums of the mean cell's two-regressor fit over
    /// the window, pooled, and (q z only) short-term.
    @usableFromInline var elementResponse: Float = 0
    @usableFromInline var blockResponse: Float = 0
    @usableFromInline var lastResponse: Float = .nan
    @usableFromInline var responseBefore: Float = .nan
    @usableFromInline var polarisationSums = PolarisationSums()
    @usableFromInline var pooledPolarisation = PolarisationSums()
    @usableFromInline var shortQZ: Float = 0
    /// Each cell's resistance as a ratio to the mean cell's, from the large current edges.
    @usableFromInline var edges = EdgeStanding<maxCells>()
    /// A step of one cell's resistance under a steady current (`ResistanceStepWatch`).
    @usableFromInline var stepWatch = ResistanceStepWatch()
    /// Whether the last update closed a window (with a fit or not).
    @usableFromInline var windowClosed = false
    /// A rest edge's anchor (`restLook`): the last rest ended with its OCV read taken, so its
    /// averaged cell voltages (`RestDetector.voltages`) are the cells' OCVs; the rest's current
    /// (a cell's share, A); and the time since it ended.
    @usableFromInline var restArmed = false
    @usableFromInline var restCurrent: Float = 0
    @usableFromInline var sinceRest = Milliseconds.zero

    /// Sums of the mean cell's fit on dI and q: q z, dI q, q q, dV q, dV z.
    @usableFromInline struct PolarisationSums: Sendable {
        @usableFromInline var qz: Float = 0
        @usableFromInline var iq: Float = 0
        @usableFromInline var qq: Float = 0
        @usableFromInline var vq: Float = 0
        @usableFromInline var vz: Float = 0
        @inlinable init() {}

        /// These sums faded by `forgetting`, plus `window`'s.
        @inlinable func pooled(with window: Self, forgetting f: Float) -> Self {
            var p = Self()
            p.qz = qz * f + window.qz
            p.iq = iq * f + window.iq
            p.qq = qq * f + window.qq
            p.vq = vq * f + window.vq
            p.vz = vz * f + window.vz
            return p
        }
    }

    /// The polarisation's scale beyond the one added back, c, from the pooled sums `p` and the
    /// pooled sum(dI z) `iz` (0 when dI and q cannot be told apart; within -1 ... 0.5). Static:
    /// a computed property of the estimator would copy its 240-cell arrays onto the stack
    /// (5 KB on the image, docs/core.md "stack rules").
    @inlinable static func polarisationExcess(_ p: PolarisationSums, excitation iz: Float) -> Float {
        // det of [[-iz, qz], [-iq, qq]]; at least a tenth of what uncorrelated regressors give.
        let det = p.qz * p.iq - iz * p.qq
        guard p.qq > 0, iz > 0, abs(det) >= 0.1 * iz * p.qq else { return 0 }
        let c = (p.iq * p.vz - iz * p.vq) / det
        // The element between half and twice the characterised one (twice its initial
        // resistance is the usual end-of-life criterion of a cell): beyond, a fit is not a
        // cell's polarisation.
        return c.isFinite ? max(-1, min(0.5, c)) : 0
    }

    /// Resistance at the reference temperature (and full charge), per cell, ohms: the pooled fit
    /// (NaN before there is enough excitation).
    @inlinable public var reference: InlineArray<maxCells, Float> { _read { yield _reference } }
    @usableFromInline var _reference: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// The last hour or so, per cell, ohms at the reference (NaN before there is enough
    /// excitation): a step rise shows here long before it moves `reference`.
    @inlinable public var recent: InlineArray<maxCells, Float> { _read { yield _recent } }
    @usableFromInline var _recent: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// The polarisation's scale beyond the characterised element's at the last pooled fit (0:
    /// as characterised, or not told apart from the ohmic part yet).
    @inlinable public var polarisationScaleExcess: Float { _read { yield _polarisationExcess } }
    @usableFromInline var _polarisationExcess: Float = 0
    /// Windows closed with a pooled fit so far.
    @inlinable public var fits: Int32 { _read { yield _fits } }
    @usableFromInline var _fits: Int32 = 0
    /// Excitation sum(dI z) behind `recent`, A^2 (its noise scales as 1 / sqrt of it).
    @inlinable public var recentExcitation: Float { _read { yield _recentExcitation } }
    @usableFromInline var _recentExcitation: Float = 0
    /// One cell's `recent` fit's standard deviation from the voltage noise alone, ohms at the
    /// reference: a block's noise (half the variance of the cells' changes over the quiet pairs)
    /// times sqrt(sum(dz^2)) / sum(dI z) (NaN before a quiet pair has been seen). With weak
    /// excitation it is a fit's own uncertainty, which twenty cells' scatter can underrate and
    /// eight cells' hardly measures.
    @inlinable public var recentSigma: Float { _read { yield _recentSigma } }
    @usableFromInline var _recentSigma: Float = .nan
    /// The same for one cell's `reference` fit, from the pooled sums (NaN before a quiet pair
    /// has been seen). A rest fades the pooled sums, not this: what a fit knows does not decay;
    /// but a fit whose sums were built from a few weak steps knows little, and a rest leaves
    /// only such fits once the days before it have faded.
    @inlinable public var referenceSigma: Float { _read { yield _referenceSigma } }
    @usableFromInline var _referenceSigma: Float = .nan
    /// Whether the last window brought new excitation into `recent` (at least its share of the
    /// short fit's thresholds), rather than repeating a decaying sum through a rest.
    @inlinable public var recentFresh: Bool { _read { yield _recentFresh } }
    @usableFromInline var _recentFresh = false
    /// The last window's share of the short fit's excitation (its sum dI z over the faded sums
    /// with it; 0 when it was not fresh): how much of `recent` is new. Summed over windows it
    /// counts the fit's memories of new data (about 1 - `shortForgetting` a window on steady
    /// duty, one a memory), which is how far apart two looks at `recent` are.
    @inlinable public var recentNewShare: Float { _read { yield _recentNewShare } }
    @usableFromInline var _recentNewShare: Float = 0

    @inlinable public init(settings: ResistanceFitSettings = ResistanceFitSettings()) { self.settings = settings }

    /// A rest edge's mean cell change, in a pair's noise (twenty: one look's ratio is then
    /// uncertain by a twentieth, against a third for the weakest pair edge).
    @usableFromInline static var restEdgeSignal: Float { 20 }
    /// How long after a rest its voltages anchor a rest edge (20 min: two of a block duty's
    /// 10 min ramps; the counted charge moves the OCV by a few millivolts at most, common to
    /// the cells).
    @usableFromInline static var restEdgeWindow: Milliseconds { Milliseconds(1_200_000) }

    /// Takes one step's rest state: `resting` (`RestDetector.steps` > 0) and whether this rest's
    /// OCV read has been taken (`settled`). While the pack rests a settled read arms the next
    /// rest edge, and the newest block's current is the rest's while the last four blocks rest
    /// (the rest detector's averaged current lags: it still rests a few seconds into a ramp,
    /// and read 0.9 A of a 5 A step there); the rest's end starts the edge's window.
    @inlinable mutating func noteRest(resting: Bool, settled: Bool) {
        guard resting else { return }
        restArmed = settled
        if instrument.rests(within: settings.minimumStep.value) { restCurrent = instrument.currents[0] }
        sinceRest = .zero
    }

    /// Feeds a fresh, valid frame's cell voltages, the modelled polarisation of the mean cell
    /// (`polarisation`, V, added back to each cell) and the current (a cell's share of the pack
    /// current). `frontRise` is the law's relative rise per unit depth of the active reaction
    /// front (k_front / R0, 0 without a front); each cell's depth is the mean cell's `front.depth`
    /// plus its sensitivity to the SoC times the cell's SoC difference in `cellDeltas` (on the
    /// deepest front a cell that holds more charge has its front nearer the separator).
    /// `edgesInside`: whether the pack's SoC lies where the resistance law was measured
    /// (`InterfaceHealthSettings.evidenceSoCHolds`), so that a large current edge is a look
    /// (`EdgeStanding`). Returns whether a window closed with a fit.
    /// `restVoltages`: the last rest's averaged cell voltages (`RestDetector.voltages`), for a
    /// rest edge (`noteRest`, `restLook`). `leastStepCurrent`: the least steady cell current a
    /// step look is taken at (`ResistanceStepWatch`; infinite: none); `bleedSwitches`, the
    /// balancing's switch count (`BalancingControl.switches`).
    @discardableResult
    @inlinable mutating func update(
        _ frame: MeasurementFrame<maxCells, maxModules>, cellCount: Int, cellCurrent: Float, polarisation: Float,
        temperatureFactor: Float, frontRise: Float, front: (depth: Float, sensitivity: Float), cellDeltas: Span<Float>,
        element: (resistance: Float, timeConstant: Float), step: Milliseconds, edgesInside: Bool, restVoltages: Span<Float>,
        leastStepCurrent: Float = .infinity, bleedSwitches: UInt8 = 0
    ) -> Bool {
        for k in 0..<cellCount { blockVoltage[k] += frame.cellVoltages[k].value + polarisation }
        if restArmed { sinceRest = sinceRest + step }
        if element.resistance.isFinite, element.timeConstant > 0, cellCurrent.isFinite {
            let a = CoreMath.exp(-step.seconds / element.timeConstant)
            elementResponse = a * elementResponse + (1 - a) * element.resistance * cellCurrent
        }
        blockResponse += elementResponse
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
            // Not while the pack rests (`ResistanceFitSettings.minimumStep`).
            let rests = instrument.rests(within: settings.minimumStep.value)
            var weight: Float = 0
            if di.isFinite, z.isFinite, !rests, factor > 0, frontRise == 0 || !mixed {
                sumIZ += di * z
                if abs(di) >= settings.minimumStep.value && abs(z) >= settings.minimumStep.value { steps += 1 }
                var meanChange: Float = 0
                var counted: Float = 0
                for k in 0..<cellCount {
                    let depth = max(0, min(2, front.depth + front.sensitivity * cellDeltas[k]))
                    let dv = lastBlock[k] - blockBefore[k]
                    if dv.isFinite {
                        let normalised = dv / (factor * (1 + frontRise * depth))
                        sumVZ[k] += normalised * z
                        meanChange += normalised
                        counted += 1
                    }
                }
                let meanScale = factor * (1 + frontRise * max(0, min(2, front.depth)))
                // An edge: the mean cell's change stands out of a pair's noise (`EdgeStanding`; not
                // with a front, whose cells each follow their own depth; outside the SoC range of
                // the measured law, where each cell follows its own SoC, only the latest look).
                let mean = meanChange / counted
                let rawMean = mean * factor
                if frontRise == 0, counted >= 3, abs(di) >= settings.minimumStep.value, abs(rawMean) >= EdgeStanding<maxCells>.edgeSignal * changeVariance.squareRoot() {
                    edges.look(
                        after: lastBlock.span, before: blockBefore.span, cellCount: cellCount, meanChange: rawMean,
                        resistance: -mean / di, variance: changeVariance / (rawMean * rawMean), inside: edgesInside)
                }
                weight = z / meanScale
                let q = (lastResponse - responseBefore) / meanScale
                if q.isFinite, counted > 0 {
                    let dv = meanChange / counted
                    polarisationSums.qz += q * z
                    polarisationSums.iq += di * q
                    polarisationSums.qq += q * q
                    polarisationSums.vq += dv * q
                    polarisationSums.vz += dv * z
                }
            }
            if weight.isFinite {
                sumZZ += (weight - lastWeight) * (weight - lastWeight)
                lastWeight = weight
            }
            if abs(di) < settings.minimumStep.value, cellCount >= 3 { addQuietPair(cellCount: cellCount) }
            stepWatch.look(
                newest: blockVoltage.span, frames: n, last: lastBlock.span, before: blockBefore.span, cellCount: cellCount,
                currents: instrument.currents, minimumStep: settings.minimumStep.value, least: leastStepCurrent,
                changeVariance: changeVariance, scale: factor * (1 + frontRise * max(0, min(2, front.depth))),
                bleedSwitches: bleedSwitches)
            for k in 0..<cellCount {
                blockBefore[k] = lastBlock[k]
                lastBlock[k] = blockVoltage[k] / n
                blockVoltage[k] = 0
            }
            lastFactor = blockFactor / n
            responseBefore = lastResponse
            lastResponse = blockResponse / n
            blockResponse = 0
            let floor = 0.1 * settings.minimumStep.value
            blockBeforeMixed = lastBlockMixed
            lastBlockMixed = blockHighest > floor && blockLowest < -floor
            blockHighest = -.infinity
            blockLowest = .infinity
            blockCurrent = 0
            blockFactor = 0
            framesInBlock = 0
            if restArmed {
                if sinceRest.count > Self.restEdgeWindow.count {
                    restArmed = false
                } else if frontRise == 0 && edgesInside {
                    restLook(restVoltages, cellCount: cellCount)
                }
            }
        }
        windowClosed = windowTimer.tick(step, period: settings.window)
        guard windowClosed else { return false }
        defer { clear(cellCount: cellCount) }
        pooledIZ = pooledIZ * settings.forgetting.value + sumIZ
        shortIZ = shortIZ * settings.shortForgetting.value + sumIZ
        pooledSteps = pooledSteps * settings.forgetting.value + steps
        shortSteps = shortSteps * settings.shortForgetting.value + steps
        pooledPolarisation = pooledPolarisation.pooled(with: polarisationSums, forgetting: settings.forgetting.value)
        shortQZ = shortQZ * settings.shortForgetting.value + polarisationSums.qz
        // The fit's noise is sum(f^age e dz) over sum(f^age dI z): its variance weighs each
        // window by f^(2 age), so these sums fade by f twice.
        shortZZ = shortZZ * settings.shortForgetting.value * settings.shortForgetting.value + sumZZ
        pooledZZ = pooledZZ * settings.forgetting.value * settings.forgetting.value + sumZZ
        if quietDegrees > 0 {
            let variance = quietSquares / quietDegrees
            let f = settings.shortForgetting.value
            changeVariance = changeVariance.isFinite ? f * changeVariance + (1 - f) * variance : variance
        }
        for k in 0..<cellCount {
            pooledVZ[k] = pooledVZ[k] * settings.forgetting.value + sumVZ[k]
            shortVZ[k] = shortVZ[k] * settings.shortForgetting.value + sumVZ[k]
        }
        _recentFresh = false
        _recentNewShare = 0
        guard pooledIZ >= settings.minimumExcitation, pooledSteps >= settings.minimumSteps else { return false }
        let shortFits = shortIZ >= settings.minimumExcitation && shortSteps >= settings.minimumSteps / settings.recentStepsDivisor
        // A cell's resistance is positive: a fit that is not (the voltage moved with the current
        // the wrong way, something else moving it in phase with the load) is not taken, and the
        // last plausible one stands.
        let c = Self.polarisationExcess(pooledPolarisation, excitation: pooledIZ)
        _polarisationExcess = c
        let pooledQ = c * pooledPolarisation.qz
        let shortQ = c * shortQZ
        for k in 0..<cellCount {
            if let r = Self.resistance(-(pooledVZ[k] - pooledQ) / pooledIZ) { _reference[k] = r }
            if shortFits, let r = Self.resistance(-(shortVZ[k] - shortQ) / shortIZ) { _recent[k] = r }
        }
        _recentExcitation = shortIZ
        _recentSigma = Self.noiseSigma(changeVariance: changeVariance, weights: shortZZ, excitation: shortIZ)
        _referenceSigma = Self.noiseSigma(changeVariance: changeVariance, weights: pooledZZ, excitation: pooledIZ)
        _recentFresh = shortFits && steps >= 1 && sumIZ >= settings.minimumExcitation * (1 - settings.shortForgetting.value)
        _recentNewShare = _recentFresh ? sumIZ / shortIZ : 0
        _fits &+= 1
        return true
    }

    /// A rest edge: the newest block against the last rest's OCVs, once the current has moved
    /// from the rest's far enough that the mean cell's change stands `restEdgeSignal` times a
    /// pair's noise, on a block that holds the current of the one before (not inside a step).
    /// A block duty ramps its blocks (arbitrage: ten 1-minute steps of a tenth each), and each
    /// step is a weak pair edge (`EdgeStanding.edgeSignal`); the whole ramp from a rest is one
    /// sharp look at every cell's resistance over the mean cell's. What the cells share (the
    /// OCV moved by the counted charge, the mean cell's polarisation, added back to the blocks)
    /// dilutes the ratios towards 1; a cell's own polarisation beyond the mean's stays in its
    /// ratio. One look per rest (`noteRest` arms it), and not with a reaction front, whose cells
    /// each follow their own depth. Only inside the SoC range (`update`'s `edgesInside`), also
    /// for the latest look (CCD-aware derating at any SoC): near an end of the OCV table the cells
    /// spread over its steepening foot, and their OCVs moved apart with the ramp's charge (a
    /// healthy end-of-life NASICON string charging out of a rest at 6 % read a cell at 4.1 and
    /// another at 4.6 times the mean, and the charge was derated for it; seed 314 run 6).
    @inlinable mutating func restLook(_ rest: Span<Float>, cellCount: Int) {
        let newest = instrument.currents[0]
        let change = newest - restCurrent
        let minimum = settings.minimumStep.value
        guard abs(newest - instrument.currents[1]) < minimum, abs(change) >= minimum, lastFactor > 0 else { return }
        let (rawMean, counted) = Self.meanChange(lastBlock.span, from: rest, cellCount: cellCount)
        guard counted >= 3, abs(rawMean) >= Self.restEdgeSignal * changeVariance.squareRoot() else { return }
        restArmed = false
        edges.look(
            after: lastBlock.span, before: rest, cellCount: cellCount, meanChange: rawMean,
            resistance: -rawMean / lastFactor / change, variance: changeVariance / (rawMean * rawMean), inside: true)
    }

    /// One cell's fit's standard deviation from the voltage noise, ohms: a block's noise (half
    /// `changeVariance`, the cells' changes over the quiet pairs being differences of two blocks)
    /// times sqrt(sum(dz^2)) / sum(dI z), from that fit's sums `weights` and `excitation`.
    @inlinable static func noiseSigma(changeVariance: Float, weights: Float, excitation: Float) -> Float {
        (0.5 * changeVariance * weights).squareRoot() / excitation
    }

    /// A fit's value when it can be a resistance (finite and positive), else nil.
    @inlinable static func resistance(_ fit: Float) -> Float? { fit.isFinite && fit > 0 ? fit : nil }

    /// Forgets the blocks in progress (after a stale, invalid or missing frame), and the rest
    /// edge's anchor: the rest's age counts on valid frames only, and the charge that passed in
    /// the gap moved the cells' OCVs.
    @inlinable mutating func interrupt(cellCount: Int) {
        instrument.reset()
        restArmed = false
        lastFactor = .nan
        for k in 0..<cellCount {
            blockVoltage[k] = 0
            lastBlock[k] = .nan
            blockBefore[k] = .nan
        }
        blockCurrent = 0
        blockFactor = 0
        blockResponse = 0
        lastResponse = .nan
        responseBefore = .nan
        framesInBlock = 0
        blockHighest = -.infinity
        blockLowest = .infinity
        lastWeight = 0
    }

    /// The cells' mean change from `before` to `after`, over the cells whose change is finite,
    /// and how many those are. (Static: a method would copy the estimator's per-cell arrays onto
    /// the firmware's stack.)
    @inlinable static func meanChange(_ after: Span<Float>, from before: Span<Float>, cellCount: Int) -> (mean: Float, counted: Float) {
        var sum: Float = 0
        var counted: Float = 0
        for k in 0..<cellCount {
            let dv = after[k] - before[k]
            if dv.isFinite {
                sum += dv
                counted += 1
            }
        }
        return (sum / counted, counted)
    }

    /// Adds the finished pair's voltage changes (blocks b-2 -> b-1) about the cells' mean to the
    /// window's quiet squares: under a current change smaller than `minimumStep` each cell's change
    /// is its noise, and the cells' resistance spread times that change is under a tenth of it.
    @inlinable mutating func addQuietPair(cellCount: Int) {
        let (mean, counted) = Self.meanChange(lastBlock.span, from: blockBefore.span, cellCount: cellCount)
        guard counted >= 3 else { return }
        var squares: Float = 0
        for k in 0..<cellCount {
            let d = lastBlock[k] - blockBefore[k] - mean
            if d.isFinite { squares += d * d }
        }
        quietSquares += squares
        quietDegrees += counted - 1
    }

    @inlinable mutating func clear(cellCount: Int) {
        for k in 0..<cellCount { sumVZ[k] = 0 }
        sumIZ = 0
        sumZZ = 0
        quietSquares = 0
        quietDegrees = 0
        steps = 0
        polarisationSums = PolarisationSums()
    }

    /// The mean over `count` cells, leaving out `excluded` ones, of the reference resistance
    /// (NaN before the first fit).
    @inlinable public func meanReference(count: Int, excluded: InlineArray<maxCells, Bool>) -> Float {
        _reference.span.mean(count: count, excluded: excluded.span)
    }
}
