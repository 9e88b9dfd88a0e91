import ArgumentParser

/// The bmssim command-line tool.
@main
struct BMSSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bmssim",
        abstract: "Battery-management firmware simulator for stationary solid-state sodium packs.",
        discussion: "Signs: current and power are positive on discharge, negative on charge.",
        subcommands: [
            Simulate.self, Regress.self, PlotCommand.self, PlantCommand.self, ImpedanceCommand.self, PlantServerCommand.self,
            ControllerCommand.self, HILMap.self, CellFileCommand.self, FirmwareFileCommand.self, CharacteriseCommand.self, DutyCommand.self, SweepCommand.self, MergeCommand.self,
        ]
    )
}
