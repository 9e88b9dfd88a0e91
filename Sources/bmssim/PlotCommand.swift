import ArgumentParser
import Foundation
import Simulation

/// `bmssim plot`: an SVG picture of a run folder.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a run (timeseries.csv + summary.json) as an SVG: power, SoC with its band, cell voltages, temperatures, heaters, interface resistance, protection events."
    )

    @Argument(help: "Run folder written by bmssim simulate.")
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
