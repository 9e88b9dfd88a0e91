import ArgumentParser
import BMSCore
import BatteryPlant
import Foundation
import Simulation

/// `bmssim firmware-file`: prints a preset's firmware parameters as a firmware file, the starting
/// point for the parameters of cells the firmware has no preset for; or the Swift source of the
/// presets from the characterised files.
struct FirmwareFileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware-file",
        abstract: "Print a preset's firmware parameters (cell model and datasheet limits) as a firmware file (docs/plant-files.md).",
        discussion: """
            With --swift-presets DIR, prints instead the Swift source of the firmware's presets from
            DIR/PRESET.json (make firmware-presets writes it to
            Sources/BMSCore/Configuration/FirmwareChemistry+Characterised.swift).
            """
    )

    @Option(help: "The preset: \(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", ")) (any case).")
    var preset: ChemistryPreset?

    @Option(help: "A folder of characterised firmware files (one per preset) to print as the presets' Swift source.")
    var swiftPresets: String?

    func validate() throws {
        guard (preset == nil) != (swiftPresets == nil) else { throw ValidationError("give --preset or --swift-presets") }
    }

    func run() throws {
        if let folder = swiftPresets {
            let definitions = try FirmwarePresetSource.chemistries.map { try FirmwareFiles.load(path: "\(folder)/\($0.file).json") }
            print(FirmwarePresetSource.swift(definitions), terminator: "")
            return
        }
        let chemistry = preset.flatMap { Scenario.firmwarePreset(for: $0.rawValue) } ?? .naNiCl2
        print(try FirmwareFiles.json(of: FirmwareFiles.preset(chemistry)), terminator: "")
    }
}
