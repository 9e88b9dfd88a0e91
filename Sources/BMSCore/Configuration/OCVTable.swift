/// The firmware's open-circuit-voltage table: up to 16 break points, linear between, clamped.
public struct OCVTable: Sendable {
    /// Maximum number of break points.
    public static let capacity = 16
    @inlinable public var count: Int { _read { yield _count } }
    @usableFromInline var _count: Int
    @usableFromInline var soc: InlineArray<16, Float>
    @usableFromInline var voltage: InlineArray<16, Float>

    /// Why a table was refused.
    public enum Problem: Error, Equatable, Sendable {
        case tooFewOrTooManyPoints
        case notIncreasing(index: Int)
        case notFinite(index: Int)
        /// A voltage outside (0, 10) V: no sodium cell's.
        case voltageNotPhysical(index: Int)
        /// The voltage falls as the SoC rises: the table cannot be read back into a SoC.
        case voltageDecreasing(index: Int)
        /// The first and last voltages are equal: the table says nothing about the SoC.
        case flat
    }

    /// The voltage checks of a table: each within (0, 10) V, none below the one before, the
    /// last above the first.
    @inlinable static func check(voltage v: Float, at i: Int, previous: Float?) throws(Problem) {
        guard v > 0, v < 10 else { throw .voltageNotPhysical(index: i) }
        if let p = previous, v < p { throw .voltageDecreasing(index: i) }
    }

    /// Builds a table from SoC break points (strictly increasing fractions) and voltages.
    @inlinable public init<let n: Int>(soc s: InlineArray<n, Float>, voltage v: InlineArray<n, Float>) throws(Problem) {
        guard n >= 2, n <= Self.capacity else { throw .tooFewOrTooManyPoints }
        soc = InlineArray(repeating: 0)
        voltage = InlineArray(repeating: 0)
        _count = n
        for i in 0..<n {
            guard s[i].isFinite, v[i].isFinite else { throw .notFinite(index: i) }
            if i > 0, !(s[i] > s[i - 1]) { throw .notIncreasing(index: i) }
            try Self.check(voltage: v[i], at: i, previous: i > 0 ? v[i - 1] : nil)
            soc[i] = s[i]
            voltage[i] = v[i]
        }
        guard voltage[n - 1] > voltage[0] else { throw .flat }
    }

    /// A table written out in this module's source (the generated chemistry presets): the first
    /// `n` of the 16 break points count. Unchecked: the generator writes it from a table the
    /// checking initialisers built, and a test rebuilds every preset through them. Made of
    /// literals, a preset sits in read-only memory instead of being built by code at first use
    /// (2.4 KB of the firmware image's flash for the five presets, and their 1.5 KB of RAM).
    @inlinable init(literal n: Int, soc: InlineArray<16, Float>, voltage: InlineArray<16, Float>) {
        _count = n
        self.soc = soc
        self.voltage = voltage
    }

    /// Builds a table of `n` break points read from `point(i)` (a table known only at run time,
    /// such as one read from a firmware file).
    @inlinable public init(count n: Int, point: (Int) -> (soc: Float, voltage: Float)) throws(Problem) {
        guard n >= 2, n <= Self.capacity else { throw .tooFewOrTooManyPoints }
        soc = InlineArray(repeating: 0)
        voltage = InlineArray(repeating: 0)
        _count = n
        for i in 0..<n {
            let p = point(i)
            guard p.soc.isFinite, p.voltage.isFinite else { throw .notFinite(index: i) }
            if i > 0, !(p.soc > soc[i - 1]) { throw .notIncreasing(index: i) }
            try Self.check(voltage: p.voltage, at: i, previous: i > 0 ? voltage[i - 1] : nil)
            soc[i] = p.soc
            voltage[i] = p.voltage
        }
        guard voltage[n - 1] > voltage[0] else { throw .flat }
    }

    /// The break point `i` (SoC, OCV), 0 ..< count.
    @inlinable public func point(_ i: Int) -> (soc: Float, voltage: Float) { (soc[i], voltage[i]) }

