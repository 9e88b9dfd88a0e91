import BatteryPlant

/// {"kind": "pack", "chemistry": "NaNiCl2" | "thevenin" | "cells/my-cell.json", "thevenin": {...}, "strings": 4,
///  "cells_per_string": 20, "modules": 4, "initial_soc": 0.6, "initial_temperature_C": 285,
///  "spread": {...} | "none", "thermal": {...}, "sensors": "typical" | "ideal", "degradation": true,
///  "faults": [...]}. Missing optional fields take the chemistry's standard pack values.
struct PackFile: Decodable {
    struct TheveninCell: Decodable {
        let capacity_Ah: Double
        let ocv: TheveninFile.OCV
        let r0_ohm: Double
        let rc: [TheveninFile.RC]
    }
    struct Spread: Decodable {
        var capacity: Double?
        var resistance: Double?
        var initial_soc: Double?
        var self_discharge: Double?
        var element_resistance: Double?
        var ocv_offset_V: Double?
        var interface_weibull_shape: Double?
    }
    struct Thermal: Decodable {
        struct Daily: Decodable {
            let mean_C: Double
            let amplitude_K: Double
            let peak_hour: Double
        }
        let isothermal: Bool?
        let cells_to_enclosure_W_per_K: Double?
        let enclosure_heat_capacity_J_per_K: Double?
        let insulation_W_per_K: Double?
        let heater_power_W: Double?
        let ambient_C: Double?
        let ambient_daily: Daily?
        let edge_thermocouples: Bool?
        let blower_W_per_K: Double?
    }
    struct Fault: Decodable {
        let kind: String
        let at_s: Double
        let until_s: Double?
        let cell: Int?
        let module: Int?
        let rate: Double?
        let resistance_ohm: Double?
        let fraction: Double?
        let current_A: Double?
        let thermocouple: String?
    }

    let chemistry: String
    let thevenin: TheveninCell?
    let strings: Int?
    let cells_per_string: Int
    let modules: Int?
    let initial_soc: Double
    let initial_temperature_C: Double?
    let spread: SpreadField?
    let thermal: Thermal?
    let sensors: String?
    let degradation: Bool?
    let faults: [Fault]?

