/// Capacity state of health of the mean cell, and of each cell, from the charge counted between
/// two SoC anchors.
///
/// An anchor is an SoC known without the counter: a sharp resting OCV read (its range's quarter
/// width under `maximumAnchorSigma`: on the sloped parts of the OCV, the ZEBRA Fe step, the Na-S
/// single-phase region), a completed full charge, or the power-up estimate where its sigma is
/// that sharp (its error is independent of the count; not a restored record's). Between two
/// anchors at least `minimumSwing` of SoC apart (or half that where both are sharp:
/// `CapacitySettings.maximumAnchorRelative`), capacity = counted charge / SoC swing; its
/// relative uncertainty is the anchors' combined sigma over the swing. Samples are pooled by
/// inverse variance, the pool forgetting `forgetting` of its weight per sample so the estimate
/// follows fade. The counted charge is corrected by the
/// current sensor's offset as read directly (`offsetMeter`: zero-current reads), times the time
/// since the first anchor, and that offset's uncertainty is part of the sample's: a 10 mA offset
/// over the 18 h between two anchors is 0.18 Ah, 3.3 % of a 10 Ah cell's 0.55 swing (a sulfide
/// week read its capacity +2.7 % high). Not by the SoC filter's offset estimate: under a long
/// one-way current a capacity error looks like an offset to that filter, and its offset would
/// feed the error back. On a pack that never rests on a slope nor charges full, there is
/// nothing to measure: the estimate stays NaN.
///
/// What the SoC estimate uses (`belief`) is that pool with the assumed capacity as its first
/// sample (`CapacitySettings.assumedSoH`, weighted by its sigma), forgotten like the others: a
/// pack of unknown history moves to what it measures within a few swings.
///
/// Per cell: the same anchors, with the cell's own read of its SoC difference from the mean cell
/// at each rest (unfiltered: a filtered difference would understate its change; on a slope a
/// read is good to about half a percent), so cell k's swing is the mean's plus the change of
/// its difference; pooled with the mean cell's weights.
public struct CapacityEstimator<let maxCells: Int>: Sendable {
    /// Its settings (`CoreConfiguration`).
    public let settings: CapacitySettings

    /// Two kept anchors (NaN: none), so that a swing between a rest and a later one counts
    /// whichever came first: with one, an anchor within `minimumSwing` of the kept one replaced
    /// it or was dropped, and a string rested at 79 %, then 60 %, then charged full, made no
    /// sample in a day (the 60 % anchor, less sharp than the 79 % one, was dropped; the full
    /// charge stood 17 points from 79 % and 36 from 60 %).
    @usableFromInline var anchorSoC: InlineArray<2, Float> = InlineArray(repeating: .nan)
    @usableFromInline var anchorSigma: InlineArray<2, Float> = InlineArray(repeating: .nan)
    @usableFromInline var anchorCharge: InlineArray<2, Int64> = InlineArray(repeating: 0)
    /// Time since each anchor (counted by `tick`).
    @usableFromInline var sinceAnchor: InlineArray<2, Milliseconds> = InlineArray(repeating: .zero)
    /// The current sensor's offset from zero-current reads (`readOffset`), taken out of the
    /// charge counted between anchors.
    @inlinable public var offsetMeter: CurrentOffsetMeter { _read { yield _offsetMeter } }
    @usableFromInline var _offsetMeter = CurrentOffsetMeter()
    /// The cells' differences from the mean cell at anchor 0 and at anchor 1.
    @usableFromInline var anchorDelta: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var anchorDelta1: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// Charge each cell has lost to its bleed resistor since anchor 0 and anchor 1 beyond the
    /// mean cell's share (which the pack counter books), Ah: it left the cell without passing
    /// the sensor.
    @usableFromInline var bleedSinceAnchor: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    @usableFromInline var bleedSinceAnchor1: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
    /// Estimated capacity of each cell, Ah (NaN before the first sample).
    @inlinable public var cellCapacity: InlineArray<maxCells, Float> { _read { yield _cellCapacity } }
    @usableFromInline var _cellCapacity: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var weight: Float = 0
    /// Estimated capacity of the mean cell, Ah (NaN before the first sample).
    @inlinable public var capacity: Float { _read { yield _capacity } }
    @usableFromInline var _capacity: Float = .nan
    /// Samples taken.
    @inlinable public var samples: Int32 { _read { yield _samples } }
    @usableFromInline var _samples: Int32 = 0

    /// The assumed capacity of the mean cell, Ah (the rated one times `assumedSoH`) ...
    @usableFromInline let assumed: Float
    /// ... and its weight in the belief (1 / its relative variance), forgotten per sample.
    @usableFromInline var assumedWeight: Float

