import BMSCore
import BatteryPlant
import Foundation
import HIL

/// Runs plant + sensors + BMSCore + an EMS dispatcher in lockstep, in process.
///
/// Per control step (the core's fixed step): sample sensors -> core.step -> apply contactor and
/// heater commands -> the EMS request, clamped by the core's current limits -> plant step.
public struct ClosedLoopRunner {
    public let scenario: Scenario
    /// The plant, its sensors and the EMS load (the same value `bmssim plant-server` serves).
    public private(set) var device: ScenarioPlant
    /// The plant (truth).
    public var plant: BatteryPack { _read { yield device.pack } }
    public private(set) var controller: HostController
    /// The core's commands of the last step (kept here, not copied into every StepRecord: the
    /// frame is over a kilobyte).
    public private(set) var lastCommands: HostCommands = .safe
    /// The commands as the field map carries them (limits to the mA, duties to the per mille).
    private var commands: FieldCommands

    /// The columns of timeseries.csv (README "Outputs" describes each).
    public static let columns = [
        "time_s", "power_request_W", "power_W", "current_A", "voltage_V", "soc_true", "soc_est", "soc_sigma",
        "cell_soc_true_min", "cell_soc_true_max", "cell_soc_est_min", "cell_soc_est_max",
        "cell_voltage_min_V", "cell_voltage_max_V", "temperature_C", "temperature_min_C", "temperature_max_C",
        "heater_W", "heater_duty", "interface_ohm_true", "interface_ohm_est",
        "charge_limit_A", "discharge_limit_A", "contactor", "faults", "warnings", "alarms",
    ]

    public init(scenario: Scenario) throws {
        self.scenario = scenario
        device = try ScenarioPlant(scenario: scenario)
        do {
            var configuration = scenario.coreConfiguration
            scenario.firmwareOverride?(&configuration)
            controller = try HostController(configuration: configuration)
        } catch {
            throw SimulationError.controllerRejected("\(error)")
        }
        frame = HostFrame(device.readings)
        commands = FieldCommands(cellCount: scenario.pack.cellCount, moduleCount: scenario.pack.moduleCount)
    }

    /// The frame handed to the controller, refreshed in place each step (no 1 kB copies).
    private var frame: HostFrame

    /// Simulated time reached, ms.
    public var time_ms: Int64 { device.time_ms }
    private var metrics = Metrics()

    /// What happened in one control step.
    public struct StepRecord: Sendable {
        /// Time at the end of the step, ms.
        public var time_ms: Int64
        public var request_W: Double
        public var socTrue: Double
        public var socEstimate: Double
    }

    /// Runs one control step and advances the plant by it.
    ///
    /// Measurements and commands cross in the field-device map's resolution (ScenarioPlant
    /// quantises its readings; `FieldCommands` quantises the commands), so a lockstep run over
    /// Modbus reproduces this loop bit for bit.
    public mutating func advance() -> StepRecord {
        frame.refresh(from: device.readings)
        lastCommands = controller.step(frame)
        commands.update(from: lastCommands)
        device.advance(commands)

        let socTrue = device.pack.stateOfCharge
        let socEst = Double(controller.status.soc.value)
        metrics.record(
            error: socEst - socTrue, faults: controller.status.faults, temperatures: device.pack.moduleTemperature_C, time_ms: time_ms)
        if time_ms % 10_000 == 0 {
            let truth = device.pack.cellSoC
            for k in truth.indices { metrics.recordCell(error: Double(controller.cellSoC(k).value) - truth[k]) }
        }
        return StepRecord(time_ms: time_ms, request_W: device.lastRequest_W, socTrue: socTrue, socEstimate: socEst)
    }

    /// Runs the rest of the scenario, streaming rows to `timeSeries` (if given), and returns the summary.
    ///
    /// `progress` is called about every simulated hour with the fraction done; `shouldStop` is
    /// asked every simulated minute and ends the run early (the summary covers what ran).
    public mutating func run(
        timeSeries: TimeSeriesWriter? = nil, progress: ((Double) -> Void)? = nil, shouldStop: (() -> Bool)? = nil
    ) throws -> RunSummary {
        let step = controller.configuration.step.count
        while time_ms + step <= scenario.duration_ms {
            if let shouldStop, time_ms % 60_000 == 0, shouldStop() { break }
            let record = advance()
            if let ts = timeSeries, record.time_ms % scenario.outputInterval_ms == 0 {
                try ts.append(row(record))
            }
            if let progress, record.time_ms % 3_600_000 == 0 {
                progress(Double(record.time_ms) / Double(scenario.duration_ms))
            }
        }
        try timeSeries?.flush()
        return summary
    }

