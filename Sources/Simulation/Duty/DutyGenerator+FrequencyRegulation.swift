import BatteryPlant
import Foundation

extension DutyGenerator {
    /// Seconds between regulation updates (RegD: 2 s).
    static let regulationStep_s: Int64 = 2
    /// Regulation blocks: the signal is energy-neutral over each, up to its drift.
    static let regulationBlock_s: Int64 = 1800
    /// Standard deviation of a block's mean (its net energy: a RegD signal is energy-neutral by
    /// design, not in fact), pu.
    static let regulationDrift_pu = 0.02

    /// A day of RegD-like frequency regulation: 2 s updates in 30 min blocks. Each block is a
    /// sum of five sinusoids (periods 40 s ... 10 min, amplitudes 0.2 ... 1, random phases) plus
    /// first-order filtered noise (memory 20 s); its mean is removed, it is scaled so its peak
    /// is 0.6 ... 1.0 pu, and a drift drawn N(0, 0.02 pu) is added: the block's mean, held
    /// exactly through the rounding to 0.001 pu.
    static func frequencyRegulationDay(_ rng: inout SeededRandom, into rows: inout DutyRows, at offset_s: Int64) {
        let n = Int(regulationBlock_s / regulationStep_s)
        for block in 0..<Int(day_s / regulationBlock_s) {
            var components: [(amplitude: Double, omega: Double, phase: Double)] = []
            for _ in 0..<5 {
                let period = 40 + rng.uniform() * 560
                components.append((0.2 + 0.8 * rng.uniform(), 2 * Double.pi / period, 2 * Double.pi * rng.uniform()))
            }
            var noise = 0.0
            var raw = [Double](repeating: 0, count: n)
            for k in 0..<n {
                let t = Double(k) * Double(regulationStep_s)
                noise = 0.9 * noise + 0.1 * rng.gaussian()
                var v = 0.8 * noise
                for c in components { v += c.amplitude * sin(c.omega * t + c.phase) }
                raw[k] = v
            }
            let mean = raw.reduce(0, +) / Double(n)
            let peak = raw.reduce(0) { max($0, abs($1 - mean)) }
            let target = 0.6 + 0.4 * rng.uniform()
            let drift = rng.gaussian() * regulationDrift_pu
            var milli = raw.map { Int((min(max(($0 - mean) / max(peak, 1e-12) * target + drift, -1), 1) * 1000).rounded()) }
            // The rounding (and the clip at +-1) leaves the block's sum off its drift: spread the
            // residual, one thousandth at a time, over the largest samples.
            var residual = milli.reduce(0, +) - Int((drift * Double(n) * 1000).rounded())
            let order = milli.indices.sorted { (abs(milli[$0]), $1) > (abs(milli[$1]), $0) }
            var i = 0
            while residual != 0, i < 4 * n {
                let j = order[i % n]
                let delta = residual > 0 ? -1 : 1
                if abs(milli[j] + delta) <= 1000 {
                    milli[j] += delta
                    residual += delta
                }
                i += 1
            }
            let start = offset_s + Int64(block) * regulationBlock_s
            for (k, m) in milli.enumerated() { rows.appendMilli(start + Int64(k) * regulationStep_s, m) }
        }
    }
}
