/// Ranges outside which a reading is a sensor fault (open wire, broken ADC), not a measurement.
public struct PlausibilityRanges: Sendable {
    public var cellVoltage: ClosedRange<Volts>
    public var temperature: ClosedRange<Celsius>
    public var current: ClosedRange<Amperes>
    /// Largest current-sensor offset the charge balance may need before it is implausible (pack).
    public var currentOffset: Amperes

    @inlinable public init(
        cellVoltage: ClosedRange<Volts>, temperature: ClosedRange<Celsius>, current: ClosedRange<Amperes>,
        currentOffset: Amperes = Amperes(0.25)
    ) {
        self.cellVoltage = cellVoltage
        self.temperature = temperature
        self.current = current
        self.currentOffset = currentOffset
    }
}
