import ArgumentParser
import BatteryPlant
import Simulation

/// The options that make a scenario (shared by simulate, plant-server and controller).
struct ScenarioOptions: ParsableArguments {
    @Option(help: "Scenario file (JSON, docs/scenarios.md).")
    var scenario: String?

    @Option(
        name: .customLong("sweep-run"),
        help: "Run K of a sweep file as the scenario, SPEC:K (what that run drew: docs/sweeps.md); other options override it.")
    var sweepRun: String?

    @Option(help: "Pack: a chemistry preset (NaNiCl2, NaS, NASICON, sulfide, polymer) or a pack file (docs/plant-files.md).")
    var pack: String?

    @Option(help: "Duty-cycle CSV (time_s,power_W | time_s,current_A | time_s,power_pu).")
    var profile: String?

    @Option(help: "A seeded duty-cycle generator instead of a profile file (docs/profiles.md).")
    var duty: DutyGenerator.Service?

    @Option(name: .customLong("duty-seed"), help: "Seed of the --duty draw (default: the run's seed).")
    var dutySeed: UInt64?

    @Option(help: "Simulated days (fractions allowed; default: the scenario's duration, or 1).")
    var days: Double?

    @Option(help: "Simulated hours (instead of --days).")
    var hours: Double?

    @Option(help: "Seed of every random draw (default 1).")
    var seed: UInt64?

    @Option(help: "Same as --pack PRESET (kept for existing scripts; any letter case).")
    var chemistry: ChemistryPreset?

    @Option(help: "Cells in series of a preset pack (default 240).")
    var cells: Int?

    @Option(name: .customLong("rating-kw"), help: "Power that power_pu = 1 stands for, kW (default: 0.2 C of the pack's energy).")
    var ratingKW: Double?

    // Spelled out: ArgumentParser would derive --initial-so-c from the property name.
    @Option(name: .customLong("initial-soc"), help: "Initial SoC of the plant (fraction; default 0.6 or the pack's).")
    var initialSoC: Double?

    @Option(name: .customLong("initial-soc-error"), help: "Error of the firmware's initial SoC (estimate - truth, fraction, e.g. 0.05; negative: --initial-soc-error=-0.05).")
    var initialSoCError: Double?

    @Option(help: "Sensor errors: typical (2 mV, +10 mA, +0.2 %), ideal, accuracy-check (5 mV, +50 mA, +0.5 %), accuracy-check-neg (-50 mA, -0.5 %).")
    var sensors: SensorPreset?

    @Option(
        name: [.customLong("output-interval-s"), .customLong("output-interval")],
        help: "Seconds between time-series rows (decimation; a multiple of the 0.1 s control step; default 10).")
    var outputInterval: Double?

    @Option(help: "Plant steps per control step (1, 2, 4, 5, 10, ...; default 1 or the scenario's).")
    var plantSubsteps: Int?

    @Option(help: "The firmware's control step, ms: 100 (default), or 125, 200, 250, 500, 1000 for long runs.")
    var controlStepMs: Int?

    @Option(name: .customLong("firmware-file"), help: "The firmware's parameters for the cells (a firmware file, docs/plant-files.md; default: the preset for their chemistry).")
    var firmwareFile: String?

    func validate() throws {
        try OptionCheck.within(days, (Scenario.durationRange_h.lowerBound / 24)...(Scenario.durationRange_h.upperBound / 24), "days", "days (1 s ... 10 years)")
        try OptionCheck.within(hours, Scenario.durationRange_h, "hours", "h (1 s ... 3650 days)")
        if days != nil && hours != nil { throw ValidationError("give --days or --hours, not both") }
        if let c = cells {
            guard (1...HostController.cellCapacity).contains(c) else {
                throw ValidationError("--cells must be 1...\(HostController.cellCapacity) (the host controller's capacity)")
            }
        }
        try OptionCheck.within(ratingKW, Scenario.ratingRange_kW, "rating-kw", "kW")
        if duty != nil && profile != nil { throw ValidationError("give --profile or --duty, not both") }
        if dutySeed != nil && duty == nil { throw ValidationError("--duty-seed needs --duty") }
        if chemistry != nil && pack != nil { throw ValidationError("give --pack or --chemistry, not both") }
        if let s = initialSoC { guard (0...1).contains(s) else { throw ValidationError("--initial-soc must be within 0...1") } }
        if let e = initialSoCError { guard abs(e) < 1 else { throw ValidationError("--initial-soc-error must be within (-1, 1)") } }
        if let c = controlStepMs, !Scenario.controlSteps.contains(Int64(c)) {
            throw ValidationError("--control-step-ms must be one of \(Scenario.controlSteps.map(String.init).joined(separator: ", "))")
        }
        if let n = plantSubsteps, !(n >= 1 && n <= 1000) {
            throw ValidationError("--plant-substeps must divide the control step (1, 2, 4, 5, 10, ...)")
        }
        if let i = outputInterval {
            guard i.isFinite, i >= 0.1, i <= 86_400, (i * 10).rounded() == i * 10 else {
                throw ValidationError("--output-interval must be a multiple of 0.1 s (the control step), at most a day")
            }
        }
    }

