/// A 3 x 3 matrix of Float in columns, enough for the SoC filter's covariance (no allocation).
public struct Matrix3: Sendable, Equatable {
    public var c0: SIMD3<Float>
    public var c1: SIMD3<Float>
    public var c2: SIMD3<Float>

    @inlinable public init(_ c0: SIMD3<Float>, _ c1: SIMD3<Float>, _ c2: SIMD3<Float>) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
    }

    /// A diagonal matrix.
    @inlinable public static func diagonal(_ d: SIMD3<Float>) -> Matrix3 {
        Matrix3(SIMD3(d.x, 0, 0), SIMD3(0, d.y, 0), SIMD3(0, 0, d.z))
    }

    @inlinable public static var identity: Matrix3 { diagonal(SIMD3(1, 1, 1)) }

    /// Row `i` as a vector.
    @inlinable public func row(_ i: Int) -> SIMD3<Float> { SIMD3(c0[i], c1[i], c2[i]) }

    @inlinable public var transposed: Matrix3 { Matrix3(row(0), row(1), row(2)) }

    @inlinable public static func * (m: Matrix3, v: SIMD3<Float>) -> SIMD3<Float> {
        m.c0 * v.x + m.c1 * v.y + m.c2 * v.z
    }

    @inlinable public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        Matrix3(a * b.c0, a * b.c1, a * b.c2)
    }

    @inlinable public static func + (a: Matrix3, b: Matrix3) -> Matrix3 {
        Matrix3(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2)
    }

    /// The outer product u vᵀ.
    @inlinable public static func outer(_ u: SIMD3<Float>, _ v: SIMD3<Float>) -> Matrix3 {
        Matrix3(u * v.x, u * v.y, u * v.z)
    }

    @inlinable public static func * (m: Matrix3, s: Float) -> Matrix3 {
        Matrix3(m.c0 * s, m.c1 * s, m.c2 * s)
    }
}
