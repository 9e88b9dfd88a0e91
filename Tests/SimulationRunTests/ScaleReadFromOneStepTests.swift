import BatteryPlant
import Testing

@testable import Simulation

/// A pack of unknown history measures its resistance law's scale from the first clean current
/// step, not only from a window of many.
@Suite("Resistance scale from one step")
struct ScaleReadFromOneStepTests {
    /// A mid-life sulfide string of unknown history on arbitrage (run 98 of
    /// targets-200-per-chemistry.json drawn with seed 8191): it rests 7 h, discharges to 6 %,
    /// rests, then charges in one block of 1.5 A from 6 to 92 % (10.3 ... 15.5 h). Each block
    /// starts and ends with a single step, three samples of the scale gauge; with eight asked
    /// for in a window no read comes all day. With the scale unknown (fifteen times itself) the
    /// charge's loaded voltage says nothing, the count runs on the assumed capacity (87.5 %
    /// against 90.4 %), and the estimate ends the charge 5.2 points high (within its sigma of
    /// 6 %). A known issue: a gauge reading from one step's three samples read the scale at the
    /// discharge's end (8.5 h) and kept the day within 1.4 %, but it was not validated over a
    /// sweep and it moved other strings of unknown history (an end-of-life polymer string's
    /// rests at the foot of its table raised a false `softShort` again, with the quiet rest
    /// reads then in place); withdrawn
    /// (docs/core.md "resistance law's scale").
    @Test func anArbitrageBlockStepMeasuresTheScale() throws {
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
        withKnownIssue("one step is three samples; the scale gauge asks for eight in a window") {
            let at = try #require(measuredBy, "no scale read all day")
            #expect(at < 10 * 3_600_000, "the first read came \(Double(at) / 3.6e6) h in, after the charge began")
            #expect(worst <= 0.03, "worst error from the first hour on \(worst * 100) %")
        }
    }
}
