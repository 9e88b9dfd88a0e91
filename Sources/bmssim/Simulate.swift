import ArgumentParser
import BatteryPlant
import Foundation
import Simulation

/// `bmssim simulate`: an in-process closed-loop run.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run plant + BMS core + EMS in a closed loop and write timeseries.csv and summary.json.",
        discussion: """
            With no arguments: a 240-cell Na-NiCl2 (ZEBRA-type) string on 24 h of synthetic frequency \
            regulation at 0.2 C, 4.7 kW (profiles/duty/frequency-regulation-24h.csv).
            """
    )

    @Option(help: "Duty-cycle CSV (time_s,power_W | time_s,current_A | time_s,power_pu).")
    var profile: String = ResourceLocator.defaultProfile

    @Option(help: "Simulated days (fractions allowed).")
    var days: Double = 1

    @Option(help: "Seed of every random draw.")
    var seed: UInt64 = 1

    @Option(help: "Cell chemistry: NaNiCl2, NaS, NASICON, sulfide or polymer.")
    var chemistry: String = "NaNiCl2"

    @Option(help: "Cells in series.")
    var cells: Int = 240

    @Option(name: .customLong("rating-kw"), help: "Power that power_pu = 1 stands for, kW (default: 0.2 C of the pack's energy).")
    var ratingKW: Double?

    // Spelled out: ArgumentParser would derive --initial-so-c from the property name.
    @Option(name: .customLong("initial-soc"), help: "Initial SoC of the plant (fraction).")
    var initialSoC: Double = 0.6

    @Option(name: .customLong("initial-soc-error"), help: "Error of the firmware's initial SoC (estimate - truth, fraction, e.g. 0.05).")
    var initialSoCError: Double = 0

    @Option(help: "Sensor errors: typical (2 mV, +10 mA, +0.2 %), ideal, or accuracy-check (5 mV, +50 mA, +0.5 %; accuracy-check-neg: -50 mA, -0.5 %).")
    var sensors: String = "typical"

    @Option(help: "Seconds between time-series rows.")
    var outputInterval: Double = 10

    @Option(help: "Output folder.")
    var out: String = "out/simulate"

    func validate() throws {
        guard days > 0, days <= 3650 else { throw ValidationError("--days must be in (0, 3650]") }
        guard (1...256).contains(cells) else { throw ValidationError("--cells must be 1...256 (the host controller's capacity)") }
        if let r = ratingKW { guard r.isFinite, r > 0 else { throw ValidationError("--rating-kw must be positive") } }
        guard ChemistryPreset(rawValue: chemistry) != nil else {
            throw ValidationError("--chemistry must be one of \(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (0...1).contains(initialSoC) else { throw ValidationError("--initial-soc must be within 0...1") }
        guard abs(initialSoCError) < 1 else { throw ValidationError("--initial-soc-error must be within (-1, 1)") }
        guard Self.sensorPresets[sensors] != nil else {
            throw ValidationError("--sensors must be one of \(Self.sensorPresets.keys.sorted().joined(separator: ", "))")
        }
        guard outputInterval >= 0.1, (outputInterval * 10).rounded() == outputInterval * 10 else {
            throw ValidationError("--output-interval must be a multiple of 0.1 s (the control step)")
        }
    }

    static let sensorPresets: [String: SensorSpecification] = [
        "typical": .typicalBMS, "ideal": .ideal, "accuracy-check": .accuracyCheck(), "accuracy-check-neg": .accuracyCheck(offsetSign: -1),
    ]

    func run() throws {
        let duty: DutyProfile
        do {
            duty = try DutyProfile.load(path: profile)
        } catch {
            throw InputError(message: "\(error)")
        }
        var pack = PackDefinition.standard(ChemistryPreset(rawValue: chemistry)!, cellsPerString: cells, initialSoC: initialSoC)
        pack.sensors = Self.sensorPresets[sensors]!
        let energy_Wh = Double(cells) * pack.chemistry.capacity_Ah * pack.chemistry.ocv.voltage(atSoC: 0.5)
        let rating_W = ratingKW.map { $0 * 1000 } ?? 0.2 * energy_Wh
        let scenario = Scenario(
            pack: pack, profile: duty, rating_W: rating_W,
            duration_ms: Int64((days * 86_400_000).rounded()), seed: seed, initialSoCError: initialSoCError,
            outputInterval_ms: Int64((outputInterval * 1000).rounded()))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let series = try TimeSeriesWriter(path: out + "/timeseries.csv", columns: ClosedLoopRunner.columns)
        var runner = try ClosedLoopRunner(scenario: scenario)
        let summary = try runner.run(timeSeries: series)
        try summary.jsonData().write(to: URL(fileURLWithPath: out + "/summary.json"))
        print("bmssim simulate: \(cells)-cell \(chemistry) string, \(String(format: "%.1f", rating_W / 1000)) kW, profile \(profile)")
        print(summary.humanReadable)
        print("wrote \(out)/timeseries.csv and \(out)/summary.json")
    }
}
