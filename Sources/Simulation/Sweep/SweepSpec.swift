import BatteryPlant
import Foundation

/// A Monte Carlo sweep (docs/sweeps.md): how many runs, and how each run draws its pack, cell
/// population, duty cycle, ambient, sensor errors, initial SoC and its error, and ageing state.
///
/// Run k draws every quantity from its own stream of `SeededRandom(seed).derived(k)` (one per
/// key), so a spec with one more key leaves the other draws unchanged, and run k is the same
/// run whichever shard or thread runs it.
public struct SweepSpec: Sendable {
    /// The file's name without `.json`.
    public var name: String
    public var description: String
    public var runs: Int
    public var seed: UInt64
    public var pack: NameDraw
    /// Run k takes the pack `pack.choices[k % count]` instead of drawing it
    /// (`"runs_per_pack"`): every pack gets the same number of runs, whatever the seed.
    public var packPerRun: Bool = false
    public var cellsPerString: NumberDraw?
    public var duration_h: Double
    public var duty: NameDraw
    public var gridOutagesPerDay: NumberDraw
    public var ambient_C: NumberDraw?
    public var initialSoC: NumberDraw
    public var initialSoCError: NumberDraw
    /// The sensor preset the drawn errors change.
    public var sensors: SensorPreset
    public var currentOffset_A: NumberDraw?
    public var currentGainError: NumberDraw?
    public var cellVoltageNoise_V: NumberDraw?
    public var ageing: NameDraw
    public var plantSubsteps: Int
    /// The power rating as a C-rate of the string (nil: the pack's default, 0.2 C).
    public var cRate: NumberDraw?
    /// Contact losses injected into a share of the runs (nil: none).
    public var contactLoss: ContactLossDraw?
    /// Soft shorts injected into a share of the runs (nil: none).
    public var softShort: SoftShortDraw?
    /// Whether each run is run a second time without CCD-aware derating, to count the shorts
    /// the derating prevented (`RunSummary.dendrite_penetrations_without_ccd_derating`).
    public var ccdDeratingComparison: Bool
    /// Cells of each run's pack read by an impedance test at commissioning (0: none), as the
    /// scenario key `firmware.commissioning_impedance_cells` (at most the pack's cells).
    public var commissioningImpedanceCells: Int = 0
    /// Bounds on the report's statistics (`"soc_error_rms_pct.p95": {"max": 1}`).
    public var expectations: [SweepExpectation]
    /// The folder pack files are relative to.
    var folder: String

    /// The ranges drawn values are checked against (as in a scenario file) and clipped to.
    static let ambientRange = -59.9...79.9
    static let socRange = 0.0...1.0
    static let socErrorRange = -0.5...0.5
    static let offsetRange = -10.0...10.0
    static let gainRange = -0.1...0.1
    static let noiseRange = 0.0...0.1
    static let cellsRange = 1.0...Double(HostController.cellCapacity)
    static let cRateRange = 0.01...5.0
    static let shareRange = 0.0...1.0
    static let contactRange = 0.01...1.0
    static let leakageRateRange = 0.001...100.0

    /// Reads a sweep file.
    public static func load(path: String) throws(InputFileError) -> SweepSpec {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputFileError(file: path, line: 0, problem: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, path: path)
    }

    /// Parses sweep JSON; `path` names it in errors and anchors its pack files.
    public static func parse(_ data: Data, path: String) throws(InputFileError) -> SweepSpec {
        let fields = try UnknownKeys.decode(SweepFields.self, from: data, path: path)
        do {
            return try fields.spec(path: path)
        } catch {
            throw InputFileError(file: path, line: 0, problem: error.message)
        }
    }
}

/// One bound on a sweep statistic: `metric.stat` of a group of runs within min ... max.
public struct SweepExpectation: Sendable, Equatable {
    /// The report's group the bound applies to: "all", "pack=NAME" or "duty=NAME".
    public var group: String = "all"
    public var metric: RunMetric
    public var statistic: SweepStatistic
    public var min: Double?
    public var max: Double?

    /// What is wrong with `value` (nil when it meets the bound).
    public func violation(_ value: Double?) -> String? {
        let name = key
        guard let v = value else { return "\(name) has no value (no run reported \(metric.key))" }
        if let lo = min, !(v >= lo) { return "\(name) = \(Format.compact(v)) is below \(Format.compact(lo))" }
        if let hi = max, !(v <= hi) { return "\(name) = \(Format.compact(v)) is above \(Format.compact(hi))" }
        return nil
    }

