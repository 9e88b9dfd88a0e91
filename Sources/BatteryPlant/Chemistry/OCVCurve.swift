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
    /// Slope of each segment, V per unit SoC (derived; spares a division per lookup).
    private let slope: [Double]

    public static func == (lhs: OCVCurve, rhs: OCVCurve) -> Bool {
        lhs.soc == rhs.soc && lhs.voltage_V == rhs.voltage_V && lhs.resistanceFactor == rhs.resistanceFactor
    }

    /// Why a table was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case lengthMismatch(soc: Int, voltage: Int)
        case tooFewPoints(Int)
        case notIncreasing(index: Int)
        case notFinite(index: Int)
        case resistanceFactorMismatch(soc: Int, factors: Int)
        case resistanceFactorNotPositive(index: Int)

        public var description: String {
            switch self {
            case .resistanceFactorMismatch(let s, let f): "ocv: \(s) soc points but \(f) resistance factors"
            case .resistanceFactorNotPositive(let i): "ocv: resistance factor at index \(i) must be a finite number above 0"
            case .lengthMismatch(let s, let v): "ocv: \(s) soc points but \(v) voltages"
            case .tooFewPoints(let n): "ocv: needs at least 2 points, has \(n)"
            case .notIncreasing(let i): "ocv: soc must increase strictly (at index \(i))"
            case .notFinite(let i): "ocv: value at index \(i) is not a finite number"
            }
        }
    }

    public init(soc: [Double], voltage_V: [Double], resistanceFactor: [Double]? = nil) throws(Problem) {
        guard soc.count == voltage_V.count else { throw .lengthMismatch(soc: soc.count, voltage: voltage_V.count) }
        guard soc.count >= 2 else { throw .tooFewPoints(soc.count) }
        for i in soc.indices {
            guard soc[i].isFinite, voltage_V[i].isFinite else { throw .notFinite(index: i) }
            if i > 0, soc[i] <= soc[i - 1] { throw .notIncreasing(index: i) }
        }
        let factors = resistanceFactor ?? Array(repeating: 1, count: soc.count)
        guard factors.count == soc.count else { throw .resistanceFactorMismatch(soc: soc.count, factors: factors.count) }
        for (i, f) in factors.enumerated() where !(f.isFinite && f > 0) { throw .resistanceFactorNotPositive(index: i) }
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

    /// The series-resistance multiplier at `x`.
    public func resistanceFactor(atSoC x: Double) -> Double {
        let s = segment(containing: x)
        return s.factorIntercept + s.factorSlope * x
    }

    /// The segment holding `x`: on low <= SoC < high, OCV = intercept + slope x SoC and the
    /// resistance factor = factorIntercept + factorSlope x SoC. Outside the table the end
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
        return Segment(
            low: low, high: high, intercept: voltage_V[k] - soc[k] * slope[k], slope: slope[k],
            factorIntercept: resistanceFactor[factorAnchor] - soc[factorAnchor] * factorSlope, factorSlope: factorSlope)
    }

    /// One linear piece of the table (see `segment(containing:)`).
    public struct Segment: Sendable {
        public var low: Double
        public var high: Double
        public var intercept: Double
        public var slope: Double
        public var factorIntercept: Double
        public var factorSlope: Double
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
