/// The controller's estimates and view of the pack after a step.
public struct CoreStatus: Sendable {
    /// Estimated pack state of charge (the mean cell's).
    public var soc: StateOfCharge
    /// The mode the last step ran in.
    public var mode = SystemMode.standby
    /// The freeze reserve's SoC (0 without one: `HeaterSettings.freezeReserveHours`).
    public var freezeReserve = StateOfCharge(0)
    /// Lowest and highest estimated cell SoC (mean plus the per-cell differences).
    public var minimumCellSoC = StateOfCharge(0)
    public var maximumCellSoC = StateOfCharge(0)
    /// One standard deviation of the SoC estimate (fraction).
    public var socSigma: Float = 0
    /// Estimated current-sensor offset (reading minus truth).
    public var currentOffset: Amperes = .zero
    /// The current used for estimation (last valid measurement).
    public var current: Amperes = .zero
    /// Extreme cell voltages of the last valid frame.
    public var minimumCellVoltage: Volts = .zero
    public var maximumCellVoltage: Volts = .zero
    /// Extreme module temperatures of the last valid frame.
    public var minimumTemperature: Celsius = .zero
    public var maximumTemperature: Celsius = .zero
    /// Current limits offered in the last step.
    public var limits: CurrentLimits = .zero
    /// What reduced each limit below the rated current in the last step.
    public var limitReasons = LimitReasonPair()
    /// Active and latched faults.
    public var faults: FaultFlags = .clear
    /// Cells whose self-discharge at rest is anomalous (soft shorts).
    public var softShortCells = 0
    /// Cells found failed short (ZEBRA), left out of the statistics and protection.
    public var failedShortCells = 0
    /// Cells being bled by balancing.
    public var balancingCells = 0
    /// 1 - (plating current density / CCD at the coldest module): below 0 the cells are charged
    /// beyond the dendrite limit (NaN for cells without one).
    public var ccdMargin: Float = .nan
    /// Mean cell ohmic resistance at the model's reference temperature and full charge (NaN until
    /// the first current step).
    public var resistanceAtReference = Ohms(.nan)
    /// The SoC filter's resistance law over the datasheet's (1 + its learnt scale) on a pack of
    /// unknown history, once a scale read is in (`CoreConfiguration.scaleGauge`); NaN otherwise.
    public var resistanceLawFactor: Float = .nan
    /// Capacity state of health: the mean cell's measured capacity over its rated one (NaN until
    /// two SoC anchors far enough apart have been seen).
    public var capacitySoH: Float = .nan
    /// The weakest cell's capacity over the rated one (NaN until measured).
    public var lowestCellCapacitySoH: Float = .nan
    /// Cells with a contact-loss step in their resistance (latched until reset).
    public var contactLossCells = 0
    /// Growth of the mean interface resistance over the last full day, per day (NaN before).
    public var interfaceGrowthPerDay = Ohms(.nan)
    /// Factor on the current limits for the worst cell's resistance (1 = healthy).
    public var healthDerating: Float = 1
    /// What validation found wrong with the last frame.
    public var measurement: MeasurementFlags = .clear
    /// Quantities beyond their maximum operating limit (warnings: current halved).
    public var warnings: FaultFlags = .clear
    /// Quantities beyond their recommended safety limit (alarms: no current that way).
    public var alarms: FaultFlags = .clear

    @inlinable public init(soc: StateOfCharge) { self.soc = soc }
}