    /// An estimator for cells rated `ratedCell`.
    @inlinable public init(settings: CapacitySettings = CapacitySettings(), ratedCell: AmpereHours = AmpereHours(1)) {
        self.settings = settings
        assumed = ratedCell.value * settings.assumedSoH.value
        let sigma = settings.assumedSoHSigma.value / settings.assumedSoH.value
        assumedWeight = sigma > 0 ? 1 / (sigma * sigma) : 1e12
    }

    /// The capacity of the mean cell the SoC estimate uses, Ah, and its relative variance: the
    /// measured pool with the assumed capacity in it.
    @inlinable public var belief: (capacity: Float, relativeVariance: Float) {
        guard _capacity.isFinite, weight > 0 else { return (assumed, 1 / assumedWeight) }
        let total = assumedWeight + weight
        return ((assumed * assumedWeight + _capacity * weight) / total, 1 / total)
    }

    /// Counts one step of time since the anchors.
    @inlinable mutating func tick(_ step: Milliseconds) {
        for a in 0..<2 where anchorSoC[a].isFinite { sinceAnchor[a] = sinceAnchor[a] + step }
    }

    /// Pools a reading of the current sensor taken while no current flows, as one string's share
    /// (the pack reading over the parallel strings, as the charge is counted), good to `sigma` A.
    @inlinable mutating func readOffset(_ measured: Amperes, sigma: Float) {
        _offsetMeter.read(measured, sigma: sigma)
    }

    /// The charge counted since anchor `a` (the offset read at rest taken out), Ah of one
    /// string, and that charge's relative uncertainty from the offset's. (Mutating though it
    /// changes nothing: a non-mutating call copied the whole estimator, per-cell arrays and
    /// all, onto the firmware's stack: `anchor` took a 10.8 KB frame.)
    @inlinable mutating func chargeSince(_ a: Int, dischargedMicrocoulombs: Int64, strings: Float) -> (charge: Float, relative: Float) {
        // (Via Double: Float(Int64) takes an allocating generic path in Embedded mode.)
        let hours = sinceAnchor[a].seconds / 3600
        let counted = ChargeCounter.ampereHours(microcoulombs: dischargedMicrocoulombs &- anchorCharge[a]) / strings
        // The offset read at rest, over the time since the anchor (nothing before a read).
        let (offsetCharge, offsetSigma): (Float, Float) =
            _offsetMeter.weight > 0 ? (_offsetMeter._offset * hours, _offsetMeter.sigma * hours) : (0, 0)
        let charge = counted - offsetCharge
        return (charge, charge != 0 ? offsetSigma / abs(charge) : 0)
    }

    /// Offers an anchor: SoC `soc` with uncertainty `sigma`, at the pack counter's reading
    /// `dischargedMicrocoulombs` (shared by `strings` parallel strings), with the cells' SoC
    /// differences from the mean cell `deltas` at that moment. With a kept anchor far enough
    /// away (`minimumSwing`, or half that where both are sharp) it makes a sample (from the
    /// kept one that gives the sharper) and is then the only one kept; otherwise it replaces
    /// the nearer kept anchor where it is sharper or widens their span. Returns whether it
    /// made a capacity sample.
    @discardableResult
    @inlinable mutating func anchor(
        soc: Float, sigma: Float, dischargedMicrocoulombs: Int64, strings: Float, deltas: InlineArray<maxCells, Float>, cellCount: Int
    ) -> Bool {
        guard sharpEnough(soc, sigma) else { return false }
        var best = -1
        var bestRelative = Float.infinity
        var bestCharge: Float = 0
        for a in 0..<2 where anchorSoC[a].isFinite && abs(anchorSoC[a] - soc) >= settings.minimumSwing.value / 2 {
            let swing = anchorSoC[a] - soc
            let anchorsRelative = ((sigma * sigma + anchorSigma[a] * anchorSigma[a]) / (swing * swing)).squareRoot()
            guard abs(swing) >= settings.minimumSwing.value || anchorsRelative <= settings.maximumAnchorRelative else { continue }
            let (charge, chargeRelative) = chargeSince(a, dischargedMicrocoulombs: dischargedMicrocoulombs, strings: strings)
            let relative = (anchorsRelative * anchorsRelative + chargeRelative * chargeRelative).squareRoot()
            if charge / swing > 0, relative < bestRelative {
                best = a
                bestRelative = relative
                bestCharge = charge
            }
        }
        var keepBoth = false
        if best >= 0 {
            if best == 1 { swapAnchors(cellCount: cellCount) }
            let swing = anchorSoC[0] - soc
            let w = 1 / (bestRelative * bestRelative)
            weight *= settings.forgetting.value
            assumedWeight *= settings.forgetting.value
            let sample = bestCharge / swing
            _capacity = _capacity.isFinite ? (_capacity * weight + sample * w) / (weight + w) : sample
            for k in 0..<cellCount {
                let cellSample = (bestCharge + bleedSinceAnchor[k]) / (swing + anchorDelta[k] - deltas[k])
                guard cellSample.isFinite, cellSample > 0 else { continue }
                _cellCapacity[k] = _cellCapacity[k].isFinite ? (_cellCapacity[k] * weight + cellSample * w) / (weight + w) : cellSample
            }
            weight += w
            _samples &+= 1
            // The sample's end is the one anchor kept.
            anchorSoC[1] = .nan
        } else if anchorSoC[0].isFinite {
            // The nearer kept anchor (an empty slot is the farthest), replaced where the new one
            // is sharper or widens the span to the other.
            let near = !anchorSoC[1].isFinite || abs(anchorSoC[0] - soc) <= abs(anchorSoC[1] - soc) ? 0 : 1
            let other = anchorSoC[1 - near]
            if !other.isFinite {
                // One kept: the new one goes beside it, unless it reads the same point better
                // (sharper, within three of the kept one's sigmas), and replaces it: kept, a
                // power-up estimate a rest read had corrected by 2.1 points made a sample 31
                // points from the next full charge, the capacity 8 % low (sweep run 168, sulfide).
                keepBoth = !(sigma < anchorSigma[0] && abs(soc - anchorSoC[0]) < 3 * anchorSigma[0])
            } else if sigma < anchorSigma[near] || abs(soc - other) > abs(anchorSoC[near] - other) {
                if near == 1 { swapAnchors(cellCount: cellCount) }
            } else {
                return false
            }
        }
        // The new anchor goes to slot 0; the one kept beside it, to slot 1.
        if keepBoth { swapAnchors(cellCount: cellCount) }
        keep(soc: soc, sigma: sigma, dischargedMicrocoulombs: dischargedMicrocoulombs)
        for k in 0..<cellCount {
            anchorDelta[k] = deltas[k]
            bleedSinceAnchor[k] = 0
        }
        return best >= 0
    }