    /// The summary of everything run so far.
    public var summary: RunSummary {
        let e = plant.energy
        return RunSummary(
            duration_h: Double(time_ms) / 3_600_000, cells: scenario.pack.cellCount, seed: scenario.seed,
            soc_error_rms_pct: metrics.rms * 100, soc_error_max_pct: metrics.maxAbs * 100,
            soc_true_final: plant.stateOfCharge, soc_est_final: Double(controller.status.soc.value),
            protection_trips: metrics.trips, energy_out_Wh: e.dischargedOut_Wh, energy_in_Wh: e.chargedIn_Wh,
            heater_energy_Wh: e.heater_Wh, temperature_min_C: metrics.minTemperature,
            temperature_max_C: metrics.maxTemperature,
            dispatch_fulfilment: device.requestedEnergy_Wh > 0 ? device.deliveredEnergy_Wh / device.requestedEnergy_Wh : 1,
            cell_soc_error_rms_pct: metrics.cellRMS * 100, cell_soc_error_max_pct: metrics.cellMaxAbs * 100,
            time_to_converge_s: metrics.convergedSince_ms.map { Double($0) / 1000 },
            resistance_error_pct: resistanceError.map { $0 * 100 },
            round_trip_efficiency: e.chargedIn_Wh > 0 ? (e.dischargedOut_Wh + storedEnergyChange_Wh) / e.chargedIn_Wh : nil,
            interface_error_pct: interfaceError.map { $0 * 100 },
            shorts: plant.cellFailure.filter(\.isFailed).count, protection_events: metrics.events)
    }

    /// Change of the string's stored energy since the start, Wh (SoC x capacity x mid-SoC OCV).
    var storedEnergyChange_Wh: Double {
        let chemistry = scenario.pack.chemistry
        let energy_Wh = Double(scenario.pack.cellCount) * chemistry.capacity_Ah * chemistry.ocv.voltage(atSoC: 0.5)
        return (plant.stateOfCharge - scenario.pack.initialSoC) * energy_Wh
    }

    /// Relative error of the firmware's mean-cell resistance at its reference temperature (and
    /// full charge) against the plant's present cells there: bulk plus the elements faster than
    /// 10 ms (what a 100 ms step sees). Nil before the firmware has an estimate.
    var resistanceError: Double? {
        let estimate = Double(controller.status.resistanceAtReference.value)
        guard estimate.isFinite else { return nil }
        var truth = 0.0
        for k in 0..<plant.cellCount { truth += plantResistanceAtReference(cell: k) }
        truth /= Double(plant.cellCount)
        return (estimate - truth) / truth
    }

    /// Relative error of the firmware's mean interface resistance against the plant's (nil before
    /// the firmware has a baseline to split it from).
    var interfaceError: Double? {
        let estimate = estimatedInterfaceResistance
        let truth = plantInterfaceResistanceAtReference
        guard estimate.isFinite, truth > 0 else { return nil }
        return (estimate - truth) / truth
    }

    /// What the firmware's resistance of cell `k` stands for, from the plant's truth: the
    /// present cell (spread, contact, interphase) at the firmware's reference temperature and full
    /// charge, bulk plus the elements faster than 10 ms (what a 100 ms step sees), ohms.
    public func plantResistanceAtReference(cell k: Int) -> Double {
        let z = plantImpedanceAtReference(cell: k)
        return z.series_ohm + z.elements.filter { $0.timeConstant_s < 0.01 }.reduce(0) { $0 + $1.resistance_ohm }
    }

    /// The plant's present cell `k` (contact, interphase, spread) at the firmware's reference
    /// temperature and full charge: what the firmware's per-cell estimates are compared with.
    func plantImpedanceAtReference(cell k: Int) -> CellImpedance {
        let reference = Double(controller.configuration.cellModel.resistanceReference.value)
        let cell = plant.cell(k)
        return scenario.pack.chemistry.impedance(
            temperature_C: reference, soc: 1, contactFraction: cell.contactFraction,
            interphaseThickness_cm: cell.interphaseThickness_cm, resistanceScale: cell.resistanceScale)
    }

    /// Mean interfacial resistance (interphase and interface elements) of the plant's cells at
    /// the firmware's reference temperature and full charge, ohms: the truth for `interface_ohm_est`.
    public var plantInterfaceResistanceAtReference: Double {
        var sum = 0.0
        for k in 0..<plant.cellCount {
            for e in plantImpedanceAtReference(cell: k).elements where e.kind == .interface || e.kind == .interphase { sum += e.resistance_ohm }
        }
        return sum / Double(plant.cellCount)
    }

