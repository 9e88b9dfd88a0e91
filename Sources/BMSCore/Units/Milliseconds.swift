/// A span or point of simulated time as an integer count of milliseconds.
///
/// Time is never an accumulated float (DESIGN.md): 10^6 steps of 100 ms end at exactly 100,000 s.
public struct Milliseconds: Comparable, Hashable, Sendable {
    /// The count of milliseconds.
    public var count: Int64

    @inlinable public init(_ count: Int64) { self.count = count }

    /// Builds a duration from whole seconds.
    @inlinable public static func seconds(_ s: Int64) -> Milliseconds { Milliseconds(s * 1000) }

    /// The value in seconds, for physics (rounded to `Float`).
    // Not @inlinable: in Embedded mode the inlinable body picks the generic (allocating) init.
    public var seconds: Float { Float(count) / 1000 }

    @inlinable public static func < (lhs: Milliseconds, rhs: Milliseconds) -> Bool { lhs.count < rhs.count }
    @inlinable public static func + (lhs: Milliseconds, rhs: Milliseconds) -> Milliseconds {
        Milliseconds(lhs.count &+ rhs.count)
    }
    @inlinable public static func - (lhs: Milliseconds, rhs: Milliseconds) -> Milliseconds {
        Milliseconds(lhs.count &- rhs.count)
    }
    @inlinable public static var zero: Milliseconds { Milliseconds(0) }
}
