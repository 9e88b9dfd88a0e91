extension Double {
    /// `rounded()` (to nearest, halves away from zero), bit for bit, without the C library call
    /// that `rounded()` becomes on x86-64's baseline (it has no rounding instruction before
    /// SSE4.1): the sensors and the register codecs round every reading of every step.
    ///
    /// Below 2^52 in magnitude the truncation through Int64 is exact, so is the fraction it
    /// leaves, and the sign is the input's (so -0.3 gives -0.0, as `rounded()` does). From 2^52
    /// up a double is integral already; NaN and the infinities come back unchanged.
    @inlinable public var roundedHalfAwayFromZero: Double {
        guard abs(self) < 0x1p52 else { return self }
        let whole = Double(Int64(self))
        let fraction = self - whole
        let r = fraction >= 0.5 ? whole + 1 : fraction <= -0.5 ? whole - 1 : whole
        return Double(signOf: self, magnitudeOf: r)
    }
}
