/// Capacity state of health of the mean cell, and of each cell, from the charge counted between
/// two SoC anchors.
///
/// An anchor is an SoC known without the counter: a sharp resting OCV read (its range's quarter
/// width under `maximumAnchorSigma`: on the sloped parts of the OCV, the ZEBRA Fe step, the Na-S
/// single-phase region) or a completed full charge. Between two anchors at least
/// `minimumSwing` of SoC apart, capacity = counted charge / SoC swing; its relative uncertainty is the anchors' combined sigma over
/// the swing. Samples are pooled by inverse variance, the pool forgetting `forgetting` of its
/// weight per sample so the estimate follows fade. The counted charge is corrected by the
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

    @usableFromInline var anchorSoC: Float = .nan
    @usableFromInline var anchorSigma: Float = .nan
    @usableFromInline var anchorCharge: Int64 = 0
    /// Time since the anchor (counted by `tick`).
    @usableFromInline var sinceAnchor = Milliseconds.zero
    /// The current sensor's offset from zero-current reads (`readOffset`), taken out of the
    /// charge counted between anchors.
    @inlinable public var offsetMeter: CurrentOffsetMeter { _read { yield _offsetMeter } }
    @usableFromInline var _offsetMeter = CurrentOffsetMeter()
    @usableFromInline var anchorDelta: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// Charge each cell has lost to its bleed resistor since the anchor beyond the mean cell's
    /// share (which the pack counter books), Ah: it left the cell without passing the sensor.
    @usableFromInline var bleedSinceAnchor: InlineArray<maxCells, Float> = InlineArray(repeating: 0)
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

    /// Counts one step of time since the anchor.
    @inlinable mutating func tick(_ step: Milliseconds) {
        if anchorSoC.isFinite { sinceAnchor = sinceAnchor + step }
    }

    /// Pools a reading of the current sensor taken while no current flows, as one string's share
    /// (the pack reading over the parallel strings, as the charge is counted), good to `sigma` A.
    @inlinable mutating func readOffset(_ measured: Amperes, sigma: Float) {
        _offsetMeter.read(measured, sigma: sigma)
    }

    /// Offers an anchor: SoC `soc` with uncertainty `sigma`, at the pack counter's reading
    /// `dischargedMicrocoulombs` (shared by `strings` parallel strings), with the cells' SoC
    /// differences from the mean cell `deltas` at that moment. Returns whether it made a
    /// capacity sample.
    @discardableResult
    @inlinable mutating func anchor(
        soc: Float, sigma: Float, dischargedMicrocoulombs: Int64, strings: Float, deltas: InlineArray<maxCells, Float>, cellCount: Int
    ) -> Bool {
        guard soc.isFinite, sigma.isFinite, sigma <= settings.maximumAnchorSigma.value else { return false }
        var sampled = false
        if anchorSoC.isFinite {
            let swing = anchorSoC - soc
            if abs(swing) >= settings.minimumSwing.value {
                // (Via Double: Float(Int64) takes an allocating generic path in Embedded mode.)
                let hours = sinceAnchor.seconds / 3600
                let counted = ChargeCounter.ampereHours(microcoulombs: dischargedMicrocoulombs &- anchorCharge) / strings
                // The offset read at rest, over the time since the anchor (nothing before a read).
                let (offsetCharge, offsetSigma): (Float, Float) =
                    _offsetMeter.weight > 0 ? (_offsetMeter._offset * hours, _offsetMeter.sigma * hours) : (0, 0)
                let charge = counted - offsetCharge
                let sample = charge / swing
                let chargeRelative = charge != 0 ? offsetSigma / abs(charge) : 0
                let relative = ((sigma * sigma + anchorSigma * anchorSigma) / (swing * swing) + chargeRelative * chargeRelative).squareRoot()
                if sample.isFinite, sample > 0 {
                    let w = 1 / (relative * relative)
                    weight *= settings.forgetting.value
                    assumedWeight *= settings.forgetting.value
                    _capacity = _capacity.isFinite ? (_capacity * weight + sample * w) / (weight + w) : sample
                    for k in 0..<cellCount {
                        let cellSample = (charge + bleedSinceAnchor[k]) / (swing + anchorDelta[k] - deltas[k])
                        guard cellSample.isFinite, cellSample > 0 else { continue }
                        _cellCapacity[k] = _cellCapacity[k].isFinite ? (_cellCapacity[k] * weight + cellSample * w) / (weight + w) : cellSample
                    }
                    weight += w
                    _samples &+= 1
                    sampled = true
                }
            } else if sigma >= anchorSigma {
                return false  // keep the sharper of two nearby anchors
            }
        }
        anchorSoC = soc
        anchorSigma = sigma
        anchorCharge = dischargedMicrocoulombs
        sinceAnchor = .zero
        for k in 0..<cellCount {
            anchorDelta[k] = deltas[k]
            bleedSinceAnchor[k] = 0
        }
        return sampled
    }

    /// Books one step's bleed: `bled[k]` and `meanBled` as SoC of a cell of `capacity_As`.
    @inlinable mutating func addBleed(_ bled: Span<Float>, meanBled: Float, capacity_As: Float, count: Int) {
        for k in 0..<count { bleedSinceAnchor[k] += (bled[k] - meanBled) * capacity_As / 3600 }
    }
}
