/// The firmware's model of a two-phase electrode's OCV hysteresis (NVP): half the gap between
/// the charge and the discharge branch at each of the OCV table's break points, and the charge
/// over which a reversal crosses from one branch to the other.
///
/// The cell rests at OCV = table + half gap x h, with a state h in -1 (after a discharge) ...
/// +1 (after a charge) that moves with the charge passed (Plett's one-state model):
/// h' = h + (target - h)(1 - exp(-|dSoC| / transitionCharge)). Both numbers come from the
/// characterisation's rested-voltage (GITT) and reversal tests, never from the plant.
public struct OCVHysteresis: Sendable {
    /// Half the gap at the table's break point `i`, V (0 beyond `count`).
    @usableFromInline var halfGap: InlineArray<16, Float>
    /// How many break points the half gaps are given for (the OCV table's count; checked by
    /// the configuration's validation).
    public let count: Int
    /// Charge, as a fraction of capacity, over which h moves 1 - 1/e of the way after a reversal.
    public var transitionCharge: Float

    /// Why a hysteresis was refused.
    public enum Problem: Error, Equatable, Sendable {
        /// Fewer than 2 or more than 16 half gaps.
        case tooFewOrTooManyPoints
        /// A half gap not finite or outside 0 ... 0.5 V (index).
        case halfGapOutOfRange(index: Int)
        /// The transition charge not within (0, 0.5].
        case transitionChargeOutOfRange
    }

    /// Half gaps at the OCV table's `count` points read from `gap(i)`, V.
    @inlinable public init(count n: Int, halfGap gap: (Int) -> Float, transitionCharge: Float) throws(Problem) {
        guard n >= 2, n <= OCVTable.capacity else { throw .tooFewOrTooManyPoints }
        guard transitionCharge > 0, transitionCharge <= 0.5 else { throw .transitionChargeOutOfRange }
        halfGap = InlineArray(repeating: 0)
        for i in 0..<n {
            let g = gap(i)
            guard g.isFinite, g >= 0, g <= 0.5 else { throw .halfGapOutOfRange(index: i) }
            halfGap[i] = g
        }
        count = n
        self.transitionCharge = transitionCharge
    }

    /// Half gaps written out in this module's source (the generated presets; unchecked, as
    /// `OCVTable.init(literal:soc:voltage:)`): the first `n` of 16 count.
    @inlinable init(literal n: Int, halfGap: InlineArray<16, Float>, transitionCharge: Float) {
        self.halfGap = halfGap
        count = n
        self.transitionCharge = transitionCharge
    }

    /// Half gaps at the OCV table's points, V.
    @inlinable public init<let n: Int>(halfGap gaps: InlineArray<n, Float>, transitionCharge: Float) throws(Problem) {
        try self.init(count: n, halfGap: { gaps[$0] }, transitionCharge: transitionCharge)
    }

    /// Half the gap at the table's break point `i`, V.
    @inlinable public func halfGap(point i: Int) -> Float { halfGap[i] }

    /// Half the gap at `x` on `table` (linear between its points, the end values outside), V.
    @inlinable public func halfGap(at x: StateOfCharge, table: OCVTable) -> Float {
        let s = x.value
        let last = table.count - 1
        if s <= table.soc[0] { return halfGap[0] }
        if s >= table.soc[last] { return halfGap[last] }
        let i = table.segment(containing: s)
        return halfGap[i] + (s - table.soc[i]) / (table.soc[i + 1] - table.soc[i]) * (halfGap[i + 1] - halfGap[i])
    }

    /// The share of the way to the branch of the current's direction that `amount` of capacity
    /// (either sign) moves the state: 1 - exp(-|amount| / transitionCharge).
    @inlinable public func crossed(_ amount: Float) -> Float {
        let x = abs(amount) / transitionCharge
        // The series for the small steps a 100 ms frame brings (error below x^3 / 6).
        return x < 1e-3 ? x * (1 - x * 0.5) : 1 - CoreMath.exp(-x)
    }
}
