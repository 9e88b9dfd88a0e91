import BatteryPlant
import Foundation
import Testing

@testable import Simulation

/// What a full charge tells the firmware.
@Suite("Full charge on a spread string")
struct FullChargeSpreadTests {
    /// An end-of-life polymer string (capacities spread by a fifth of their 20 % fade) charged at
    /// C/5 from 35 % until the voltage ramp tapers it (the smallest cells rise fastest): what is
    /// full is the fullest cell, and the pack SoC (the mean cell) stands below it by that cell's
    /// difference. Taken as 100 %, the estimate of
    /// a sweep's end-of-life polymer string (run 108) ended 3.8 points high at a sigma of 0.6
    /// (6 sigma). After the full charge and an hour's rest the error stays within 3 sigma, and
    /// the fullest cell's estimate ends within 1.2 points of the fullest cell: the charge tapers
    /// at the 3.65 V charge end, the fullest cell at 98 % of its table, and anchored at 100 % the
    /// estimate ended 2.2 points high.
    ///
    /// The mean's error at the end was a known issue for a day (1.8 points, 2026-12-05): at the
    /// first full charge the per-cell filter has not yet learnt the fullest cell's difference
    /// from the mean (every difference is still 0, and the mean is anchored about 4 points high,
    /// within its sigma of 1.5 %); the hour's rest after the charge is what corrects the mean,
    /// and with the string's cells on both sides of the NVP knee its read went into the table's
    /// bias. Each cell read through the table on its own, the mean ends 0.3 points off.
    @Test func aFullChargeAnchorsTheFullestCellNotTheMean() throws {
        var pack = PackDefinition.standard(.polymer, cellsPerString: 20, initialSoC: 0.35)
        pack.ageing = .endOfLife
        pack.spread = .production
        let charge = try DutyProfile.parse("time_s,current_A\n0,-2\n18000,0\n", source: "C/5 charge, rest")
        let duration: Int64 = 6 * 3_600_000
        let scenario = Scenario(pack: pack, profile: charge, rating_W: 1, duration_ms: duration, seed: 7)
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst = 0.0
        var finalError = 0.0
        var spread = 0.0
        var fullestError = 0.0
        while runner.time_ms < duration {
            let step = runner.advance()
            guard runner.time_ms >= 5 * 3_600_000 else { continue }
            let sigma = Double(runner.controller.status.socSigma)
            worst = max(worst, abs(step.socEstimate - step.socTrue) / sigma)
            finalError = step.socEstimate - step.socTrue
            let cells = runner.plant.cellSoC
            spread = (cells.max() ?? 0) - step.socTrue
            fullestError = Double(runner.controller.status.maximumCellSoC.value) - (cells.max() ?? 0)
        }
        #expect(spread > 0.02, "the fullest cell stands \(spread) above the mean (else this tests nothing)")
        #expect(worst <= 3, "error reached \(worst) sigma after the full charge")
        #expect(abs(fullestError) < 0.012, "the fullest cell's error at the end \(fullestError * 100) %")
        #expect(abs(finalError) < 0.012, "error at the end \(finalError * 100) %")
    }
}
