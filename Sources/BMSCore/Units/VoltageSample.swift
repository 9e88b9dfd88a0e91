/// A cell voltage as the estimators read it: a `Volts` reading of a frame, or a plain `Float`
/// of volts (a rest's averaged voltages), so one read through the OCV table serves both.
@usableFromInline protocol VoltageSample {
    /// The voltage, V.
    var volts: Float { get }
}

extension Float: VoltageSample {
    @inlinable var volts: Float { self }
}

extension Volts: VoltageSample {
    @inlinable var volts: Float { value }
}
