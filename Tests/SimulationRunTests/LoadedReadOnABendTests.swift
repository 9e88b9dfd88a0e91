import BatteryPlant
import Simulation
import Testing

/// The loaded-voltage check of a string whose cells sit on both sides of a bend of the OCV table.
@Suite("Loaded read on a bend of the OCV table")
struct LoadedReadOnABendTests {
    /// A polymer string discharged at C/5 for half an hour from a mean of 14 %, its cells
    /// spread 5 points (one sigma), so that by the end the emptiest stand on the OCV's steep
    /// foot and the fullest on the flat above it; the firmware's estimate starts 2 points high
    /// with a sigma of 3 %. Under load the firmware checks its estimate against the OCV the
    /// loaded voltage implies once a minute (`SoCEstimator.updateLoadedOCVRange`). Read as the
    /// cells' mean voltage, the cells on the foot pull that voltage below the OCV at the mean
    /// cell's SoC, and the check's sharp range lay below the truth: the estimate went 4.6 points
    /// low at a sigma of 0.9 % (5 sigma), as an end-of-life polymer string's did at the end of
    /// its discharge (sweep run 654 of targets-200-per-chemistry.json drawn with seed 8191).
    /// Each cell read through the table on its own, the estimate stays within 3 sigma.
    @Test func aDischargeAcrossTheFootReadsTheMeanCell() throws {
        var pack = PackDefinition.standard(.polymer, cellsPerString: 20, initialSoC: 0.14)
        pack.spread = .production
        pack.spread.initialSoC = 0.05
        let capacity = pack.chemistry.capacity_Ah
        let discharge = try DutyProfile.parse(
            "time_s,current_A\n0,\(capacity / 5)\n1800,\(capacity / 5)\n1801,0\n2400,0\n", source: "C/5 for half an hour")
        let duration: Int64 = 2_400_000
        var scenario = Scenario(pack: pack, profile: discharge, rating_W: 1, duration_ms: duration, seed: 11)
        scenario.initialSoCError = 0.02
        scenario.initialSoCSigma = 0.03
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst = 0.0
        var atWorst = (error: 0.0, sigma: 0.0, time_s: 0.0)
        while runner.time_ms < duration {
            let step = runner.advance()
            let error = step.socEstimate - step.socTrue
            let sigma = Double(runner.controller.status.socSigma)
            if abs(error) / sigma > worst {
                worst = abs(error) / sigma
                atWorst = (error, sigma, Double(runner.time_ms) / 1000)
            }
        }
        let cells = runner.plant.cellSoC
        #expect((cells.min() ?? 1) < 0.02 && (cells.max() ?? 0) > 0.1, "the cells straddle the foot: \(cells.min() ?? 0) ... \(cells.max() ?? 0)")
        #expect(worst <= 3, "error \(atWorst.error * 100) % at a sigma of \(atWorst.sigma * 100) % (\(atWorst.time_s) s)")
    }
}