    /// The spec's key: `METRIC.STAT` for all runs, `GROUP/METRIC.STAT` for a group.
    public var key: String { (group == "all" ? "" : group + "/") + "\(metric.key).\(statistic.rawValue)" }
}

/// The statistics of a metric over a sweep's runs (percentiles by nearest rank).
public enum SweepStatistic: String, CaseIterable, Sendable, Codable {
    case min, p05, p50, mean, p95, max
}

/// The JSON fields of a sweep file.
private struct SweepFields: Decodable {
    struct Bound: Decodable {
        let min: Double?
        let max: Double?
    }
    let description: String?
    let runs: Int?
    let runs_per_pack: Int?
    let seed: UInt64?
    let pack: NameDraw
    let cells_per_string: NumberDraw?
    let duration_h: Double?
    let duty: NameDraw?
    let grid_outages_per_day: NumberDraw?
    let ambient_C: NumberDraw?
    let initial_soc: NumberDraw?
    let initial_soc_error: NumberDraw?
    let sensors: String?
    let current_offset_A: NumberDraw?
    let current_gain_error: NumberDraw?
    let cell_voltage_noise_V: NumberDraw?
    let ageing: NameDraw?
    let plant_substeps: Int?
    let c_rate: NumberDraw?
    let contact_loss: ContactLossDraw?
    let soft_short: SoftShortDraw?
    let ccd_derating_comparison: Bool?
    let commissioning_impedance_cells: Double?
    let expect: [String: Bound]?

