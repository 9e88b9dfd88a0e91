// Physical quantities of the firmware, one type per unit.
//
// The core works in single precision (a Cortex-M4F has a single-precision FPU). Every value that
// crosses the core's boundary carries its unit in its type, so a millivolt count cannot be passed
// where volts are expected: `Volts(millivolts: 2580)` is the only way in from an integer mV reading.

/// A scalar physical quantity stored as a `Float` in its SI (or named) unit.
public protocol Quantity: Comparable, Sendable {
    /// The magnitude in the type's unit.
    var value: Float { get }
    /// Wraps a magnitude that is already in the type's unit.
    init(_ value: Float)
}

extension Quantity {
    /// Zero in this unit.
    @inlinable public static var zero: Self { Self(0) }

    /// True when the value is neither NaN nor infinite.
    @inlinable public var isFinite: Bool { value.isFinite }

    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
    @inlinable public static func + (lhs: Self, rhs: Self) -> Self { Self(lhs.value + rhs.value) }
    @inlinable public static func - (lhs: Self, rhs: Self) -> Self { Self(lhs.value - rhs.value) }
    @inlinable public static prefix func - (operand: Self) -> Self { Self(-operand.value) }
    @inlinable public static func * (lhs: Self, rhs: Float) -> Self { Self(lhs.value * rhs) }
    @inlinable public static func / (lhs: Self, rhs: Float) -> Self { Self(lhs.value / rhs) }
    /// The ratio of two values of the same unit (dimensionless).
    @inlinable public static func / (lhs: Self, rhs: Self) -> Float { lhs.value / rhs.value }
    @inlinable public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
    @inlinable public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }

    /// The absolute value.
    @inlinable public var magnitude: Self { Self(value < 0 ? -value : value) }

    /// The value limited to `range`.
    @inlinable public func clamped(to range: ClosedRange<Self>) -> Self {
        self < range.lowerBound ? range.lowerBound : (range.upperBound < self ? range.upperBound : self)
    }
}

/// Electric potential in volts.
public struct Volts: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
    /// Converts an integer millivolt reading (e.g. an AFE register) to volts.
    @inlinable public init(millivolts: Int32) { self.value = Float(Int(millivolts)) / 1000 }
    /// The value in millivolts.
    @inlinable public var millivolts: Float { value * 1000 }
}

/// Electric current in amperes. Positive = discharge, negative = charge (DESIGN.md).
public struct Amperes: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
    /// Converts an integer milliampere reading to amperes.
    @inlinable public init(milliamperes: Int32) { self.value = Float(Int(milliamperes)) / 1000 }
}

/// Power in watts. Positive = discharge, negative = charge.
public struct Watts: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
}

/// Resistance in ohms.
public struct Ohms: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
    /// Converts milliohms to ohms.
    @inlinable public init(milliohms: Float) { self.value = milliohms / 1000 }
}

/// Charge in ampere-hours.
public struct AmpereHours: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
}

/// Temperature in degrees Celsius.
public struct Celsius: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
    /// The same temperature in kelvin.
    @inlinable public var kelvin: Float { value + 273.15 }
}

/// State of charge as a fraction of capacity, 0 = empty, 1 = full (not percent).
public struct StateOfCharge: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
    /// Builds a state of charge from a percentage.
    @inlinable public init(percent: Float) { self.value = percent / 100 }
    /// The value in percent.
    @inlinable public var percent: Float { value * 100 }
}

extension Volts {
    /// Power delivered at this voltage and current.
    @inlinable public static func * (lhs: Volts, rhs: Amperes) -> Watts { Watts(lhs.value * rhs.value) }
}

extension Amperes {
    /// Voltage drop of this current through a resistance.
    @inlinable public static func * (lhs: Amperes, rhs: Ohms) -> Volts { Volts(lhs.value * rhs.value) }
}

/// A temperature difference in kelvin (a hysteresis band, a release margin, a rise): not a
/// temperature, so it cannot be passed where a `Celsius` reading is expected.
public struct TemperatureDifference: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
    /// Builds a difference from kelvin.
    @inlinable public static func kelvin(_ k: Float) -> TemperatureDifference { TemperatureDifference(k) }
}

extension Celsius {
    /// The temperature raised by `difference`.
    @inlinable public static func + (lhs: Celsius, rhs: TemperatureDifference) -> Celsius { Celsius(lhs.value + rhs.value) }
    /// The temperature lowered by `difference`.
    @inlinable public static func - (lhs: Celsius, rhs: TemperatureDifference) -> Celsius { Celsius(lhs.value - rhs.value) }
}

/// A span of time in seconds for continuous physics (time constants, averaging times), as a
/// `Float`; control timing that counts steps uses `Milliseconds`.
public struct Seconds: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
}

/// A dimensionless ratio (a fraction, a factor, a relative tolerance): 0.01 is 1 %.
public struct Ratio: Quantity {
    public let value: Float
    @inlinable public init(_ value: Float) { self.value = value }
    /// Builds a ratio from a percentage.
    @inlinable public init(percent: Float) { self.value = percent / 100 }
}

/// A current relative to a capacity, written as battery engineers do: C/n is the current that
/// moves the whole capacity in n hours (`CRate.per(hours: 100)` is C/100).
public struct CRate: Sendable, Equatable {
    /// The n of C/n, hours.
    public let hours: Float
    @inlinable public init(hours: Float) { self.hours = hours }
    /// C/n.
    @inlinable public static func per(hours n: Float) -> CRate { CRate(hours: n) }
    /// The current of this rate for `capacity` (capacity / n).
    @inlinable public func current(for capacity: AmpereHours) -> Amperes { Amperes(capacity.value / hours) }
}
