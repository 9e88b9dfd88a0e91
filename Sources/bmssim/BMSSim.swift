import ArgumentParser

/// The bmssim command-line tool.
@main
struct BMSSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bmssim",
        abstract: "Battery-management firmware simulator for stationary solid-state sodium packs.",
        discussion: "Signs: current and power are positive on discharge, negative on charge.",
        subcommands: [
            Simulate.self, Regress.self, PlotCommand.self, CompareCommand.self, ReportCommand.self, PlantCommand.self, ImpedanceCommand.self, PlantServerCommand.self,
            ControllerCommand.self, SessionCommand.self, HILMap.self, CellFileCommand.self, FirmwareFileCommand.self, FirmwareTraceCommand.self, CharacteriseCommand.self, DutyCommand.self, SweepCommand.self, MergeCommand.self,
        ]
    )

    @Flag(help: "Print the version and the source commit, and exit.")
    var version = false

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(BuildInfo.line)
    }
}
