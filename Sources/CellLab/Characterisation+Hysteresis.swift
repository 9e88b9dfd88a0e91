import BMSCore
import BatteryPlant
import Foundation

extension Characterisation {
    /// What the rested-voltage (GITT) and reversal tests found: the OCV's hysteresis.
    public struct HysteresisResult: Sendable {
        /// Half the gap between the rested voltage after a charge and after a discharge at each
        /// of the OCV table's points, mean over the samples, V (0 at the table's ends, where no
        /// rest is taken; all 0 when no gap was measurable).
        public var halfGap_V: [Double]
        /// The half gap's standard error on the table's middle (10 ... 90 %): the samples' spread
        /// over the square root of their number, V.
        public var halfGapError_V: Double
        /// The charge over which a reversal crosses 1 - 1/e of the gap, fraction of capacity
        /// (nil: no gap measurable, the firmware models none).
        public var transitionCharge: Double?
        /// RMS residual of the reversal fit, as a share of the gap.
        public var fitRMS: Double
        /// The rested OCV at each of the table's points inside 2 ... 98 %: the mean over the
        /// samples of the readings after a charge and after a discharge (their mean cancels the
        /// hysteresis), V; nil at the ends, where no rest is taken.
        public var restedOCV_V: [Double?]
        /// How far the rested OCV and the slow-rate table disagree (RMS over the table's points
        /// on 10 ... 90 %), V: two methods for one curve, so the table is known no better than
        /// this (a Type B uncertainty, `firmware(_:slowRate:hysteresis:)`).
        public var tableDisagreement_V: Double
    }

    /// A gap is modelled when the table's middle shows a median half gap above this, V (five
    /// times the cycler's 0.2 mV noise) and three standard errors.
    public static let smallestHalfGap_V = 0.001
    /// The rest before each rested reading, steps of 10 s (one hour), and the reversal's
    /// increments (0.5 % of capacity, ten of them, 30 minutes' rest each).
    static let gittRestSteps = 360
    static let reversalIncrement = 0.005
    static let reversalSteps = 10

