extension InlineArray where Element == Float {
    /// The median of the first `count` elements, which it sorts in place (insertion sort:
    /// bounded, no allocation); NaN for none.
    @inlinable mutating func sortedMedian(of count: Int) -> Float {
        guard count > 0 else { return .nan }
        for i in 1..<count {
            let x = self[i]
            var j = i - 1
            while j >= 0 && self[j] > x {
                self[j + 1] = self[j]
                j -= 1
            }
            self[j + 1] = x
        }
        return count % 2 == 1 ? self[count / 2] : (self[count / 2 - 1] + self[count / 2]) / 2
    }

    /// A standard deviation of the first `count` elements robust to a few outliers: 1.4826 times
    /// their median absolute deviation from `center` (which it writes over them); NaN for none.
    @inlinable mutating func robustScatter(about center: Float, of count: Int) -> Float {
        for j in 0..<count { self[j] = abs(self[j] - center) }
        return 1.4826 * sortedMedian(of: count)
    }
}
