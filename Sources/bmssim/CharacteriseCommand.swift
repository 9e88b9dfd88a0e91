import ArgumentParser
import BMSCore
import BatteryPlant
import Foundation
import Simulation

/// `bmssim characterise`: the slow-rate test on sample cells, written as a firmware file.
struct CharacteriseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "characterise",
        abstract: "Characterise sample cells as a lab does (capacity and OCV from a C/20 test, resistances from pulses) and write a firmware file.",
        discussion: """
            Draws sample cells of the chemistry (the production population, their own seed), runs the
            slow-rate and the pulse test on each through the plant's sensors, and writes the firmware
            file: the measured capacity, OCV table, resistances, polarisation and activation energy
            over the base file's other parameters (--base, or the preset's). docs/characterisation.md.
            """
    )

    @Option(help: "A preset (\(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", "))).")
    var preset: ChemistryPreset?

    @Option(help: "A chemistry file (docs/plant-files.md) instead of a preset.")
    var chemistry: String?

    @Option(help: "Firmware file whose other parameters are kept (default: the preset's).")
    var base: String?

    @Option(help: "Sample cells (1 ... 64).")
    var samples = 4

    @Option(help: "Seed of the sample draws.")
    var seed: UInt64 = 90_210

    @Option(help: "Where to write the firmware file.")
    var out: String

    func validate() throws {
        guard (preset == nil) != (chemistry == nil) else { throw ValidationError("give --preset or --chemistry") }
        guard (1...64).contains(samples) else { throw ValidationError("--samples must be 1 ... 64") }
    }

    func run() throws {
        let cell: CellChemistry = try preset.map(\.chemistry) ?? ChemistryFiles.load(path: chemistry!)
        let baseDefinition: FirmwareDefinition
        if let path = base {
            baseDefinition = try FirmwareFiles.load(path: path)
        } else if let p = preset, let f = Scenario.firmwarePreset(for: p.rawValue) {
            baseDefinition = FirmwareFiles.preset(f)
        } else {
            throw ValidationError("a chemistry file needs --base (a firmware file whose other parameters to keep)")
        }
        var options = Characterisation.Options()
        options.samples = samples
        options.seed = seed
        let result = Characterisation.slowRate(cell, options: options)
        let pulses = Characterisation.pulses(cell, options: options)
        let firmware = Characterisation.firmware(
            try Characterisation.firmware(baseDefinition, slowRate: result), pulses: pulses, temperature_C: result.temperature_C)
        try FirmwareFiles.json(of: firmware).write(toFile: out, atomically: true, encoding: .utf8)
        let capacities = result.capacities_Ah.map { Format.fixed($0, 3) }.joined(separator: ", ")
        print("bmssim characterise \(cell.name): \(samples) sample cells at \(Format.compact(result.temperature_C)) C, C/20")
        print("capacities (Ah): \(capacities)")
        print("soc    ocv_V     half_gap_mV  sample_sd_mV")
        for (i, soc) in Characterisation.tableSoC.enumerated() {
            print("\(Format.fixed(soc, 2))   \(Format.fixed(result.ocv_V[i], 4))   \(Format.fixed(result.halfGap_V[i] * 1000, 1))          \(Format.fixed(result.sampleSpread_V[i] * 1000, 2))")
        }
        print("pulses (10 s at 1 C after an hour's rest; ohmic = the first 100 ms step):")
        for (i, soc) in pulses.pulseSoC.enumerated() {
            print("  soc \(Format.fixed(soc, 2)): ohmic \(Format.fixed(pulses.ohmic_ohm[i] * 1000, 3)) mOhm")
        }
        print("  at full \(Format.fixed(pulses.ohmicAtFull_ohm * 1000, 3)) mOhm, rise per unit DoD \(Format.fixed(pulses.risePerDepth_ohm * 1000, 3)) mOhm")
        print("  polarisation \(Format.fixed(pulses.polarisation_ohm * 1000, 3)) mOhm, tau \(Format.fixed(pulses.timeConstant_s, 1)) s (relaxation fit at 50 %)")
        print("  \(Format.compact(pulses.warmer_K)) K warmer: ohmic \(Format.fixed(pulses.warmerOhmic_ohm * 1000, 3)) mOhm, Ea \(Format.fixed(pulses.activationEnergy_eV, 3)) eV")
        print("wrote \(out)")
    }
}
