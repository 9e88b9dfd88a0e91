import BMSCore
import BatteryPlant
import Foundation

/// Runs plant + sensors + BMSCore + an EMS dispatcher in lockstep, in process.
///
/// Per control step (the core's fixed step): sample sensors -> core.step -> apply contactor and
/// heater commands -> the EMS request, clamped by the core's current limits -> plant step.
public struct ClosedLoopRunner {
    public let scenario: Scenario
    public private(set) var plant: BatteryPack
    public private(set) var controller: HostController
    private var readings: SensorReadings
    private var profileCursor = 0

    /// The columns of timeseries.csv.
    public static let columns = [
        "time_s", "power_request_W", "current_A", "voltage_V", "soc_true", "soc_est", "temperature_C",
        "heater_W", "charge_limit_A", "discharge_limit_A", "contactor", "faults",
    ]

    public init(scenario: Scenario) throws {
        self.scenario = scenario
        plant = BatteryPack(definition: scenario.pack, seed: scenario.seed)
        plant.inject(scenario.faults)
        do {
            controller = try HostController(configuration: scenario.coreConfiguration)
        } catch {
            throw SimulationError.controllerRejected("\(error)")
        }
        readings = plant.sample()
    }

    /// Simulated time reached, ms.
    public private(set) var time_ms: Int64 = 0
    private var metrics = Metrics()
    private var requestedEnergy_Wh = 0.0
    private var deliveredEnergy_Wh = 0.0

    /// What happened in one control step.
    public struct StepRecord: Sendable {
        /// Time at the end of the step, ms.
        public var time_ms: Int64
        public var request_W: Double
        public var commands: HostCommands
        public var socTrue: Double
        public var socEstimate: Double
    }

    /// Runs one control step and advances the plant by it.
    public mutating func advance() -> StepRecord {
        let step = controller.configuration.step.count
        let commands = controller.step(HostFrame(readings))
        let k = commands.contactors
        plant.command(ContactorCommand(mainPositive: k.mainPositive, mainNegative: k.mainNegative, precharge: k.precharge))
        for m in 0..<scenario.pack.moduleCount { plant.heaterDuty[m] = Double(commands.heaterDuty[m]) }
        for k in 0..<scenario.pack.cellCount { plant.balancing[k] = commands.balance[k] }

        let (request_W, wanted_A) = request(at: time_ms)
        let current_A = min(
            Double(commands.dischargeCurrentLimit.value), max(-Double(commands.chargeCurrentLimit.value), wanted_A))
        plant.step(current: current_A, duration_ms: step)
        plant.sample(into: &readings)
        time_ms += step

        let socTrue = plant.stateOfCharge
        let socEst = Double(controller.status.soc.value)
        metrics.record(error: socEst - socTrue, faults: controller.status.faults, temperatures: plant.moduleTemperature_C)
        let dt_h = Double(step) / 3_600_000
        requestedEnergy_Wh += abs(request_W) * dt_h
        deliveredEnergy_Wh += abs(plant.current_A * plant.terminalVoltage_V) * dt_h
        return StepRecord(time_ms: time_ms, request_W: request_W, commands: commands, socTrue: socTrue, socEstimate: socEst)
    }

    /// Runs the rest of the scenario, streaming rows to `timeSeries` (if given), and returns the summary.
    public mutating func run(timeSeries: TimeSeriesWriter? = nil) throws -> RunSummary {
        while time_ms + controller.configuration.step.count <= scenario.duration_ms {
            let record = advance()
            if let ts = timeSeries, record.time_ms % scenario.outputInterval_ms == 0 {
                try ts.append(row(record))
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
            dispatch_fulfilment: requestedEnergy_Wh > 0 ? deliveredEnergy_Wh / requestedEnergy_Wh : 1)
    }

    /// The EMS request at `t`: the power asked for (W) and the current that would draw it (A).
    /// The inverter regulates power, so the current follows from the pack's present voltage.
    private mutating func request(at t: Int64) -> (power_W: Double, current_A: Double) {
        let v = scenario.profile.value(at: t, cursor: &profileCursor)
        switch scenario.profile.quantity {
        case .power_pu: return (v * scenario.rating_W, plant.current(forPower: v * scenario.rating_W))
        case .power_W: return (v, plant.current(forPower: v))
        case .current_A: return (v * plant.terminalVoltage_V, plant.contactors.isConnected ? v : 0)
        }
    }

    private func row(_ r: StepRecord) -> [String] {
        // What the heaters delivered (a failed heater delivers nothing whatever its command).
        let heater_W = plant.heaterPower_W.reduce(0, +)
        let meanT = plant.moduleTemperature_C.reduce(0, +) / Double(plant.moduleTemperature_C.count)
        let c = r.commands
        return [
            Format.fixed(Double(r.time_ms) / 1000, 1), Format.fixed(r.request_W, 1), Format.fixed(plant.current_A, 4),
            Format.fixed(plant.terminalVoltage_V, 4), Format.fixed(r.socTrue, 6), Format.fixed(r.socEstimate, 6),
            Format.fixed(meanT, 3), Format.fixed(heater_W, 1), Format.fixed(Double(c.chargeCurrentLimit.value), 3),
            Format.fixed(Double(c.dischargeCurrentLimit.value), 3), c.closeContactors ? "1" : "0",
            String(c.faults.rawValue),
        ]
    }
}

/// Running error and event statistics of a run.
struct Metrics {
    private var sumSquares = 0.0
    private var count = 0
    private(set) var maxAbs = 0.0
    private(set) var trips = 0
    private var latched = FaultFlags.clear
    private(set) var minTemperature = Double.infinity
    private(set) var maxTemperature = -Double.infinity

    var rms: Double { count > 0 ? (sumSquares / Double(count)).squareRoot() : 0 }

    mutating func record(error: Double, faults: FaultFlags, temperatures: [Double]) {
        sumSquares += error * error
        count += 1
        maxAbs = max(maxAbs, abs(error))
        let nowLatched = faults.intersection(.latching)
        let newBits = nowLatched.rawValue & ~latched.rawValue
        trips += newBits.nonzeroBitCount
        latched = nowLatched
        for t in temperatures {
            minTemperature = min(minTemperature, t)
            maxTemperature = max(maxTemperature, t)
        }
    }
}
