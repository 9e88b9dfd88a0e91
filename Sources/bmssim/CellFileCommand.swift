import ArgumentParser
import BatteryPlant
import Foundation
import Simulation

/// `bmssim cell-file`: prints a preset chemistry as a chemistry file (every physical parameter),
/// the source of profiles/cells/chemistry/ and the starting point of a user's own cell.
struct CellFileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cell-file",
        abstract: "Print a preset's cell as a chemistry file (JSON with every physical parameter; docs/plant-files.md)."
    )

    @Option(help: "The preset: \(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", ")) (any case).")
    var preset: ChemistryPreset

    func run() throws {
        print(try ChemistryFiles.json(of: preset.chemistry), terminator: "")
    }
}
