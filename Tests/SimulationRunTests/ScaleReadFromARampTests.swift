import BatteryPlant
import Testing

@testable import Simulation

/// A pack of unknown history measures its resistance law's scale from the ramps an EMS's
/// schedule makes, not only from steps that stand out of one frame's current noise.
@Suite("Resistance scale from a ramp")
struct ScaleReadFromARampTests {
    /// A mid-life sulfide string of unknown history on arbitrage (run 98 of
    /// targets-200-per-chemistry.json drawn with seed 8191): it rests 7 h, discharges to 6 %,
    /// rests, then charges in one block of 1.5 A from 6 to 92 % (10.3 ... 15.5 h). Each block
    /// ramps in ten set-point steps a minute apart (0.15 ... 0.21 A, C/60 ... C/45), each under
    /// four sigmas of a difference of two 100 ms current readings (0.28 A), so the scale gauge
    /// read frame by frame counted none and no read came all day: the charge's loaded voltage
    /// said nothing with the scale unknown (fifteen times itself), the count ran on the assumed
    /// capacity (87.5 % against 90.4 %), and the estimate ended the charge 5.2 points high
    /// (within its sigma of 6 %). Read over 1 s block means (`FrontGaugeSettings.blockFrames`)
    /// the ramp's steps count, and the first read comes as the discharge starts (7.5 h).
    @Test func anArbitrageRampMeasuresTheScale() throws {
        let (scenario, draw) = try SweepSpec.targetsRun(98, seed: 8191)
        #expect(draw.pack == "sulfide" && draw.ageing == "mid-life" && draw.duty == "arbitrage")
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst = 0.0
        var measuredBy: Int64? = nil
        while runner.time_ms < scenario.duration_ms {
            let step = runner.advance()
            if measuredBy == nil && runner.controller.status.resistanceLawFactor.isFinite { measuredBy = runner.time_ms }
            if runner.time_ms >= 3_600_000 { worst = max(worst, abs(step.socEstimate - step.socTrue)) }
        }
        let at = try #require(measuredBy, "no scale read all day")
        #expect(at < 10 * 3_600_000, "the first read came \(Double(at) / 3.6e6) h in, after the charge began")
        #expect(worst <= 0.03, "worst error from the first hour on \(worst * 100) %")
    }
}
