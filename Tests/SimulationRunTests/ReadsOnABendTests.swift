import BatteryPlant
import Simulation
import Testing

/// The OCV reads of a string whose cells sit on both sides of a bend of the OCV table: at rest,
/// and the loaded-voltage check. The mean cell's SoC is the mean of the cells' SoCs; the cells'
/// mean voltage read through the table is not (it is pulled towards the steep side).
@Suite("OCV reads on a bend of the table")
struct ReadsOnABendTests {
    /// A sulfide string resting at a mean of 7.5 %, its cells spread 1.5 points (one sigma)
    /// across the table's bend at 5 % (8 V per unit below it, 1 V above), the firmware's estimate
    /// starting 2 points low with a sigma of 3 %. The mean cell's SoC is the mean of the cells'
    /// SoCs; the cells' mean voltage read through the table is not (it is pulled towards the
    /// steep side). Read as one mean voltage, the read's possible error near the bend was taken
    /// as a table bias of about 70 mV (the slope change times half the cells' spread), and the
    /// sharp read went into that bias: the estimate stayed 2 points low (a sweep's mid-life
    /// sulfide string, run 53, stood 2.2 points low for three hours of rest at 8 %). Each cell
    /// read through the table on its own, the rest corrects the estimate to within 0.6 points,
    /// inside 3 sigma.
    @Test func aRestAcrossABendReadsTheMeanCell() throws {
        let duration: Int64 = 2 * 3_600_000
        var runner = try Self.spreadString(
            .sulfide, meanSoC: 0.075, spread: 0.015, duty: "time_s,current_A\n0,0\n7200,0\n", duration: duration, startError: -0.02)
        var error = 0.0
        var sigma = 0.0
        while runner.time_ms < duration {
            let step = runner.advance()
            error = step.socEstimate - step.socTrue
            sigma = Double(runner.controller.status.socSigma)
        }
        let cells = runner.plant.cellSoC
        #expect((cells.min() ?? 1) < 0.05 && (cells.max() ?? 0) > 0.05, "the cells straddle the bend: \(cells.min() ?? 0) ... \(cells.max() ?? 0)")
        #expect(abs(error) < 0.006, "error after the rest \(error * 100) % at a sigma of \(sigma * 100) %")
        #expect(abs(error) <= 3 * sigma, "error \(error * 100) % at a sigma of \(sigma * 100) %")
    }
    /// A polymer string discharged at C/5 for half an hour from a mean of 14 %, its cells
    /// spread 5 points (one sigma), so that by the end the emptiest stand on the OCV's steep
    /// foot and the fullest on the flat above it; the firmware's estimate starts 2 points high
    /// with a sigma of 3 %. Under load the firmware checks its estimate against the OCV the
    /// loaded voltage implies once a minute (`SoCEstimator.updateLoadedOCVRange`). Read as the
    /// cells' mean voltage, the cells on the foot pull that voltage below the OCV at the mean
    /// cell's SoC, and the check's sharp range lay below the truth: the estimate went 4.6 points
    /// low at a sigma of 0.9 % (5 sigma), as an end-of-life polymer string's did at the end of
    /// its discharge (sweep run 654 of targets-200-per-chemistry.json drawn with seed 8191).
    /// Each cell read through the table on its own, with the rest read's band, the estimate
    /// stayed within 3 sigma, but that check ratcheted Na-S strings at their knee; it was a
    /// known issue until the IR drop's allowance outside the SoC span the lab's pulses measured
    /// (`SoCEstimator.unmeasuredEndAllowance`): the foot lies below 15 %, where the loaded
    /// voltage now counts for less. The check still reads the cells' mean voltage, so a bend
    /// inside that span would still pull it (not covered here).
    @Test func aDischargeAcrossTheFootReadsTheMeanCell() throws {
        let c5 = PackDefinition.standard(.polymer, cellsPerString: 20).chemistry.capacity_Ah / 5
        let duration: Int64 = 2_400_000
        var runner = try Self.spreadString(
            .polymer, meanSoC: 0.14, spread: 0.05, duty: "time_s,current_A\n0,\(c5)\n1800,\(c5)\n1801,0\n2400,0\n", duration: duration,
            startError: 0.02)
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
    /// A 20-cell string of `chemistry` at `meanSoC`, its cells spread by `spread` (one sigma),
    /// on `duty` (a profile's CSV) for `duration` ms, the firmware's estimate starting
    /// `startError` off with a sigma of 3 %.
    static func spreadString(
        _ chemistry: ChemistryPreset, meanSoC: Double, spread: Double, duty: String, duration: Int64, startError: Double
    ) throws -> ClosedLoopRunner {
        var pack = PackDefinition.standard(chemistry, cellsPerString: 20, initialSoC: meanSoC)
        pack.spread = .production
        pack.spread.initialSoC = spread
        let profile = try DutyProfile.parse(duty, source: "\(chemistry.rawValue) duty")
        var scenario = Scenario(pack: pack, profile: profile, rating_W: 1, duration_ms: duration, seed: 11)
        scenario.initialSoCError = startError
        scenario.initialSoCSigma = 0.03
        return try ClosedLoopRunner(scenario: scenario)
    }
}
