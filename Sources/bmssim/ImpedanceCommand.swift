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

    @Option(
        name: [.customLong("highest-hz"), .customLong("from")],
        help: "Highest frequency, Hz (default: 1000 times the fastest element's corner frequency, at least 1e7, so the spectrum reaches the high-frequency intercept).")
    var highest: Double?

    @Option(
        name: [.customLong("lowest-hz"), .customLong("to")],
        help: "Lowest frequency, Hz (default: a hundredth of the slowest element's corner frequency, at most 1e-4).")
    var lowest: Double?

    @Option(help: "Points per decade.")
    var perDecade: Int = 10

    @Option(help: "Output CSV.")
    var out: String = "out/impedance.csv"

    func validate() throws {
        try OptionCheck.within(highest, 1e-6...1e12, "highest-hz", "Hz")
        try OptionCheck.within(lowest, 1e-6...1e12, "lowest-hz", "Hz")
        if let h = highest, let l = lowest, !(h > l) { throw ValidationError("--highest-hz must be above --lowest-hz") }
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
        // The elements' corner frequencies, 1 / (2 pi tau): three decades past the fastest reaches
        // the intercept (the bulk's resistance) within a fraction of a percent even for a
        // depressed arc (n 0.9: two decades left 1.5 %), two below the slowest its DC end.
        let corners = z.elements.map { 1 / (2 * Double.pi * $0.timeConstant_s) }.filter { $0.isFinite && $0 > 0 }
        let high = highest ?? min(1e12, max(1e7, 1000 * (corners.max() ?? 1e4)))
        let low = lowest ?? max(1e-6, min(1e-4, 0.01 * (corners.min() ?? 1e-2)))
        guard high > low else { throw InputError(message: "--highest-hz \(Format.compact(high)) must be above --lowest-hz \(Format.compact(low))") }
        for p in z.spectrum(CellImpedance.logFrequencies(from: high, to: low, perDecade: perDecade)) {
            try w.append([String(format: "%.6e", p.frequency_Hz), String(format: "%.9e", p.real_ohm), String(format: "%.9e", p.imaginary_ohm)])
        }
        try w.flush()
        print("spectrum \(Format.compact(high)) ... \(Format.compact(low)) Hz, \(perDecade) points per decade")
        print("\(d.chemistry.name) cell at \(String(format: "%.1f", t)) C: high-frequency intercept \(String(format: "%.4f", z.series_ohm * 1000)) mOhm (bulk \(String(format: "%.4f", z.bulk_ohm * 1000)), reaction front \(String(format: "%.4f", z.reactionFront_ohm * 1000))), DC \(String(format: "%.4f", z.dc_ohm * 1000)) mOhm")
        for e in z.elements {
            let drawn = e.shape == .warburg ? "finite-length Warburg" : "arc, n \(String(format: "%.2f", e.dispersion))"
            print("  \(e.kind.rawValue): \(String(format: "%.4f", e.resistance_ohm * 1000)) mOhm, tau \(String(format: "%.3e", e.timeConstant_s)) s (\(drawn))")
        }
        print("wrote \(out)")
    }
}