    enum SpreadField: Decodable {
        case none
        case production
        case values(Spread)
        init(from decoder: Decoder) throws {
            if let word = try? decoder.singleValueContainer().decode(String.self) {
                switch word {
                case "none": self = .none
                case "typical": self = .values(Spread())
                case "production": self = .production
                default:
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "spread must be \"none\", \"typical\", \"production\" or an object"))
                }
            } else {
                self = .values(try Spread(from: decoder))
            }
        }
    }

    /// `folder`: where the file is (a chemistry file's path is relative to it).
    func definition(folder: String) throws -> PackDefinition {
        let stringCount = strings ?? 1
        let moduleCount = modules ?? 1
        guard stringCount >= 1, stringCount <= 64 else { throw FileProblem("strings must be 1 ... 64") }
        guard cells_per_string >= 1, cells_per_string <= 1000 else { throw FileProblem("cells_per_string must be 1 ... 1000") }
        guard moduleCount >= 1, moduleCount <= stringCount * cells_per_string else {
            throw FileProblem("modules must be 1 ... the number of cells")
        }
        guard (0...1).contains(initial_soc) else { throw FileProblem("initial_soc must be within 0 ... 1") }
        var d: PackDefinition
        if chemistry == "thevenin" {
            guard let t = thevenin else { throw FileProblem("chemistry 'thevenin' needs a 'thevenin' object") }
            let cell = try TheveninFile(capacity_Ah: t.capacity_Ah, initial_soc: initial_soc, ocv: t.ocv, r0_ohm: t.r0_ohm, rc: t.rc, temperature_C: initial_temperature_C).chemistry()
            d = PackDefinition(
                chemistry: cell, topology: PackTopology(stringsInParallel: stringCount, cellsPerString: cells_per_string, moduleCount: moduleCount),
                initialSoC: initial_soc, initialTemperature_C: initial_temperature_C ?? 25, thermal: .isothermal(ambient_C: initial_temperature_C ?? 25),
                degradationEnabled: false)
        } else if chemistry.hasSuffix(".json") {
            let cell = try ChemistryName.file(chemistry, folder: folder)
            d = .standard(chemistry: cell, strings: stringCount, cellsPerString: cells_per_string, modules: moduleCount, initialSoC: initial_soc)
        } else {
            d = .standard(try ChemistryName.preset(chemistry), strings: stringCount, cellsPerString: cells_per_string, modules: moduleCount, initialSoC: initial_soc)
        }
        if let t = initial_temperature_C {
            guard t.isFinite, t > -60, t < 600 else { throw FileProblem("initial_temperature_C must be within -60 ... 600") }
            d.initialTemperature_C = t
        }
        switch spread {
        case .none?: d.spread = .none
        case .production?: d.spread = .production
        case .values(let s)?:
            let base = CellSpread.typical
            d.spread = CellSpread(
                capacity: s.capacity ?? base.capacity, resistance: s.resistance ?? base.resistance,
                initialSoC: s.initial_soc ?? base.initialSoC, selfDischarge: s.self_discharge ?? base.selfDischarge,
                elementResistance: s.element_resistance ?? base.elementResistance, ocvOffset_V: s.ocv_offset_V ?? base.ocvOffset_V,
                interfaceWeibullShape: s.interface_weibull_shape ?? base.interfaceWeibullShape)
            for (name, v) in [
                ("capacity", d.spread.capacity), ("resistance", d.spread.resistance), ("initial_soc", d.spread.initialSoC),
                ("self_discharge", d.spread.selfDischarge), ("element_resistance", d.spread.elementResistance),
            ] {
                guard v >= 0, v < 0.5 else { throw FileProblem("spread.\(name) must be within 0 ... 0.5") }
            }
            guard d.spread.ocvOffset_V >= 0, d.spread.ocvOffset_V <= 0.05 else { throw FileProblem("spread.ocv_offset_V must be within 0 ... 0.05") }
            let k = d.spread.interfaceWeibullShape
            guard k == 0 || (k >= 1 && k <= 100) else { throw FileProblem("spread.interface_weibull_shape must be 0 (none) or 1 ... 100") }
        case nil: break
        }
        if let t = thermal {
            if let v = t.isothermal { d.thermal.isothermal = v }
            if let v = t.cells_to_enclosure_W_per_K { d.thermal.cellsToEnclosure_W_per_K = try positive(v, "thermal.cells_to_enclosure_W_per_K") }
            if let v = t.enclosure_heat_capacity_J_per_K { d.thermal.enclosureHeatCapacity_J_per_K = try positive(v, "thermal.enclosure_heat_capacity_J_per_K", allowZero: true) }
            if let v = t.insulation_W_per_K { d.thermal.insulation_W_per_K = try positive(v, "thermal.insulation_W_per_K") }
            if let v = t.heater_power_W { d.thermal.heaterPower_W = try positive(v, "thermal.heater_power_W", allowZero: true) }
            if let v = t.ambient_C { d.thermal.ambient = .constant(v) }
            if let v = t.ambient_daily { d.thermal.ambient = .daily(mean_C: v.mean_C, amplitude_K: v.amplitude_K, peakHour: v.peak_hour) }
            if let v = t.edge_thermocouples { d.thermal.edgeThermocouples = v }
            if let v = t.blower_W_per_K { d.thermal.blowerConductance_W_per_K = try positive(v, "thermal.blower_W_per_K", allowZero: true) }
        }
        let sensorName = sensors ?? "typical"
        guard let spec = SensorPreset(rawValue: sensorName)?.specification else {
            throw FileProblem("sensors '\(sensorName)' is not one of \(SensorPreset.names.joined(separator: ", "))")
        }
        d.sensors = spec
        if let v = degradation { d.degradationEnabled = v }
        return d
    }

    private func positive(_ v: Double, _ name: String, allowZero: Bool = false) throws -> Double {
        guard v.isFinite, allowZero ? v >= 0 : v > 0 else { throw FileProblem("\(name) must be \(allowZero ? ">= 0" : "> 0")") }
        return v
    }

    func plantFaults() throws -> [PlantFault] {
        try Self.plantFaults(faults ?? [], cellCount: (strings ?? 1) * cells_per_string, moduleCount: modules ?? 1)
    }

    /// Converts fault entries (docs/plant-files.md "Faults") for a pack of `cellCount` cells in
    /// `moduleCount` modules; scenario files use the same entries.
    static func plantFaults(_ faults: [Fault], cellCount: Int, moduleCount: Int) throws -> [PlantFault] {
        try faults.enumerated().map { (k, f) in
            let at = "faults[\(k)]"
            let span = try ScenarioSpan(at_s: f.at_s, until_s: f.until_s, label: at)
            func cell() throws -> Int {
                guard let c = f.cell, (0..<cellCount).contains(c) else { throw FileProblem("\(at).cell must be 0 ... \(cellCount - 1)") }
                return c
            }
            func module() throws -> Int {
                guard let m = f.module, (0..<moduleCount).contains(m) else { throw FileProblem("\(at).module must be 0 ... \(moduleCount - 1)") }
                return m
            }
            /// Which of the module's thermocouples: "centre" (the default) or "edge".
            func edge() throws -> Bool {
                switch f.thermocouple {
                case nil, "centre"?: return false
                case "edge"?: return true
                case let other?: throw FileProblem("\(at).thermocouple '\(other)' is not centre or edge")
                }
            }
            func rate() throws -> Double {
                guard let r = f.rate, r.isFinite else { throw FileProblem("\(at).rate is required (per hour)") }
                return r
            }
            func value() throws -> Double {
                guard let v = f.current_A, v.isFinite, abs(v) <= 1e6 else { throw FileProblem("\(at).current_A is required (A, at most 1e6 in size)") }
                return v
            }
            let kind: PlantFault.Kind
            switch f.kind {
            case "cell_voltage_stuck": kind = .cellVoltageStuck(cell: try cell())
            case "cell_voltage_open_wire": kind = .cellVoltageOpenWire(cell: try cell())
            case "cell_voltage_dead": kind = .cellVoltageDead(cell: try cell())
            case "cell_voltage_invalid": kind = .cellVoltageInvalid(cell: try cell())
            case "cell_voltage_drift": kind = .cellVoltageDrift(cell: try cell(), volts_per_h: try rate())
            case "temperature_stuck": kind = .temperatureStuck(module: try module(), edge: try edge())
            case "temperature_drift": kind = .temperatureDrift(module: try module(), kelvin_per_h: try rate(), edge: try edge())
            case "temperature_detached": kind = .temperatureDetached(module: try module(), edge: try edge())
            case "current_stuck": kind = .currentStuck
            case "current_stuck_at": kind = .currentStuckAt(amperes: try value())
            case "current_offset": kind = .currentOffset(amperes: try value())
            case "precharge_resistor_open": kind = .prechargeResistorOpen
            case "dc_link_short": kind = .dcLinkShort
            case "current_drift": kind = .currentDrift(amperes_per_h: try rate())
            case "heater_open": kind = .heaterOpen(module: try module())
            case "heater_stuck_on": kind = .heaterStuckOn(module: try module())
            case "blower_failed": kind = .blowerFailed
            case "blower_stuck_on": kind = .blowerStuckOn
            case "contactor_weld": kind = .contactorWeld
            case "contactor_weld_closed": kind = .contactorWeldClosed
            case "cell_short":
                if let r = f.resistance_ohm, !(r.isFinite && r > 0) { throw FileProblem("\(at).resistance_ohm must be > 0") }
                kind = .cellShort(cell: try cell(), resistance_ohm: f.resistance_ohm)
            case "contact_loss":
                guard let fraction = f.fraction, fraction > 0, fraction <= 1 else { throw FileProblem("\(at).fraction must be in (0, 1]") }
                kind = .contactLoss(cell: try cell(), fraction: fraction)
            case "sensor_bus_silence": kind = .sensorBusSilence
            default: throw FileProblem("\(at).kind '\(f.kind)' is not a known fault (docs/plant-files.md)")
            }
            return PlantFault(kind, at_ms: span.at_ms, until_ms: span.until_ms)
        }
    }
}
