/// Per-cell interface health from the resistance estimates: the split into electrolyte and
/// interface parts, the interface's growth trend, contact-loss steps and the contact fraction the
/// CCD derating needs.
///
/// At 10 Hz the interface arc (microseconds to milliseconds) cannot be told from the bulk by its
/// dynamics, so the split uses the datasheet (or the commissioning test) and the cell's own
/// history: each cell's resistance at commissioning (`baseline`: its pooled estimate once
/// `baselineWindows` windows have been fitted and the pooled fit holds `baselineSteps` current
/// steps, brought back to the commissioning test's whole resistance where there was one) holds
/// the interface part (`CellModel.interfaceResistance`, or the test's
/// `InterfaceHealthSettings.commissionedInterface`) and the rest is electrolyte; every later rise
/// is charged to the interface, which is where solid-state sodium cells degrade (interphase
/// growth, voids, delamination). A rise counts once it is past a deadband for the fit's wander,
/// and then whole. For the CCD this is the conservative reading: the contact fraction
/// f = R_int / (R_int + rise past the band) is the smallest the rise allows, and the local
/// current density is the apparent one over f. (A pack commissioned already worn starts from its
/// worn state.)
///
/// A contact-loss step: a cell whose last hour's resistance (`ResistanceEstimator.recent`)
/// stands above its long-term value as it was one to two `referenceLag` before (held: a step is
/// measured against the fit from before it; held while that fit has `referenceExcitation` times
/// the last hour's excitation) by `contactStep` of its interface part (at least
/// `minimumStep` of the whole: the threshold), by as much above the median cell's ratio (so a
/// pack-wide temperature or model effect does not count) and by `stepSigmas` of the cells'
/// scatter (the wider of the window's and its average over the fit's memory), or of what the
/// voltage noise leaves uncertain in the hour's fit and the held one, if that is wider. The evidence is a
/// CUSUM over the excited windows (`ResistanceEstimator.recentFresh`: a window of rest repeats
/// the last fit and neither adds nor takes back): each adds twice its rise over the gate in gate
/// units (capped at +-1), so a cell at 1.5 times the gate confirms in `confirmEvidence` windows,
/// one just past it takes hours and falls back as soon as it dips. Consecutive windows are one
/// look at one hour fit: a cell confirms only while its ratio stands over the median's by 1.5
/// times the noise's bar (5.25 sigmas), or once its evidence has seen `confirmMemories` memories
/// of new data. While a cell gathers evidence its held fit stays. No evidence while the pack
/// SoC (two of its sigmas either way) has not stayed inside `evidenceSoC` for the fit's memory,
/// from a window whose cells scatter by more than `scatterLimit` thresholds, or from a cell
/// whose long-term fit lies outside `plausibleSpread` of the median cell's (a pooled fit that
/// read near zero on weak excitation is not a resistance to compare with) or below it by
/// `stepSigmas` of the held fits' own robust scatter (and at least `minimumStep`). Latched per
/// cell (`contactLoss`) until reset.
public struct InterfaceHealth<let maxCells: Int, let maxModules: Int>: Sendable {
    /// Its settings (`CoreConfiguration`).
    public let settings: InterfaceHealthSettings

