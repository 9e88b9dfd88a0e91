import BatteryPlant
import Foundation

extension DutyGenerator {
    /// A day of peak shaving, 60 s rows. A commercial site's load (in its own peak units): a
    /// night base of 0.30 ... 0.40; on working days a plateau of 0.30 ... 0.45 from 6:30 ... 8:00
    /// to 17:30 ... 20:00 and an afternoon peak of 0.15 ... 0.35 around 13:00 ... 16:00 (width
    /// 1.5 ... 3 h); on weekends (days 5 and 6 of each week) half the plateau and peak; AR(1)
    /// noise with a 10 min memory. The battery is rated a quarter of the site's peak. The site's
    /// controller sets the day's threshold from its forecast, so that the load above it is 20 ...
    /// 60 % of the battery's 5 pu-h (one 0.2 C hour = 1 pu-h), but never under 0.7 (the
    /// contracted demand: a light day shaves little). Until 20:00 (the tariff's demand window)
    /// the battery discharges what exceeds the threshold (in pu of its rating), then recharges at
    /// the flat rate that puts the day's energy back at 90 % round trip.
    static func peakShavingDay(_ rng: inout SeededRandom, weekday: Int, into rows: inout DutyRows, at offset_s: Int64) {
        let step_s: Int64 = 60
        let n = Int(day_s / step_s)
        let start = 20 * 3600 / Int(step_s)
        let weekend = weekday >= 5 ? 0.5 : 1.0
        let base = 0.30 + 0.10 * rng.uniform()
        let plateau = (0.30 + 0.15 * rng.uniform()) * weekend
        let opens = 6.5 + 1.5 * rng.uniform()
        let closes = 17.5 + 2.5 * rng.uniform()
        let peak = (0.15 + 0.20 * rng.uniform()) * weekend
        let peakAt = 13 + 3 * rng.uniform()
        let width = 1.5 + 1.5 * rng.uniform()
        let target_puh = 5 * (0.2 + 0.4 * rng.uniform())
        var noise = 0.0
        var load = [Double](repeating: 0, count: start)
        for k in 0..<start {
            let h = Double(k) * Double(step_s) / 3600
            let day = plateau / (1 + exp(-(h - opens) * 2)) - plateau / (1 + exp(-(h - closes) * 1.5))
            noise = 0.90 * noise + 0.10 * rng.gaussian() * 0.25
            load[k] = base + day + peak * exp(-pow((h - peakAt) / width, 2)) + 0.1 * noise
        }
        func shaved(_ threshold: Double) -> [Double] { load.map { min(max(($0 - threshold) * 4, 0), 1) } }
        func energy_puh(_ threshold: Double) -> Double { shaved(threshold).reduce(0, +) * Double(step_s) / 3600 }
        var lo = 0.0
        var hi = 2.0
        for _ in 0..<40 {
            let mid = (lo + hi) / 2
            if energy_puh(mid) > target_puh { lo = mid } else { hi = mid }
        }
        var battery = shaved(max(hi, 0.7))
        let recharge = battery.reduce(0, +) / 0.9 / Double(n - start)
        battery += [Double](repeating: -recharge, count: n - start)
        for k in 0..<n { rows.append(offset_s + Int64(k) * step_s, battery[k]) }
    }
}
