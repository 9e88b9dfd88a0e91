import ArgumentParser
import Foundation
import Simulation

/// `bmssim plot`: an SVG picture of a run folder.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw an output folder as an SVG: a simulate or plant run's time series (the panels its columns allow), or a sweep's distributions."
    )

    @Argument(help: "Folder written by bmssim simulate, plant or sweep.")
    var runDirectory: String

    @Option(help: "Output file (default: RUN_DIR/plot.svg).")
    var output: String?

    func run() throws {
        let svg = try RunPlot.svg(runDirectory: runDirectory)
        let path = output ?? runDirectory + "/plot.svg"
        try svg.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
}
