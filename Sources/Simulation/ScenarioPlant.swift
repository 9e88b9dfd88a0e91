import BatteryPlant
import HIL

/// The plant half of a scenario: the pack, its sensors and faults, and the EMS dispatcher that
/// loads it with the duty profile, clamped by the current limits it is commanded.
///
/// The in-process runner and the Modbus field device (`bmssim plant-server`) drive the same
/// value, so a lockstep run over Modbus and an in-process run see the same plant.
public struct ScenarioPlant: FieldDevicePlant {
    public let scenario: Scenario
    public private(set) var pack: BatteryPack
    public private(set) var readings: SensorReadings
    /// Simulated time, ms.
    public private(set) var time_ms: Int64 = 0
    /// The power the EMS asked for at the start of the last step, W.
    public private(set) var lastRequest_W = 0.0
    /// Energy the EMS asked for and the plant delivered towards it (the same way, up to what
    /// was asked, step by step), Wh (magnitudes).
    public private(set) var requestedEnergy_Wh = 0.0
    public private(set) var deliveredEnergy_Wh = 0.0
    /// Delivered over requested energy, at most 1 (the plant cannot deliver more than asked;
    /// rounding can), and 1 when less than a milliwatt-hour was asked for: too little to judge
    /// (a request of 1e-320 W made this infinite and lost the summary).
    public var dispatchFulfilment: Double {
        requestedEnergy_Wh >= 1e-3 ? min(1, deliveredEnergy_Wh / requestedEnergy_Wh) : 1
    }
    /// The converter serving the duty.
    public let inverter: InverterDefinition
    /// Time the converter could not serve what the BMS limits allowed (its voltage window or its
    /// current limit held the current back), ms.
    public private(set) var inverterLimited_ms: Int64 = 0
    private var profileCursor = 0
    /// Record a `truthSample()` whenever simulated time reaches a multiple of this (nil: none;
    /// the plant server's truth log, drained with `drainTruth`).
    public var truthInterval_ms: Int64?
    private var truth: [PlantTruthSample] = []
    /// The highest true cell voltage after any step while truth is recorded, V.
    public private(set) var highestCellVoltage_V = -Double.infinity
    /// When the main contactors first stood closed after a step while truth is recorded, ms.
    public private(set) var firstClosed_ms: Int64?

    public init(scenario: Scenario) throws {
        let step_ms = scenario.coreConfiguration.step.count
        guard scenario.plantSubsteps >= 1, step_ms % Int64(scenario.plantSubsteps) == 0 else {
            throw SimulationError.invalidOption("plant substeps (\(scenario.plantSubsteps)) must divide the \(step_ms) ms control step")
        }
        guard scenario.pack.cellCount <= FieldDeviceMap.maxCells, scenario.pack.moduleCount <= FieldDeviceMap.maxModules else {
            throw SimulationError.invalidOption(
                "the pack has \(scenario.pack.cellCount) cells in \(scenario.pack.moduleCount) modules; the field map serves at most \(FieldDeviceMap.maxCells) and \(FieldDeviceMap.maxModules)")
        }
        self.scenario = scenario
        self.step_ms = step_ms
        inverter = scenario.inverter ?? .sized(for: scenario.pack, profile: scenario.profile, rating_W: scenario.rating_W)
        pack = BatteryPack(definition: scenario.pack, seed: scenario.seed)
        pack.inject(scenario.faults)
        readings = pack.sample()
        FieldDeviceMap.quantise(&readings)
    }

    public var cellCount: Int { scenario.pack.cellCount }
    public var moduleCount: Int { scenario.pack.moduleCount }
    /// The control step (the firmware configuration's, read once: building it is not free).
    public let step_ms: Int64
    public var heaterPower_W: [Double] { pack.heaterPower_W }

