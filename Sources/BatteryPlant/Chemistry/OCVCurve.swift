/// Open-circuit voltage, and a multiplier of the series resistance, as functions of state of
/// charge: a table, linearly interpolated, and extrapolated along its end segments.
///
/// A cell's table may reach beyond 0 and 1: what lies there is the physics of its ends (a side
/// reaction's plateau, a blocking electrode's steep rise). Beyond the last break point the voltage
/// keeps the end segment's slope, never a clamp, so a cell driven past its table keeps leaving
/// its plateau; the resistance factor keeps its end slope where that rises outwards and its end
/// value otherwise.
public struct OCVCurve: Sendable, Equatable {
    /// Strictly increasing SoC break points (fractions; may extend below 0 and above 1).
    public let soc: [Double]
    /// Open-circuit voltage at each break point, in volts.
    public let voltage_V: [Double]
    /// Multiplier of the series (ohmic) resistance at each break point (all 1 unless given): the
    /// electrode's own resistance against SoC, e.g. insulating sulphur at a Na-S cell's top of charge.
    public let resistanceFactor: [Double]
    /// Half the gap between the charge and the discharge branch of the OCV at each break point,
    /// V (all 0 unless given): a two-phase electrode's hysteresis (NVP). The cell's OCV is
    /// `voltage_V` + half gap x h, with its hysteresis state h in [-1, 1] (+1 after a charge,
    /// -1 after a discharge; `hysteresisCharge`). Beyond the table the end values hold.
    public let hysteresis_V: [Double]
    /// The charge, as a fraction of capacity, over which h moves 1 - 1/e of the way to the
    /// branch of the current's direction (h' = h + (target - h)(1 - exp(-|dSoC| / this)));
    /// 0 without hysteresis.
    public let hysteresisCharge: Double
    /// Slope of each segment, V per unit SoC (derived; spares a division per lookup).
    private let slope: [Double]

    /// Whether the curve has a hysteresis (any half gap above 0).
    public var hasHysteresis: Bool { hysteresisCharge > 0 }

    public static func == (lhs: OCVCurve, rhs: OCVCurve) -> Bool {
        lhs.soc == rhs.soc && lhs.voltage_V == rhs.voltage_V && lhs.resistanceFactor == rhs.resistanceFactor
            && lhs.hysteresis_V == rhs.hysteresis_V && lhs.hysteresisCharge == rhs.hysteresisCharge
    }

    /// Why a table was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case lengthMismatch(soc: Int, voltage: Int)
        case tooFewPoints(Int)
        case notIncreasing(index: Int)
        case notFinite(index: Int)
        case resistanceFactorMismatch(soc: Int, factors: Int)
        case resistanceFactorNotPositive(index: Int)
        case hysteresisMismatch(soc: Int, values: Int)
        case hysteresisOutOfRange(index: Int)
        case hysteresisChargeOutOfRange
        /// A voltage outside (0, 10) V, or one below the point before it (an OCV rises with SoC).
        case voltageNotPhysical(index: Int)
        case voltageDecreasing(index: Int)

