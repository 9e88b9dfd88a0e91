/// On/off heater control per module: on below `setpoint - band/2`, off above `setpoint + band/2`.
public struct HeaterSettings: Sendable {
    public var setpoint: Celsius
    /// Full hysteresis band.
    public var band: TemperatureDifference
    /// Setpoint while the pack stands idle (no current for `standbyAfter`): the heat lost through
    /// the insulation falls with the temperature, so an idle pack is held lower, still above
    /// the minimum operating temperature so it can serve at once. nil: no setback.
    public var standbySetpoint: Celsius?
    /// Idle time before the setback.
    public var standbyAfter: Milliseconds
    /// The pack is idle while its current stays below this (C/100, as a rest).
    public var idleCurrent: CRate
    /// A module below this is at risk of freezing its melt (molten-electrode cells): a
    /// `freezeRisk` warning. nil: no melt to freeze.
    public var freezeGuard: Celsius?
    /// A heater on for this long without its module warming by `heatingEvidence` kelvin is not
    /// heating (broken element, or too weak for the cold): a `heaterFault` warning.
    public var heaterCheckTime: Milliseconds
    public var heatingEvidence: TemperatureDifference
    /// A module reading more than this below or above the other modules' median is not believed
    /// (a thermocouple come loose reads the ambient): its heater follows the other modules'
    /// mean, and `temperatureSensorFault` is raised. (30 K: three setpoint bands; modules of one
    /// enclosure stay within a few kelvin of each other in normal operation.)
    public var sensorDisagreement: TemperatureDifference = .kelvin(30)
    /// Each heater's rated power (the pack's design). With it and a metered heater supply
    /// (`MeasurementFrame.heaterPower`), a heater that draws under half of it while on, or over a
    /// tenth while off, for `powerCheckTime` raises `heaterFault` (an open element; a relay stuck
    /// closed). nil: not supervised.
    public var ratedPower: Watts? = nil
    /// With three modules or more, a module reading more than this from the modules' median for
    /// `sensorCheckTime` raises `temperatureSensorFault` (a drifting thermocouple: 15 K, three
    /// times an enclosure's normal spread; 20 K/h of drift is found within the hour).
    public var sensorDrift: TemperatureDifference = .kelvin(15)
    /// How long a module may stand off the median before it is reported (10 min: longer than a
    /// module's own transients under a heater or a load step).
    public var sensorCheckTime = Milliseconds(600_000)
    /// How long a heater's power may disagree with its command (10 s: relays and meters settle
    /// within a second; a module's temperature takes minutes to show either fault).
    public var powerCheckTime = Milliseconds(10_000)
    /// Hours of grid outage the pack must ride through with its heaters fed from itself
    /// (`FreezeReserve`): discharge stops at the SoC that holds that much heater energy. nil: no
    /// reserve (the default: it takes usable energy, and only the operator knows the site's
    /// outages). Needs `ratedPower`.
    public var freezeReserveHours: Float? = nil
    /// Each module's readings are averaged over this window, and its rate is the change between
    /// two windows' means (30 s: 300 samples take 0.3 K of noise to 0.02 K) ...
    public var rateWindow = Milliseconds(30_000)
    /// ... a reading falling faster than this, K/min, is not a module cooling (an insulated
    /// module cools by kelvins per hour; a loose thermocouple falls to the air in minutes): it is
    /// not believed until it is back within `sensorDisagreement` of the median, and
    /// `temperatureSensorFault` is raised at once ...
    public var maximumFallRate: Float = 10
    /// ... and one rising faster than this, K/min, is a thermal event (no heater or load warms a
    /// module that fast): `temperatureRising`, and its heater off until it stops.
    public var maximumRiseRate: Float = 10

    @inlinable public init(
        setpoint: Celsius, band: TemperatureDifference, standbySetpoint: Celsius? = nil, standbyAfter: Milliseconds = Milliseconds(3_600_000),
        freezeGuard: Celsius? = nil, heaterCheckTime: Milliseconds = Milliseconds(1_800_000),
        heatingEvidence: TemperatureDifference = .kelvin(0.5), idleCurrent: CRate = .per(hours: 100)
    ) {
        self.setpoint = setpoint
        self.band = band
        self.standbySetpoint = standbySetpoint
        self.standbyAfter = standbyAfter
        self.freezeGuard = freezeGuard
        self.heaterCheckTime = heaterCheckTime
        self.heatingEvidence = heatingEvidence
        self.idleCurrent = idleCurrent
    }
}
