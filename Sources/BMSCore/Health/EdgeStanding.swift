/// Each cell's resistance as a ratio to the mean cell's, read from the large current edges of a
/// block duty (the ramps of arbitrage, peak shaving and PV firming), for the contact loss the
/// fits cannot see there.
///
/// The fits need tens of current steps (`ResistanceFitSettings.minimumSteps`), and a block duty
/// gives a dozen a day: a cell that lost half its contact before the day's first block charged
/// at the full current with no fit to derate it (every dendrite short of the health sweep that
/// CCD-aware derating did not prevent). An edge is a block pair (`ResistanceEstimator`) whose
/// mean cell's voltage change stands `edgeSignal` times a pair's noise (the quiet pairs') out of
/// it: each cell's change over the mean cell's is then a look at its resistance as a ratio
/// to the mean's, whatever the temperature, SoC or current. Not taken for a chemistry with a
/// reaction front: each of its cells follows its own depth (`InterfaceHealth.judgeEdges`).
///
/// The looks are averaged per cell (their running mean up to `memory` looks, then fading by
/// 1 / `memory` a look) and kept as a byte, the ratio over 0.5 ... 4 in 255 steps (0.0137 a
/// step; a ratio beyond is held at the bound). A look moves the average only when it lies more
/// than four steps from it (half a step after its weight of an eighth): looks as noisy as an
/// edge's dither that away, and looks sharper than a step leave the average up to 5.5 % from
/// their mean, a tenth of the bar (`grossRise`).
///
/// `InterfaceHealth.judgeEdges` compares each cell's average with the median cell's, and
/// latches a cell whose step evidence (`evidence`, a CUSUM of its looks) says it stepped: an
/// average that held ten looks from before a loss takes hours of looks to cross the bar. A
/// settled rest followed by a ramp is one sharp look (`ResistanceEstimator.restLook`).
@usableFromInline struct EdgeStanding<let maxCells: Int>: Sendable {
    /// Each cell's averaged ratio to the mean cell, coded (`code`).
    @usableFromInline var standing: InlineArray<maxCells, UInt8> = InlineArray(repeating: 0)
    /// Each cell's last look, coded: what a latched cell stands at now (its average still
    /// holds the looks from before its loss).
    @usableFromInline var latest: InlineArray<maxCells, UInt8> = InlineArray(repeating: 0)
    /// The last edge's mean cell resistance (ohms at the reference) and its highest cell's ratio
    /// to the mean cell, at any SoC (`look`; 0 before the first edge).
    @usableFromInline var latestResistance: Float = 0
    @usableFromInline var latestHighest: Float = 0
    /// The highest cell of the last edge, by its number plus one (0: none), where it stood over
    /// the provisional bar (`provisionalRise` and four of the look's sigmas), at any SoC.
    @usableFromInline var latestOver: Int32 = 0
    /// Each cell's step evidence from the looks inside the SoC range, in sixteenths: a CUSUM
    /// that each look moves by twice its rise over the mean cell in `grossRise` units less 2,
    /// within -1 ... +1, and upward only where the rise is four of the look's sigmas. A cell at
    /// 1.75 times the mean or more adds the whole unit, one at 1.5 times nothing, one at 1.25
    /// times or under takes a unit back. `latchEvidence` latches the cell
    /// (`InterfaceHealth.judgeEdges`).
    @usableFromInline var evidence: InlineArray<maxCells, UInt8> = InlineArray(repeating: 0)
    /// Some cell's evidence reached `latchEvidence` on the last look (cleared by the judge).
    @usableFromInline var evidenced = false
    /// Looks so far.
    @usableFromInline var looks: Float = 0
    /// A look's variance (of one cell's ratio), averaged as the ratios are.
    @usableFromInline var lookVariance: Float = 0
    /// The mean cell's resistance from the edges, ohms at the reference, averaged as the ratios.
    @usableFromInline var resistance: Float = 0

    /// Looks over which the ratios are averaged before they fade (a look's weight 1 / 8).
    @usableFromInline static var memory: Float { 8 }
    /// The mean cell's change on an edge, in a pair's noise (three: one look's ratio is
    /// uncertain by a third, the faded average of many by a twelfth).
    @usableFromInline static var edgeSignal: Float { 3 }

