import BatteryPlant
import Foundation

/// Drives the plant open loop from a profile, as a test rig would: no BMS, contactors closed
/// (after precharging the DC link when there is one), heaters on a rig thermostat.
public struct OpenLoopRunner {
    /// How the rig runs the plant.
    public struct Options: Sendable {
        /// Plant step, ms.
        public var step_ms: Int64 = 1000
        /// Rows of timeseries.csv, ms.
        public var outputInterval_ms: Int64 = 10_000
        /// Rows of cells.csv (one row per cell), ms.
        public var cellInterval_ms: Int64 = 600_000
        /// Simulated duration, ms (nil = to the profile's last row).
        public var duration_ms: Int64?
        /// Power that power_pu = 1 stands for, W.
        public var rating_W: Double?
        /// Rig thermostat: heaters full on below setpoint - 5 K, off above setpoint + 5 K (nil = off).
        public var heaterSetpoint_C: Double?
        public var seed: UInt64 = 1
        public init() {}
    }

    public let options: Options
    public let profile: DutyProfile
    public private(set) var plant: BatteryPack
    private var cursor = 0

    public init(setup: PlantSetup, profile: DutyProfile, options: Options) throws {
        if profile.quantity == .power_pu, options.rating_W == nil {
            throw SimulationError.invalidOption("profile \(profile.source) is normalised (power_pu): give a rating (--rating-kw)")
        }
        guard options.step_ms > 0, options.outputInterval_ms % options.step_ms == 0, options.cellInterval_ms % options.step_ms == 0 else {
            throw SimulationError.invalidOption("output intervals must be positive multiples of the step")
        }
        self.options = options
        self.profile = profile
        plant = BatteryPack(definition: setup.definition, seed: options.seed)
        plant.inject(setup.faults)
    }

    /// Simulated duration of the run, ms.
    public var duration_ms: Int64 { options.duration_ms ?? profile.lastRowTime_ms }

    /// Runs to the end, writing timeseries.csv, cells.csv and events.csv into `directory`.
    public mutating func run(writingTo directory: String) throws -> PlantRunSummary {
        let columns = Self.timeSeriesColumns(plant.definition)
        let series = try TimeSeriesWriter(path: directory + "/timeseries.csv", columns: columns)
        let cellColumns = Self.cellColumns(plant.definition)
        let cells = try TimeSeriesWriter(path: directory + "/cells.csv", columns: cellColumns, flushEveryRows: 1024)

        var summary = PlantRunSummary(initialSoC: plant.stateOfCharge)
        try writeCells(cells, cellColumns)
        connect()
        while plant.time_ms < duration_ms {
            thermostat()
            let t = plant.time_ms
            let v = profile.value(at: t, cursor: &cursor)
            let current: Double =
                switch profile.quantity {
                case .current_A: v
                case .power_W: plant.current(forPower: v)
                case .power_pu: plant.current(forPower: v * (options.rating_W ?? 0))
                }
            plant.step(current: current, duration_ms: options.step_ms)
            summary.record(plant)
            if plant.time_ms % options.outputInterval_ms == 0 { try series.append(columns.fields(plant)) }
            if plant.time_ms % options.cellInterval_ms == 0 { try writeCells(cells, cellColumns) }
        }
        try series.flush()
        try cells.flush()
        let events = try TimeSeriesWriter(path: directory + "/events.csv", columns: Self.eventColumns)
        for e in plant.events { try events.append(Self.eventColumns.fields(e)) }
        try events.flush()
        summary.finish(plant)
        return summary
    }

    /// Closes the contactors, precharging the DC link first when it holds any charge. Precharge
    /// steps are run steps (so time stays on the step grid); the profile applies once closed.
    private mutating func connect() {
        if plant.definition.electrics.linkCapacitance_F > 1e-9 {
            plant.command(.precharge)
            var guardSteps = 0
            repeat {
                plant.step(current: 0, duration_ms: options.step_ms)
                guardSteps += 1
            } while abs(plant.contactors.linkVoltage_V - plant.terminalVoltage_V) > 1 && guardSteps < 1000
        }
        plant.command(.closed)
    }

    private mutating func thermostat() {
        guard let setpoint = options.heaterSetpoint_C else { return }
        for m in 0..<plant.definition.moduleCount {
            let t = plant.moduleTemperature_C[m]
            if t < setpoint - 5 { plant.heaterDuty[m] = 1 } else if t > setpoint + 5 { plant.heaterDuty[m] = 0 }
        }
    }

    /// The columns of timeseries.csv for `pack`: the pack's, then one per string and one per
    /// module where there are several.
    static func timeSeriesColumns(_ pack: PackDefinition) -> [CSVColumn<BatteryPack>] {
        var columns: [CSVColumn<BatteryPack>] = [
            CSVColumn("time_s") { Format.fixed(Double($0.time_ms) / 1000, 3) },
            CSVColumn("current_A") { Format.fixed($0.current_A, 4) },
            CSVColumn("voltage_V") { Format.fixed($0.terminalVoltage_V, 4) },
            CSVColumn("power_W") { Format.fixed($0.current_A * $0.terminalVoltage_V, 2) },
            CSVColumn("soc") { Format.fixed($0.stateOfCharge, 6) },
            CSVColumn("temperature_C") { Format.fixed($0.meanModuleTemperature_C, 3) },
            CSVColumn("heater_W") { Format.fixed($0.heaterPower_W.reduce(0, +), 1) },
        ]
        let strings = pack.topology.stringsInParallel
        if strings > 1 { columns += (0..<strings).map { s in CSVColumn("string\(s)_current_A") { Format.fixed($0.stringCurrent_A[s], 4) } } }
        if pack.moduleCount > 1 {
            columns += (0..<pack.moduleCount).map { m in CSVColumn("module\(m)_temperature_C") { Format.fixed($0.moduleTemperature_C[m], 3) } }
        }
        return columns
    }

