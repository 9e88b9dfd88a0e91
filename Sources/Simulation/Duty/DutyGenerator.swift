import BatteryPlant
import Foundation

/// A seeded, stochastic duty cycle of one grid service (docs/profiles.md, "Generators").
///
/// Each service draws its days from its own model: frequency regulation from a RegD-like
/// process, PV firming from an irradiance model with clouds, arbitrage from a day's price
/// curve, peak shaving from a site's load curve, standby at rest; a mix draws each day's
/// service. Grid outages (the heaters then fed from the pack) come on top of any service. One
/// seed gives one duty, bit for bit: every value is rounded to 0.001 pu and every time to the
/// second, so the CSV `bmssim duty` writes reads back as the same profile.
public struct DutyGenerator: Sendable, Equatable {
    /// The grid services.
    public enum Service: String, CaseIterable, Sendable {
        case frequencyRegulation = "frequency-regulation"
        case pvFirming = "pv-firming"
        case arbitrage
        case peakShaving = "peak-shaving"
        case standby
        /// Each day's service drawn (regulation 30 %, arbitrage 25 %, PV firming 20 %, peak
        /// shaving 15 %, standby 10 %).
        case mix

        /// Every name, in declaration order.
        public static var names: [String] { allCases.map(\.rawValue) }
    }

    public var service: Service
    public var seed: UInt64
    /// Mean grid outages per day (a Poisson process; each lasts 5 min ... 4 h, log-uniform).
    public var gridOutagesPerDay: Double

    public init(service: Service, seed: UInt64, gridOutagesPerDay: Double = 0) {
        self.service = service
        self.seed = seed
        self.gridOutagesPerDay = gridOutagesPerDay
    }

    /// What one draw gives: the power profile (power_pu) and the grid outages.
    public struct Sample: Sendable {
        public var profile: DutyProfile
        public var gridOutages: [ScenarioSpan]
    }

    /// Largest horizon, days (ten years).
    public static let maximumDays = 3650
    /// The grid-outage rates accepted, a day (scenario files, sweeps, `bmssim duty`).
    public static let gridOutageRange = 0.0...24.0

    /// The duty over the whole days covering `hours` (1 ... `maximumDays` of them).
    public func sample(covering hours: Double) -> Sample {
        let days = (hours / 24).rounded(.up)
        return sample(days: days.isFinite ? Int(min(max(days, 1), Double(Self.maximumDays))) : 1)
    }

    /// The duty over `days` whole days (1 ... `maximumDays`).
    public func sample(days: Int) -> Sample {
        let days = min(max(days, 1), Self.maximumDays)
        let root = SeededRandom(seed: seed)
        var rows = DutyRows()
        var arbitrage = ArbitrageState()
        var mixDraws = root.derived(Self.mixStream)
        for day in 0..<days {
            var rng = root.derived(UInt64(day))
            let kind = service == .mix ? Self.drawService(&mixDraws) : service
            let offset = Int64(day) * Self.day_s
            switch kind {
            case .frequencyRegulation: Self.frequencyRegulationDay(&rng, into: &rows, at: offset)
            case .pvFirming: Self.pvFirmingDay(&rng, into: &rows, at: offset)
            case .arbitrage: Self.arbitrageDay(&rng, state: &arbitrage, into: &rows, at: offset)
            case .peakShaving: Self.peakShavingDay(&rng, weekday: day % 7, into: &rows, at: offset)
            case .standby, .mix: rows.append(offset, 0)
            }
        }
        // A last row at the end of the horizon, holding the last value: a run's default length
        // (whole days covering the last row) is then every day drawn, even when the last days rest.
        rows.close(at: Int64(days) * Self.day_s)
        var outageDraws = root.derived(Self.outageStream)
        let outages = Self.gridOutages(&outageDraws, perDay: gridOutagesPerDay, days: days)
        let source = "generator \(service.rawValue) seed \(seed)"
        // The rows start at 0 (day 0's first value is always a row) and increase.
        let profile = DutyProfile(generated: rows.times_ms, values: rows.values, source: source)
        return Sample(profile: profile, gridOutages: outages)
    }

    static let day_s: Int64 = 86_400
    static let mixStream: UInt64 = 0x6D69_7800
    static let outageStream: UInt64 = 0x6F75_7400

    static func drawService(_ rng: inout SeededRandom) -> Service {
        let u = rng.uniform()
        switch u {
        case ..<0.30: return .frequencyRegulation
        case ..<0.55: return .arbitrage
        case ..<0.75: return .pvFirming
        case ..<0.90: return .peakShaving
        default: return .standby
        }
    }

    /// Grid outages: exponential gaps at `perDay` a day, durations log-uniform in 5 min ... 4 h,
    /// never overlapping, all starting within the horizon.
    static func gridOutages(_ rng: inout SeededRandom, perDay: Double, days: Int) -> [ScenarioSpan] {
        guard perDay > 0 else { return [] }
        var spans: [ScenarioSpan] = []
        let end_s = Double(days) * Double(day_s)
        var t = 0.0
        while true {
            t += -log(max(1 - rng.uniform(), 1e-300)) / perDay * Double(day_s)
            guard t < end_s else { break }
            let duration = 300 * exp(rng.uniform() * log(14_400.0 / 300))
            let start = Int64(t.rounded())
            let until = Int64((t + duration).rounded())
            spans.append(ScenarioSpan(at_ms: start * 1000, until_ms: until * 1000))
            t += duration
        }
        return spans
    }
}

/// Rows of a power_pu profile being built: whole seconds, values in thousandths of a pu, a row
/// only where the value changes.
struct DutyRows {
    private(set) var times_ms: [Int64] = []
    private(set) var values: [Double] = []
    private var lastMilli: Int?

    /// Appends `value` (pu, clipped to -1 ... 1, rounded to 0.001) from `time_s` on.
    mutating func append(_ time_s: Int64, _ value: Double) {
        appendMilli(time_s, Int((min(max(value, -1), 1) * 1000).rounded()))
    }

    /// Appends a row at `time_s` holding the last value (the end of the horizon).
    mutating func close(at time_s: Int64) {
        guard let last = lastMilli, let t = times_ms.last, t < time_s * 1000 else { return }
        times_ms.append(time_s * 1000)
        values.append(Double(last) / 1000)
    }

    /// Appends `milli` thousandths of a pu from `time_s` on.
    mutating func appendMilli(_ time_s: Int64, _ milli: Int) {
        let m = min(max(milli, -1000), 1000)
        if m == lastMilli { return }
        lastMilli = m
        times_ms.append(time_s * 1000)
        values.append(Double(m) / 1000)
    }
}
