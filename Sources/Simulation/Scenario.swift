import BMSCore
import BatteryPlant
import CellLab

/// One closed-loop experiment: the pack, the duty cycle, how long, and what the firmware is told.
public struct Scenario: Sendable {
    /// The plant (truth).
    public var pack: PackDefinition
    /// The duty cycle the EMS asks for.
    public var profile: DutyProfile
    /// Power that `power_pu` = 1 stands for, W (ignored by power_W and current_A profiles).
    public var rating_W: Double
    /// Simulated duration, ms.
    public var duration_ms: Int64
    /// Seed of every random draw (cell spread, sensor offsets and noise).
    public var seed: UInt64
    /// Error of the firmware's initial SoC (estimate - truth), fraction.
    public var initialSoCError: Double
    /// Rated current the firmware offers to the EMS, A (nil: 1 C of the pack).
    public var ratedCurrent_A: Double?
    /// Time between rows of the time series, ms.
    public var outputInterval_ms: Int64
    /// Plant steps per control step (1: the plant steps with the core; n: n equal steps, each
    /// with the EMS request re-served at the plant's voltage of the moment). Must divide the
    /// control step.
    public var plantSubsteps = 1
    /// The firmware's control step, ms: 100 (the default, and the step every accuracy figure
    /// is quoted at) or, for runs of months and years, a longer step from `controlSteps` (the
    /// firmware supports up to 1 s, `CoreConfiguration.stepRange`); the plant may be sub-stepped
    /// inside it (`plantSubsteps`).
    public var controlStep_ms: Int64 = 100
    /// The slowest impedance element the firmware's resistance fit sees as ohmic, s: a tenth of
    /// the control step (10 ms at 100 ms). What the plant's truth and the commissioning test
    /// both sum up to.
    public var ohmicTimeConstant_s: Double { Double(controlStep_ms) / 10_000 }
    /// The control steps a scenario may choose: those that divide a second (the simulated EMS
    /// beats once a second, the cells' errors are sampled every 10 s).
    public static let controlSteps: [Int64] = [100, 125, 200, 250, 500, 1000]
    /// The run lengths a scenario may give, hours: a second (every control step divides one) to
    /// ten years.
    public static let durationRange_h: ClosedRange<Double> = (1.0 / 3600)...87_600
    /// The power ratings a scenario may give, kW (1 W ... 1 GW): past them a run is no pack.
    public static let ratingRange_kW: ClosedRange<Double> = 1e-3...1e6
    /// Faults injected into the plant.
    public var faults: [PlantFault] = []
    /// What the firmware must raise, by when, and how it must react (the fault catalogue).
    public var detections: [Detection] = []
    /// Firmware resets and power cuts, in the order given (`FirmwareReset`).
    public var resets: [FirmwareReset] = []
    /// Modes the simulated EMS asks for over the run (`ScheduledModeRequest`), in time order;
    /// before the first it asks for normal operation.
    public var modeRequests: [ScheduledModeRequest] = []
    /// Spans in which the simulated EMS's heartbeat stands still (a crashed EMS, a cut link to
    /// it; the inverter goes on following the duty cycle within the firmware's limits). Outside
    /// them it changes every second, so the firmware supervises it from the start.
    public var emsSilences: [ScenarioSpan] = []
    /// Grid outages: the inverter neither exports nor imports, and the heaters are fed from the
    /// pack's DC link (nothing while the contactors are open). The firmware's limits do not hold
    /// the heaters back: its freeze reserve is what keeps charge for them.
    public var gridOutages: [ScenarioSpan] = []
    /// The converter that serves the duty (nil: `InverterDefinition.sized` for this pack and duty).
    public var inverter: InverterDefinition?
    /// The firmware's parameters for the cells (a firmware file); nil: the preset for the cells'
    /// chemistry.
    public var firmware: FirmwareDefinition?
    /// Whether the firmware holds plating current below its CCD (for with/without comparisons).
    public var ccdAwareDerating = true
    /// Whether the summary carries the health figures (`health_missed`, `health_false_alarms`)
    /// when nothing was injected too (every sweep run: a flag there is a false alarm).
    public var reportsHealthFigures = false
    /// Whether the firmware may balance cells (where its preset does; for with/without comparisons).
    public var cellBalancing = true
    /// Whether the firmware holds an idle pack at its standby setpoint (for with/without comparisons).
    public var heaterSetback = true
    /// Hours of outage the firmware's freeze reserve holds heater energy for (nil: none).
    public var freezeReserveHours: Double?
    /// What the firmware is told about its initial SoC: one standard deviation (nil: the
    /// firmware's default, 2 %, a value stored at shutdown). 0.3 models commissioning, SoC unknown.
    public var initialSoCSigma: Double?
    /// Cells of the pack read by an impedance test at commissioning (0: none; the firmware
    /// splits interface from electrolyte with the datasheet's interface part). Their mean
    /// interface becomes the firmware's `InterfaceHealthSettings.commissionedInterface`
    /// (`Characterisation.commissioningImpedance`, docs/characterisation.md "At commissioning").
    public var commissioningImpedanceCells = 0
    /// Changes the firmware's configuration after the scenario has built it: the hook for
    /// perturbation tests (does the regression suite notice a changed control parameter?).
    public var firmwareOverride: (@Sendable (inout CoreConfiguration) -> Void)?

