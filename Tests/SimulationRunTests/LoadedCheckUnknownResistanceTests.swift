import BatteryPlant
import Testing

@testable import BMSCore
@testable import Simulation

/// The loaded range check on a string of unknown history whose resistance nothing has measured yet.
@Suite("Loaded check with the resistance unmeasured")
struct LoadedCheckUnknownResistanceTests {
    /// An end-of-life sulfide string on arbitrage (run 4 of the targets spec drawn for sulfide
    /// alone with seed 9973): its cells' resistance is about 16 times the datasheet's (a 70 ...
    /// 88 mV drop at C/7 where the law says 5), and the arbitrage blocks ramp, so no current step
    /// reads the scale until the discharge's end. The loaded check allowed the IR drop three
    /// times itself (`unmeasuredResistanceUncertainty`) while the filter's own scale was
    /// uncertain by fifteen: the truth lay outside its band, and its reads, sharp on the slope,
    /// put the estimate 6.3 points low at a sigma of 1.8 % (3.4 sigma) by the end of the
    /// discharge. Without the check the estimate ended 3.5 points low at a sigma of 4.2 %. A
    /// known issue: the check taking the filter's own scale sigma until the resistance is
    /// measured kept this day within 1.2 sigma, but cost other strings the check's pull (on a
    /// fresh seed sulfide p95 RMS 0.98 -> 1.13 %); withdrawn (docs/core.md, the loaded check).
    @Test func aGrownResistanceUnmeasuredIsNotReadAsSoC() throws {
        let (scenario, draw) = try SweepSpec.targetsRun(4, seed: 9973, packs: ["sulfide"])
        #expect(draw.pack == "sulfide" && draw.ageing == "end-of-life" && draw.duty == "arbitrage")
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst: (z: Double, error: Double, sigma: Double, hours: Double) = (0, 0, 0, 0)
        while runner.time_ms < scenario.duration_ms {
            let step = runner.advance()
            let sigma = Double(runner.controller.status.socSigma)
            let error = step.socEstimate - step.socTrue
            if abs(error / sigma) > abs(worst.z) { worst = (error / sigma, error, sigma, Double(runner.time_ms) / 3_600_000) }
        }
        withKnownIssue("the loaded check reads a resistance 16 times the law's, unmeasured, as SoC") {
            #expect(abs(worst.z) <= 3, "worst \(worst.error * 100) % at a sigma of \(worst.sigma * 100) % (\(worst.z) sigma) at \(worst.hours) h")
        }
    }
}