    /// The rested-voltage test (GITT-like), on each sample at the OCV reference temperature:
    /// CC-CV to full at C/10; down at C/10 to each of the OCV table's points inside 2 ... 98 %
    /// by counted charge (over the sample's slow-rate capacity) with an hour's rest and a
    /// reading at each; on down to the minimum voltage (CV); back up to each point the same
    /// way; to full. Half the difference of the charge and the discharge reading at a point is
    /// its half gap. Then the reversal: from full down to the table's point nearest 50 % (the
    /// discharge branch), then up in ten 0.5 % increments with 30 minutes' rest; the share of
    /// the gap each reading has crossed (less the table's own slope over the increment) is
    /// fitted by 1 - exp(-q / Q) through the origin: Q is the transition charge.
    public static func hysteresis(
        _ chemistry: CellChemistry, datasheet: FirmwareDefinition, slowRate s: SlowRateResult, options: Options = Options()
    ) -> HysteresisResult {
        let t = s.temperature_C
        let rated = Double(datasheet.model.capacity.value)
        let current = rated / 10
        // The holds at the cut-offs end where the slow-rate test's do, so that its 0 and 100 %
        // are this test's (at C/50 its 0 sat 1 % of charge up Na-S's foot, and the rested
        // readings there 1.7 ... 2.3 mV above the table).
        let holdEnd = rated * options.holdEndRate
        let vMin = Double(datasheet.limits.operatingVoltage.0)
        let vMax = Double(datasheet.limits.operatingVoltage.1)
        let inner = s.soc.indices.filter { s.soc[$0] > 0.02 && s.soc[$0] < 0.98 }
        let middle = s.soc.indices.min { abs(s.soc[$0] - 0.5) < abs(s.soc[$1] - 0.5) }!
        let table = s.soc.indices.map { (soc: s.soc[$0], voltage: s.ocv_V[$0]) }
        var gaps: [[Double]] = []
        var restedMeans: [[Double]] = []
        var crossed: [[Double]] = []
        for k in 0..<options.samples {
            var cell = sample(chemistry, index: k, soc: 0.5, temperature_C: t, options: options)
            cell.command(.closed)
            let capacity = s.capacities_Ah[k]
            var soc = 0.0
            var ignored = 0.0
            // Moves at the test rate until the counted SoC passes `target` (or a cut-off).
            func move(to target: Double) {
                let down = target < soc
                for _ in 0..<200_000 {
                    guard down ? soc > target : soc < target else { return }
                    cell.step(current: down ? current : -current, duration_ms: 10_000)
                    let r = cell.sample()
                    soc -= r.current_A * 10 / 3600 / capacity
                    if down ? r.cellVoltages_V[0] <= vMin : r.cellVoltages_V[0] >= vMax { return }
                }
            }
            // Rests, then reads ten readings' mean, taken back to `point` along the table's slope
            // (the last step overshoots it by up to 0.03 %: 7 mV on a 23 V per unit end).
            func rested(_ steps: Int, at point: Double) -> Double {
                for _ in 0..<steps { cell.step(current: 0, duration_ms: 10_000) }
                var v = 0.0
                for _ in 0..<10 {
                    cell.step(current: 0, duration_ms: 1000)
                    v += cell.sample().cellVoltages_V[0] / 10
                }
                return v - tableSlope(s, at: soc) * (soc - point)
            }
            func full() {
                move(to: 2)
                constantVoltage(
                    &cell, at: vMax, charging: true, current: current, until: holdEnd, step: 10_000, counting: false, into: &ignored)
                soc = 1
            }
            full()
            var down: [Int: Double] = [:]
            for i in inner.reversed() {
                move(to: s.soc[i])
                down[i] = rested(gittRestSteps, at: s.soc[i])
            }
            move(to: -1)
            constantVoltage(
                &cell, at: vMin, charging: false, current: current, until: holdEnd, step: 10_000, counting: false, into: &ignored)
            soc = 0
            var gap = Array(repeating: 0.0, count: s.soc.count)
            var restedMean = Array(repeating: 0.0, count: s.soc.count)
            for i in inner {
                move(to: s.soc[i])
                let up = rested(gittRestSteps, at: s.soc[i])
                gap[i] = (up - down[i]!) / 2
                restedMean[i] = (up + down[i]!) / 2
            }
            gaps.append(gap)
            restedMeans.append(restedMean)
            // The reversal at the middle point, from the discharge branch.
            full()
            move(to: s.soc[middle])
            let startSoC = s.soc[middle]
            let start = rested(gittRestSteps, at: startSoC)
            var shares: [Double] = []
            for step in 1...reversalSteps {
                let point = startSoC + Double(step) * reversalIncrement
                move(to: point)
                let v = rested(gittRestSteps / 2, at: point)
                shares.append((v - start - (interpolate(table, at: point) - interpolate(table, at: startSoC))) / (2 * max(gap[middle], 1e-9)))
            }
            crossed.append(shares)
        }
        let n = Double(options.samples)
        let mean = s.soc.indices.map { i in gaps.reduce(0) { $0 + $1[i] } / n }
        let centre = s.soc.indices.filter { s.soc[$0] >= 0.1 && s.soc[$0] <= 0.9 }
        let restedOCV: [Double?] = s.soc.indices.map { i in inner.contains(i) ? restedMeans.reduce(0) { $0 + $1[i] } / n : nil }
        // On the centre (10 ... 90 %, the samples' spread's window): at the steep ends a
        // millivolt is a fraction of a percent of SoC, and the firmware's one uncertainty would
        // carry it onto the slopes.
        let differences = centre.compactMap { i in restedOCV[i].map { $0 - s.ocv_V[i] } }
        let disagreement = differences.isEmpty ? 0 : (differences.reduce(0) { $0 + $1 * $1 } / Double(differences.count)).squareRoot()
        let spread = centre.map { i in (gaps.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[i] - mean[i]) } / max(1, n - 1)).squareRoot() }
        let error = (spread.reduce(0) { $0 + $1 * $1 } / Double(max(1, spread.count))).squareRoot() / n.squareRoot()
        let centreGaps = centre.map { mean[$0] }.sorted()
        let median = centreGaps.isEmpty ? 0 : centreGaps[centreGaps.count / 2]
        guard median > max(smallestHalfGap_V, 3 * error) else {
            return HysteresisResult(
                halfGap_V: mean.map { _ in 0 }, halfGapError_V: error, transitionCharge: nil, fitRMS: 0, restedOCV_V: restedOCV,
                tableDisagreement_V: disagreement)
        }
        // 1 - share = exp(-q / Q): -ln(1 - share) = q / Q, through the origin, where the share
        // is well inside (0, 1) (near 1 the logarithm magnifies the noise).
        let shares = (0..<reversalSteps).map { j in crossed.reduce(0) { $0 + $1[j] } / n }
        let q = (1...reversalSteps).map { Double($0) * reversalIncrement }
        let usable = shares.indices.filter { shares[$0] > 0.05 && shares[$0] < 0.9 }
        let sxy = usable.reduce(0) { $0 + q[$1] * -Foundation.log(1 - shares[$1]) }
        let sxx = usable.reduce(0) { $0 + q[$1] * q[$1] }
        guard sxy > 0 else {
            return HysteresisResult(
                halfGap_V: mean.map { max(0, $0) }, halfGapError_V: error, transitionCharge: nil, fitRMS: 0, restedOCV_V: restedOCV,
                tableDisagreement_V: disagreement)
        }
        let charge = sxx / sxy
        let residuals = shares.indices.map { shares[$0] - (1 - Foundation.exp(-q[$0] / charge)) }
        let rms = (residuals.reduce(0) { $0 + $1 * $1 } / Double(residuals.count)).squareRoot()
        return HysteresisResult(
            halfGap_V: mean.map { max(0, $0) }, halfGapError_V: error, transitionCharge: charge, fitRMS: rms, restedOCV_V: restedOCV,
            tableDisagreement_V: disagreement)
    }

    /// The slope of the slow-rate table at `x`, V per unit SoC.
    static func tableSlope(_ s: SlowRateResult, at x: Double) -> Double {
        guard let k = s.soc.indices.dropLast().last(where: { s.soc[$0] <= x }) else { return 0 }
        return (s.ocv_V[k + 1] - s.ocv_V[k]) / (s.soc[k + 1] - s.soc[k])
    }

    /// `base` with the hysteresis the tests measured (none when they measured none), and the
    /// table's uncertainty of the slow-rate test `s` widened by the rested test's disagreement
    /// with it (added in quadrature): the samples' spread says how well the mean curve was
    /// measured by one method, not how right the method is. (Na-S's slope read 1.7 ... 2.3 mV
    /// below the rested OCV, ten times the spread's 0.2 mV, and the filter held an estimate
    /// 0.4 % off at a sigma of 0.05 %.)
    public static func firmware(_ base: FirmwareDefinition, slowRate s: SlowRateResult, hysteresis h: HysteresisResult) throws -> FirmwareDefinition {
        var f = base
        let u = (s.uncertainty_V * s.uncertainty_V + h.tableDisagreement_V * h.tableDisagreement_V).squareRoot()
        f.model.ocvUncertainty = Volts(Float(u))
        if let charge = h.transitionCharge, h.halfGap_V.count == f.model.ocv.count {
            f.model.hysteresis = try OCVHysteresis(count: h.halfGap_V.count, halfGap: { Float(h.halfGap_V[$0]) }, transitionCharge: Float(charge))
        } else {
            f.model.hysteresis = nil
        }
        return f
    }
}