    /// The firmware's mean estimated interface part over the cells it has estimated, ohms (NaN before).
    public var estimatedInterfaceResistance: Double {
        var sum = 0.0
        var n = 0
        for k in 0..<scenario.pack.cellCount {
            let r = Double(controller.interfaceHealth.interface[k])
            if r.isFinite { sum += r; n += 1 }
        }
        return n > 0 ? sum / Double(n) : .nan
    }

    private func row(_ r: StepRecord) -> [String] {
        // What the heaters delivered (a failed heater delivers nothing whatever its command).
        let heater_W = plant.heaterPower_W.reduce(0, +)
        let temperatures = plant.moduleTemperature_C
        let meanT = temperatures.reduce(0, +) / Double(temperatures.count)
        let c = lastCommands
        var dutySum = 0.0
        for m in 0..<scenario.pack.moduleCount { dutySum += Double(c.heaterDuty[m]) }
        let trueCells = plant.cellSoC
        let voltages = plant.cellVoltage_V
        let status = controller.status
        return [
            Format.fixed(Double(r.time_ms) / 1000, 1), Format.fixed(r.request_W, 1),
            Format.fixed(plant.current_A * plant.terminalVoltage_V, 1), Format.fixed(plant.current_A, 4),
            Format.fixed(plant.terminalVoltage_V, 4), Format.fixed(r.socTrue, 6), Format.fixed(r.socEstimate, 6),
            Format.fixed(Double(status.socSigma), 6),
            Format.fixed(trueCells.min() ?? .nan, 6), Format.fixed(trueCells.max() ?? .nan, 6),
            Format.fixed(Double(status.minimumCellSoC.value), 6), Format.fixed(Double(status.maximumCellSoC.value), 6),
            Format.fixed(voltages.min() ?? .nan, 4), Format.fixed(voltages.max() ?? .nan, 4),
            Format.fixed(meanT, 3), Format.fixed(temperatures.min() ?? .nan, 3), Format.fixed(temperatures.max() ?? .nan, 3),
            Format.fixed(heater_W, 1), Format.fixed(dutySum / Double(scenario.pack.moduleCount), 3),
            Format.scientific(plantInterfaceResistanceAtReference), Format.scientific(estimatedInterfaceResistance),
            Format.fixed(Double(c.chargeCurrentLimit.value), 3),
            Format.fixed(Double(c.dischargeCurrentLimit.value), 3), c.closeContactors ? "1" : "0",
            String(c.faults.rawValue), String(c.warnings.rawValue), String(c.alarms.rawValue),
        ]
    }
}

/// Running error and event statistics of a run.
struct Metrics {
    private var sumSquares = 0.0
    private var count = 0
    private(set) var maxAbs = 0.0
    private(set) var trips = 0
    private(set) var events: [RunSummary.ProtectionEvent] = []
    private var cellSumSquares = 0.0
    private var cellCount = 0
    private(set) var cellMaxAbs = 0.0
    /// Since when the pack error has stayed within 3 % (nil while outside).
    private(set) var convergedSince_ms: Int64? = 0

    var cellRMS: Double { cellCount > 0 ? (cellSumSquares / Double(cellCount)).squareRoot() : 0 }

    mutating func recordCell(error: Double) {
        cellSumSquares += error * error
        cellCount += 1
        cellMaxAbs = max(cellMaxAbs, abs(error))
    }
    private var latched = FaultFlags.clear
    private(set) var minTemperature = Double.infinity
    private(set) var maxTemperature = -Double.infinity

    var rms: Double { count > 0 ? (sumSquares / Double(count)).squareRoot() : 0 }

    mutating func record(error: Double, faults: FaultFlags, temperatures: [Double], time_ms: Int64) {
        sumSquares += error * error
        count += 1
        maxAbs = max(maxAbs, abs(error))
        if abs(error) > 0.03 {
            convergedSince_ms = nil
        } else if convergedSince_ms == nil {
            convergedSince_ms = time_ms
        }
        let nowLatched = faults.intersection(.latching)
        let newBits = nowLatched.rawValue & ~latched.rawValue
        trips += newBits.nonzeroBitCount
        if newBits != 0 {
            for bit in 0..<32 where newBits & (1 << UInt32(bit)) != 0 {
                events.append(RunSummary.ProtectionEvent(time_s: Double(time_ms) / 1000, fault: FaultFlags(rawValue: 1 << UInt32(bit)).name))
            }
        }
        latched = nowLatched
        for t in temperatures {
            minTemperature = min(minTemperature, t)
            maxTemperature = max(maxTemperature, t)
        }
    }
}
