/// One sample of every sensor of the pack, in SI units (what the hardware would report).
public struct SensorReadings: Sendable, Equatable {
    /// Sample time, milliseconds of simulated time.
    public var time_ms: Int64
    /// Pack current, positive = discharge.
    public var current_A: Double
    /// String terminal voltage.
    public var packVoltage_V: Double
    /// Cell voltages, index 0 = most negative cell.
    public var cellVoltages_V: [Double]
    /// One temperature per module.
    public var moduleTemperatures_C: [Double]
    /// Contactor auxiliary contact.
    public var contactorClosed: Bool

    public init(cellCount: Int, moduleCount: Int) {
        time_ms = 0
        current_A = 0
        packVoltage_V = 0
        cellVoltages_V = Array(repeating: 0, count: cellCount)
        moduleTemperatures_C = Array(repeating: 0, count: moduleCount)
        contactorClosed = false
    }
}
