/// One set of limits for the monitored quantities (one tier).
public struct LimitSet: Sendable {
    public var cellOverVoltage: Volts
    public var cellUnderVoltage: Volts
    public var overTemperature: Celsius
    public var dischargeOverCurrent: Amperes
    public var chargeOverCurrent: Amperes

    @inlinable public init(cellOverVoltage: Volts, cellUnderVoltage: Volts, overTemperature: Celsius, dischargeOverCurrent: Amperes, chargeOverCurrent: Amperes) {
        self.cellOverVoltage = cellOverVoltage
        self.cellUnderVoltage = cellUnderVoltage
        self.overTemperature = overTemperature
        self.dischargeOverCurrent = dischargeOverCurrent
        self.chargeOverCurrent = chargeOverCurrent
    }
}

/// Release margins of warnings and alarms: back inside a limit by this much before the release
/// time starts.
public struct ReleaseMargins: Sendable {
    public var voltage: Volts
    public var temperature: TemperatureDifference
    public var current: Amperes

    @inlinable public init(voltage: Volts, temperature: TemperatureDifference, current: Amperes) {
        self.voltage = voltage
        self.temperature = temperature
        self.current = current
    }
}

/// Protection limits in three tiers (foxBMS style):
/// - maximum operating (`maximumOperating`): a warning; the current limit in that direction halves;
/// - recommended safety (`recommendedSafety`): an alarm; no current in that direction;
/// - maximum safety (the fields below): a latched fault; the pack disconnects (current first).
/// Each tier sets after `debounce` and `debounceCount` fresh samples beyond its limit; warnings
/// and alarms release after `releaseTime` back inside by the `release` margins.
public struct ProtectionLimits: Sendable {
    /// Maximum operating limits (warnings).
    public var maximumOperating: LimitSet
    /// Recommended safety limits (alarms).
    public var recommendedSafety: LimitSet
    /// Consecutive fresh samples a limit must be exceeded for (besides `debounce`).
    public var debounceCount: Int32
    /// Time back inside a limit (by the margins) before a warning or alarm releases.
    public var releaseTime: Milliseconds
    public var release: ReleaseMargins
    public var cellOverVoltage: Volts
    public var cellUnderVoltage: Volts
    public var overTemperature: Celsius
    /// Below this no current may flow (the contactors open); released `temperatureHysteresis` above.
    public var minimumOperatingTemperature: Celsius
    public var temperatureHysteresis: TemperatureDifference
    /// Trip limit for discharge current (positive magnitude).
    public var dischargeOverCurrent: Amperes
    /// Trip limit for charge current (positive magnitude).
    public var chargeOverCurrent: Amperes
    public var debounce: Milliseconds

    @inlinable public init(
        cellOverVoltage: Volts, cellUnderVoltage: Volts, overTemperature: Celsius,
        minimumOperatingTemperature: Celsius, temperatureHysteresis: TemperatureDifference,
        dischargeOverCurrent: Amperes, chargeOverCurrent: Amperes, debounce: Milliseconds,
        maximumOperating: LimitSet? = nil, recommendedSafety: LimitSet? = nil, debounceCount: Int32 = 3,
        releaseTime: Milliseconds = Milliseconds(5000),
        release: ReleaseMargins = ReleaseMargins(voltage: Volts(0.01), temperature: .kelvin(2), current: Amperes(1))
    ) {
        // Without explicit tiers, warnings and alarms sit at the safety limit (they trip together).
        let safety = LimitSet(
            cellOverVoltage: cellOverVoltage, cellUnderVoltage: cellUnderVoltage, overTemperature: overTemperature,
            dischargeOverCurrent: dischargeOverCurrent, chargeOverCurrent: chargeOverCurrent)
        self.maximumOperating = maximumOperating ?? safety
        self.recommendedSafety = recommendedSafety ?? safety
        self.debounceCount = debounceCount
        self.releaseTime = releaseTime
        self.release = release
        self.cellOverVoltage = cellOverVoltage
        self.cellUnderVoltage = cellUnderVoltage
        self.overTemperature = overTemperature
        self.minimumOperatingTemperature = minimumOperatingTemperature
        self.temperatureHysteresis = temperatureHysteresis
        self.dischargeOverCurrent = dischargeOverCurrent
        self.chargeOverCurrent = chargeOverCurrent
        self.debounce = debounce
    }
}