    /// One cell of the pack at the time of a cells.csv snapshot.
    struct CellRow {
        var time_ms: Int64
        var index: Int
        var string: Int
        var module: Int
        var cell: CellSnapshot
        var impedance: CellImpedance
        var failure: String
        var leakage_ohm: Double
    }

    /// The columns of cells.csv for `pack` (one resistance column per impedance element).
    static func cellColumns(_ pack: PackDefinition) -> [CSVColumn<CellRow>] {
        var columns: [CSVColumn<CellRow>] = [
            CSVColumn("time_s") { Format.fixed(Double($0.time_ms) / 1000, 3) },
            CSVColumn("cell") { String($0.index) },
            CSVColumn("string") { String($0.string) },
            CSVColumn("module") { String($0.module) },
            CSVColumn("soc") { Format.fixed($0.cell.soc, 6) },
            CSVColumn("voltage_V") { Format.fixed($0.cell.voltage_V, 5) },
            CSVColumn("current_A") { Format.fixed($0.cell.current_A, 4) },
            CSVColumn("capacity_Ah") { Format.fixed($0.cell.capacity_Ah, 4) },
            CSVColumn("r_bulk_ohm") { Format.scientific($0.impedance.bulk_ohm) },
            CSVColumn("r_front_ohm") { Format.scientific($0.impedance.reactionFront_ohm) },
        ]
        for (k, element) in pack.chemistry.elements.enumerated() {
            columns.append(CSVColumn("r_\(element.kind.rawValue)_ohm") { Format.scientific($0.impedance.elements[k].resistance_ohm) })
        }
        columns += [
            CSVColumn("contact_fraction") { Format.fixed($0.cell.contactFraction, 6) },
            CSVColumn("interphase_nm") { Format.fixed($0.cell.interphaseThickness_cm * 1e7, 3) },
            CSVColumn("short_hazard_per_h") { Format.scientific($0.cell.shortHazard_per_h) },
            CSVColumn("failure") { $0.failure },
            CSVColumn("leakage_ohm") { Format.scientific($0.leakage_ohm) },
        ]
        return columns
    }

    /// The columns of events.csv.
    static let eventColumns: [CSVColumn<PlantEvent>] = [
        CSVColumn("time_s") { Format.fixed(Double($0.time_ms) / 1000, 3) },
        CSVColumn("event") { $0.kind.rawValue },
        CSVColumn("index") { String($0.index) },
        CSVColumn("value") { Format.fixed($0.value, 6) },
    ]

    private func writeCells(_ w: TimeSeriesWriter, _ columns: [CSVColumn<CellRow>]) throws {
        let p = plant
        let perString = p.definition.topology.cellsPerString
        for i in 0..<p.cellCount {
            let c = p.cell(i)
            let (failure, leakage): (String, Double) =
                switch c.failure {
                case .healthy: ("healthy", .nan)
                case .leakage(let r, _): ("leakage", r)
                case .failedShort: ("failed_short", p.definition.electrics.failedShortResistance_ohm)
                case .open: ("open", .infinity)
                }
            let row = CellRow(
                time_ms: p.time_ms, index: i, string: i / perString, module: p.module(ofCell: i), cell: c,
                impedance: p.impedance(ofCell: i), failure: failure, leakage_ohm: leakage)
            try w.append(columns.fields(row))
        }
    }
}

/// Headline results of an open-loop plant run.
public struct PlantRunSummary: Codable, Sendable, Equatable {
    public var duration_h = 0.0
    public var cells = 0
    public var soc_initial: Double
    public var soc_final = 0.0
    public var energy_out_Wh = 0.0
    public var energy_in_Wh = 0.0
    public var heater_energy_Wh = 0.0
    public var joule_heat_Wh = 0.0
    public var temperature_min_C = Double.infinity
    public var temperature_max_C = -Double.infinity
    public var failed_cells = 0
    public var events = 0
    public var mean_contact_fraction = 1.0
    public var mean_capacity_fade = 0.0
    /// What made the run (the definition file is its `scenario`; nil where not recorded).
    public var provenance: Provenance?

    init(initialSoC: Double) { soc_initial = initialSoC }

    mutating func record(_ p: BatteryPack) {
        for t in p.moduleTemperature_C {
            temperature_min_C = min(temperature_min_C, t)
            temperature_max_C = max(temperature_max_C, t)
        }
    }

    mutating func finish(_ p: BatteryPack) {
        duration_h = Double(p.time_ms) / 3_600_000
        cells = p.cellCount
        soc_final = p.stateOfCharge
        energy_out_Wh = p.energy.dischargedOut_Wh
        energy_in_Wh = p.energy.chargedIn_Wh
        heater_energy_Wh = p.energy.heater_Wh
        joule_heat_Wh = p.energy.joule_Wh
        failed_cells = p.cellFailure.filter(\.isFailed).count
        events = p.events.count
        mean_contact_fraction = p.cellContactFraction.reduce(0, +) / Double(p.cellCount)
        mean_capacity_fade = p.cellCapacityFade.reduce(0, +) / Double(p.cellCount)
    }
}
