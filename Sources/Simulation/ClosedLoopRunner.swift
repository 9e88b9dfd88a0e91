import BMSCore
import BatteryPlant
import CellLab
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

    /// What one row of timeseries.csv shows: the step's record, the plant's truth and the
    /// firmware's view at the end of the step.
    public struct Sample: Sendable {
        public var record: StepRecord
        /// The plant's own state (what a plant server logs as plant-truth.csv).
        public var truth: PlantTruthSample
        public var socSigma: Double
        public var cellSoCEstimate: (min: Double, max: Double)
        /// The lowest and highest cell voltage the firmware was given (its sensors, after the
        /// field map's resolution; dead channels left out).
        public var cellVoltageMeasured: (min: Double, max: Double)
        public var heaterDuty: Double
        public var interfaceTrue_ohm: Double
        public var interfaceEstimate_ohm: Double
        /// The plant's mean-cell resistance at the firmware's reference (what `resistance_error_pct`
        /// compares with) and the firmware's estimate (NaN before it has one), ohms.
        public var resistanceTrue_ohm: Double
        public var resistanceEstimate_ohm: Double
        /// The plant's mean cell capacity over the nameplate, and the firmware's capacity SoH
        /// (NaN before it has one).
        public var capacitySoHTrue: Double
        public var capacitySoHEstimate: Double
        public var commands: HostCommands
        /// What reduced each limit below the rated current.
        public var limitReasons: LimitReasonPair
    }

    /// The plant's column `name`, as plant-truth.csv declares it, read from a sample's truth.
    static func truth(_ name: String) -> CSVColumn<Sample> {
        let column = PlantTruthSample.columns.first { $0.name == name }!
        return CSVColumn(name) { column.format($0.truth) }
    }

    /// The columns of timeseries.csv, each declared once with its format (README "Outputs"
    /// describes each); the plant's are plant-truth.csv's.
    public static let timeSeriesColumns: [CSVColumn<Sample>] = [
        truth("time_s"), truth("power_request_W"), truth("power_W"), truth("current_A"), truth("voltage_V"), truth("soc_true"),
        CSVColumn("soc_est") { Format.fixed($0.record.socEstimate, 6) },
        CSVColumn("soc_sigma") { Format.fixed($0.socSigma, 6) },
        truth("cell_soc_true_min"), truth("cell_soc_true_max"),
        CSVColumn("cell_soc_est_min") { Format.fixed($0.cellSoCEstimate.min, 6) },
        CSVColumn("cell_soc_est_max") { Format.fixed($0.cellSoCEstimate.max, 6) },
        truth("cell_voltage_min_V"), truth("cell_voltage_max_V"),
        CSVColumn("cell_voltage_meas_min_V") { Format.fixed($0.cellVoltageMeasured.min, 4) },
        CSVColumn("cell_voltage_meas_max_V") { Format.fixed($0.cellVoltageMeasured.max, 4) },
        truth("temperature_C"), truth("temperature_min_C"), truth("temperature_max_C"), truth("heater_W"),
        CSVColumn("heater_duty") { Format.fixed($0.heaterDuty, 3) },
        CSVColumn("interface_ohm_true") { Format.scientific($0.interfaceTrue_ohm) },
        CSVColumn("interface_ohm_est") { Format.scientific($0.interfaceEstimate_ohm) },
        CSVColumn("resistance_ohm_true") { Format.scientific($0.resistanceTrue_ohm) },
        CSVColumn("resistance_ohm_est") { Format.scientific($0.resistanceEstimate_ohm) },
        CSVColumn("capacity_soh_true") { Format.fixed($0.capacitySoHTrue, 5) },
        CSVColumn("capacity_soh_est") { Format.fixed($0.capacitySoHEstimate, 5) },
        CSVColumn("charge_limit_A") { Format.fixed(Double($0.commands.chargeCurrentLimit.value), 3) },
        CSVColumn("discharge_limit_A") { Format.fixed(Double($0.commands.dischargeCurrentLimit.value), 3) },
        CSVColumn("charge_limit_reasons") { $0.limitReasons.charge.name },
        CSVColumn("discharge_limit_reasons") { $0.limitReasons.discharge.name },
        CSVColumn("contactor") { $0.commands.closeContactors ? "1" : "0" },
        CSVColumn("mode") { "\($0.commands.mode)" },
        CSVColumn("faults") { $0.commands.faults.name },
        CSVColumn("warnings") { $0.commands.warnings.name },
        CSVColumn("alarms") { $0.commands.alarms.name },
    ]

    /// The header names of timeseries.csv.
    public static var columns: [String] { timeSeriesColumns.names() }

    public init(scenario: Scenario) throws {
        try scenario.firmwareFit()
        self.scenario = scenario
        device = try ScenarioPlant(scenario: scenario)
        do {
            var configuration = scenario.coreConfiguration
            if scenario.commissioningImpedanceCells > 0 {
                let cells = Characterisation.commissioningCells(count: scenario.commissioningImpedanceCells, of: scenario.pack.cellCount)
                // The lab's new cells at the pack's temperature give the electrolyte's arcs, its
                // worn ones the law of a grown interphase.
                let reference = Characterisation.referenceElectrolyteArcs(
                    scenario.pack.chemistry, model: configuration.cellModel, temperature_C: device.pack.meanModuleTemperature_C)
                if let measured = Characterisation.commissioningImpedance(
                    device.pack, cells: cells, model: configuration.cellModel, seed: scenario.seed, electrolyteArcs_Hz: reference,
                    fastestTimeConstant_s: scenario.ohmicTimeConstant_s,
                    interphase: Characterisation.interphaseLaw(scenario.pack.chemistry, model: configuration.cellModel)) {
                    configuration.interfaceHealth.commissionedInterface = Ohms(Float(measured.interface_ohm))
                    if let whole = measured.resistance_ohm {
                        configuration.interfaceHealth.commissionedResistance = Ohms(Float(whole))
                        configuration.interfaceHealth.commissionedCells = Int32(cells.count)
                    }
                }
            }
            scenario.firmwareOverride?(&configuration)
            controller = try HostController(configuration: configuration)
            // The simulated EMS asks for normal operation from the start (the firmware itself
            // powers up in standby and connects only on a request).
            controller.modeRequest = .normal
            controller.powerUp(from: &record)
        } catch {
            throw SimulationError.controllerRejected("\(error)")
        }
        frame = HostFrame(device.readings)
        detections = DetectionTracker(scenario.detections)
        health = HealthFaultTracker(faults: scenario.faults, cellCount: scenario.pack.cellCount)
        commands = FieldCommands(cellCount: scenario.pack.cellCount, moduleCount: scenario.pack.moduleCount)
    }

    /// The frame handed to the controller, refreshed in place each step (no 1 kB copies).
    /// The frame the controller stepped last (a replay trace records it, `FirmwareTrace`).
    public private(set) var frame: HostFrame
    /// The firmware's persistent record (blank at the start of a run).
    public private(set) var record = SimulatedRecordStorage()
    /// The scenario's resets not yet done, and whether the present one's power cut is armed.
    private var resetsDone = 0
    private var powerCutArmed = false
    /// The mode the simulated EMS asks for now, and the scenario's requests made so far.
    private var emsMode = ModeRequest.normal
    private var modeRequestsDone = 0
    /// Firmware restarts so far.
    public private(set) var restarts = 0

    /// Simulated time reached, ms.
    public var time_ms: Int64 { device.time_ms }
    private var metrics = Metrics()
    /// The firmware's event log, as read after every step (`BMSController.eventLog`).
    public private(set) var firmwareEvents: [Event] = []
    private var loggedEvents: UInt32 = 0
    /// events.csv: the firmware's events so far, one row each (`Event.csvRow`).
    public var eventsCSV: String { ([Event.csvHeader] + firmwareEvents.map(\.csvRow)).joined(separator: "\n") + "\n" }
    private var detections: DetectionTracker
    private var health: HealthFaultTracker

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
        if resetsDone < scenario.resets.count, time_ms >= scenario.resets[resetsDone].at_ms {
            if !scenario.resets[resetsDone].powerCutDuringWrite {
                restart()
            } else if !powerCutArmed {
                // Halfway through the next copy written.
                record.wordsBeforePowerFails = controller.recordWords / 2
                powerCutArmed = true
            }
        }
        while modeRequestsDone < scenario.modeRequests.count, scenario.modeRequests[modeRequestsDone].at_ms <= time_ms {
            emsMode = scenario.modeRequests[modeRequestsDone].mode
            modeRequestsDone += 1
        }
        controller.modeRequest = emsMode
        frame.refresh(from: device.readings)
        // The simulated EMS beats once a second (SunSpec CtrlHb: its seconds count), except in
        // the scenario's silences.
        if time_ms % 1000 == 0, !scenario.emsSilences.contains(where: { $0.contains(time_ms) }) {
            controller.emsHeartbeat(UInt16(truncatingIfNeeded: time_ms / 1000))
        }
        lastCommands = controller.step(frame)
        // A failed write is in the firmware's event log; a power cut restarts it.
        _ = try? controller.persist(to: &record)
        if record.powerFailed { restart() }
        commands.update(from: lastCommands)
        device.advance(commands)

        let socTrue = device.pack.stateOfCharge
        let socEst = Double(controller.status.soc.value)
        metrics.record(
            error: socEst - socTrue, sigma: Double(controller.status.socSigma), faults: controller.status.faults,
            temperatures: device.pack.moduleTemperature_C, time_ms: time_ms)
        metrics.record(warnings: lastCommands.warnings, highestCell: device.pack.highestCellVoltage_V, time_ms: time_ms)
        if metrics.connectedSince_ms == nil, device.pack.contactors.isConnected { metrics.connectedSince_ms = time_ms }
        detections.record(time_ms: time_ms, commands: lastCommands, moduleCount: scenario.pack.moduleCount)
        if health.watchesThroughput(at: time_ms) {
            let pack = device.pack
            health.recordThroughput(time_ms: time_ms, step_ms: controller.configuration.step.count) { k in
                let c = pack.cell(k)
                return (c.current_A, c.capacity_Ah)
            }
        }
        if health.countsChanged(contactLossCells: controller.status.contactLossCells, softShortCells: controller.status.softShortCells) {
            let leaking = Set(plant.events.lazy.filter { $0.kind == .cellLeakageStarted }.map(\.index))
            health.record(time_ms: time_ms, controller: controller, leaking: leaking)
        }
        readEvents()
        if time_ms % 10_000 == 0 {
            let truth = device.pack.cellSoC
            let mean = controller.status.soc.value
            for k in truth.indices { metrics.recordCell(error: Double(mean + controller.cellSoCDifferences[k]) - truth[k]) }
        }
        return StepRecord(time_ms: time_ms, request_W: device.lastRequest_W, socTrue: socTrue, socEstimate: socEst)
    }

    /// Copies the firmware's new events into `firmwareEvents`. The ring holds 64: read every step
    /// (in place, not a 1 kB copy), none is lost unless 64 happen in one step.
    private mutating func readEvents() {
        while loggedEvents < controller.eventLog.recorded {
            loggedEvents += 1
            if let e = controller.eventLog.event(number: loggedEvents) { firmwareEvents.append(e) }
        }
    }

    /// Restarts the firmware: a new controller (its relays open, as outputs fall at a reset)
    /// powers up from the record; the simulated EMS asks again for the mode it wants. The old
    /// controller's events are read first (a write the power cut failed was its last).
    private mutating func restart() {
        readEvents()
        resetsDone += 1
        powerCutArmed = false
        record.powerRestored()
        guard var fresh = try? HostController(configuration: controller.configuration) else { return }
        fresh.modeRequest = emsMode
        fresh.powerUp(from: &record, at: Milliseconds(time_ms))
        controller = fresh
        restarts += 1
        // The restored log ends with the power-up: read on from it (the events since the last
        // write were read already).
        loggedEvents = controller.eventLog.recorded - 1
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
        let h = health.figures(always: scenario.reportsHealthFigures)
        var s = RunSummary(
            duration_h: Double(time_ms) / 3_600_000, cells: scenario.pack.cellCount, seed: scenario.seed,
            soc_error_rms_pct: metrics.rms * 100, soc_error_max_pct: metrics.maxAbs * 100,
            soc_true_final: plant.stateOfCharge, soc_est_final: Double(controller.status.soc.value),
            protection_trips: metrics.trips, energy_out_Wh: e.dischargedOut_Wh, energy_in_Wh: e.chargedIn_Wh,
            heater_energy_Wh: e.heater_Wh, temperature_min_C: metrics.minTemperature,
            temperature_max_C: metrics.maxTemperature,
            dispatch_fulfilment: device.dispatchFulfilment,
            inverter_limited_s: Double(device.inverterLimited_ms) / 1000,
            cell_soc_error_rms_pct: metrics.cellRMS * 100, cell_soc_error_max_pct: metrics.cellMaxAbs * 100,
            time_to_converge_s: metrics.convergedSince_ms.map { Double($0) / 1000 },
            resistance_error_pct: resistanceError.map { $0 * 100 },
            round_trip_efficiency: e.chargedIn_Wh >= RunSummary.roundTripShare * PackChoice.rating_W(scenario.pack, cRate: 1)
                ? (e.dischargedOut_Wh + storedEnergyChange_Wh) / e.chargedIn_Wh : nil,
            interface_error_pct: interfaceError.map { $0 * 100 },
            shorts: plant.cellFailure.filter(\.isFailed).count, protection_events: metrics.events,
            cell_voltage_max_V: metrics.highestCell, warnings_raised: metrics.warningsRaised, warning_events: metrics.warningEvents,
            detections: scenario.detections.isEmpty ? nil : detections.results, soc_within_3sigma: metrics.coverage,
            soc_nees: metrics.meanNEES, capacity_soh_true: capacitySoHTruth, capacity_soh_est: capacitySoHEstimate,
            capacity_soh_error_pct: capacitySoHEstimate.map { ($0 - capacitySoHTruth) * 100 },
            resistance_growth_pct: scenario.pack.chemistry.ageing == nil ? nil : (plant.cellResistanceAgeing.reduce(0, +) / Double(plant.cellCount) - 1) * 100,
            fractures: plant.events.filter { $0.kind == .fractured }.count,
            dendrite_penetrations: plant.events.filter { $0.kind == .dendritePenetrated }.count,
            contact_loss_detection_s: h.contactLoss_s, soft_short_detection_s: h.softShort_s, health_missed: h.missed,
            health_false_alarms: h.falseAlarms, contactors_closed_s: metrics.connectedSince_ms.map { Double($0) / 1000 },
            energy_requested_Wh: device.requestedEnergy_Wh)
        s.soc_error_max_after_1h_pct = metrics.maxAbsAfterFirstHour.map { $0 * 100 }
        s.contact_loss_throughput_pct = h.contactLossThroughput_pct
        s.outcome = s.statements()
        return s
    }

    /// The plant's mean cell capacity over the nameplate (what the firmware's capacity SoH estimates).
    var capacitySoHTruth: Double {
        var sum = 0.0
        for k in 0..<plant.cellCount { sum += plant.cellCapacity_Ah(k) }
        return sum / Double(plant.cellCount) / scenario.pack.chemistry.capacity_Ah
    }

    /// The firmware's capacity SoH (nil until measured).
    var capacitySoHEstimate: Double? {
        let soh = Double(controller.status.capacitySoH)
        return soh.isFinite ? soh : nil
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
        let truth = plantResistanceAtReference
        return (estimate - truth) / truth
    }

    /// The plant's mean-cell resistance at the firmware's reference temperature and full
    /// charge (`plantResistanceAtReference(cell:)` averaged), ohms.
    var plantResistanceAtReference: Double {
        var truth = 0.0
        for k in 0..<plant.cellCount { truth += plantResistanceAtReference(cell: k) }
        return truth / Double(plant.cellCount)
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
    /// present cell (spread, ageing, contact, interphase) at the firmware's reference temperature and full
    /// charge, bulk plus the elements faster than a tenth of the control step (10 ms: what a
    /// 100 ms step sees), ohms.
    public func plantResistanceAtReference(cell k: Int) -> Double {
        let z = plantImpedanceAtReference(cell: k)
        let fast = scenario.ohmicTimeConstant_s
        return z.series_ohm + z.elements.filter { $0.timeConstant_s < fast }.reduce(0) { $0 + $1.resistance_ohm }
    }

    /// The plant's present cell `k` (contact, interphase, spread, ageing) at the firmware's reference
    /// temperature and full charge, without the electrode's end effects (a Na-S cell's sulphur
    /// at the top of charge): what the firmware's per-cell estimates are compared with.
    func plantImpedanceAtReference(cell k: Int) -> CellImpedance {
        let reference = Double(controller.configuration.cellModel.resistanceReference.value)
        let cell = plant.cell(k)
        return scenario.pack.chemistry.impedance(
            temperature_C: reference, soc: 1, contactFraction: cell.contactFraction,
            interphaseThickness_cm: cell.interphaseThickness_cm, resistanceScale: cell.resistanceScale,
            resistanceAgeing: cell.resistanceAgeing, elementScales: cell.elementScales, plateau: true)
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

    /// The sample behind one row of timeseries.csv.
    func sample(_ r: StepRecord) -> Sample {
        let c = lastCommands
        var dutySum = 0.0
        for m in 0..<scenario.pack.moduleCount { dutySum += Double(c.heaterDuty[m]) }
        let status = controller.status
        var measured = (min: Double.infinity, max: -Double.infinity)
        for k in 0..<scenario.pack.cellCount {
            let v = Double(frame.cellVoltages[k].value)
            if v.isFinite { measured = (Swift.min(measured.min, v), Swift.max(measured.max, v)) }
        }
        if !measured.min.isFinite { measured = (.nan, .nan) }
        return Sample(
            record: r, truth: device.truthSample(), socSigma: Double(status.socSigma),
            cellSoCEstimate: (Double(status.minimumCellSoC.value), Double(status.maximumCellSoC.value)),
            cellVoltageMeasured: measured, heaterDuty: dutySum / Double(scenario.pack.moduleCount),
            interfaceTrue_ohm: plantInterfaceResistanceAtReference, interfaceEstimate_ohm: estimatedInterfaceResistance,
            resistanceTrue_ohm: plantResistanceAtReference, resistanceEstimate_ohm: Double(status.resistanceAtReference.value),
            capacitySoHTrue: capacitySoHTruth, capacitySoHEstimate: Double(status.capacitySoH),
            commands: c, limitReasons: status.limitReasons)
    }

    private func row(_ r: StepRecord) -> [String] { Self.timeSeriesColumns.fields(sample(r)) }
}

/// Running error and event statistics of a run.
struct Metrics {
    private var sumSquares = 0.0
    private var count = 0
    private(set) var maxAbs = 0.0
    /// The largest |error| from the first hour on (nil before then).
    private(set) var maxAbsAfterFirstHour: Double?
    private(set) var trips = 0
    private(set) var events: [RunSummary.ProtectionEvent] = []
    private var cellSumSquares = 0.0
    private var cellCount = 0
    private(set) var cellMaxAbs = 0.0
    /// Since when the pack error has stayed within 3 % (nil while outside).
    private(set) var convergedSince_ms: Int64? = 0
    /// When the plant's main contactors first stood closed (nil: never).
    var connectedSince_ms: Int64?

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

    /// Steps whose pack SoC error was within three of the firmware's sigmas, and the sum of
    /// error^2 / sigma^2 (the normalised estimation error squared).
    private var covered = 0
    private var neesSum = 0.0
    /// Share of steps with |error| <= 3 sigma (nil before a step).
    var coverage: Double? { count > 0 ? Double(covered) / Double(count) : nil }
    /// Mean normalised estimation error squared (1 for a consistent filter; nil before a step).
    var meanNEES: Double? { count > 0 ? neesSum / Double(count) : nil }

    private var warnings = FaultFlags.clear
    private var warned = FaultFlags.clear
    private(set) var warningsRaised = 0
    private(set) var warningEvents: [RunSummary.ProtectionEvent] = []
    private(set) var highestCell = -Double.infinity

    /// Counts warnings raised (each clear-to-set edge; the first of each kind with its time) and
    /// follows the highest true cell voltage.
    mutating func record(warnings now: FaultFlags, highestCell v: Double, time_ms: Int64) {
        let raised = now.rawValue & ~warnings.rawValue
        warningsRaised += raised.nonzeroBitCount
        let first = raised & ~warned.rawValue
        if first != 0 {
            for bit in 0..<32 where first & (1 << UInt32(bit)) != 0 {
                warningEvents.append(RunSummary.ProtectionEvent(time_s: Double(time_ms) / 1000, fault: FaultFlags(rawValue: 1 << UInt32(bit)).name))
            }
            warned.insert(FaultFlags(rawValue: first))
        }
        warnings = now
        highestCell = max(highestCell, v)
    }

    mutating func record(error: Double, sigma: Double, faults: FaultFlags, temperatures: [Double], time_ms: Int64) {
        sumSquares += error * error
        count += 1
        if abs(error) <= 3 * sigma { covered += 1 }
        neesSum += sigma > 0 ? error * error / (sigma * sigma) : .infinity
        maxAbs = max(maxAbs, abs(error))
        if time_ms >= 3_600_000 { maxAbsAfterFirstHour = max(maxAbsAfterFirstHour ?? 0, abs(error)) }
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
