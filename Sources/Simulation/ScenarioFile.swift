import BMSCore
import BatteryPlant
import Foundation

/// A scenario file (JSON, docs/scenarios.md): pack, profile, ambient, sensors, faults, seed,
/// duration, firmware options and the outcomes expected, with their tolerances.
///
/// Paths inside the file (`pack`, `profile`) are relative to the file's folder.
public struct ScenarioFile: Sendable {
    /// The file's name without `.json`: the scenario's name in tables and reports.
    public var name: String
    /// Where it was read from.
    public var path: String
    public var description: String
    public var scenario: Scenario
    /// Bounds the run's summary must meet (`expect`).
    public var expectations: [Expectation]
    /// Tolerances for the comparison with a baseline, overriding `Tolerance.defaults` per metric.
    public var tolerances: [String: Tolerance]

    /// One bound on a summary metric: `{"max": x}`, `{"min": x}` or `{"equals": x}` (any
    /// combination of max and min).
    public struct Expectation: Sendable, Equatable {
        public var metric: String
        public var min: Double?
        public var max: Double?

        /// What is wrong with `value` (nil when it meets the bound).
        public func violation(_ value: Double?) -> String? {
            guard let v = value else { return "\(metric) is missing from the summary" }
            if let lo = min, !(v >= lo) { return "\(metric) = \(Format.compact(v)) is below \(Format.compact(lo))" }
            if let hi = max, !(v <= hi) { return "\(metric) = \(Format.compact(v)) is above \(Format.compact(hi))" }
            return nil
        }
    }

    /// The keys a scenario file may have.
    static let keys: Set<String> = [
        "description", "pack", "cells_per_string", "initial_soc", "initial_hysteresis", "ambient_C", "sensors", "ageing", "profile", "duty", "rating_kW",
        "duration_h", "seed", "initial_soc_error", "faults", "firmware", "firmware_file", "output_interval_s", "plant_substeps", "control_step_ms", "expect",
        "tolerances", "detect", "resets", "ems_heartbeat_loss", "mode_requests", "grid_outages",
    ]

    /// Reads a scenario file.
    public static func load(path: String) throws(InputFileError) -> ScenarioFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputFileError(file: path, line: 0, problem: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, path: path)
    }

    /// Parses scenario JSON; `path` names it in errors and anchors its relative paths.
    public static func parse(_ data: Data, path: String) throws(InputFileError) -> ScenarioFile {
        func fail(_ problem: String, key: String? = nil) -> InputFileError {
            InputFileError(file: path, line: key.flatMap { JSONSyntax.line(ofKey: $0, in: data) } ?? 0, problem: problem)
        }
        let object: [String: Any]
        do {
            guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw fail("a scenario is a JSON object {...}")
            }
            object = o
        } catch let e as InputFileError {
            throw e
        } catch {
            throw InputFileError(file: path, line: JSONSyntax.firstErrorLine(in: data) ?? 0, problem: "not valid JSON")
        }
        for key in object.keys.sorted() where !keys.contains(key) {
            throw fail("unknown key '\(key)' (known: \(keys.sorted().joined(separator: ", ")))", key: key)
        }
        // Unknown keys inside the blocks too (firmware, faults, expect and tolerances entries).
        let file = try UnknownKeys.decode(Fields.self, from: data, path: path)
        do {
            return try file.scenarioFile(path: path)
        } catch let problem as KeyedProblem {
            throw fail(problem.message, key: problem.key)
        } catch {
            throw fail("\(error)")
        }
    }

}

/// A problem with one key of a file, for the line number in the message.
struct KeyedProblem: Error {
    var key: String
    var message: String
}

/// The JSON fields of a scenario file.
private struct Fields: Decodable {
    struct Bound: Decodable {
        let min: Double?
        let max: Double?
        let equals: Double?
    }
    struct DetectField: Decodable {
        let flag: String
        let within_s: Double
        let reaction: String?
        let from_s: Double?
    }
    /// A firmware reset: the controller restarts from its persistent record at `at_s`; with
    /// `power_cut_during_write`, the supply fails halfway through the first record write at or
    /// after `at_s` and the restart follows.
    struct ResetField: Decodable {
        let at_s: Double
        let power_cut_during_write: Bool?
    }
    /// The simulated EMS asks for `mode` from `at_s` on.
    struct ModeRequestField: Decodable {
        let at_s: Double
        let mode: String
    }
    /// A span from `at_s` until `until_s` (or the end): an EMS silence, a grid outage.
    struct SpanField: Decodable {
        let at_s: Double
        let until_s: Double?
    }
    struct ToleranceField: Decodable {
        let abs: Double?
        let rel: Double?
    }
    /// A seeded duty-cycle generator instead of a profile file (`DutyGenerator`).
    struct DutyField: Decodable {
        let generator: String
        let seed: UInt64?
        let grid_outages_per_day: Double?
    }
    struct Firmware: Decodable {
        let ccd_aware_derating: Bool?
        let cell_balancing: Bool?
        let heater_setback: Bool?
        let initial_soc_sigma: Double?
        let rated_current_A: Double?
        let freeze_reserve_h: Double?
        /// A count, read as a number so that a fraction or a negative value gets its key's message.
        let commissioning_impedance_cells: Double?
    }