    /// The least rise over the median cell that the edges call a contact loss (a cell at 1.5
    /// times the median): against the median, not its own history, a cell's standing holds
    /// its production spread and its ageing too. End-of-life Na-S cells of the health sweep
    /// stood 1.23 and 1.31 times the median on its edges with the cells scattered by 5 %
    /// (runs 80 and 83, false alarms over a bar of 7.5 %). Half the contact lost is +80 % and
    /// more on a sulfide or polymer cell, whose interface is most of it, the cells CCD
    /// shorts (84 without CCD-aware derating in that sweep); on a ZEBRA, NASICON or Na-S cell
    /// it is +12 ... 20 %, under this bar, and waits for the fits.
    @usableFromInline static var grossRise: Float { 0.5 }

    /// The least rise over the mean cell, on one edge at any SoC, that CCD-aware derating takes
    /// at once (`InterfaceHealth.provisionalContact`): twice the mean cell, over the 1.55 times
    /// of healthy end-of-life Na-S cells near empty and four of the look's own sigmas.
    @usableFromInline static var provisionalRise: Float { 1 }

    /// The step evidence that latches a cell (two units: two looks in a row at 1.75 times the
    /// mean cell or more, four at 1.63 times).
    @usableFromInline static var latchEvidence: UInt8 { 32 }

    @inlinable init() {}

    /// The byte for a ratio (NaN: the lowest).
    @inlinable static func code(_ ratio: Float) -> UInt8 {
        let x = (ratio - 0.5) * 72.857 + 0.5
        return x >= 255 ? 255 : x > 0 ? UInt8(Int(x)) : 0
    }

    /// The ratio of a byte.
    @inlinable static func ratio(_ code: UInt8) -> Float { 0.5 + Float(Int(code)) / 72.857 }

    /// Takes one edge: each cell's block means `after` and `before` the pair, the mean cell's
    /// change `meanChange` (V), its resistance `resistance` (the change over the current step,
    /// ohms at the reference) and a look's ratio `variance` (a pair's noise over the change,
    /// squared). Every edge is the cells' latest look (`latest`, for CCD-aware derating at
    /// once: `InterfaceHealth.provisionalContact`); only an edge `inside` the SoC range of the
    /// measured law counts towards their standing.
    @inlinable mutating func look(
        after: Span<Float>, before: Span<Float>, cellCount: Int, meanChange: Float, resistance r: Float, variance: Float, inside: Bool = true
    ) {
        guard variance.isFinite, r > 0, r.isFinite else { return }
        latestResistance = r
        // The first look is taken whole (its weight is 1). (Past 2^24 looks the count stops, and
        // the weight has long been 1 / `memory`.)
        var w: Float = 0
        if inside {
            looks += 1
            w = max(1 / looks, 1 / Self.memory)
            lookVariance += w * (variance - lookVariance)
            resistance += w * (r - resistance)
        }
        var highest: Float = 0
        var highestCell: Int32 = 0
        for k in 0..<cellCount {
            let ratio = (after[k] - before[k]) / meanChange
            guard ratio.isFinite else { continue }
            latest[k] = Self.code(ratio)
            if ratio > highest {
                highest = ratio
                highestCell = Int32(truncatingIfNeeded: k + 1)
            }
            // (Outside the range the weight is 0, and the byte codes back to itself.)
            let old = Self.ratio(standing[k])
            standing[k] = Self.code(old + w * (ratio - old))
            // The step evidence, inside the range only (outside it a cell's resistance follows
            // its own SoC): where healthy cells stood at most 1.31 times the median, a loss
            // shows within a few looks whatever the looks before it (the average of ten looks
            // from before a loss held a cell at 1.9 times under the bar for hours).
            guard inside else { continue }
            let rise = ratio - 1
            var step = max(-1, min(1, 2 * (rise / Self.grossRise - 1)))
            if step > 0 && rise * rise < 16 * variance { step = 0 }
            let e = min(255, max(0, Int(evidence[k]) + Int(16 * step)))
            evidence[k] = UInt8(e)
            if e >= Int(Self.latchEvidence) { evidenced = true }
        }
        latestHighest = highest
        let rise = highest - 1
        latestOver = rise >= Self.provisionalRise && rise * rise >= 16 * variance ? highestCell : 0
    }

    /// The averaged ratios' variance from the looks' noise.
    @inlinable var averageVariance: Float {
        lookVariance * max(1 / max(1, looks), 1 / (2 * Self.memory - 1))
    }
}