    @usableFromInline var baselineTaken = false
    /// The baseline fits' own uncertainty from the voltage noise when they were taken
    /// (`ResistanceEstimator.referenceSigma`, ohms at the reference, as the baselines are; NaN
    /// before).
    @usableFromInline var baselineSigma: Float = .nan
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
    /// The contact fraction the last edge allows the worst cell not latched, for CCD-aware
    /// derating only (1 when no cell stood out: `judgeEdges`).
    @usableFromInline var provisionalContact: Float = 1
    /// Growth of the mean interface part over the last full day, ohms per day (NaN before a day).
    @inlinable public var meanGrowthPerDay: Float { _read { yield _meanGrowthPerDay } }
    @usableFromInline var _meanGrowthPerDay: Float = .nan
    /// Largest growth of one cell's interface part over the last full day, ohms per day.
    @inlinable public var worstGrowthPerDay: Float { _read { yield _worstGrowthPerDay } }
    @usableFromInline var _worstGrowthPerDay: Float = .nan
    /// Each cell's long-term fit as it stood one to two `InterfaceHealthSettings.referenceLag`
    /// ago (`heldReference`) and zero to one ago (`newerReference`): what a step is measured
    /// against, before the long-term fit took in any of it.
    @usableFromInline var heldReference: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var newerReference: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var sinceHeld = Milliseconds.zero
    /// The held and newer fits' own uncertainty from the voltage noise
    /// (`ResistanceEstimator.referenceSigma` when they were held), ohms, the largest over the
    /// cells (a cell gathering evidence keeps older fits).
    @usableFromInline var heldSigma: Float = .nan
    @usableFromInline var newerSigma: Float = .nan
    /// The cells' scatter (robust standard deviation of their step ratios) squared, averaged over
    /// the excited windows of the short fit's memory (NaN before the first).
    @usableFromInline var scatterSquare: Float = .nan
    /// Each cell's step evidence (the CUSUM of its excited windows' rises over the gate).
    @usableFromInline var stepEvidence: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    /// The new data each cell's evidence has seen since it last stood at zero, in memories of
    /// the short fit (`ResistanceEstimator.recentNewShare` summed) times `memoryUnit`.
    @usableFromInline var gathered: InlineArray<maxCells, UInt16> = InlineArray(repeating: 0)
    /// One memory of new data in `gathered`'s units (it holds up to four).
    @usableFromInline static var memoryUnit: Float { 16_384 }
    @usableFromInline var daySnapshot: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var sinceSnapshot = Milliseconds.zero
    /// Windows in a row with the pack SoC within `InterfaceHealthSettings.evidenceSoC`.
    @usableFromInline var windowsInsideSoC: Float = 0
    /// The median cell's interface part from the fits' split, ohms (NaN before the baseline).
    @usableFromInline var medianInterface: Float = .nan

    @inlinable public init(settings: InterfaceHealthSettings = InterfaceHealthSettings()) { self.settings = settings }

