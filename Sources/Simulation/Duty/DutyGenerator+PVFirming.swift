import BatteryPlant
import Foundation

extension DutyGenerator {
    /// Latitude of the PV plant, degrees north (its day length and noon height).
    static let pvLatitude_deg = 45.0

    /// A day of PV firming, 10 s rows. The plant is rated 2 pu. Its clear-sky output is a bell
    /// sin^1.5 between sunrise and sunset of a day of the year drawn uniformly (45 deg N), scaled
    /// by the noon sun's height. The day is clear (35 %), broken cloud (45 %: clouds of 30 s ...
    /// 20 min, exponential around 4 min, each taking 30 ... 70 %, clear spells around 8 min) or
    /// overcast (20 %: 25 ... 45 % of clear sky with slow variation); cloud edges pass in about
    /// 20 s. The battery limits the plant's ramp to 10 % of its rating a minute (discharging
    /// into dips, charging on recoveries), caps export at 1.3 pu (storing the excess), and
    /// releases what it stored, at 90 %, over the three hours after sunset.
    static func pvFirmingDay(_ rng: inout SeededRandom, into rows: inout DutyRows, at offset_s: Int64) {
        let step_s: Int64 = 10
        let n = Int(day_s / step_s)
        let rating = 2.0
        let dayOfYear = rng.uniform() * 365
        let phi = pvLatitude_deg * Double.pi / 180
        let declination = 23.44 * Double.pi / 180 * sin(2 * Double.pi * (284 + dayOfYear) / 365)
        let sunriseAngle = acos(min(max(-tan(phi) * tan(declination), -1), 1))
        let dayLength_h = 2 * sunriseAngle * 180 / Double.pi / 15
        let sunrise = 12 - dayLength_h / 2
        let noonHeight = cos(phi - declination) / cos(phi - 23.44 * Double.pi / 180)
        let kind = rng.uniform()
        let overcast = kind >= 0.80
        let broken = kind >= 0.35 && !overcast
        var cloudy = false
        var remaining = 0
        var target = 1.0
        var attenuation = 1.0
        var slow = 0.0
        var pv = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let h = Double(k) * Double(step_s) / 3600
            let x = (h - sunrise) / dayLength_h
            let clear = x > 0 && x < 1 ? rating * noonHeight * pow(sin(Double.pi * x), 1.5) : 0
            if broken {
                if remaining <= 0 {
                    cloudy.toggle()
                    let mean_s = cloudy ? 240.0 : 480.0
                    let duration = min(max(-log(max(1 - rng.uniform(), 1e-12)) * mean_s, 30), 1200)
                    remaining = Int((duration / Double(step_s)).rounded(.up))
                    target = cloudy ? 0.3 + 0.4 * rng.uniform() : 1
                }
                remaining -= 1
            } else if overcast {
                slow = 0.995 * slow + 0.1 * rng.gaussian() * 0.1
                target = min(max(0.35 + 0.1 * tanh(slow), 0.25), 0.45)
            }
            attenuation += (target - attenuation) * (1 - exp(-Double(step_s) / 20))
            pv[k] = clear * attenuation
        }
        let ramp = 0.10 * rating / 60 * Double(step_s)
        let cap = 1.3
        var out = pv[0]
        var battery = [Double](repeating: 0, count: n)
        var stored = 0.0
        for k in 0..<n {
            out = min(max(pv[k], out - ramp), out + ramp)
            let export = min(out, cap)
            battery[k] = export - pv[k]
            out = export
            stored -= battery[k] * Double(step_s)
        }
        let start = min(Int((sunrise + dayLength_h) * 3600) / Int(step_s), n - 1)
        let end = min(start + 3 * 3600 / Int(step_s), n)
        let level = max(0, stored) * 0.9 / Double((end - start) * Int(step_s))
        for k in start..<end { battery[k] += level }
        for k in 0..<n { rows.append(offset_s + Int64(k) * step_s, battery[k]) }
    }
}
