import BatteryPlant

/// How a sweep draws one number per run: fixed (`3`), uniform (`{"min": a, "max": b}`), normal
/// (`{"mean": m, "sigma": s}`, clipped to the quantity's range) or one of a list (`[a, b, c]`).
public struct NumberDraw: Decodable, Sendable, Equatable {
    var min: Double?
    var max: Double?
    var mean: Double?
    var sigma: Double?
    var choices: [Double]?

    private enum CodingKeys: String, CodingKey { case min, max, mean, sigma }

    public init(fixed value: Double) { choices = [value] }
    public init(min: Double, max: Double) { self.min = min; self.max = max }
    public init(mean: Double, sigma: Double) { self.mean = mean; self.sigma = sigma }

    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if let v = try? single.decode(Double.self) { choices = [v]; return }
            if let list = try? single.decode([Double].self) { choices = list; return }
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        min = try c.decodeIfPresent(Double.self, forKey: .min)
        max = try c.decodeIfPresent(Double.self, forKey: .max)
        mean = try c.decodeIfPresent(Double.self, forKey: .mean)
        sigma = try c.decodeIfPresent(Double.self, forKey: .sigma)
    }

    /// Checks the draw can only give values in `range` (a normal's mean +- 5 sigma must lie in it).
    func check(_ key: String, within range: ClosedRange<Double>) throws(FileProblem) {
        let bounds = "\(Format.compact(range.lowerBound)) ... \(Format.compact(range.upperBound))"
        if let list = choices {
            guard !list.isEmpty, list.allSatisfy({ $0.isFinite && range.contains($0) }) else {
                throw FileProblem("\(key): every value must be within \(bounds)")
            }
        } else if let lo = min, let hi = max, mean == nil, sigma == nil {
            guard lo.isFinite, hi.isFinite, lo <= hi, range.contains(lo), range.contains(hi) else {
                throw FileProblem("\(key): min <= max, both within \(bounds)")
            }
        } else if let m = mean, let s = sigma, min == nil, max == nil {
            guard m.isFinite, s.isFinite, s >= 0, range.contains(m - 5 * s), range.contains(m + 5 * s) else {
                throw FileProblem("\(key): mean +- 5 sigma must lie within \(bounds) (sigma >= 0)")
            }
        } else {
            throw FileProblem("\(key): a number, a list of numbers, {\"min\", \"max\"} or {\"mean\", \"sigma\"}")
        }
    }

    /// One value for a run, from its own stream, clipped to `range`.
    func draw(_ rng: inout SeededRandom, within range: ClosedRange<Double>) -> Double {
        let v: Double
        if let list = choices {
            v = list[rng.index(below: list.count)]
        } else if let lo = min, let hi = max {
            v = lo + (hi - lo) * rng.uniform()
        } else {
            v = (mean ?? 0) + (sigma ?? 0) * rng.gaussian()
        }
        return Swift.min(Swift.max(v, range.lowerBound), range.upperBound)
    }
}

/// How a sweep picks one name per run: fixed (`"NaS"`) or one of a list, equally likely.
public struct NameDraw: Decodable, Sendable, Equatable {
    public var choices: [String]

    public init(_ choices: [String]) { self.choices = choices }

    public init(from decoder: Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let name = try? single.decode(String.self) {
            choices = [name]
        } else {
            choices = try single.decode([String].self)
        }
    }

    func draw(_ rng: inout SeededRandom) -> String {
        choices[rng.index(below: choices.count)]
    }
}

extension SeededRandom {
    /// An index in 0 ..< `count`, equally likely; 0 without a draw when `count` is 1 (a fixed
    /// value takes nothing from its stream).
    mutating func index(below count: Int) -> Int {
        count <= 1 ? 0 : Swift.min(Int(uniform() * Double(count)), count - 1)
    }
}

/// How a sweep injects contact losses (`"contact_loss"`): in a `share` of the runs (drawn per
/// run), one cell drawn uniformly loses its contact down to `contact` (the fraction left) at
/// `at_h` hours.
public struct ContactLossDraw: Decodable, Sendable, Equatable {
    var share: Double
    var contact: NumberDraw
    var at_h: NumberDraw

    func check(_ key: String, hours: Double) throws(FileProblem) {
        try SweepSpec.checkInjection(key, share: share, at_h: at_h, hours: hours)
        try contact.check(key + ".contact", within: SweepSpec.contactRange)
    }
}

/// How a sweep injects soft shorts (`"soft_short"`): in a `share` of the runs, one cell drawn
/// uniformly gets a leakage path at `at_h` hours that discharges it by `discharge_pct_per_h` of
/// its nameplate capacity per hour at its mid-SoC OCV (the severity, comparable across
/// chemistries; the path's resistance follows from it).
public struct SoftShortDraw: Decodable, Sendable, Equatable {
    var share: Double
    var discharge_pct_per_h: NumberDraw
    var at_h: NumberDraw

    func check(_ key: String, hours: Double) throws(FileProblem) {
        try SweepSpec.checkInjection(key, share: share, at_h: at_h, hours: hours)
        try discharge_pct_per_h.check(key + ".discharge_pct_per_h", within: SweepSpec.leakageRateRange)
    }
}

extension SweepSpec {
    /// Checks what every injected fault draws: the share of runs and the time.
    static func checkInjection(_ key: String, share: Double, at_h: NumberDraw, hours: Double) throws(FileProblem) {
        guard share.isFinite, shareRange.contains(share) else { throw FileProblem("\(key).share must be within 0 ... 1") }
        try at_h.check(key + ".at_h", within: 0...hours)
    }

    /// Whether run `root` injects the fault `name` (with `share`), and if so its cell and time;
    /// the stream goes on to the fault's own draws.
    static func injection(
        _ root: SeededRandom, _ name: String, share: Double, at_h: NumberDraw, cells: Int, hours: Double
    ) -> (stream: SeededRandom, cell: Int, at_h: Double)? {
        var r = stream(root, name)
        guard r.uniform() < share else { return nil }
        let cell = r.index(below: cells)
        let at = at_h.draw(&r, within: 0...hours)
        return (r, cell, at)
    }
}

/// A health fault one run drew (in its `SweepRunDraw`).
public struct InjectedHealthFault: Codable, Sendable, Equatable {
    public var cell: Int
    public var at_h: Double
    /// The contact left (a contact loss) or the leakage path's resistance, ohms (a soft short).
    public var value: Double
    /// A soft short's discharge rate, % of the nameplate capacity per hour.
    public var discharge_pct_per_h: Double?
}