    /// The scenario: the file's (if any), then every option given on the command line.
    func buildScenario() throws -> (Scenario, name: String) {
        let (scenario, name, _) = try buildRun()
        return (scenario, name)
    }

    /// The scenario (`buildScenario`) and the scenario file's `expect` bounds (none without
    /// `--scenario`), read from one parse of the file.
    func buildRun() throws -> (Scenario, name: String, expectations: [ScenarioFile.Expectation]) {
        var scenario: Scenario
        var name = "default"
        var expectations: [ScenarioFile.Expectation] = []
        let packChoice = pack ?? chemistry?.rawValue
        if sweepRun != nil || self.scenario != nil {
            (scenario, name, expectations) = try baseScenario()
            if packChoice != nil || cells != nil {
                let (definition, faults) = try resolvePack(packChoice ?? Self.presetName(scenario), cells: cells)
                scenario.pack = definition
                scenario.faults = faults
                if ratingKW == nil { scenario.rating_W = PackChoice.defaultRating_W(definition) }
            }
        } else {
            let (definition, faults) = try resolvePack(packChoice ?? "NaNiCl2", cells: cells)
            let duty = try DutyProfile.load(path: profile ?? ResourceLocator.defaultProfile)
            scenario = Scenario(
                pack: definition, profile: duty, rating_W: PackChoice.defaultRating_W(definition),
                duration_ms: Int64((duty.defaultDuration_h * 3_600_000).rounded()), seed: 1)
            scenario.faults = faults
            name = packChoice ?? "NaNiCl2"
        }
        if let path = profile, self.scenario != nil || sweepRun != nil { scenario.profile = try DutyProfile.load(path: path) }
        if let d = days { scenario.duration_ms = Int64((d * 86_400_000).rounded()) }
        if let h = hours { scenario.duration_ms = Int64((h * 3_600_000).rounded()) }
        if let s = seed { scenario.seed = s }
        if let r = ratingKW { scenario.rating_W = r * 1000 }
        if let s = initialSoC { scenario.pack.initialSoC = s }
        if let e = initialSoCError { scenario.initialSoCError = e }
        if let s = sensors { scenario.pack.sensors = s.specification }
        if let i = outputInterval { scenario.outputInterval_ms = Int64((i * 1000).rounded()) }
        if let n = plantSubsteps { scenario.plantSubsteps = n }
        if let c = controlStepMs { scenario.controlStep_ms = Int64(c) }
        guard scenario.controlStep_ms % Int64(scenario.plantSubsteps) == 0 else {
            throw ValidationError("--plant-substeps (\(scenario.plantSubsteps)) must divide the \(scenario.controlStep_ms) ms control step")
        }
        guard scenario.outputInterval_ms % scenario.controlStep_ms == 0 else {
            throw ValidationError("--output-interval must be a multiple of the \(scenario.controlStep_ms) ms control step")
        }
        if let path = firmwareFile { scenario.firmware = try FirmwareFiles.load(path: path) }
        if let service = duty {
            let generator = DutyGenerator(service: service, seed: dutySeed ?? scenario.seed)
            scenario.profile = generator.sample(covering: Double(scenario.duration_ms) / 3_600_000).profile
        }
        return (scenario, name, expectations)
    }

    /// The scenario file's scenario and expectations, or what run K of a sweep drew
    /// (`--sweep-run SPEC:K`, no per-run expectations).
    private func baseScenario() throws -> (Scenario, name: String, expectations: [ScenarioFile.Expectation]) {
        if let path = scenario {
            guard sweepRun == nil else { throw ValidationError("give --scenario or --sweep-run, not both") }
            let file = try ScenarioFile.load(path: path)
            return (file.scenario, file.name, file.expectations)
        }
        let reference = sweepRun ?? ""
        guard let colon = reference.lastIndex(of: ":"), let k = Int(reference[reference.index(after: colon)...]), k >= 0 else {
            throw ValidationError("--sweep-run takes SPEC:K, a sweep file and a run number (e.g. regress/sweeps/nominal-20cell.json:39)")
        }
        let spec = try SweepSpec.load(path: String(reference[..<colon]))
        guard k < spec.runs else { throw ValidationError("--sweep-run: the sweep has runs 0 ... \(spec.runs - 1)") }
        return (try spec.scenario(run: k).0, "\(spec.name) run \(k)", [])
    }

    private func resolvePack(_ choice: String, cells: Int?) throws -> (PackDefinition, [PlantFault]) {
        let cellsForPreset = ChemistryPreset.named(choice) != nil ? cells : nil
        if cells != nil && cellsForPreset == nil { throw ValidationError("--cells applies to a preset pack; a pack file sets its own") }
        return try PackChoice.resolve(choice, cellsPerString: cellsForPreset)
    }

    /// The preset a scenario's pack came from (for `--cells` without `--pack`).
    static func presetName(_ s: Scenario) -> String { s.pack.chemistry.name }

}
