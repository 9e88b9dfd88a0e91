/// A 4 x 4 matrix of Float in columns, enough for the SoC filter's covariance (no allocation).
public struct Matrix4: Sendable, Equatable {
    public var c0: SIMD4<Float>
    public var c1: SIMD4<Float>
    public var c2: SIMD4<Float>
    public var c3: SIMD4<Float>

    @inlinable public init(_ c0: SIMD4<Float>, _ c1: SIMD4<Float>, _ c2: SIMD4<Float>, _ c3: SIMD4<Float>) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
        self.c3 = c3
    }

    /// A diagonal matrix.
    @inlinable public static func diagonal(_ d: SIMD4<Float>) -> Matrix4 {
        Matrix4(SIMD4(d.x, 0, 0, 0), SIMD4(0, d.y, 0, 0), SIMD4(0, 0, d.z, 0), SIMD4(0, 0, 0, d.w))
    }

    @inlinable public static var identity: Matrix4 { diagonal(SIMD4(1, 1, 1, 1)) }

    /// Row `i` as a vector.
    @inlinable public func row(_ i: Int) -> SIMD4<Float> { SIMD4(c0[i], c1[i], c2[i], c3[i]) }

    /// The diagonal as a vector.
    @inlinable public var diagonalElements: SIMD4<Float> { SIMD4(c0.x, c1.y, c2.z, c3.w) }

    @inlinable public var transposed: Matrix4 { Matrix4(row(0), row(1), row(2), row(3)) }

    @inlinable public static func * (m: Matrix4, v: SIMD4<Float>) -> SIMD4<Float> {
        m.c0 * v.x + m.c1 * v.y + m.c2 * v.z + m.c3 * v.w
    }

    @inlinable public static func * (a: Matrix4, b: Matrix4) -> Matrix4 {
        Matrix4(a * b.c0, a * b.c1, a * b.c2, a * b.c3)
    }

    @inlinable public static func + (a: Matrix4, b: Matrix4) -> Matrix4 {
        Matrix4(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2, a.c3 + b.c3)
    }

    /// The outer product u vᵀ.
    @inlinable public static func outer(_ u: SIMD4<Float>, _ v: SIMD4<Float>) -> Matrix4 {
        Matrix4(u * v.x, u * v.y, u * v.z, u * v.w)
    }

    @inlinable public static func * (m: Matrix4, s: Float) -> Matrix4 {
        Matrix4(m.c0 * s, m.c1 * s, m.c2 * s, m.c3 * s)
    }
}
