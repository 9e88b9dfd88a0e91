import ArgumentParser
import Foundation
import Simulation

/// `bmssim plot`: an SVG picture of a run folder.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw an output as an SVG: a simulate, plant or regress case folder's time series (the panels its columns allow), a sweep's distributions, or an impedance spectrum (Nyquist and Bode)."
    )

    @Argument(help: "Folder written by bmssim simulate, plant, sweep or regress (a case: OUT/NAME), a CSV written by bmssim impedance or duty, or a firmware file.")
    var runDirectory: String

    @Option(help: "Output file (default: RUN_DIR/plot.svg; for a file, the same name ending .svg).")
    var output: String?

    func run() throws {
        let svg = try RunPlot.svg(runDirectory: runDirectory)
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isFolder)
        // A file's picture goes beside it, its extension replaced.
        var stem = Substring(runDirectory)
        if let dot = stem.lastIndex(of: "."), !stem[dot...].contains("/") { stem = stem[..<dot] }
        let path = output ?? (isFolder.boolValue ? runDirectory + "/plot.svg" : stem + ".svg")
        try svg.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
}
