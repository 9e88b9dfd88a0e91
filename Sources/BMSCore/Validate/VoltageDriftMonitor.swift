/// Finds a voltage channel that drifts: a cell channel (or the pack channel) that stays in range
/// and keeps moving, so no range, stuck or sum check can see it.
///
/// Kirchhoff ties them: the pack voltage is the cells' sum less the interconnects' drop. The
/// difference m = sum - pack is followed as m = a + b I (b the interconnects' resistance, a what
/// the two chains' offsets leave) with exponentially weighted moments. The intercept a is learnt
/// once the channels have been watched for `ValidationSettings.voltageDriftLearnTime` after
/// power-up; from then on, a moving more than `voltageDriftLimit` (or eight of its own standard
/// errors, whichever is larger: none while the current has moved and the drop is not yet known) plus `voltageDriftGainTolerance` of how far the sum has moved
/// since is a drifting channel. It cannot say which channel: the reaction is the same for any
/// (no cell reading is trusted).
@usableFromInline struct VoltageDriftMonitor: Sendable {
    /// Weighted means of the current, the mismatch and the sum, and the residual's variance, over
    /// `voltageDriftFilterTime`.
    @usableFromInline var meanCurrent: Float = 0
    @usableFromInline var meanMismatch: Float = 0
    @usableFromInline var meanSum: Float = 0
    @usableFromInline var residualVariance: Float = 0
    /// The current's mean and variance and its covariance with the mismatch over ten filter times,
    /// for the slope: a resistance that does not change is worth a long average (a short one's
    /// noise, times the mean current, would move the intercept).
    @usableFromInline var slowCurrent: Float = 0
    @usableFromInline var slowMismatch: Float = 0
    @usableFromInline var currentVariance: Float = 0
    @usableFromInline var covariance: Float = 0
    /// The interconnects' resistance (mismatch per ampere) and its variance, held while the
    /// current does not vary (infinite until it has: an unknown drop cannot be told from a drift).
    @usableFromInline var slope: Float = 0
    @usableFromInline var slopeVariance: Float = .infinity
    /// Samples taken (saturating), and the mismatch, current and sum when learnt (NaN until then):
    /// the reference intercept is taken with the present slope, so a slope learnt later does
    /// not move the reference against the present.
    @usableFromInline var samples: Int32 = 0
    @usableFromInline var baseline: Float = .nan
    @usableFromInline var baselineCurrent: Float = .nan
    @usableFromInline var baselineSum: Float = .nan
    @usableFromInline var confirm: Debouncer
    /// The intercept has moved past the tolerance for the confirmation time.
    @usableFromInline var drifting = false
    /// The cells the sum held when learning started: a cell set aside as failed short changes the
    /// sum's relation to the pack, and the reference is learnt again.
    @usableFromInline var cellsSummed = 0

    @inlinable init(settings v: ValidationSettings, step: Milliseconds) {
        confirm = Debouncer(time: v.voltageDriftConfirmation, step: step)
    }

    /// Feeds one fresh frame whose cells (`n` of them summed), pack voltage and current are trusted.
    @inlinable mutating func update(cellSum: Float, cellsSummed n: Int, packVoltage: Float, current: Float, settings v: ValidationSettings, step: Milliseconds) {
        let m = cellSum - packVoltage
        if n != cellsSummed {
            cellsSummed = n
            samples = 0
            baseline = .nan
            drifting = false
            confirm.reset()
        }
        if samples == 0 {
            (meanCurrent, meanMismatch, meanSum, slowCurrent, slowMismatch) = (current, m, cellSum, current, m)
            (residualVariance, currentVariance, covariance, slope, slopeVariance) = (0, 0, 0, 0, .infinity)
        }
        // Plain running means until a filter's weight is reached, exponential ones after: a mean
        // seeded with one sample keeps that sample's noise for a filter time, and the current's
        // and the mismatch's seeding errors, multiplied, biased the slope by 8 mOhm for an hour.
        let first = 1 / Float(Int(samples) + 1)
        let alpha = max(min(1, step.seconds / v.voltageDriftFilterTime.value), first)
        let slow = max(alpha / 10, first)
        let residual = m - meanMismatch - slope * (current - meanCurrent)
        meanCurrent += alpha * (current - meanCurrent)
        meanMismatch += alpha * (m - meanMismatch)
        meanSum += alpha * (cellSum - meanSum)
        residualVariance += alpha * (residual * residual - residualVariance)
        let di = current - slowCurrent
        let dm = m - slowMismatch
        slowCurrent += slow * di
        slowMismatch += slow * dm
        currentVariance = (1 - slow) * (currentVariance + slow * di * di)
        covariance = (1 - slow) * (covariance + slow * di * dm)
        // 1 A^2 of spread tells the drop from the offsets; a steady current keeps the last slope.
        if currentVariance > 1 {
            slope = covariance / currentVariance
            slopeVariance = residualVariance / 2 * slow / currentVariance
        }
        if samples < Int32.max { samples &+= 1 }
        guard samples >= Int32(truncatingIfNeeded: v.voltageDriftLearnTime.count / step.count) else { return }
        if baseline.isNaN {
            baseline = meanMismatch
            baselineCurrent = meanCurrent
            baselineSum = meanSum
            return
        }
        // The intercept's standard error: the weighted mean's, sigma sqrt(alpha / 2), and the
        // slope's, sigma sqrt(slow / 2 / variance), carried across the current's change.
        let change = meanCurrent - baselineCurrent
        let slopePart = change == 0 ? 0 : change * change * slopeVariance
        let standardError = (residualVariance / 2 * alpha + slopePart).squareRoot()
        let tolerance = max(v.voltageDriftLimit.value, 8 * standardError) + v.voltageDriftGainTolerance.value * abs(meanSum - baselineSum)
        drifting = confirm.update(abs(meanMismatch - baseline - slope * change) > tolerance)
    }
}
