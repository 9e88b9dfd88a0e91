/// Everything the firmware is told once, at start-up: topology, datasheet-level cell data, limits.
///
/// These are the firmware's own numbers, deliberately not the plant's truth (no inverse crime).
public struct CoreConfiguration: Sendable {
    /// Cells in series in the monitored string.
    public var cellCount: Int
    /// Thermal modules, each with one temperature sensor and one heater.
    public var moduleCount: Int
    /// The fixed control step.
    public var step: Milliseconds
    /// Rated (datasheet) capacity of a cell.
    public var ratedCapacity: AmpereHours
    /// State of charge at start-up (e.g. restored from non-volatile memory).
    public var initialSoC: StateOfCharge
    /// Protection trip limits.
    public var protection: ProtectionLimits
    /// Charge and discharge current limits offered to the EMS.
    public var currentLimits: CurrentLimitSettings
    /// Heater hysteresis control.
    public var heater: HeaterSettings
    /// Passive cell balancing.
    public var balancing: BalancingSettings
    /// Plausible sensor ranges: readings outside are treated as invalid, not as physics.
    public var plausibility: PlausibilityRanges
    /// The firmware's cell model (datasheet level).
    public var cellModel: CellModel
    /// SoC filter settings.
    public var estimator: SoCEstimator.Settings
    /// Standard deviation of one cell-voltage reading, V (the filter averages over the cells).
    public var cellVoltageNoise: Float
    /// The contactor and precharge sequence.
    public var contactors: ContactorSettings
    /// Strings in parallel: a cell carries the pack current divided by this, and the pack's
    /// capacity (`ratedCapacity`) is this many cells'.
    public var parallelStrings: Int

    public init(
        cellCount: Int, moduleCount: Int, step: Milliseconds, ratedCapacity: AmpereHours,
        initialSoC: StateOfCharge, protection: ProtectionLimits, currentLimits: CurrentLimitSettings,
        heater: HeaterSettings, plausibility: PlausibilityRanges, cellModel: CellModel,
        estimator: SoCEstimator.Settings = SoCEstimator.Settings(), cellVoltageNoise: Float = 0.002,
        contactors: ContactorSettings = ContactorSettings(), parallelStrings: Int = 1,
        balancing: BalancingSettings = BalancingSettings()
    ) {
        self.cellCount = cellCount
        self.moduleCount = moduleCount
        self.step = step
        self.ratedCapacity = ratedCapacity
        self.initialSoC = initialSoC
        self.protection = protection
        self.currentLimits = currentLimits
        self.heater = heater
        self.plausibility = plausibility
        self.cellModel = cellModel
        self.estimator = estimator
        self.cellVoltageNoise = cellVoltageNoise
        self.contactors = contactors
        self.parallelStrings = parallelStrings
        self.balancing = balancing
    }
}

/// One set of limits for the monitored quantities (one tier).
public struct LimitSet: Sendable {
    public var cellOverVoltage: Volts
    public var cellUnderVoltage: Volts
    public var overTemperature: Celsius
    public var dischargeOverCurrent: Amperes
    public var chargeOverCurrent: Amperes

