import ArgumentParser
import BMSCore
import BatteryPlant
import Simulation

/// `bmssim firmware-file`: prints a preset's firmware parameters as a firmware file, the starting
/// point for the parameters of cells the firmware has no preset for.
struct FirmwareFileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware-file",
        abstract: "Print a preset's firmware parameters (cell model and datasheet limits) as a firmware file (docs/plant-files.md)."
    )

    @Option(help: "The preset: \(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", ")) (any case).")
    var preset: ChemistryPreset

    func run() throws {
        let chemistry = Scenario.firmwarePreset(for: preset.rawValue) ?? .naNiCl2
        print(try FirmwareFiles.json(of: FirmwareFiles.preset(chemistry)), terminator: "")
    }
}