    /// Updates from the resistance estimator `r` after one of its windows closed (`window`
    /// long); `interfaceResistance` is the datasheet's interface part (`CellModel`), `soc` the
    /// pack's estimate and `socSigma` its standard deviation. (`r` is `inout` only to be read in
    /// place: a borrowed estimator is copied whole onto the stack.)
    @inlinable mutating func update(
        _ r: inout ResistanceEstimator<maxCells, maxModules>, cellCount: Int, excluded: Span<Bool>, interfaceResistance: Ohms,
        window: Milliseconds, soc: StateOfCharge, socSigma: Float
    ) {
        windowsInsideSoC = settings.evidenceSoCHolds(soc, sigma: socSigma) ? min(windowsInsideSoC + 1, 1e6) : 0
        // The short fit remembers about 1 / (1 - forgetting) windows: all of them inside the
        // span where the lab measured the resistance law, or the step must stand the gross bar.
        let memory = 1 / max(1e-3, 1 - r.settings.shortForgetting.value)
        let inside = windowsInsideSoC >= memory
        let evidence = r._recentFresh
        let ri = interfaceResistance.value
        var ratios = InlineArray<maxCells, Float>(repeating: .nan)
        var n = 0
        let takeBaseline = !baselineTaken && r.fits >= settings.baselineWindows && r.pooledSteps >= settings.baselineSteps
        if takeBaseline { baselineTaken = true }
        let scale = takeBaseline ? Self.sinceCommissioning(r._reference.span, cellCount: cellCount, excluded: excluded, settings: settings) : 1
        if takeBaseline { baselineSigma = r._referenceSigma / scale }
        // Each cell's rise over its baseline, relative; for a cell with a confirmed step the last
        // hour's value counts where it is higher, so the derating follows within the hour
        // instead of the day the long-term value takes.
        // (`ratios` is the median's scratch here and the cells' ratios and their scatter's below,
        // `rises` the held fits' median's and scatter's: each is filled afresh there.)
        var rises = InlineArray<maxCells, Float>(repeating: .nan)
        var risen = 0
        for k in 0..<cellCount where !excluded[k] && r._reference[k].isFinite {
            let total = r._reference[k]
            if takeBaseline { _baseline[k] = total / scale }
            guard _baseline[k].isFinite else { continue }
            let latest = _contactLoss[k] && r._recent[k].isFinite ? max(total, r._recent[k]) : total
            rises[k] = latest / _baseline[k] - 1
            ratios[risen] = rises[k]
            risen += 1
        }
        // The pack's rise (the median cell's: an interphase grows in every cell) counts whole once
        // past the fit's wander (`riseDeadband`): the band decides whether it is real, not how
        // much of it is. A cell's own excess over it counts past the band (one cell's fit wanders
        // more than the median of twenty): common + max(0, rise - common - band) is the larger
        // of the two. The contact fraction takes only what of the whole rise is past the band
        // (the CCD derating must not jump with a wander). A cell with a latched contact loss
        // has had its step confirmed: its rise is no wander and counts whole in both (an
        // end-of-life ZEBRA cell at a fifth of its contact, +18 % on its fit, had 0.48 of its
        // 1.1 mOhm counted; health sweep run 8).
        //
        // The contact fraction is a decision (the CCD derating), the interface part an estimate:
        // one cell's rise is its fit now over its fit at the baseline, each uncertain from the
        // voltage noise, and where the two know a cell only to a few percent (weak currents
        // against noisy channels) the fraction takes only the rise past `stepSigmas` of them
        // together, if that is wider than the band. A NASICON string under 5 mV channels took
        // its baseline with the fits 9 % uncertain (its cells then 0.81 ... 1.09 of the plant's),
        // and a healthy cell whose fit came up from 19 % low to 7 % low read a 15 % rise: a
        // contact fraction of 0.71 and the charge derated (`delaminationIsCaughtAndDerated` on
        // the generators' regulation day). The interface part keeps the band: a new sulfide
        // string's cells grow their interphases apart, and with the wider band its interface
        // read 5.1 % low (`aNewSulfideStringsFirstHoursGrowthIsInterface`, whose bound is 5 %).
        let band = settings.riseDeadband.value
        let packRise = ratios.sortedMedian(of: risen)
        let common = packRise.isFinite && packRise > band ? packRise : 0
        let fitSigma = baselineSigma.isFinite && r._referenceSigma.isFinite
            ? (baselineSigma * baselineSigma + r._referenceSigma * r._referenceSigma).squareRoot() : 0
        for k in 0..<cellCount where rises[k].isFinite {
            let pastBand = max(0, rises[k] - (_contactLoss[k] ? 0 : band))
            let pastFitBand = max(0, rises[k] - (_contactLoss[k] ? 0 : max(band, settings.stepSigmas * fitSigma / _baseline[k])))
            _interface[k] = ri + _baseline[k] * max(common, pastBand)
            _contactFraction[k] = ri > 0 ? Self.contactFraction(interface: ri, excess: pastFitBand * _baseline[k]) : 1
        }
        // The median cell's interface part now (`rises` is free until the held fits' median).
        var split = 0
        for k in 0..<cellCount where !excluded[k] && _interface[k].isFinite {
            rises[split] = _interface[k]
            split += 1
        }
        medianInterface = split > 0 ? rises.sortedMedian(of: split) : .nan
        // The long-term fits are held (and rotated) only while they know each cell several times
        // better than the last hour's fits do: a held fit's error stays in every later ratio (and
        // while a cell gathers evidence it is not replaced), where the hour's comes and goes.
        if r.pooledIZ >= InterfaceHealthSettings.referenceExcitation * r.shortIZ {
            holdReferences(r._reference.span, sigma: r._referenceSigma, cellCount: cellCount, window: window)
        }
        for k in 0..<cellCount where !excluded[k] {
            let ratio = r._recent[k] / heldReference[k]
            if ratio.isFinite {
                ratios[n] = ratio
                n += 1
            }
        }
        let median = ratios.sortedMedian(of: n)
        // The cells' own scatter this window (1.4826 MAD: a standard deviation robust to the one
        // cell that stepped) is what an hour's fit can tell: with weak excitation the last hour's
        // estimates scatter by tens of percent, and a healthy cell stood out by chance.
        let windowScatter = ratios.robustScatter(about: median, of: n)
        // Twenty cells' MAD is itself uncertain by a quarter: the scatter is also averaged over
        // the fit's memory (its square, forgetting as the short fit does), and the wider counts.
        if windowScatter.isFinite && r._recentFresh {
            let f = r.settings.shortForgetting.value
            scatterSquare = scatterSquare.isFinite ? f * scatterSquare + (1 - f) * windowScatter * windowScatter : windowScatter * windowScatter
        }
        let scatter = max(windowScatter, scatterSquare.squareRoot())
        // The median cell's long-term fit, which a plausible cell's lies near (`rises` is free
        // again).
        var m = 0
        for k in 0..<cellCount where !excluded[k] && heldReference[k].isFinite {
            rises[m] = heldReference[k]
            m += 1
        }
        let medianReference = rises.sortedMedian(of: m)
        // Nor less than one cell's ratio can tell from the voltage noise and the excitation of
        // its two fits: the hour's (`ResistanceEstimator.recentSigma`) and the held one's
        // (`referenceSigma` when it was held). The cells' scatter is a sample of eight or twenty
        // fits, and one dip of it let an hour fit 11 % high for 20 minutes on a weakly excited
        // 8-cell NASICON string, 2.8 % uncertain, count as a step (the year suite, day 74).
        let heldPart = heldSigma.isFinite ? heldSigma : 0
        let fitScatter = (r._recentSigma * r._recentSigma + heldPart * heldPart).squareRoot() / medianReference
        let noise = settings.stepSigmas * (fitScatter.isFinite ? max(scatter, fitScatter) : scatter)
        // ... and how far the cells' held fits scatter about it, as ratios to it (the cells'
        // spread and the fits' own error). A held fit that stands below that
        // scatter as far as a step would above the hour's is no reference: its own error is in
        // every later ratio (a new sulfide string on frequency regulation held one cell's fit at
        // 0.65 of the plant's resistance, the others within 13 %, and as that cell's fits climbed
        // to the truth the climb was its step; fresh seed 4241, run 61). Not above it: a high
        // reference makes no false step, and one that has taken in part of a real step stands
        // there (the health sweep's NASICON cell at a third of its contact went unfound). Nor
        // within `minimumStep` of the median: a reference low by less than the smallest step
        // cannot make one alone (and a scatter of zero, half the fits alike, excludes nothing).
        for j in 0..<m { rises[j] /= medianReference }
        let lowestReference = 1 - max(settings.minimumStep.value, settings.stepSigmas * rises.robustScatter(about: 1, of: m))
        // Only a window that brought new excitation is evidence: through a rest the short fit
        // repeats its last value, and five of those are one observation, not five.
        for k in 0..<cellCount where evidence && !excluded[k] && !_contactLoss[k] {
            let ratio = r._recent[k] / heldReference[k]
            // The rise that means a third of the contact lost, as a ratio of this cell's whole.
            // Outside the span (near empty or full) a cell's resistance follows its own SoC, which
            // the lab did not measure: there the step must stand the edges' gross bar, and over
            // the median cell's change as a ratio (the ends raise every cell's), not as a
            // difference. A sulfide string regulating at 6 ... 11 % had a cell at a third of its
            // contact 2.6 times its held fit, the others within a few percent (health sweep run 99).
            let least = max(settings.minimumStep.value, settings.contactStep.value * ri / heldReference[k])
            let threshold = inside ? least : max(least, EdgeStanding<maxCells>.grossRise)
            let standing = heldReference[k] / medianReference
            guard ratio.isFinite, threshold.isFinite, settings.plausibleSpread.contains(standing),
                standing >= lowestReference, scatter <= settings.scatterLimit * threshold
            else { continue }
            let medianBar = inside ? threshold : threshold * median
            let rise = min((ratio - 1) / threshold, (ratio - median) / max(medianBar, noise))
            stepEvidence[k] = max(0, stepEvidence[k] + max(-1, min(1, 2 * (rise - 1))))
            if stepEvidence[k] == 0 {
                gathered[k] = 0
            } else {
                // (Through Int: Float's init from a UInt16 is the generic one, which allocates.)
                let share = r._recentNewShare
                let added = share.isFinite ? Int(Self.memoryUnit * min(1, max(0, share))) : 0
                gathered[k] = UInt16(min(Int(UInt16.max), Int(gathered[k]) + added))
            }
            // Consecutive windows see one hour fit, most of it the same data: fifty windows at
            // 1.2 times the noise's bar are one look at 4.2 sigmas, not fifty confirmations. A
            // cell confirms where its ratio stands over the median by 1.5 times that bar (the
            // level at which a window adds its whole unit, 5.25 sigmas: one look is then
            // evidence enough), or its evidence has stood through `confirmMemories` memories of
            // new data (a second look, at most 14 % the same data as the first).
            let look = noise > 0 ? (ratio - median) / noise : .infinity
            let memories = Float(Int(gathered[k])) / Self.memoryUnit
            let looked = look >= 1.5 || memories >= InterfaceHealthSettings.confirmMemories
            if stepEvidence[k] >= settings.confirmEvidence && looked {
                _contactLoss[k] = true
                _contactLossCount += 1
            }
        }
        // Daily trend of the interface part.
        sinceSnapshot = sinceSnapshot + window
        let dayOver = sinceSnapshot.count >= 86_400_000
        if dayOver {
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
        }
        // A new snapshot each day, and the first once the first fits exist.
        if dayOver || !daySnapshot[0].isFinite && _interface[0].isFinite {
            for k in 0..<cellCount { daySnapshot[k] = _interface[k] }
            sinceSnapshot = .zero
        }
    }