    /// Applies `commands`, then runs the plant `plantSubsteps` times over one step: on each, the
    /// EMS request (power served at the plant's present voltage) clamped by the commanded limits,
    /// then served by the inverter within its voltage window and current limit.
    public mutating func advance(_ commands: FieldCommands) {
        pack.command(commands.contactors)
        for m in 0..<moduleCount { pack.heaterDuty[m] = commands.heaterDuty[m] }
        pack.blowerCommand = commands.blower
        for k in 0..<cellCount { pack.balancing[k] = commands.balancing[k] }
        let substeps = Int64(scenario.plantSubsteps)
        let substep = step_ms / substeps
        let dt_h = Double(substep) / 3_600_000
        for k in 0..<substeps {
            let t = time_ms + k * substep
            let outage = scenario.gridOutages.contains { $0.contains(t) }
            pack.heatersFedFromPack = outage
            let (asked_W, wanted_A) = outage ? (0, 0) : request(at: t)
            if k == 0 { lastRequest_W = asked_W }
            let allowed_A = min(commands.dischargeLimit_A, max(-commands.chargeLimit_A, wanted_A))
            let compliance = pack.currentRange(keepingTerminalVoltageWithin: inverter.dcVoltage_V)
            let current_A: Double
            if outage {
                // The heaters' supply draws their last step's power from the link (a DC/DC with the
                // inverter's voltage window), outside the firmware's limits.
                let heaters_W = pack.heaterPower_W.reduce(0, +)
                current_A = min(compliance.upperBound, max(compliance.lowerBound, pack.current(forPower: heaters_W)))
            } else {
                current_A = inverter.serve(allowed_A, compliance: compliance)
                if current_A != allowed_A { inverterLimited_ms += substep }
            }
            pack.step(current: current_A, duration_ms: substep)
            requestedEnergy_Wh += abs(asked_W) * dt_h
            // Delivered is what served the request: the same way, up to what was asked, through
            // the closed mains (the heaters' draw in an outage served no one: it made the
            // fulfilment 1.9; nor did a precharge into a shorted link, which read as 0.1 % of a
            // regulation request delivered by a pack that never connected).
            let power_W = pack.current_A * pack.terminalVoltage_V
            if pack.contactors.isConnected, power_W * asked_W > 0 { deliveredEnergy_Wh += min(abs(power_W), abs(asked_W)) * dt_h }
        }
        time_ms += step_ms
        pack.sample(into: &readings)
        FieldDeviceMap.quantise(&readings)
        if let interval = truthInterval_ms {
            highestCellVoltage_V = max(highestCellVoltage_V, pack.highestCellVoltage_V)
            if firstClosed_ms == nil, pack.contactors.isConnected { firstClosed_ms = time_ms }
            if time_ms % interval == 0 { truth.append(truthSample()) }
        }
    }

    /// The truth samples recorded since the last call, oldest first.
    public mutating func drainTruth() -> [PlantTruthSample] {
        defer { truth.removeAll(keepingCapacity: true) }
        return truth
    }

    /// The EMS request at `t`: the power asked for (W) and the current that would draw it (A).
    /// The inverter regulates power, so the current follows from the pack's present voltage.
    private mutating func request(at t: Int64) -> (power_W: Double, current_A: Double) {
        let v = scenario.profile.value(at: t, cursor: &profileCursor)
        switch scenario.profile.quantity {
        case .power_pu: return (v * scenario.rating_W, pack.current(forPower: v * scenario.rating_W))
        case .power_W: return (v, pack.current(forPower: v))
        case .current_A: return (v * pack.terminalVoltage_V, pack.contactors.isConnected ? v : 0)
        }
    }
}

extension Scenario {
    /// The nameplate the EMS face serves for this scenario's pack.
    public func nameplate(options: String, unitID: UInt16 = 1) -> BatteryNameplate {
        let chemistry = pack.chemistry
        let strings = Double(pack.topology.stringsInParallel)
        let capacity = chemistry.capacity_Ah * strings
        let energy = capacity * Double(pack.topology.cellsPerString) * chemistry.ocv.voltage(atSoC: 0.5)
        var n = BatteryNameplate(
            model: "\(chemistry.name) \(pack.cellCount) cells", options: options, serialNumber: "bmssim-\(seed)",
            capacity_Ah: capacity, energy_Wh: energy, power_W: rating_W, isSodiumSulfur: chemistry.name == "NaS",
            cellsPerModule: pack.cellCount / max(1, pack.moduleCount))
        n.unitID = unitID
        return n
    }
}
