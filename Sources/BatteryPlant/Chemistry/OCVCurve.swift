/// Open-circuit voltage as a function of state of charge: a table, linearly interpolated and
/// clamped at its ends.
public struct OCVCurve: Sendable, Equatable {
    /// Strictly increasing SoC break points (fractions).
    public let soc: [Double]
    /// Open-circuit voltage at each break point, in volts.
    public let voltage_V: [Double]
    /// Slope of each segment, V per unit SoC (derived; spares a division per lookup).
    private let slope: [Double]

    public static func == (lhs: OCVCurve, rhs: OCVCurve) -> Bool {
        lhs.soc == rhs.soc && lhs.voltage_V == rhs.voltage_V
    }

    /// Why a table was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case lengthMismatch(soc: Int, voltage: Int)
        case tooFewPoints(Int)
        case notIncreasing(index: Int)
        case notFinite(index: Int)

        public var description: String {
            switch self {
            case .lengthMismatch(let s, let v): "ocv: \(s) soc points but \(v) voltages"
            case .tooFewPoints(let n): "ocv: needs at least 2 points, has \(n)"
            case .notIncreasing(let i): "ocv: soc must increase strictly (at index \(i))"
            case .notFinite(let i): "ocv: value at index \(i) is not a finite number"
            }
        }
    }

    public init(soc: [Double], voltage_V: [Double]) throws(Problem) {
        guard soc.count == voltage_V.count else { throw .lengthMismatch(soc: soc.count, voltage: voltage_V.count) }
        guard soc.count >= 2 else { throw .tooFewPoints(soc.count) }
        for i in soc.indices {
            guard soc[i].isFinite, voltage_V[i].isFinite else { throw .notFinite(index: i) }
            if i > 0, soc[i] <= soc[i - 1] { throw .notIncreasing(index: i) }
        }
        self.soc = soc
        self.voltage_V = voltage_V
        var slope: [Double] = []
        for k in 0..<(soc.count - 1) {
            let rise: Double = voltage_V[k + 1] - voltage_V[k]
            let run: Double = soc[k + 1] - soc[k]
            slope.append(rise / run)
        }
        self.slope = slope
    }

    /// The open-circuit voltage at `x`, clamped to the table's end values outside its range.
    public func voltage(atSoC x: Double) -> Double {
        if x <= soc[0] { return voltage_V[0] }
        let last = soc.count - 1
        if x >= soc[last] { return voltage_V[last] }
        let lo = segmentIndex(x)
        let hi = lo + 1
        let f = (x - soc[lo]) / (soc[hi] - soc[lo])
        return voltage_V[lo] + f * (voltage_V[hi] - voltage_V[lo])
    }

    /// The segment holding `x`: on low <= SoC < high, OCV = intercept + slope x SoC (the clamped
    /// ends come back flat). For callers that keep it while a SoC moves slowly inside.
    public func segment(containing x: Double) -> (low: Double, high: Double, intercept: Double, slope: Double) {
        let last = soc.count - 1
        if x < soc[0] { return (-.infinity, soc[0], voltage_V[0], 0) }
        if x >= soc[last] { return (soc[last], .infinity, voltage_V[last], 0) }
        let lo = segmentIndex(x)
        return (soc[lo], soc[lo + 1], voltage_V[lo] - soc[lo] * slope[lo], slope[lo])
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