    /// The growth of the cells the commissioning test read between the test
    /// (`commissionedResistance`, their mean) and the fits `reference` the baseline is taken
    /// from, hours later, as a ratio (1 without the test, or with one of those cells unfitted or
    /// excluded): the baseline is the cell at commissioning, so what grew in between is
    /// interface too. A ratio outside `plausibleSpread` is a test that measured something else,
    /// and counts as 1.
    /// (Static: a method on `self` called from `update` copied the whole state onto its stack.)
    @inlinable static func sinceCommissioning(
        _ reference: Span<Float>, cellCount: Int, excluded: Span<Bool>, settings: InterfaceHealthSettings
    ) -> Float {
        let commissioned = settings.commissionedResistance.value
        let count = Int(settings.commissionedCells)
        guard commissioned > 0, count > 0 else { return 1 }  // validated: count <= cellCount
        var sum: Float = 0
        for i in 0..<count {
            let k = InterfaceHealthSettings.commissionedCell(i, of: count, cells: cellCount)
            guard !excluded[k], reference[k].isFinite else { return 1 }
            sum += reference[k]
        }
        let ratio = sum / Float(count) / commissioned
        return settings.plausibleSpread.contains(ratio) ? ratio : 1
    }

    /// Rotates the held long-term fits every `referenceLag` (from the baseline on: an earlier fit
    /// can be far off), except a cell's that is gathering step evidence: a step is measured
    /// against the fit from before it, not one that has taken in part of it.
    /// `sigma` is their own uncertainty (`ResistanceEstimator.referenceSigma`).
    @inlinable mutating func holdReferences(_ reference: Span<Float>, sigma: Float, cellCount: Int, window: Milliseconds) {
        sinceHeld = sinceHeld + window
        let rotate = sinceHeld.count >= settings.referenceLag.count
        if rotate { sinceHeld = .zero }
        var kept = false
        var first = false
        for k in 0..<cellCount where _baseline[k].isFinite {
            if !heldReference[k].isFinite {
                heldReference[k] = reference[k]
                newerReference[k] = reference[k]
                first = true
            } else if rotate && stepEvidence[k] == 0 {
                heldReference[k] = newerReference[k]
                newerReference[k] = reference[k]
            } else if rotate {
                kept = true
            }
        }
        // Each is the largest over the cells: a cell that kept its fits keeps their uncertainty.
        if first && !heldSigma.isFinite {
            heldSigma = sigma
            newerSigma = sigma
        } else if rotate && kept {
            heldSigma = Self.larger(heldSigma, newerSigma)
            newerSigma = Self.larger(newerSigma, sigma)
        } else if rotate {
            heldSigma = newerSigma
            newerSigma = sigma
        }
    }

