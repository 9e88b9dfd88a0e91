import ArgumentParser
import Simulation

/// `bmssim hil-summary`: a HIL session's summary.json and timeseries.csv from both sides' logs.
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hil-summary",
        abstract: "Join a HIL session's plant truth and controller log into simulate's summary.json and timeseries.csv.",
        discussion: """
            DIR holds what plant-server --out wrote (plant-truth.csv, plant-final.json) and what \
            controller --out wrote (controller.csv); the hil/ scripts give both the same folder and \
            run this at the end. Rows are joined by simulated time; the SoC figures are over the \
            controller's logged rows (its --output-interval-s), and what no bus carries (per-cell \
            SoC estimates, resistance and interface estimates) is left out (hil/README.md "After a \
            session"). Then bmssim plot DIR and bmssim report DIR work as on a simulate folder.
            """
    )

    @Argument(help: "The session's folder (the controller's --out).")
    var directory: String

    @Option(help: "The plant server's --out, when not DIR.")
    var plant: String?

    func run() throws {
        let o = try SessionSummary.write(folder: directory, plantFolder: plant)
        print(o.summary.humanReadable)
        print("joined \(Format.count(o.rows, "controller row")) with the plant's truth\(o.unmatched > 0 ? ", \(o.unmatched) without truth near their time left out" : "")")
        print("wrote \(directory)/summary.json, \(directory)/timeseries.csv")
    }
}