    /// Whether some SoC of the table has an OCV within `low ... high` (a reading wholly above the
    /// full cell's OCV or below the empty cell's says nothing about SoC: a sensor or model fault).
    @inlinable public func covers(_ low: Volts, _ high: Volts) -> Bool {
        high.value >= voltage[0] && low.value <= voltage[_count - 1]
    }

    /// The range of SoC whose OCV lies within `low ... high`, on a table whose voltage does not
    /// fall with SoC: from the lowest SoC at or above `low` to the highest at or below `high`
    /// (clamped to the table). Flat segments widen the range, as they should.
    @inlinable public func socRange(forVoltage low: Volts, _ high: Volts) -> ClosedRange<StateOfCharge> {
        let last = _count - 1
        var lower = soc[last]
        for i in 0..<last {
            if voltage[i] >= low.value { lower = soc[i]; break }
            if voltage[i + 1] >= low.value {
                lower = soc[i] + (low.value - voltage[i]) / (voltage[i + 1] - voltage[i]) * (soc[i + 1] - soc[i])
                break
            }
        }
        var upper = soc[0]
        var i = last
        while i > 0 {
            if voltage[i] <= high.value { upper = soc[i]; break }
            if voltage[i - 1] <= high.value {
                upper = soc[i - 1] + (high.value - voltage[i - 1]) / (voltage[i] - voltage[i - 1]) * (soc[i] - soc[i - 1])
                break
            }
            i -= 1
        }
        return lower <= upper ? StateOfCharge(lower)...StateOfCharge(upper) : StateOfCharge(upper)...StateOfCharge(lower)
    }

    /// OCV at `x` and its slope dOCV/dSoC there (V per unit SoC; 0 outside the table).
    @inlinable public func evaluate(_ x: StateOfCharge) -> (voltage: Volts, slope: Float) {
        let s = x.value
        if s <= soc[0] { return (Volts(voltage[0]), 0) }
        let last = _count - 1
        if s >= soc[last] { return (Volts(voltage[last]), 0) }
        let i = segment(containing: s)
        let slope = (voltage[i + 1] - voltage[i]) / (soc[i + 1] - soc[i])
        return (Volts(voltage[i] + (s - soc[i]) * slope), slope)
    }

    /// The break point `i` that starts the segment holding `s` (soc[i] <= s < soc[i + 1]),
    /// for soc[0] < s < soc[count - 1].
    @inlinable func segment(containing s: Float) -> Int {
        let last = _count - 1
        var i = 0
        while i + 1 < last, soc[i + 1] <= s { i += 1 }
        return i
    }

    /// The largest change of slope at a break point inside `low ... high`, V per unit SoC (0 where
    /// the table is straight there).
    @inlinable public func largestSlopeChange(from low: StateOfCharge, to high: StateOfCharge) -> Float {
        let last = _count - 1
        guard last >= 2 else { return 0 }
        var largest: Float = 0
        for i in 1..<last where soc[i] >= low.value && soc[i] <= high.value {
            let before = (voltage[i] - voltage[i - 1]) / (soc[i] - soc[i - 1])
            let after = (voltage[i + 1] - voltage[i]) / (soc[i + 1] - soc[i])
            largest = max(largest, abs(after - before))
        }
        return largest
    }

    /// The smallest slope of the table over `low ... high` (V per unit SoC; 0 where the range
    /// leaves the table, which is flat beyond its ends).
    @inlinable public func minimumSlope(from low: StateOfCharge, to high: StateOfCharge) -> Float {
        let last = _count - 1
        if low.value < soc[0] || high.value > soc[last] { return 0 }
        var smallest = Float.infinity
        for i in 0..<last where soc[i + 1] > low.value && soc[i] < high.value {
            smallest = min(smallest, (voltage[i + 1] - voltage[i]) / (soc[i + 1] - soc[i]))
        }
        return smallest.isFinite ? smallest : evaluate(low).slope
    }
}