    func spec(path: String) throws(FileProblem) -> SweepSpec {
        guard (runs == nil) != (runs_per_pack == nil) else { throw FileProblem("give either runs or runs_per_pack (not both)") }
        guard !pack.choices.isEmpty else { throw FileProblem("pack: name at least one") }
        if let n = runs_per_pack {
            guard n >= 1, n <= 1_000_000 / pack.choices.count else {
                throw FileProblem("runs_per_pack must be 1 ... \(1_000_000 / pack.choices.count) (at most 1000000 runs in all)")
            }
            guard Set(pack.choices).count == pack.choices.count else { throw FileProblem("runs_per_pack: pack names a choice twice") }
        }
        let runs = self.runs ?? (runs_per_pack ?? 0) * pack.choices.count
        guard (1...1_000_000).contains(runs) else { throw FileProblem("runs must be 1 ... 1000000") }
        let hours = duration_h ?? 24
        guard hours.isFinite, hours >= 0.1, hours <= 24 * Double(DutyGenerator.maximumDays) else {
            throw FileProblem("duration_h must be within 0.1 ... 87600")
        }
        for p in pack.choices where ChemistryPreset.named(p) == nil && !p.hasSuffix(".json") {
            throw FileProblem("pack '\(p)' is neither a preset (\(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", "))) nor a .json file")
        }
        let dutyDraw = duty ?? NameDraw(["frequency-regulation", "pv-firming", "arbitrage", "peak-shaving", "standby"])
        for d in dutyDraw.choices where DutyGenerator.Service(rawValue: d) == nil {
            throw FileProblem("duty '\(d)' is not one of \(DutyGenerator.Service.names.joined(separator: ", "))")
        }
        guard !dutyDraw.choices.isEmpty else { throw FileProblem("duty: name at least one generator") }
        let ageingDraw = ageing ?? NameDraw(["new"])
        for a in ageingDraw.choices where AgeingState(rawValue: a) == nil {
            throw FileProblem("ageing '\(a)' is not one of \(AgeingState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !ageingDraw.choices.isEmpty else { throw FileProblem("ageing: name at least one state") }
        let preset: SensorPreset
        if let s = sensors {
            guard let p = SensorPreset(rawValue: s) else { throw FileProblem("sensors '\(s)' is not one of \(SensorPreset.names.joined(separator: ", "))") }
            preset = p
        } else {
            preset = .typical
        }
        let substeps = plant_substeps ?? 1
        guard substeps >= 1, 100 % substeps == 0 else { throw FileProblem("plant_substeps must divide the 100 ms control step (1, 2, 4, 5, 10, ...)") }
        try cells_per_string?.check("cells_per_string", within: SweepSpec.cellsRange)
        if cells_per_string != nil, pack.choices.contains(where: { $0.hasSuffix(".json") }) {
            throw FileProblem("cells_per_string applies to preset packs; a pack file sets its own")
        }
        let outages = grid_outages_per_day ?? NumberDraw(fixed: 0)
        try outages.check("grid_outages_per_day", within: DutyGenerator.gridOutageRange)
        try ambient_C?.check("ambient_C", within: SweepSpec.ambientRange)
        let soc = initial_soc ?? NumberDraw(min: 0.2, max: 0.9)
        try soc.check("initial_soc", within: SweepSpec.socRange)
        let socError = initial_soc_error ?? NumberDraw(mean: 0, sigma: 0.02)
        try socError.check("initial_soc_error", within: SweepSpec.socErrorRange)
        try current_offset_A?.check("current_offset_A", within: SweepSpec.offsetRange)
        try current_gain_error?.check("current_gain_error", within: SweepSpec.gainRange)
        try cell_voltage_noise_V?.check("cell_voltage_noise_V", within: SweepSpec.noiseRange)
        try c_rate?.check("c_rate", within: SweepSpec.cRateRange)
        try contact_loss?.check("contact_loss", hours: hours)
        try soft_short?.check("soft_short", hours: hours)
        let impedanceCells = commissioning_impedance_cells ?? 0
        guard impedanceCells >= 0, impedanceCells <= Double(HostController.cellCapacity), impedanceCells == impedanceCells.rounded() else {
            throw FileProblem("commissioning_impedance_cells must be a whole number within 0 ... \(HostController.cellCapacity)")
        }
        var expectations: [SweepExpectation] = []
        for (key, bound) in (expect ?? [:]).sorted(by: { $0.key < $1.key }) {
            let slash = key.firstIndex(of: "/")
            let group = slash.map { String(key[..<$0]) } ?? "all"
            let parts = key[(slash.map { key.index(after: $0) } ?? key.startIndex)...].split(separator: ".").map(String.init)
            guard parts.count == 2, let metric = RunMetric(rawValue: parts[0]), let statistic = SweepStatistic(rawValue: parts[1]) else {
                throw FileProblem(
                    "expect: '\(key)' is not [GROUP/]METRIC.STAT (a summary metric and one of \(SweepStatistic.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if group != "all" { try Self.checkGroup(group, key: key, packs: pack.choices, duties: dutyDraw.choices) }
            guard bound.min != nil || bound.max != nil else { throw FileProblem("expect.\(key) needs min or max") }
            expectations.append(SweepExpectation(group: group, metric: metric, statistic: statistic, min: bound.min, max: bound.max))
        }
        return SweepSpec(
            name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, description: description ?? "", runs: runs,
            seed: seed ?? 1, pack: pack, packPerRun: runs_per_pack != nil, cellsPerString: cells_per_string, duration_h: hours, duty: dutyDraw, gridOutagesPerDay: outages,
            ambient_C: ambient_C, initialSoC: soc, initialSoCError: socError, sensors: preset, currentOffset_A: current_offset_A,
            currentGainError: current_gain_error, cellVoltageNoise_V: cell_voltage_noise_V, ageing: ageingDraw, plantSubsteps: substeps,
            cRate: c_rate, contactLoss: contact_loss, softShort: soft_short, ccdDeratingComparison: ccd_derating_comparison ?? false,
            commissioningImpedanceCells: Int(impedanceCells), expectations: expectations, folder: PathName.folder(of: path))
    }

    /// A bound's group must be one the report has: a pack or duty the spec draws from, when it
    /// draws from more than one (with one, the group is all runs: use the key without it).
    static func checkGroup(_ group: String, key: String, packs: [String], duties: [String]) throws(FileProblem) {
        let (kind, choices): (String, [String])
        if group.hasPrefix("pack=") {
            (kind, choices) = ("pack", packs)
        } else if group.hasPrefix("duty=") {
            (kind, choices) = ("duty", duties)
        } else {
            throw FileProblem("expect: '\(key)': the group must be pack=NAME or duty=NAME")
        }
        let name = String(group.dropFirst(5))
        guard choices.contains(name) else {
            throw FileProblem("expect: '\(key)': \(kind) '\(name)' is not one the spec draws (\(choices.joined(separator: ", ")))")
        }
        guard choices.count > 1 else { throw FileProblem("expect: '\(key)': the spec has one \(kind), so its runs are all runs: drop '\(group)/'") }
    }
}
