/// One sample of every sensor of the pack, in SI units (what the hardware would report).
public struct SensorReadings: Sendable, Equatable {
    /// Sample time, ms of simulated time (does not advance while the sensor bus is silent).
    public var time_ms: Int64
    /// Pack current, positive = discharge.
    public var current_A: Double
    /// Current of each parallel string, positive = discharge.
    public var stringCurrents_A: [Double]
    /// Pack terminal voltage.
    public var packVoltage_V: Double
    /// Cell voltages (cell `s * cellsPerString + j` is cell j of string s, j = 0 most negative).
    public var cellVoltages_V: [Double]
    /// One temperature per module (the thermocouple at the centre of its cell block).
    public var moduleTemperatures_C: [Double]
    /// Each module's second thermocouple, at the edge of its cell block (NaN: the pack has none).
    public var edgeTemperatures_C: [Double]
    /// Main contactor auxiliary contacts (both mains closed).
    public var contactorClosed: Bool { mainPositiveClosed && mainNegativeClosed }
    /// Auxiliary contacts of each relay.
    public var mainPositiveClosed: Bool
    public var mainNegativeClosed: Bool
    public var prechargeClosed: Bool
    /// Voltage on the load side of the main positive (the DC link).
    public var linkVoltage_V: Double
    /// The pack current from the strings' own sensors (their sum): a second, independent
    /// measurement of `current_A`, A (NaN: not measured).
    public var secondCurrent_A: Double = .nan
    /// The blower's airflow switch: air is moving (false without a blower).
    public var blowerAirflow = false
    /// Power each module's heater draws, W (its supply's current transducer; NaN: not measured).
    public var heaterPower_W: [Double]

    public init(cellCount: Int, moduleCount: Int, stringCount: Int = 1) {
        time_ms = 0
        current_A = 0
        stringCurrents_A = Array(repeating: 0, count: stringCount)
        packVoltage_V = 0
        cellVoltages_V = Array(repeating: 0, count: cellCount)
        moduleTemperatures_C = Array(repeating: 0, count: moduleCount)
        edgeTemperatures_C = Array(repeating: .nan, count: moduleCount)
        mainPositiveClosed = false
        mainNegativeClosed = false
        prechargeClosed = false
        linkVoltage_V = 0
        heaterPower_W = Array(repeating: .nan, count: moduleCount)
    }
}
