import ArgumentParser
import BMSCore
import BatteryPlant
import CellLab
import Foundation
import Simulation

/// `bmssim characterise`: the lab's tests on sample cells, written as a firmware file.
struct CharacteriseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "characterise",
        abstract: "Characterise sample cells as a lab does (capacity and OCV from a C/20 test, resistances from pulses, the interface from EIS) and write a firmware file.",
        discussion: """
            Draws sample cells of the chemistry (the production population, their own seed), runs the
            slow-rate, pulse and impedance tests on each through the plant's sensors and a lab
            analyser, and writes the firmware file: the measured capacity, OCV table and its
            temperature coefficient, resistances, polarisation, activation energy and interface
            share over the datasheet file's limits (--base, or profiles/firmware/datasheet/PRESET.json).
            The committed presets were written by `make firmware-presets`. docs/characterisation.md.
            """
    )

    @Option(help: "A preset (\(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", "))).")
    var preset: ChemistryPreset?

    @Option(help: "A chemistry file (docs/plant-files.md) instead of a preset.")
    var chemistry: String?

    @Option(help: "The datasheet: a firmware file whose limits, rated capacity and reference temperatures set the tests (default for a preset: profiles/firmware/datasheet/PRESET.json).")
    var base: String?

    @Option(help: "Sample cells per test (3 ... 64).")
    var samples = 8

    @Option(help: "Seed of the sample draws.")
    var seed: UInt64 = 90_210

    @Option(help: "Where to write the firmware file.")
    var out: String

    func validate() throws {
        guard (preset == nil) != (chemistry == nil) else { throw ValidationError("give --preset or --chemistry") }
        guard (3...64).contains(samples) else {
            throw ValidationError("--samples must be 3 ... 64 (the table's uncertainty is the samples' spread, and the CCD's lower bound a Weibull fit)")
        }
    }

    func run() throws {
        let cell: CellChemistry = try preset.map(\.chemistry) ?? ChemistryFiles.load(path: chemistry!)
        guard let basePath = base ?? preset.map({ ResourceLocator.bundled("profiles/firmware/datasheet/\($0.rawValue).json") }) else {
            throw ValidationError("a chemistry file needs --base (a firmware file with the cell's datasheet limits)")
        }
        let datasheet = try FirmwareFiles.load(path: basePath)
        var options = Characterisation.Options()
        options.samples = samples
        options.seed = seed
        let report = try Characterisation.characterise(cell, datasheet: datasheet, options: options)
        var firmware = report.firmware
        let source = preset.map { "--preset \($0.rawValue)" } ?? "--chemistry \(chemistry!)"
        let baseArgument = base.map { " --base \($0)" } ?? ""
        firmware.characterisation = CharacterisationRecord(
            command: "bmssim characterise \(source)\(baseArgument) --samples \(samples) --seed \(seed)", samples: samples, seed: seed,
            report: report)
        try FirmwareFiles.json(of: firmware).write(toFile: out, atomically: true, encoding: .utf8)
        print(Self.describe(report, name: cell.name, samples: samples), terminator: "")
        print("wrote \(out)")
    }

    /// What the tests found, as printed.
    static func describe(_ r: Characterisation.Report, name: String, samples: Int) -> String {
        let s = r.slowRate
        let p = r.pulses
        let z = r.impedance
        var out = "bmssim characterise \(name): \(samples) sample cells at \(Format.compact(s.temperature_C)) C, C/20\n"
        out += "capacities (Ah): \(s.capacities_Ah.map { Format.fixed($0, 3) }.joined(separator: ", "))\n"
        out += "soc    ocv_V    half_gap_mV  sample_sd_mV\n"
        for (i, soc) in s.soc.enumerated() {
            out += "\(Format.fixed(soc, 4)) \(Format.fixed(s.ocv_V[i], 4))   \(Format.fixed(s.halfGap_V[i] * 1000, 1))          \(Format.fixed(s.sampleSpread_V[i] * 1000, 2))\n"
        }
        out += "  (0 and 1: rested voltages at empty and at full; \(s.soc.count) points where the curve bends: "
        out += "reading the measured curve through them errs at most \(Format.fixed(s.tableError_pct, 2)) % SoC)\n"
        let h = r.hysteresis
        out += "rested OCV (an hour after C/10, charge and discharge readings' mean) less the table, mV: "
        out += s.soc.indices.compactMap { i in h.restedOCV_V[i].map { "\(Format.fixed(s.soc[i], 3)): \(Format.fixed(($0 - s.ocv_V[i]) * 1000, 2))" } }
            .joined(separator: ", ")
        out += "\n  RMS on 10 ... 90 % \(Format.fixed(h.tableDisagreement_V * 1000, 3)) mV (the firmware's table uncertainty adds it to the spread's)\n"
        if let q = h.transitionCharge {
            out += "hysteresis (rested an hour at each point after a C/10 discharge and after a C/10 charge):\n"
            out += "  half gap (mV) at the table's points: \(h.halfGap_V.map { Format.fixed($0 * 1000, 2) }.joined(separator: ", "))\n"
            out += "  standard error \(Format.fixed(h.halfGapError_V * 1000, 3)) mV; reversal from the discharge branch crosses 1 - 1/e of the gap in "
            out += "\(Format.fixed(q * 100, 2)) % of capacity (fit residual \(Format.fixed(h.fitRMS * 100, 1)) % of the gap)\n"
        } else {
            out += "hysteresis: none measurable (half gap on 10 ... 90 % below \(Format.compact(Characterisation.smallestHalfGap_V * 1000)) mV "
            out += "or three standard errors of \(Format.fixed(h.halfGapError_V * 1000, 3)) mV)\n"
        }
        out += "pulses (10 s at 1 C after an hour's rest; ohmic = the first 100 ms step):\n"
        for (i, soc) in p.pulseSoC.enumerated() {
            out += "  soc \(Format.fixed(soc, 2)): ohmic \(Format.fixed(p.ohmic_ohm[i] * 1000, 3)) mOhm\n"
        }
        out += "  at full \(Format.fixed(p.ohmicAtFull_ohm * 1000, 3)) mOhm, rise per unit DoD \(Format.fixed(p.risePerDepth_ohm * 1000, 3)) mOhm\n"
        out += "  polarisation \(Format.fixed(p.polarisation_ohm * 1000, 3)) mOhm, tau \(Format.fixed(p.timeConstant_s, 1)) s (relaxation fit at 50 %)\n"
        out += "  at C/5 \(Format.fixed(p.lowCurrentPolarisation_ohm * 1000, 3)) mOhm: "
        out += p.exchangeCurrent_A.map { "Butler-Volmer exchange current \(Format.fixed($0, 2)) A, small-signal \(Format.fixed(p.smallSignalPolarisation_ohm * 1000, 3)) mOhm\n" }
            ?? "linear (no fall with current)\n"
        out += "  \(Format.compact(p.warmer_K)) K warmer: ohmic \(Format.fixed(p.warmerOhmic_ohm * 1000, 3)) mOhm, Ea \(Format.fixed(p.activationEnergy_eV, 3)) eV, "
        out += "dOCV/dT \(Format.fixed(p.ocvTemperatureCoefficient_V_per_K * 1e6, 1)) uV/K\n"
        out += "impedance (10 MHz ... 1 mHz at 50 %, ZARC and Warburg fit, worst residual \(Format.fixed(z.worstRelativeRMS * 100, 2)) % of |Z|"
        out += z.rejected > 0 ? "; \(z.rejected) fit(s) with an arc at the dispersion floor rejected):\n" : "):\n"
        for (k, fit) in z.fits.enumerated() {
            let arcs = fit.arcs.map {
                "\(Format.fixed($0.resistance_ohm * 1000, 3)) mOhm at \(Format.compact($0.frequency_Hz)) Hz (\($0.shape == .warburg ? "Warburg" : "n " + Format.fixed($0.dispersion, 2)))"
            }.joined(separator: "; ")
            out += "  sample \(k + 1): series \(Format.fixed(fit.series_ohm * 1000, 3)) mOhm; \(arcs)\n"
        }
        out += "  interface (arcs \(Format.compact(Characterisation.interfaceBand_Hz)) Hz ... \(Format.compact(Characterisation.electrolyteBand_Hz)) Hz) \(Format.fixed(z.interface_ohm * 1000, 3)) mOhm, "
        out += "slow arcs in the band \(Format.fixed(z.polarisation_ohm * 1000, 3)) mOhm\n"
        if let c = r.criticalCurrent {
            out += "critical current (plating steps of a tenth of the datasheet CCD, 3 x 10 min each; short = voltage falling 1 mV):\n"
            for (i, t) in c.temperatures_C.enumerated() {
                let values = c.measured_mA_per_cm2[i].map { $0.map { Format.fixed($0, 3) } ?? "none" }.joined(separator: ", ")
                out += "  \(Format.compact(t)) C: \(values) mA/cm2; Weibull shape \(Format.fixed(c.shape[i], 1)), scale \(Format.fixed(c.scale_mA_per_cm2[i], 3))\n"
            }
            out += "  lower bound (B1, at most the weakest) \(Format.fixed(c.lowerBound_mA_per_cm2, 3)) mA/cm2, Ea \(Format.fixed(c.activationEnergy_eV, 3)) eV\n"
        }
        return out
    }
}
