import ArgumentParser
import BatteryPlant
import Foundation
import Simulation

/// `bmssim impedance`: the impedance spectrum of a cell as defined in a file.
struct ImpedanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impedance",
        abstract: "Write the impedance spectrum (Nyquist data) of a cell of a definition file.",
        discussion: "CSV columns: frequency_Hz, real_ohm, imaginary_ohm (negative on the capacitive arcs)."
    )

    @Option(help: "A cell or pack definition file.")
    var definition: String

    @Option(help: "Cell index in the pack.")
    var index: Int = 0

    @Option(help: "Temperature, C (default: the file's initial temperature).")
    var temperature: Double?

    @Option(help: "State of charge (default: the file's initial SoC).")
    var soc: Double?

    @Option(help: "Highest frequency, Hz.")
    var from: Double = 1e7

    @Option(help: "Lowest frequency, Hz.")
    var to: Double = 1e-4

    @Option(help: "Points per decade.")
    var perDecade: Int = 10

    @Option(help: "Output CSV.")
    var out: String = "out/impedance.csv"

    func validate() throws {
        try OptionCheck.within(from, 1e-6...1e9, "from", "Hz")
        try OptionCheck.within(to, 1e-6...1e9, "to", "Hz")
        guard from > to else { throw ValidationError("--from must be above --to") }
        try OptionCheck.within(temperature, -60...450, "temperature", "C")
        guard (1...100).contains(perDecade) else { throw ValidationError("--per-decade must be 1 ... 100") }
        try OptionCheck.within(soc, 0...1, "soc")
    }

    func run() throws {
        let setup = try PlantFile.load(path: definition)
        let d = setup.definition
        guard (0..<d.cellCount).contains(index) else { throw InputError(message: "--index must be 0 ... \(d.cellCount - 1)") }
        let t = temperature ?? d.initialTemperature_C
        let z = d.chemistry.impedance(temperature_C: t, soc: soc ?? d.initialSoC)
        let dir = PathName.folder(of: out)
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let w = try TimeSeriesWriter(path: out, columns: ["frequency_Hz", "real_ohm", "imaginary_ohm"])
        for p in z.spectrum(CellImpedance.logFrequencies(from: from, to: to, perDecade: perDecade)) {
            try w.append([String(format: "%.6e", p.frequency_Hz), String(format: "%.9e", p.real_ohm), String(format: "%.9e", p.imaginary_ohm)])
        }
        try w.flush()
        print("\(d.chemistry.name) cell at \(String(format: "%.1f", t)) C: high-frequency intercept \(String(format: "%.4f", z.series_ohm * 1000)) mOhm (bulk \(String(format: "%.4f", z.bulk_ohm * 1000)), reaction front \(String(format: "%.4f", z.reactionFront_ohm * 1000))), DC \(String(format: "%.4f", z.dc_ohm * 1000)) mOhm")
        for e in z.elements {
            let drawn = e.shape == .warburg ? "finite-length Warburg" : "arc, n \(String(format: "%.2f", e.dispersion))"
            print("  \(e.kind.rawValue): \(String(format: "%.4f", e.resistance_ohm * 1000)) mOhm, tau \(String(format: "%.3e", e.timeConstant_s)) s (\(drawn))")
        }
        print("wrote \(out)")
    }
}