    let description: String?
    let pack: String
    let cells_per_string: Int?
    let initial_soc: Double?
    let initial_hysteresis: Double?
    let ambient_C: Double?
    let sensors: String?
    let ageing: String?
    let profile: String?
    let duty: DutyField?
    let rating_kW: Double?
    let duration_h: Double?
    let seed: UInt64?
    let initial_soc_error: Double?
    let faults: [PackFile.Fault]?
    let firmware: Firmware?
    let firmware_file: String?
    let output_interval_s: Double?
    let plant_substeps: Int?
    let control_step_ms: Int?
    let expect: [String: Bound]?
    let tolerances: [String: ToleranceField]?
    let detect: [DetectField]?
    let resets: [ResetField]?
    let ems_heartbeat_loss: [SpanField]?
    let grid_outages: [SpanField]?
    let mode_requests: [ModeRequestField]?

    /// Spans checked where they enter (`ScenarioSpan.init(at_s:until_s:label:)`).
    static func spans(_ fields: [SpanField]?, key: String) throws(KeyedProblem) -> [ScenarioSpan] {
        var spans: [ScenarioSpan] = []
        for (k, e) in (fields ?? []).enumerated() {
            do {
                spans.append(try ScenarioSpan(at_s: e.at_s, until_s: e.until_s, label: "\(key)[\(k)]"))
            } catch {
                throw KeyedProblem(key: key, message: error.message)
            }
        }
        return spans
    }

    /// The duty cycle: the profile file, or the generator's draw over the run's whole days (and
    /// its grid outages).
    func dutyCycle(resolve: (String) -> String) throws -> (DutyProfile, [ScenarioSpan]) {
        switch (profile, duty) {
        case (let p?, nil):
            do { return (try DutyProfile.load(path: resolve(p)), []) } catch { throw KeyedProblem(key: "profile", message: "profile: \(error)") }
        case (nil, let d?):
            guard let service = DutyGenerator.Service(rawValue: d.generator) else {
                throw KeyedProblem(key: "generator", message: "duty.generator '\(d.generator)' is not one of \(DutyGenerator.Service.names.joined(separator: ", "))")
            }
            let rate = d.grid_outages_per_day ?? 0
            guard rate.isFinite, DutyGenerator.gridOutageRange.contains(rate) else {
                throw KeyedProblem(key: "grid_outages_per_day", message: "duty.grid_outages_per_day must be within 0 ... 24")
            }
            // duration_h is range-checked with the rest of the run below.
            let generator = DutyGenerator(service: service, seed: d.seed ?? seed ?? 1, gridOutagesPerDay: rate)
            let sample = generator.sample(covering: duration_h ?? 24)
            return (sample.profile, sample.gridOutages)
        case (_?, _?):
            throw KeyedProblem(key: "duty", message: "give profile (a file) or duty (a generator), not both")
        case (nil, nil):
            throw KeyedProblem(key: "profile", message: "a scenario needs a duty cycle: profile (a file) or duty (a generator)")
        }
    }