    /// Keeps the power-up estimate `soc` (sigma `sigma`, at the counter's reading
    /// `dischargedMicrocoulombs`) as the first anchor, where it is sharp enough; the cells'
    /// differences at power-up are unknown, so it makes no cell sample.
    @inlinable mutating func anchorAtPowerUp(soc: Float, sigma: Float, dischargedMicrocoulombs: Int64) {
        if sharpEnough(soc, sigma) { keep(soc: soc, sigma: sigma, dischargedMicrocoulombs: dischargedMicrocoulombs) }
    }

    /// Whether an SoC with that sigma is sharp enough to anchor (`maximumAnchorSigma`).
    @inlinable func sharpEnough(_ soc: Float, _ sigma: Float) -> Bool {
        soc.isFinite && sigma.isFinite && sigma <= settings.maximumAnchorSigma.value
    }

    /// Puts an anchor in slot 0 (the cells' differences at it are the caller's).
    @inlinable mutating func keep(soc: Float, sigma: Float, dischargedMicrocoulombs: Int64) {
        anchorSoC[0] = soc
        anchorSigma[0] = sigma
        anchorCharge[0] = dischargedMicrocoulombs
        sinceAnchor[0] = .zero
    }

    /// Drops the kept anchors (a record restored: the power-up's anchor was the configured
    /// start, not the restored SoC; the anchors in progress are not kept in the record).
    @inlinable mutating func forgetAnchors() {
        anchorSoC = InlineArray(repeating: .nan)
        anchorSigma = InlineArray(repeating: .nan)
    }

    /// Exchanges the two kept anchors, cell by cell in place.
    @inlinable mutating func swapAnchors(cellCount: Int) {
        anchorSoC.swapAt(0, 1)
        anchorSigma.swapAt(0, 1)
        anchorCharge.swapAt(0, 1)
        sinceAnchor.swapAt(0, 1)
        for k in 0..<cellCount {
            let d = anchorDelta[k]
            anchorDelta[k] = anchorDelta1[k]
            anchorDelta1[k] = d
            let b = bleedSinceAnchor[k]
            bleedSinceAnchor[k] = bleedSinceAnchor1[k]
            bleedSinceAnchor1[k] = b
        }
    }

    /// Books one step's bleed: `bled[k]` and `meanBled` as SoC of a cell of `capacity_As`.
    @inlinable mutating func addBleed(_ bled: Span<Float>, meanBled: Float, capacity_As: Float, count: Int) {
        for k in 0..<count {
            let b = (bled[k] - meanBled) * capacity_As / 3600
            bleedSinceAnchor[k] += b
            bleedSinceAnchor1[k] += b
        }
    }
}
