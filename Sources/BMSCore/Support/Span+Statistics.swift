/// Read-only reductions over per-cell values, taken as spans.
///
/// On the step path a large value is read through a span, never passed or borrowed whole: the
/// compiler copies a borrowed struct that holds a 240-cell `InlineArray` onto the stack (for a
/// non-mutating method of a large state struct, the whole struct), which is what made the
/// firmware's step need 124 KB of stack (docs/core.md "The firmware image", "Stack").
extension Span where Element == Float {
    /// The mean of the first `count` values leaving out the `excluded` ones (NaN for none).
    @inlinable func mean(count: Int, excluded: Span<Bool>) -> Float {
        var sum: Float = 0
        var n = 0
        for k in 0..<count where !excluded[k] {
            sum += self[k]
            n += 1
        }
        return n > 0 ? sum / Float(n) : .nan
    }

    /// The smallest of the first `count` values leaving out the `excluded` ones, and `bound` when
    /// it is smaller (or there are none); NaN values are passed over.
    @inlinable func minimum(count: Int, excluded: Span<Bool>, atMost bound: Float) -> Float {
        var f = bound
        for k in 0..<count where !excluded[k] { f = min(f, self[k]) }
        return f
    }

    /// The largest finite value of the first `count` leaving out the `excluded` ones, and
    /// `bound` when it is larger (or there are none).
    @inlinable func maximumFinite(count: Int, excluded: Span<Bool>, atLeast bound: Float) -> Float {
        var f = bound
        for k in 0..<count where !excluded[k] && self[k].isFinite { f = max(f, self[k]) }
        return f
    }
}
