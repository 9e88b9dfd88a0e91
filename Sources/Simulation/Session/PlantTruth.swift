import BatteryPlant
import Foundation

/// The plant's own state after a step, which no bus carries: a row of a plant server's
/// plant-truth.csv (joined with the controller's log by `SessionSummary`), and the plant's
/// columns of simulate's timeseries.csv.
public struct PlantTruthSample: Sendable {
    /// Simulated time after the step, ms.
    public var time_ms: Int64
    public var request_W: Double
    public var power_W: Double
    /// Positive = discharge.
    public var current_A: Double
    public var voltage_V: Double
    public var soc: Double
    public var cellSoC: (min: Double, max: Double)
    public var cellVoltage: (min: Double, max: Double)
    public var temperature: (mean: Double, min: Double, max: Double)
    public var heater_W: Double
    /// Both mains closed (the relays themselves, not their auxiliary contacts).
    public var contactorsClosed: Bool

    /// The columns of plant-truth.csv, named as simulate's timeseries.csv names the same things.
    public static let columns: [CSVColumn<PlantTruthSample>] = [
        CSVColumn("time_s") { Format.fixed(Double($0.time_ms) / 1000, 1) },
        CSVColumn("power_request_W") { Format.fixed($0.request_W, 1) },
        CSVColumn("power_W") { Format.fixed($0.power_W, 1) },
        CSVColumn("current_A") { Format.fixed($0.current_A, 4) },
        CSVColumn("voltage_V") { Format.fixed($0.voltage_V, 4) },
        CSVColumn("soc_true") { Format.fixed($0.soc, 6) },
        CSVColumn("cell_soc_true_min") { Format.fixed($0.cellSoC.min, 6) },
        CSVColumn("cell_soc_true_max") { Format.fixed($0.cellSoC.max, 6) },
        CSVColumn("cell_voltage_min_V") { Format.fixed($0.cellVoltage.min, 4) },
        CSVColumn("cell_voltage_max_V") { Format.fixed($0.cellVoltage.max, 4) },
        CSVColumn("temperature_C") { Format.fixed($0.temperature.mean, 3) },
        CSVColumn("temperature_min_C") { Format.fixed($0.temperature.min, 3) },
        CSVColumn("temperature_max_C") { Format.fixed($0.temperature.max, 3) },
        // What the heaters delivered (a failed heater delivers nothing whatever its command).
        CSVColumn("heater_W") { Format.fixed($0.heater_W, 1) },
        CSVColumn("contactors_closed") { $0.contactorsClosed ? "1" : "0" },
    ]
}

/// What a plant server knows at the end of a session (plant-final.json): the figures of a run
/// summary that only the plant has.
public struct PlantFinal: Codable, Sendable, Equatable {
    public var scenario: String
    public var cells: Int
    public var seed: UInt64
    public var duration_h: Double
    public var energy_out_Wh: Double
    public var energy_in_Wh: Double
    public var heater_energy_Wh: Double
    public var energy_requested_Wh: Double
    public var dispatch_fulfilment: Double
    public var inverter_limited_s: Double
    /// The highest true cell voltage of any step, V.
    public var cell_voltage_max_V: Double
    public var shorts: Int
    public var capacity_soh_true: Double
    public var resistance_growth_pct: Double?
    public var fractures: Int
    public var dendrite_penetrations: Int
    /// When the main contactors first stood closed, s (nil: never).
    public var contactors_closed_s: Double?
}

extension ScenarioPlant {
    /// The plant's state now, as a row of plant-truth.csv.
    public func truthSample() -> PlantTruthSample {
        let temperatures = pack.moduleTemperature_C
        let cells = pack.cellSoC, voltages = pack.cellVoltage_V
        return PlantTruthSample(
            time_ms: time_ms, request_W: lastRequest_W, power_W: pack.current_A * pack.terminalVoltage_V, current_A: pack.current_A,
            voltage_V: pack.terminalVoltage_V, soc: pack.stateOfCharge, cellSoC: (cells.min() ?? .nan, cells.max() ?? .nan),
            cellVoltage: (voltages.min() ?? .nan, voltages.max() ?? .nan),
            temperature: (pack.meanModuleTemperature_C, temperatures.min() ?? .nan, temperatures.max() ?? .nan),
            heater_W: pack.heaterPower_W.reduce(0, +), contactorsClosed: pack.contactors.isConnected)
    }

    /// The session's end figures (`PlantFinal`) for scenario `name`.
    public func final(name: String) -> PlantFinal {
        let e = pack.energy
        let nameplate = scenario.pack.chemistry.capacity_Ah
        let capacity = (0..<cellCount).map { pack.cellCapacity_Ah($0) }
        return PlantFinal(
            scenario: name, cells: cellCount, seed: scenario.seed, duration_h: Double(time_ms) / 3_600_000, energy_out_Wh: e.dischargedOut_Wh,
            energy_in_Wh: e.chargedIn_Wh, heater_energy_Wh: e.heater_Wh, energy_requested_Wh: requestedEnergy_Wh,
            dispatch_fulfilment: dispatchFulfilment, inverter_limited_s: Double(inverterLimited_ms) / 1000,
            cell_voltage_max_V: highestCellVoltage_V, shorts: pack.cellFailure.filter(\.isFailed).count,
            capacity_soh_true: capacity.reduce(0, +) / Double(max(1, capacity.count)) / nameplate,
            resistance_growth_pct: scenario.pack.chemistry.ageing == nil
                ? nil : (pack.cellResistanceAgeing.reduce(0, +) / Double(max(1, cellCount)) - 1) * 100,
            fractures: pack.events.filter { $0.kind == .fractured }.count,
            dendrite_penetrations: pack.events.filter { $0.kind == .dendritePenetrated }.count,
            contactors_closed_s: firstClosed_ms.map { Double($0) / 1000 })
    }

    /// Pretty, key-sorted JSON of `final(name:)`.
    public func finalJSON(name: String) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try e.encode(final(name: name))
    }
}
