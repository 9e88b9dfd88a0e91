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
    /// Standard deviation of one cell-voltage reading (the filter averages over the cells).
    public var cellVoltageNoise: Volts
    /// The contactor and precharge sequence.
    public var contactors: ContactorSettings
    /// Strings in parallel: a cell carries the pack current divided by this, and the pack's
    /// capacity (`ratedCapacity`) is this many cells'.
    public var parallelStrings: Int
    /// What makes readings implausible beyond their ranges (validate phase).
    public var validation: ValidationSettings
    /// Rest detection and the reads taken at rest (estimate phase).
    public var rest: RestSettings
    /// Full-charge detection and periodic estimate checks (estimate phase).
    public var fullCharge: FullChargeSettings
    /// Derating of the current limits for the string's health (manage phase).
    public var derating: DeratingSettings
    /// Thermal and freeze-thaw cycle counting (health).
    public var cycleCounting: CycleCountingSettings
    /// Per-cell SoC differences (estimate).
    public var cellDeltas = CellDeltaSettings()
    /// Capacity from SoC anchors (estimate).
    public var capacity = CapacitySettings()
    /// The ZEBRA reaction-front read (estimate).
    public var frontGauge = FrontGaugeSettings()
    /// The resistance-scale read of a cell with neither front nor hysteresis (estimate); nil:
    /// none (a pack commissioned new). Set by `assumeUnknownHistory()`.
    public var scaleGauge: FrontGaugeSettings? = nil
    /// The per-cell resistance fit (health).
    public var resistanceFit = ResistanceFitSettings()
    /// The interface split and contact-loss detection (health).
    public var interfaceHealth = InterfaceHealthSettings()
    /// Who may clear which latched fault, and how often.
    public var faultResets = FaultResetSettings()
    /// When the persistent record is written (`BMSController.persist(to:)`).
    public var record = RecordSettings()
    /// The EMS heartbeat supervision (manage).
    public var emsLink = EMSLinkSettings()
    /// The cooling blower (manage); nil: the pack has none.
    public var cooling: CoolingSettings? = nil

    @inlinable public init(
        cellCount: Int, moduleCount: Int, step: Milliseconds, ratedCapacity: AmpereHours,
        initialSoC: StateOfCharge, protection: ProtectionLimits, currentLimits: CurrentLimitSettings,
        heater: HeaterSettings, plausibility: PlausibilityRanges, cellModel: CellModel,
        estimator: SoCEstimator.Settings = SoCEstimator.Settings(), cellVoltageNoise: Volts = Volts(0.002),
        contactors: ContactorSettings = ContactorSettings(), parallelStrings: Int = 1,
        balancing: BalancingSettings = BalancingSettings(), validation: ValidationSettings = ValidationSettings(),
        rest: RestSettings = RestSettings(), fullCharge: FullChargeSettings = FullChargeSettings(),
        derating: DeratingSettings = DeratingSettings(), cycleCounting: CycleCountingSettings = CycleCountingSettings()
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
        self.validation = validation
        self.rest = rest
        self.fullCharge = fullCharge
        self.derating = derating
        self.cycleCounting = cycleCounting
    }
}