    /// The contact fraction that turns an interface part `interface` into `interface` plus
    /// `excess` (ohms): a contact f focuses the current, and the part grows to R_int / f.
    @inlinable static func contactFraction(interface ri: Float, excess: Float) -> Float { ri / (ri + excess) }

    /// The larger of two uncertainties, an unknown (NaN) one counting as none.
    @inlinable static func larger(_ a: Float, _ b: Float) -> Float {
        a.isFinite ? (b.isFinite ? max(a, b) : a) : b
    }

    /// Judges the cells' edge standings (`EdgeStanding`), once a window whether or not the fits
    /// closed, before and after the fits' baseline (a loss after it stood three times the median
    /// on the edges within two minutes, and the fits, their current cut by the derating, took
    /// two hours more: health spec seed 12011, run 43). First the last edge, at any SoC: where
    /// its worst cell stands at least `EdgeStanding.provisionalRise` over the mean cell and four
    /// of the look's sigmas, `provisionalContact` is R_int / (R_int + rise R_mean) for CCD-aware
    /// derating at once (no latch: the next edge replaces it). Then the standings: a cell whose
    /// averaged ratio stands over the median cell's by the step threshold (`contactStep` of its
    /// interface part, at least `EdgeStanding.grossRise`), by `stepSigmas` of the cells' robust scatter
    /// and by 1.5 times that many sigmas of what the looks' noise leaves uncertain in its
    /// average has lost contact: latched (`contactLoss`), from four looks on; so is a cell whose
    /// step evidence (`EdgeStanding.evidence`) reached `EdgeStanding.latchEvidence` with its
    /// last look over `stepSigmas` of the cells' scatter, at any count of looks. A latched cell's
    /// contact fraction is at most what its standing allows, f = R_int / (R_int + (standing -
    /// 1) R_median), then and after the baseline (taken after the loss, it holds the loss),
    /// its average restarted at the latch from its last look where that stands higher (the
    /// average held the looks from before the loss): the
    /// cell is taken to have stood at the median before, the conservative reading when nothing
    /// was seen of it before (on a block duty the first edges can come hours after the loss),
    /// and its interface part (where the fits have one, and the edges, not the fits, latched it)
    /// at least R_int / f.
    /// Nothing to judge for a chemistry with a reaction front (ZEBRA), which takes no looks
    /// (`ResistanceEstimator`): there each cell's resistance
    /// follows its own depth, which the firmware does not see per cell on the plateau;
    /// end-of-life ZEBRA cells stood 1.2 ... 1.5 times the median on the edges of frequency
    /// regulation with the cells scattered by 5 ... 12 % (health sweep runs 8 and 21), and a
    /// soft-shorted one 2.2 times on PV firming (run 38: its deeper front).
    @inlinable mutating func judgeEdges(_ edges: inout EdgeStanding<maxCells>, cellCount: Int, excluded: Span<Bool>, interfaceResistance: Ohms) {
        let ri = lostInterface(interfaceResistance)
        provisionalContact = 1
        guard ri > 0 else { return }
        if edges.latestOver != 0 {
            provisionalContact = Self.contactFraction(interface: ri, excess: (edges.latestHighest - 1) * edges.latestResistance)
        }
        guard edges.looks >= 4 || edges.evidenced else { return }
        var ratios = InlineArray<maxCells, Float>(repeating: 0)
        var n = 0
        for k in 0..<cellCount where !excluded[k] {
            ratios[n] = EdgeStanding<maxCells>.ratio(edges.standing[k])
            n += 1
        }
        guard n >= 3 else { return }
        let median = ratios.sortedMedian(of: n)
        let scatter = ratios.robustScatter(about: median, of: n)
        let gate = settings.stepSigmas * max(scatter, 1.5 * edges.averageVariance.squareRoot()) / median
        let medianResistance = edges.resistance * median
        for k in 0..<cellCount where !excluded[k] {
            let standing = EdgeStanding<maxCells>.ratio(edges.standing[k]) / median
            var rise = standing - 1
            let threshold = max(gate, max(EdgeStanding<maxCells>.grossRise, settings.contactStep.value * ri / (standing * medianResistance)))
            // ... or whose step evidence (`EdgeStanding.evidence`) latches it, its last look over
            // the cells' scatter.
            let evidenced = edges.evidence[k] >= EdgeStanding<maxCells>.latchEvidence
                && EdgeStanding<maxCells>.ratio(edges.latest[k]) / median - 1 >= settings.stepSigmas * scatter / median
            if !_contactLoss[k] && (rise >= threshold && edges.looks >= 4 || evidenced) {
                _contactLoss[k] = true
                _contactLossCount += 1
                // The cell's average restarts from its last look where that stands higher: it
                // held the looks from before the loss (health sweep seed 12011, run 58: three
                // looks at 0.93 and two at 3.2 averaged 1.83, a contact of 0.57 for a true 0.28,
                // and the next charge, before any other look, grew a dendrite through it).
                edges.standing[k] = max(edges.standing[k], edges.latest[k])
                rise = EdgeStanding<maxCells>.ratio(edges.standing[k]) / median - 1
            }
            guard _contactLoss[k] && rise > 0 else { continue }
            _contactFraction[k] = min(_contactFraction[k], Self.contactFraction(interface: ri, excess: rise * medianResistance))
            // The interface part says the same (R_int / f) where the fits have one and the
            // edges latched the cell (before the baseline, which then holds the loss, and their
            // split reads it as electrolyte). A cell the fits latched (its evidence confirmed,
            // and frozen since) had its baseline before the loss: their split has it, and
            // measured against the cell's own history, not the median's.
            if _interface[k].isFinite && stepEvidence[k] < settings.confirmEvidence {
                _interface[k] = max(_interface[k], ri / _contactFraction[k])
            }
        }
        edges.evidenced = false
    }

