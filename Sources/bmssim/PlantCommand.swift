import ArgumentParser
import BatteryPlant
import Foundation
import Simulation

/// `bmssim plant`: the plant alone, open loop, driven by a profile.
struct PlantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plant",
        abstract: "Drive the plant open loop from a profile and write its truth (no BMS).",
        discussion: """
            Writes DIR/timeseries.csv (time_s, current_A, voltage_V, power_W, soc, temperature_C, heater_W, \
            per-string currents and per-module temperatures), DIR/cells.csv (one row per cell every \
            --cell-interval: soc, voltage, current, capacity, every element resistance, contact fraction, \
            interphase thickness, short hazard, failure), DIR/events.csv, DIR/impedance_end.csv (every \
            cell's spectrum at the end) and DIR/summary.json. Definition files: docs/plant-files.md.
            """
    )

    @Option(help: "A single-cell definition file (kind thevenin or cell).")
    var cell: String?

    @Option(help: "A pack definition file (kind pack).")
    var pack: String?

    @Option(help: "Profile CSV: time_s,current_A | time_s,power_W | time_s,power_pu (positive = discharge).")
    var profile: String

    @Option(help: "Output folder.")
    var out: String = "out/plant"

    @Option(help: "Simulated hours (default: up to the profile's last row).")
    var hours: Double?

    @Option(help: "Simulated days, as simulate takes them (give --days or --hours).")
    var days: Double?

    @Option(name: .customLong("step-ms"), help: "Plant step, ms.")
    var stepMs: Int64 = 1000

    @Option(name: [.customLong("output-interval-s"), .customLong("output-interval")], help: "Seconds between timeseries.csv rows.")
    var outputInterval: Double = 10

    @Option(name: [.customLong("cell-interval-s"), .customLong("cell-interval")], help: "Seconds between cells.csv snapshots.")
    var cellInterval: Double = 600

    @Option(name: .customLong("rating-kw"), help: "Power that power_pu = 1 stands for, kW.")
    var ratingKW: Double?

    @Option(help: "Rig thermostat setpoint, C (default: the initial temperature; heaters +/-5 K around it).")
    var heaterSetpoint: Double?

    @Flag(help: "No rig heating.")
    var noHeaters = false

    @Option(help: "Seed of the spread and the sensors.")
    var seed: UInt64 = 1

    func validate() throws {
        guard (cell == nil) != (pack == nil) else { throw ValidationError("give exactly one of --cell FILE or --pack FILE") }
        guard stepMs > 0, stepMs <= 3_600_000 else { throw ValidationError("--step-ms must be 1 ... 3600000") }
        let step = Double(stepMs) / 1000
        if days != nil && hours != nil { throw ValidationError("give --days or --hours, not both") }
        try OptionCheck.within(hours, (step / 3600)...87_600, "hours", "h (a step ... 3650 days)")
        try OptionCheck.within(days, (step / 86_400)...3650, "days", "days (a step ... 10 years)")
        try OptionCheck.within(outputInterval, step...86_400, "output-interval-s", "s (a multiple of --step-ms)")
        try OptionCheck.within(cellInterval, step...(86_400 * 30), "cell-interval-s", "s (a multiple of --step-ms)")
        try OptionCheck.within(ratingKW, Scenario.ratingRange_kW, "rating-kw", "kW")
        try OptionCheck.within(heaterSetpoint, -60...450, "heater-setpoint", "C")
    }

    func run() throws {
        let setup = try PlantFile.load(path: cell ?? pack!)
        let duty = try DutyProfile.load(path: profile)
        var options = OpenLoopRunner.Options()
        options.step_ms = stepMs
        options.outputInterval_ms = Int64((outputInterval * 1000).rounded())
        options.cellInterval_ms = Int64((cellInterval * 1000).rounded())
        options.duration_ms = hours.map { Int64(($0 * 3_600_000).rounded()) } ?? days.map { Int64(($0 * 86_400_000).rounded()) }
        options.rating_W = ratingKW.map { $0 * 1000 }
        options.heaterSetpoint_C = noHeaters || setup.definition.thermal.isothermal ? nil : (heaterSetpoint ?? setup.definition.initialTemperature_C)
        options.seed = seed
        if options.duration_ms == nil, duty.lastRowTime_ms == 0 {
            throw InputError(message: "\(profile): a single-row profile has no end: give --hours")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var runner = try OpenLoopRunner(setup: setup, profile: duty, options: options)
        let started = Date()
        var summary = try runner.run(writingTo: out)
        var record = Scenario(
            pack: setup.definition, profile: duty, rating_W: options.rating_W ?? 0, duration_ms: runner.duration_ms, seed: seed)
        record.controlStep_ms = stepMs
        summary.provenance = BuildInfo.provenance(record, scenarioFile: cell ?? pack, started: started, openLoop: true)
        try ImpedanceTable.write(runner.plant, to: out + "/impedance_end.csv")
        try RunSummary.encoder.encode(summary).write(to: URL(fileURLWithPath: out + "/summary.json"))
        print("bmssim plant: \(Format.count(runner.plant.cellCount, setup.definition.chemistry.name + " cell")), \(String(format: "%.2f", summary.duration_h)) h")
        print("SoC \(String(format: "%.2f", summary.soc_initial * 100)) % -> \(String(format: "%.2f", summary.soc_final * 100)) %, energy out \(String(format: "%.1f", summary.energy_out_Wh)) Wh, in \(String(format: "%.1f", summary.energy_in_Wh)) Wh, heaters \(String(format: "%.1f", summary.heater_energy_Wh)) Wh")
        print("temperature \(String(format: "%.1f", summary.temperature_min_C)) ... \(String(format: "%.1f", summary.temperature_max_C)) C, failed cells \(summary.failed_cells), events \(summary.events)")
        print("wrote \(out)/timeseries.csv, cells.csv, events.csv, impedance_end.csv, summary.json")
    }
}
