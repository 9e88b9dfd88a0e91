import ArgumentParser
import Foundation
import Simulation

/// `bmssim report`: one HTML page of an output folder.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page of an output folder: outcome, expectations, every figure, events, the plot and the provenance.",
        discussion: """
            RUN_DIR is a simulate, plant or regress case folder (regress keeps a case's folder with \
            --series), or a sweep folder. The page holds everything inline (no other files), so it \
            can be attached to a review as it is.
            """
    )

    @Argument(help: "The output folder.")
    var runDirectory: String

    @Option(help: "The page (default: RUN_DIR/report.html).")
    var output: String?

    func run() throws {
        let html = try RunReport.html(runDirectory: runDirectory)
        let path = output ?? runDirectory + "/report.html"
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
}
