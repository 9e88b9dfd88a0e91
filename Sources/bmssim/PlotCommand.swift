import ArgumentParser
import Foundation
import Simulation

/// `bmssim plot`: an SVG picture of a run folder.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw an output as an SVG: a simulate, plant or regress case folder's time series (the panels its columns allow), a sweep's distributions, or an impedance spectrum (Nyquist and Bode)."
    )

    @Argument(help: "Folder written by bmssim simulate, plant, sweep or regress (a case: OUT/NAME), or a CSV written by bmssim impedance.")
    var runDirectory: String

    @Option(help: "Output file (default: RUN_DIR/plot.svg; for a CSV, the same name ending .svg).")
    var output: String?

    func run() throws {
        let svg = try RunPlot.svg(runDirectory: runDirectory)
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isFolder)
        let path = output ?? (isFolder.boolValue ? runDirectory + "/plot.svg" : String(runDirectory.dropLast(4)) + ".svg")
        try svg.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
}