    /// Judges the largest resistance step since the last window (`ResistanceStepWatch`), at any
    /// SoC, before or after the baseline, with or without a reaction front: a cell not excluded
    /// and not latched whose step's excess stands the fits' threshold (`contactStep` of the
    /// interface part, at least `minimumStep` of `resistance`, the mean cell's at the
    /// reference) has lost contact. Latched (`contactLoss`); its contact fraction is at most
    /// R_int / (R_int + excess), its interface part at least R_int over that. The step is then
    /// forgotten.
    @inlinable mutating func judgeStep(_ step: inout ResistanceStepWatch, excluded: Span<Bool>, interfaceResistance: Ohms, resistance: Float) {
        defer { step.clear() }
        let k = Int(step.cell) - 1
        let ri = lostInterface(interfaceResistance)
        guard k >= 0, k < maxCells, ri > 0, !excluded[k], !_contactLoss[k],
              step.excess >= max(settings.minimumStep.value * resistance, settings.contactStep.value * ri) else { return }
        _contactLoss[k] = true
        _contactLossCount += 1
        _contactFraction[k] = min(_contactFraction[k], Self.contactFraction(interface: ri, excess: step.excess))
        if _interface[k].isFinite { _interface[k] = max(_interface[k], ri / _contactFraction[k]) }
    }

    /// The interface part a cell loses its contact over, ohms at the reference: the datasheet's
    /// or commissioning test's `interfaceResistance`, or the median cell's now where the fits
    /// have split one and it is larger (the commissioning part and the pack's rise since: a
    /// new sulfide string's interphase grew 24 % by its baseline, and its latched cell read
    /// only the commissioning part over its contact fraction; health sweep run 25).
    @inlinable func lostInterface(_ interfaceResistance: Ohms) -> Float {
        medianInterface.isFinite ? max(interfaceResistance.value, medianInterface) : interfaceResistance.value
    }

    /// The smallest contact fraction over the cells (1 when none is known).
    @inlinable public func smallestContactFraction(count: Int, excluded: InlineArray<maxCells, Bool>) -> Float {
        _contactFraction.span.minimum(count: count, excluded: excluded.span, atMost: 1)
    }

    /// Clears the latched contact-loss flags (an operator's reset after inspection).
    @inlinable mutating func reset() {
        for k in 0..<maxCells {
            _contactLoss[k] = false
            stepEvidence[k] = 0
            gathered[k] = 0
        }
        _contactLossCount = 0
    }
}