        public var description: String {
            switch self {
            case .hysteresisMismatch(let s, let h): "ocv: \(s) soc points but \(h) hysteresis half gaps"
            case .hysteresisOutOfRange(let i): "ocv: hysteresis half gap at index \(i) must be a finite number within 0 ... 0.5 V"
            case .hysteresisChargeOutOfRange: "ocv: hysteresis_charge must be within (0, 0.5] where a half gap is above 0, and 0 without one"
            case .resistanceFactorMismatch(let s, let f): "ocv: \(s) soc points but \(f) resistance factors"
            case .resistanceFactorNotPositive(let i): "ocv: resistance factor at index \(i) must be a finite number above 0"
            case .lengthMismatch(let s, let v): "ocv: \(s) soc points but \(v) voltages"
            case .tooFewPoints(let n): "ocv: needs at least 2 points, has \(n)"
            case .notIncreasing(let i): "ocv: soc must increase strictly (at index \(i))"
            case .notFinite(let i): "ocv: value at index \(i) is not a finite number"
            case .voltageNotPhysical(let i): "ocv: voltage at index \(i) must be within (0, 10) V"
            case .voltageDecreasing(let i): "ocv: voltage must not fall as the SoC rises (at index \(i))"
            }
        }
    }

    public init(
        soc: [Double], voltage_V: [Double], resistanceFactor: [Double]? = nil, hysteresis_V: [Double]? = nil, hysteresisCharge: Double = 0
    ) throws(Problem) {
        guard soc.count == voltage_V.count else { throw .lengthMismatch(soc: soc.count, voltage: voltage_V.count) }
        guard soc.count >= 2 else { throw .tooFewPoints(soc.count) }
        for i in soc.indices {
            guard soc[i].isFinite, voltage_V[i].isFinite else { throw .notFinite(index: i) }
            if i > 0, soc[i] <= soc[i - 1] { throw .notIncreasing(index: i) }
            guard voltage_V[i] > 0, voltage_V[i] < 10 else { throw .voltageNotPhysical(index: i) }
            if i > 0, voltage_V[i] < voltage_V[i - 1] { throw .voltageDecreasing(index: i) }
        }
        let factors = resistanceFactor ?? Array(repeating: 1, count: soc.count)
        guard factors.count == soc.count else { throw .resistanceFactorMismatch(soc: soc.count, factors: factors.count) }
        for (i, f) in factors.enumerated() where !(f.isFinite && f > 0) { throw .resistanceFactorNotPositive(index: i) }
        let gaps = hysteresis_V ?? Array(repeating: 0, count: soc.count)
        guard gaps.count == soc.count else { throw .hysteresisMismatch(soc: soc.count, values: gaps.count) }
        for (i, g) in gaps.enumerated() where !(g.isFinite && g >= 0 && g <= 0.5) { throw .hysteresisOutOfRange(index: i) }
        let any = gaps.contains { $0 > 0 }
        guard any ? (hysteresisCharge > 0 && hysteresisCharge <= 0.5) : hysteresisCharge == 0 else { throw .hysteresisChargeOutOfRange }
        self.hysteresis_V = gaps
        self.hysteresisCharge = hysteresisCharge
        self.soc = soc
        self.voltage_V = voltage_V
        self.resistanceFactor = factors
        var slope: [Double] = []
        for k in 0..<(soc.count - 1) {
            let rise: Double = voltage_V[k + 1] - voltage_V[k]
            let run: Double = soc[k + 1] - soc[k]
            slope.append(rise / run)
        }
        self.slope = slope
    }

    /// The open-circuit voltage at `x` (extrapolated along the end segments outside the table).
    public func voltage(atSoC x: Double) -> Double {
        let s = segment(containing: x)
        return s.intercept + s.slope * x
    }

    /// Half the hysteresis gap at `x`, V (the end values beyond the table).
    public func hysteresisHalfGap(atSoC x: Double) -> Double {
        let s = segment(containing: x)
        return s.hysteresisIntercept + s.hysteresisSlope * x
    }

    /// The hysteresis state after `amount` of capacity passed (positive = discharge) from `h`.
    @inline(__always)
    public func hysteresis(after amount: Double, from h: Double) -> Double {
        guard amount != 0, hysteresisCharge > 0 else { return h }
        let target: Double = amount > 0 ? -1 : 1
        let x = abs(amount) / hysteresisCharge
        // 1 - exp(-x); the series below 1e-3 (error below x^3 / 6), as a step's charge mostly is.
        let moved = x < 1e-3 ? x * (1 - x * 0.5) : 1 - PlantMath.exp(-x)
        return h + (target - h) * moved
    }

    /// The series-resistance multiplier at `x`.
    public func resistanceFactor(atSoC x: Double) -> Double {
        let s = segment(containing: x)
        return s.factorIntercept + s.factorSlope * x
    }

    /// The segment holding `x`: on low <= SoC < high, OCV = intercept + slope x SoC, the
    /// resistance factor = factorIntercept + factorSlope x SoC and the hysteresis half gap
    /// = hysteresisIntercept + hysteresisSlope x SoC. Outside the table the end
    /// segments continue (the factor's only where it rises outwards). For callers that keep it
    /// while a SoC moves slowly inside.
    public func segment(containing x: Double) -> Segment {
        let last = soc.count - 1
        let k: Int
        var low: Double, high: Double
        if x < soc[0] {
            (k, low, high) = (0, -.infinity, soc[0])
        } else if x >= soc[last] {
            (k, low, high) = (last - 1, soc[last], .infinity)
        } else {
            k = segmentIndex(x)
            (low, high) = (soc[k], soc[k + 1])
        }
        var factorSlope = (resistanceFactor[k + 1] - resistanceFactor[k]) / (soc[k + 1] - soc[k])
        var factorAnchor = k
        if x < soc[0], factorSlope > 0 { factorSlope = 0 }
        if x >= soc[last], factorSlope < 0 { (factorSlope, factorAnchor) = (0, last) }
        // The hysteresis holds its end values beyond the table.
        var gapSlope = (hysteresis_V[k + 1] - hysteresis_V[k]) / (soc[k + 1] - soc[k])
        var gapAnchor = k
        if x < soc[0] { gapSlope = 0 }
        if x >= soc[last] { (gapSlope, gapAnchor) = (0, last) }
        return Segment(
            low: low, high: high, intercept: voltage_V[k] - soc[k] * slope[k], slope: slope[k],
            factorIntercept: resistanceFactor[factorAnchor] - soc[factorAnchor] * factorSlope, factorSlope: factorSlope,
            hysteresisIntercept: hysteresis_V[gapAnchor] - soc[gapAnchor] * gapSlope, hysteresisSlope: gapSlope)
    }

    /// One linear piece of the table (see `segment(containing:)`).
    public struct Segment: Sendable {
        public var low: Double
        public var high: Double
        public var intercept: Double
        public var slope: Double
        public var factorIntercept: Double
        public var factorSlope: Double
        public var hysteresisIntercept: Double
        public var hysteresisSlope: Double
    }

    /// The segment [lo, lo + 1] holding `x` (soc[0] <= x < soc[last]), by binary search.
    private func segmentIndex(_ x: Double) -> Int {
        var lo = 0
        var hi = soc.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if soc[mid] <= x { lo = mid } else { hi = mid }
        }
        return lo
    }
}
