/// Why a configuration was refused.
public enum ConfigurationError: Error, Equatable, Sendable {
    /// `cellCount` is zero, negative or above the controller's `maxCells`.
    case cellCountOutOfRange(count: Int, capacity: Int)
    /// `moduleCount` is zero, negative, above `maxModules` or above `cellCount`.
    case moduleCountOutOfRange(count: Int, capacity: Int)
    /// The step must lie within `CoreConfiguration.stepRange`.
    case stepOutOfRange(Milliseconds)
    /// The rated capacity must be positive and finite.
    case nonPositiveCapacity
    /// A limit pair is inverted or not finite.
    case inconsistentLimits(LimitPair)
    /// A setting is not finite, or outside the range its doc comment gives; `name` is its path
    /// in `CoreConfiguration` (for example "heater.band").
    case invalidSetting(name: StaticString)

    /// The limit pairs that must be ordered (lower < upper) and finite.
    public enum LimitPair: Equatable, Sendable {
        case cellVoltage, temperature, overCurrent, currentLimitWindow
        /// Tiers out of order: maximum operating must lie inside recommended safety, which must
        /// lie inside maximum safety.
        case tiers
    }

    @inlinable public static func == (lhs: ConfigurationError, rhs: ConfigurationError) -> Bool {
        switch (lhs, rhs) {
        case let (.cellCountOutOfRange(a, b), .cellCountOutOfRange(c, d)): a == c && b == d
        case let (.moduleCountOutOfRange(a, b), .moduleCountOutOfRange(c, d)): a == c && b == d
        case let (.stepOutOfRange(a), .stepOutOfRange(b)): a == b
        case (.nonPositiveCapacity, .nonPositiveCapacity): true
        case let (.inconsistentLimits(a), .inconsistentLimits(b)): a == b
        case let (.invalidSetting(a), .invalidSetting(b)): Self.same(a, b)
        default: false
        }
    }

    /// Byte-wise equality of two static strings (no String: this builds without allocation).
    @inlinable static func same(_ a: StaticString, _ b: StaticString) -> Bool {
        guard a.utf8CodeUnitCount == b.utf8CodeUnitCount else { return false }
        let n = a.utf8CodeUnitCount
        for i in 0..<n where a.utf8Start[i] != b.utf8Start[i] { return false }
        return true
    }
}