    public init(
        pack: PackDefinition, profile: DutyProfile, rating_W: Double, duration_ms: Int64, seed: UInt64,
        initialSoCError: Double = 0, ratedCurrent_A: Double? = nil, outputInterval_ms: Int64 = 10_000
    ) {
        self.pack = pack
        self.profile = profile
        self.rating_W = rating_W
        self.duration_ms = duration_ms
        self.seed = seed
        self.initialSoCError = initialSoCError
        self.ratedCurrent_A = ratedCurrent_A
        self.outputInterval_ms = outputInterval_ms
    }

    /// The firmware chemistry that matches the plant's cells (by kind, never by parameters).
    /// Cells it has no preset for get the Na-NiCl2 one here, for the control step alone:
    /// `firmwareFit` refuses to run them.
    public var firmwareChemistry: FirmwareChemistry {
        Self.firmwarePresets[pack.chemistry.name] ?? .naNiCl2
    }

    /// The firmware's configuration: topology and its own datasheet values, never the plant's truth.
    public var coreConfiguration: CoreConfiguration {
        let strings = pack.topology.stringsInParallel
        let model = firmware?.model ?? firmwareChemistry.cellModel
        let capacity = model.capacity * Float(strings)
        let rated = Amperes(Float(ratedCurrent_A ?? Double(capacity.value)))
        let initial = StateOfCharge(Float(pack.initialSoC + initialSoCError))
        var preset: CoreConfiguration
        if let f = firmware {
            preset = .datasheet(
                cellCount: pack.cellCount, moduleCount: pack.moduleCount, initialSoC: initial, ratedCurrent: rated, model: f.model,
                limits: f.limits)
            preset.balancing.enabled = f.balancing
            if let slope = f.minimumOCVSlope { preset.estimator.minimumOCVSlope = slope }
        } else {
            preset = CoreConfiguration.preset(
                firmwareChemistry, cellCount: pack.cellCount, moduleCount: pack.moduleCount, initialSoC: initial, ratedCurrent: rated)
        }
        preset.ratedCapacity = capacity
        preset.parallelStrings = strings
        // A pack that is not new comes with no record of its history: the operator knows it has
        // served, the firmware assumes nothing more.
        if pack.ageing != .new { preset.assumeUnknownHistory() }
        preset.step = Milliseconds(controlStep_ms)
        if !ccdAwareDerating { preset.currentLimits.ccdFraction = .zero }
        if !cellBalancing { preset.balancing.enabled = false }
        if !heaterSetback { preset.heater.standbySetpoint = nil }
        if let sigma = initialSoCSigma { preset.estimator.initialSoCSigma = StateOfCharge(Float(sigma)) }
        // The heaters' rating is the pack's design too: the firmware supervises their metered power.
        if pack.thermal.heaterPower_W > 0 { preset.heater.ratedPower = Watts(Float(pack.thermal.heaterPower_W)) }
        // So is the number of thermocouples per module: the firmware cross-checks a pair.
        preset.validation.edgeThermocouples = pack.thermal.edgeThermocouples
        // And whether it has a blower: the firmware runs it in the room between the heaters' off
        // threshold and the maximum operating temperature (the warning tier), from 10 K under the
        // latter (a fifth of the room where that is narrower) with a 10 K band (at most half the
        // room: it stops before the heaters start), and supervises its airflow switch.
        if pack.thermal.blowerConductance_W_per_K > 0 {
            let warning = preset.protection.maximumOperating.overTemperature.value
            let room = warning - (preset.heater.setpoint.value + preset.heater.band.value / 2)
            if room > 0 {
                var cooling = CoolingSettings(onAbove: Celsius(warning - min(10, room / 5)))
                cooling.band = .kelvin(min(10, room / 2))
                preset.cooling = cooling
            }
        }
        if let h = freezeReserveHours { preset.heater.freezeReserveHours = Float(h) }
        // The precharge circuit is the pack's hardware design, which the integrator configures
        // (not the cells' truth): the sequencer checks the link's rise against its RC.
        let e = pack.electrics
        let tau_ms = e.prechargeResistance_ohm * e.linkCapacitance_F * 1000
        if e.linkCapacitance_F > 1e-9, tau_ms >= 1, tau_ms < Double(preset.contactors.prechargeTimeout.count) {
            preset.contactors.prechargeTimeConstant = Milliseconds(Int64(tau_ms.rounded()))
        }
        return preset
    }
}