    func scenarioFile(path: String) throws -> ScenarioFile {
        let folder = PathName.folder(of: path)
        func resolve(_ p: String) -> String { p.hasPrefix("/") || folder.isEmpty ? p : folder + "/" + p }

        var (definition, packFaults) = try PackChoice.resolve(pack, cellsPerString: cells_per_string, resolvePath: resolve)
        if let soc = initial_soc {
            guard (0...1).contains(soc) else { throw KeyedProblem(key: "initial_soc", message: "initial_soc must be within 0 ... 1") }
            definition.initialSoC = soc
        }
        if let h = initial_hysteresis {
            guard (-1...1).contains(h) else {
                throw KeyedProblem(key: "initial_hysteresis", message: "initial_hysteresis must be within -1 (discharge branch) ... 1 (charge branch)")
            }
            definition.initialHysteresis = h
        }
        if let t = ambient_C {
            guard t.isFinite, t > -60, t < 80 else { throw KeyedProblem(key: "ambient_C", message: "ambient_C must be within -60 ... 80") }
            definition.thermal.ambient = .constant(t)
        }
        if let s = sensors {
            guard let spec = SensorPreset(rawValue: s)?.specification else {
                throw KeyedProblem(key: "sensors", message: "sensors '\(s)' is not one of \(SensorPreset.names.joined(separator: ", "))")
            }
            definition.sensors = spec
        }
        if let a = ageing {
            guard let state = AgeingState(rawValue: a) else {
                throw KeyedProblem(key: "ageing", message: "ageing '\(a)' is not one of \(AgeingState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            definition.ageing = state
        }
        let (duty, generatedOutages) = try dutyCycle(resolve: resolve)

        let rating_W: Double
        if let kW = rating_kW {
            guard kW.isFinite, Scenario.ratingRange_kW.contains(kW) else {
                throw KeyedProblem(key: "rating_kW", message: "rating_kW must be within 0.001 ... 1e6 (1 W ... 1 GW)")
            }
            rating_W = kW * 1000
        } else {
            rating_W = PackChoice.defaultRating_W(definition)
        }
        let hours = duration_h ?? duty.defaultDuration_h
        guard hours.isFinite, Scenario.durationRange_h.contains(hours) else {
            throw KeyedProblem(key: "duration_h", message: "duration_h must be within 1 s ... 87600 h")
        }
        let step_ms = Int64(control_step_ms ?? 100)
        guard Scenario.controlSteps.contains(step_ms) else {
            throw KeyedProblem(
                key: "control_step_ms", message: "control_step_ms must be one of \(Scenario.controlSteps.map(String.init).joined(separator: ", "))")
        }
        let interval = output_interval_s ?? 10
        guard interval.isFinite, interval >= 0.1, interval <= 86_400, Int64((interval * 1000).rounded()) % step_ms == 0,
            (interval * 1000).rounded() == interval * 1000
        else {
            throw KeyedProblem(key: "output_interval_s", message: "output_interval_s must be a multiple of the \(step_ms) ms control step, at most a day")
        }
        let socError = initial_soc_error ?? 0
        guard abs(socError) < 1 else { throw KeyedProblem(key: "initial_soc_error", message: "initial_soc_error must be within (-1, 1)") }

        var scenario = Scenario(
            pack: definition, profile: duty, rating_W: rating_W, duration_ms: Int64((hours * 3_600_000).rounded()),
            seed: seed ?? 1, initialSoCError: socError, ratedCurrent_A: firmware?.rated_current_A,
            outputInterval_ms: Int64((interval * 1000).rounded()))
        do {
            scenario.faults = packFaults + (try PackFile.plantFaults(
                faults ?? [], cellCount: definition.cellCount, moduleCount: definition.moduleCount))
        } catch let p as FileProblem {
            throw KeyedProblem(key: "faults", message: p.message)
        }
        scenario.controlStep_ms = step_ms
        if let n = plant_substeps {
            guard n >= 1, step_ms % Int64(n) == 0 else {
                throw KeyedProblem(key: "plant_substeps", message: "plant_substeps must divide the \(step_ms) ms control step (1, 2, 4, 5, 10, ...)")
            }
            scenario.plantSubsteps = n
        }
        if let path = firmware_file {
            do { scenario.firmware = try FirmwareFiles.load(path: resolve(path)) } catch {
                throw KeyedProblem(key: "firmware_file", message: "firmware_file: \(error)")
            }
        }
        if let f = firmware {
            if let v = f.ccd_aware_derating { scenario.ccdAwareDerating = v }
            if let v = f.cell_balancing { scenario.cellBalancing = v }
            if let v = f.heater_setback { scenario.heaterSetback = v }
            if let v = f.freeze_reserve_h {
                guard v.isFinite, v > 0, v <= 720 else { throw KeyedProblem(key: "freeze_reserve_h", message: "firmware.freeze_reserve_h must be in (0, 720]") }
                guard definition.thermal.heaterPower_W > 0 else {
                    throw KeyedProblem(key: "freeze_reserve_h", message: "firmware.freeze_reserve_h needs a pack with heaters")
                }
                scenario.freezeReserveHours = v
            }
            if let v = f.initial_soc_sigma {
                guard v > 0, v <= 1 else { throw KeyedProblem(key: "initial_soc_sigma", message: "firmware.initial_soc_sigma must be in (0, 1]") }
                scenario.initialSoCSigma = v
            }
            if let v = f.commissioning_impedance_cells {
                guard v >= 0, v <= Double(definition.cellCount), v == v.rounded() else {
                    throw KeyedProblem(
                        key: "commissioning_impedance_cells",
                        message: "firmware.commissioning_impedance_cells must be a whole number within 0 ... \(definition.cellCount) (the pack's cells)")
                }
                scenario.commissioningImpedanceCells = Int(v)
            }
            if let v = f.rated_current_A, !(v.isFinite && v > 0) {
                throw KeyedProblem(key: "rated_current_A", message: "firmware.rated_current_A must be > 0")
            }
        }
        for (k, r) in (resets ?? []).enumerated() {
            guard r.at_s.isFinite, r.at_s > 0, r.at_s <= 3e11 else {
                throw KeyedProblem(key: "resets", message: "resets[\(k)].at_s must be within (0, 3e11]")
            }
            scenario.resets.append(FirmwareReset(at_ms: Int64((r.at_s * 1000).rounded()), powerCutDuringWrite: r.power_cut_during_write ?? false))
        }
        var previous = -1.0
        for (k, m) in (mode_requests ?? []).enumerated() {
            let at = "mode_requests[\(k)]"
            guard m.at_s.isFinite, m.at_s >= 0, m.at_s <= 3e11, m.at_s > previous else {
                throw KeyedProblem(key: "mode_requests", message: "\(at).at_s must be within 0 ... 3e11 and after the one before")
            }
            previous = m.at_s
            guard let mode = ScheduledModeRequest.names.first(where: { $0.0 == m.mode })?.1 else {
                throw KeyedProblem(
                    key: "mode_requests", message: "\(at).mode '\(m.mode)' is not one of \(ScheduledModeRequest.names.map(\.0).joined(separator: ", "))")
            }
            scenario.modeRequests.append(ScheduledModeRequest(at_ms: Int64((m.at_s * 1000).rounded()), mode: mode))
        }
        scenario.emsSilences = try Self.spans(ems_heartbeat_loss, key: "ems_heartbeat_loss")
        scenario.gridOutages = (try Self.spans(grid_outages, key: "grid_outages") + generatedOutages).sorted { $0.at_ms < $1.at_ms }
        for (k, d) in (detect ?? []).enumerated() {
            let at = "detect[\(k)]"
            guard let flag = Detection.flag(named: d.flag) else {
                throw KeyedProblem(key: "detect", message: "\(at).flag '\(d.flag)' is not a fault, warning or alarm (\(Detection.flagNames.joined(separator: ", ")))")
            }
            guard d.within_s.isFinite, d.within_s > 0, d.within_s <= 3e11 else {
                throw KeyedProblem(key: "detect", message: "\(at).within_s must be within (0, 3e11]")
            }
            let reaction = try d.reaction.map { r throws -> Detection.Reaction in
                guard let x = Detection.Reaction(rawValue: r) else {
                    throw KeyedProblem(key: "detect", message: "\(at).reaction '\(r)' is not one of \(Detection.Reaction.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return x
            } ?? .none
            let from_ms: Int64
            if let f = d.from_s {
                guard f.isFinite, f >= 0, f <= 3e11 else { throw KeyedProblem(key: "detect", message: "\(at).from_s must be within 0 ... 3e11") }
                from_ms = Int64((f * 1000).rounded())
            } else if let first = (scenario.faults.map(\.at_ms) + scenario.resets.map(\.at_ms) + scenario.emsSilences.map(\.at_ms)
                + scenario.gridOutages.map(\.at_ms)).min() {
                from_ms = first
            } else {
                throw KeyedProblem(key: "detect", message: "\(at) needs from_s: the scenario injects no fault to start the clock")
            }
            scenario.detections.append(
                Detection(flag: flag, from_ms: from_ms, within_ms: Int64((d.within_s * 1000).rounded()), reaction: reaction))
        }
        var expectations: [ScenarioFile.Expectation] = []
        for (metric, bound) in (expect ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard RunSummary.metricNames.contains(metric) else {
                throw KeyedProblem(key: metric, message: "expect: '\(metric)' is not a summary metric (\(RunSummary.metricNames.joined(separator: ", ")))")
            }
            if let e = bound.equals, bound.min != nil || bound.max != nil {
                throw KeyedProblem(key: metric, message: "expect.\(metric): 'equals' \(e) cannot be combined with min or max")
            }
            guard bound.min != nil || bound.max != nil || bound.equals != nil else {
                throw KeyedProblem(key: metric, message: "expect.\(metric) needs min, max or equals")
            }
            expectations.append(.init(metric: metric, min: bound.equals ?? bound.min, max: bound.equals ?? bound.max))
        }
        var parsedTolerances: [String: Tolerance] = [:]
        for (metric, t) in tolerances ?? [:] {
            guard RunSummary.metricNames.contains(metric) else {
                throw KeyedProblem(key: metric, message: "tolerances: '\(metric)' is not a summary metric")
            }
            guard (t.abs ?? 0) >= 0, (t.rel ?? 0) >= 0 else { throw KeyedProblem(key: metric, message: "tolerances.\(metric): abs and rel must be >= 0") }
            parsedTolerances[metric] = Tolerance(absolute: t.abs ?? 0, relative: t.rel ?? 0)
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return ScenarioFile(
            name: name, path: path, description: description ?? "", scenario: scenario, expectations: expectations,
            tolerances: parsedTolerances)
    }
}

/// `--pack FILE|PRESET` and a scenario's `pack`: a chemistry preset name (its standard string)
/// or a definition file (docs/plant-files.md).
public enum PackChoice {
    /// Cells in series of a preset string when not given.
    public static let defaultCellsPerString = 240

    /// The definition and scheduled faults `value` names.
    static func resolve(_ value: String, cellsPerString: Int?, resolvePath: (String) -> String) throws -> (PackDefinition, [PlantFault]) {
        if let preset = ChemistryPreset.named(value) {
            let cells = cellsPerString ?? defaultCellsPerString
            guard (1...HostController.cellCapacity).contains(cells) else {
                throw KeyedProblem(
                    key: "cells_per_string", message: "cells_per_string must be 1 ... \(HostController.cellCapacity) (the host controller's capacity)")
            }
            return (PackDefinition.standard(preset, cellsPerString: cells), [])
        }
        guard value.hasSuffix(".json") else {
            throw KeyedProblem(
                key: "pack", message: "pack '\(value)' is neither a preset (\(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", "))) nor a .json file")
        }
        if cellsPerString != nil {
            throw KeyedProblem(key: "cells_per_string", message: "cells_per_string applies to a preset pack; a pack file sets its own")
        }
        let setup: PlantSetup
        do { setup = try PlantFile.load(path: resolvePath(value)) } catch { throw KeyedProblem(key: "pack", message: "pack: \(error)") }
        guard setup.definition.cellCount <= HostController.cellCapacity, setup.definition.moduleCount <= HostController.moduleCapacity else {
            throw KeyedProblem(
                key: "pack",
                message: "pack: at most \(HostController.cellCapacity) cells in \(HostController.moduleCapacity) modules (the host controller's capacity)")
        }
        return (setup.definition, setup.faults)
    }

    /// Public form for the command line: a preset or a file path (relative to the working folder).
    public static func resolve(_ value: String, cellsPerString: Int?) throws(InputFileError) -> (PackDefinition, [PlantFault]) {
        do {
            return try resolve(value, cellsPerString: cellsPerString, resolvePath: { $0 })
        } catch let p as KeyedProblem {
            throw InputFileError(file: value, line: 0, problem: p.message)
        } catch {
            throw InputFileError(file: value, line: 0, problem: "\(error)")
        }
    }

    /// The power that power_pu = 1 stands for when not given: 0.2 C of the pack's energy, W.
    public static func defaultRating_W(_ d: PackDefinition) -> Double { rating_W(d, cRate: 0.2) }

    /// The power of `cRate` times the string's capacity at its mid-SoC OCV, W.
    public static func rating_W(_ d: PackDefinition, cRate: Double) -> Double {
        cRate * Double(d.cellCount) * d.chemistry.capacity_Ah * d.chemistry.ocv.voltage(atSoC: 0.5)
    }
}

/// The named sensor-error sets of `--sensors` and a scenario's `sensors`.
/// The named sensor error sets (scenario and pack files, `--sensors`).
public enum SensorPreset: String, CaseIterable, Sendable {
    /// 2 mV cell noise, current +10 mA and +0.2 %.
    case typical
    /// No errors.
    case ideal
    /// 5 mV cell noise, current +50 mA and +0.5 % (the firmware's accuracy checks).
    case accuracyCheck = "accuracy-check"
    /// As `accuracyCheck` with the current errors negative (-50 mA, -0.5 %).
    case accuracyCheckNeg = "accuracy-check-neg"

    /// Every name, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The sensor errors of this set.
    public var specification: SensorSpecification {
        switch self {
        case .typical: .typicalBMS
        case .ideal: .ideal
        case .accuracyCheck: .accuracyCheck()
        case .accuracyCheckNeg: .accuracyCheck(offsetSign: -1)
        }
    }
}

extension DutyProfile {
    /// Hours a run of this profile lasts when the scenario does not say: its period, the whole
    /// days covering the last row (at least one).
    public var defaultDuration_h: Double { Double(period_ms) / 3_600_000 }
}
