import BatteryPlant
import Foundation

/// What an arbitrage schedule carries from day to day: the energy it believes stored.
struct ArbitrageState {
    /// Stored energy in pu-hours of a 5 pu-h store (1 pu = 0.2 C), starting half full.
    var stored_puh = 2.5
    /// The level of the last hour scheduled, pu (the next day ramps from it).
    var lastLevel = 0.0
}

extension DutyGenerator {
    /// A day of price-driven arbitrage, 60 s rows with 10 min ramps. The day's hourly price is a
    /// base with a morning peak (8:00, 10 ... 40 over the base), an evening peak (19:00, 30 ...
    /// 80), a solar dip (13:00, 0 ... 40 under) and AR(1) noise (sigma 5, 0.7 hour to hour). The
    /// schedule charges at 0.4 ... 0.8 pu in hours priced at or under the day's lower quartile and
    /// discharges at 0.5 ... 1.0 pu at or over its upper quartile, keeping its own account of a
    /// 5 pu-h store (one 0.2 C hour = 1 pu-h, 95 % each way) within 10 ... 90 %: the EMS's
    /// schedule, which knows only what it dispatched.
    static func arbitrageDay(_ rng: inout SeededRandom, state: inout ArbitrageState, into rows: inout DutyRows, at offset_s: Int64) {
        let morning = 10 + 30 * rng.uniform()
        let evening = 30 + 50 * rng.uniform()
        let solar = 40 * rng.uniform()
        var noise = 0.0
        var price = [Double](repeating: 0, count: 24)
        for h in 0..<24 {
            let t = Double(h) + 0.5
            noise = 0.7 * noise + rng.gaussian() * 5 * (1 - 0.49).squareRoot()
            price[h] = 50 + morning * exp(-pow((t - 8) / 1.5, 2)) + evening * exp(-pow((t - 19) / 2, 2))
                - solar * exp(-pow((t - 13) / 2.5, 2)) + noise
        }
        let sorted = price.sorted()
        let low = sorted[5]
        let high = sorted[18]
        let charge = 0.4 + 0.4 * rng.uniform()
        let discharge = 0.5 + 0.5 * rng.uniform()
        let capacity = 5.0
        var level = [Double](repeating: 0, count: 24)
        for h in 0..<24 {
            if price[h] <= low {
                let room = (0.9 * capacity - state.stored_puh) / 0.95
                level[h] = -min(charge, max(0, room))
                state.stored_puh -= level[h] * 0.95
            } else if price[h] >= high {
                let available = (state.stored_puh - 0.1 * capacity) * 0.95
                level[h] = min(discharge, max(0, available))
                state.stored_puh -= level[h] / 0.95
            }
        }
        // Minute rows: each hour's level reached by a 10 min linear ramp from the hour before.
        var previous = state.lastLevel
        for h in 0..<24 {
            for m in 0..<60 {
                let w = min(1, Double(m + 1) / 10)
                rows.append(offset_s + Int64(h * 3600 + m * 60), previous + (level[h] - previous) * w)
            }
            previous = level[h]
        }
        state.lastLevel = previous
    }
}