/// A mode the simulated EMS asks for from `at_ms` on (SunSpec SetOp and its kin).
public struct ScheduledModeRequest: Sendable, Equatable {
    /// When, ms of simulated time.
    public var at_ms: Int64
    public var mode: ModeRequest

    public init(at_ms: Int64, mode: ModeRequest) {
        self.at_ms = at_ms
        self.mode = mode
    }

    /// The scenario file's names of the modes.
    public static let names: [(String, ModeRequest)] = [
        ("off", .off), ("standby", .standby), ("normal", .normal), ("charge_only", .chargeOnly), ("discharge_only", .dischargeOnly),
    ]
}

/// A span of simulated time: an EMS silence, a grid outage, a plant fault's active time.
public struct ScenarioSpan: Sendable, Equatable {
    /// From, ms of simulated time.
    public var at_ms: Int64
    /// Until, ms; nil: to the end of the run.
    public var until_ms: Int64?

    public init(at_ms: Int64, until_ms: Int64? = nil) {
        self.at_ms = at_ms
        self.until_ms = until_ms
    }

    /// Whether `t_ms` lies in the span.
    public func contains(_ t_ms: Int64) -> Bool { t_ms >= at_ms && until_ms.map { t_ms < $0 } ?? true }

    /// A span from a file's seconds (`label` names the entry in the message), checked where it
    /// enters: the start within 0 ... 3e11 s (ten thousand years: a time in ms must fit an
    /// Int64), the end after the start and at most 3e11.
    init(at_s: Double, until_s: Double?, label: String) throws(FileProblem) {
        guard at_s.isFinite, at_s >= 0, at_s <= 3e11 else { throw FileProblem("\(label).at_s must be within 0 ... 3e11") }
        if let u = until_s, !(u.isFinite && u > at_s && u <= 3e11) { throw FileProblem("\(label).until_s must be after at_s and at most 3e11") }
        self.init(at_ms: Int64((at_s * 1000).rounded()), until_ms: until_s.map { Int64(($0 * 1000).rounded()) })
    }
}

/// A scheduled restart of the firmware: the controller is rebuilt and powers up from its
/// persistent record while the plant runs on (the relays drop open with the controller).
public struct FirmwareReset: Sendable, Equatable {
    /// When, ms of simulated time.
    public var at_ms: Int64
    /// The supply fails halfway through the first record write at or after `at_ms` (that copy
    /// is left incomplete), and the restart follows it.
    public var powerCutDuringWrite: Bool

    public init(at_ms: Int64, powerCutDuringWrite: Bool = false) {
        self.at_ms = at_ms
        self.powerCutDuringWrite = powerCutDuringWrite
    }
}