    public init(cellOverVoltage: Volts, cellUnderVoltage: Volts, overTemperature: Celsius, dischargeOverCurrent: Amperes, chargeOverCurrent: Amperes) {
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
    public var temperature: Float
    public var current: Amperes

    public init(voltage: Volts, temperature: Float, current: Amperes) {
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
    public var temperatureHysteresis: Float
    /// Trip limit for discharge current (positive magnitude).
    public var dischargeOverCurrent: Amperes
    /// Trip limit for charge current (positive magnitude).
    public var chargeOverCurrent: Amperes
    public var debounce: Milliseconds

    public init(
        cellOverVoltage: Volts, cellUnderVoltage: Volts, overTemperature: Celsius,
        minimumOperatingTemperature: Celsius, temperatureHysteresis: Float,
        dischargeOverCurrent: Amperes, chargeOverCurrent: Amperes, debounce: Milliseconds,
        maximumOperating: LimitSet? = nil, recommendedSafety: LimitSet? = nil, debounceCount: Int32 = 3,
        releaseTime: Milliseconds = Milliseconds(5000),
        release: ReleaseMargins = ReleaseMargins(voltage: Volts(0.01), temperature: 2, current: Amperes(1))
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

/// State-of-function settings: the current the EMS may draw, derated near the ends of the window.
///
/// Each limit is the rated current times linear ramps that reach zero at the window's edge:
/// discharge ramps down between `dischargeDerateStartSoC` and `minimumSoC` and between
/// `dischargeDerateStartVoltage` and `dischargeEndVoltage` (minimum cell); charge likewise towards
/// `maximumSoC` and `chargeEndVoltage` (maximum cell).
public struct CurrentLimitSettings: Sendable {
    public var ratedDischargeCurrent: Amperes
    public var ratedChargeCurrent: Amperes
    public var minimumSoC: StateOfCharge
    public var dischargeDerateStartSoC: StateOfCharge
    public var maximumSoC: StateOfCharge
    public var chargeDerateStartSoC: StateOfCharge
    public var dischargeEndVoltage: Volts
    public var dischargeDerateStartVoltage: Volts
    public var chargeEndVoltage: Volts
    public var chargeDerateStartVoltage: Volts
    /// Charge (plating) current is held to this fraction of the CCD at the coldest module
    /// temperature (0 disables CCD-aware derating), so dendrite shorts are prevented, not detected.
    public var ccdFraction: Float = 0.7

    public init(
        ratedDischargeCurrent: Amperes, ratedChargeCurrent: Amperes, minimumSoC: StateOfCharge,
        dischargeDerateStartSoC: StateOfCharge, maximumSoC: StateOfCharge,
        chargeDerateStartSoC: StateOfCharge, dischargeEndVoltage: Volts,
        dischargeDerateStartVoltage: Volts, chargeEndVoltage: Volts, chargeDerateStartVoltage: Volts
    ) {
        self.ratedDischargeCurrent = ratedDischargeCurrent
        self.ratedChargeCurrent = ratedChargeCurrent
        self.minimumSoC = minimumSoC
        self.dischargeDerateStartSoC = dischargeDerateStartSoC
        self.maximumSoC = maximumSoC
        self.chargeDerateStartSoC = chargeDerateStartSoC
        self.dischargeEndVoltage = dischargeEndVoltage
        self.dischargeDerateStartVoltage = dischargeDerateStartVoltage
        self.chargeEndVoltage = chargeEndVoltage
        self.chargeDerateStartVoltage = chargeDerateStartVoltage
    }
}

/// On/off heater control per module: on below `setpoint - band/2`, off above `setpoint + band/2`.
public struct HeaterSettings: Sendable {
    public var setpoint: Celsius
    /// Full hysteresis band in kelvin.
    public var band: Float
    /// Setpoint while the pack stands idle (no current for `standbyAfter`): the heat lost through
    /// the insulation falls with the temperature, so an idle pack is held lower, still above
    /// the minimum operating temperature so it can serve at once. nil: no setback.
    public var standbySetpoint: Celsius?
    /// Idle time before the setback.
    public var standbyAfter: Milliseconds
    /// A module below this is at risk of freezing its melt (molten-electrode cells): a
    /// `freezeRisk` warning. nil: no melt to freeze.
    public var freezeGuard: Celsius?
    /// A heater on for this long without its module warming by `heatingEvidence` kelvin is not
    /// heating (broken element, or too weak for the cold): a `heaterFault` warning.
    public var heaterCheckTime: Milliseconds
    public var heatingEvidence: Float

    public init(
        setpoint: Celsius, band: Float, standbySetpoint: Celsius? = nil, standbyAfter: Milliseconds = Milliseconds(3_600_000),
        freezeGuard: Celsius? = nil, heaterCheckTime: Milliseconds = Milliseconds(1_800_000), heatingEvidence: Float = 0.5
    ) {
        self.setpoint = setpoint
        self.band = band
        self.standbySetpoint = standbySetpoint
        self.standbyAfter = standbyAfter
        self.freezeGuard = freezeGuard
        self.heaterCheckTime = heaterCheckTime
        self.heatingEvidence = heatingEvidence
    }
}

/// Ranges outside which a reading is a sensor fault (open wire, broken ADC), not a measurement.
public struct PlausibilityRanges: Sendable {
    public var cellVoltage: ClosedRange<Volts>
    public var temperature: ClosedRange<Celsius>
    public var current: ClosedRange<Amperes>
    /// Largest current-sensor offset the charge balance may need before it is implausible (pack).
    public var currentOffset: Amperes

    public init(
        cellVoltage: ClosedRange<Volts>, temperature: ClosedRange<Celsius>, current: ClosedRange<Amperes>,
        currentOffset: Amperes = Amperes(0.25)
    ) {
        self.cellVoltage = cellVoltage
        self.temperature = temperature
        self.current = current
        self.currentOffset = currentOffset
    }
}

/// Why a configuration was refused.
public enum ConfigurationError: Error, Equatable, Sendable {
    /// `cellCount` is zero, negative or above the controller's `maxCells`.
    case cellCountOutOfRange(count: Int, capacity: Int)
    /// `moduleCount` is zero, negative, above `maxModules` or above `cellCount`.
    case moduleCountOutOfRange(count: Int, capacity: Int)
    /// The step must be positive.
    case nonPositiveStep
    /// The rated capacity must be positive and finite.
    case nonPositiveCapacity
    /// A limit pair is inverted or not finite.
    case inconsistentLimits(LimitPair)

    /// The limit pairs that must be ordered (lower < upper) and finite.
    public enum LimitPair: Equatable, Sendable {
        case cellVoltage, temperature, overCurrent, currentLimitWindow
        /// Tiers out of order: maximum operating must lie inside recommended safety, which must
        /// lie inside maximum safety.
        case tiers
    }
}

/// Passive cell balancing on estimated SoC (`BalancingControl`).
public struct BalancingSettings: Sendable {
    /// Whether the firmware balances at all (Na-NiCl2 cells do not need it: docs/core.md).
    public var enabled: Bool
    /// SoC lead over the emptiest cell at which a cell starts bleeding.
    public var threshold: Float
    /// SoC lead at which it stops.
    public var release: Float
    /// The bleed resistor of one cell.
    public var bleedResistance: Ohms
    /// No bleeding below this cell voltage.
    public var minimumCellVoltage: Volts

    public init(
        enabled: Bool = true, threshold: Float = 0.01, release: Float = 0.003, bleedResistance: Ohms = Ohms(30),
        minimumCellVoltage: Volts = .zero
    ) {
        self.enabled = enabled
        self.threshold = threshold
        self.release = release
        self.bleedResistance = bleedResistance
        self.minimumCellVoltage = minimumCellVoltage
    }
}
