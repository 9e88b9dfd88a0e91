import BatteryPlant
import Testing

@testable import BMSCore
@testable import Simulation

/// A soft short's onset on a plateau is found by the step it makes, not an hour of rest reads.
@Suite("Soft short onset")
struct SoftShortOnsetTests {
    /// Run 30 of the health sweep (health-20cell.json): a new 20-cell ZEBRA string on standby
    /// (the heaters hold it, no current) at 79 %, on the plateau; cell 7 gets a soft short
    /// draining 4.8 %/h at 12.4 h. The rest reads give no SoC on the plateau, so until
    /// 2026-12-08 nothing flagged it, and the cell ran empty and failed within the day. Its
    /// voltage fell 13 mV (15 pair noises) in the second of the onset while the others held
    /// (`ResistanceStepWatch`'s fall).
    @Test func aShortsOnsetAtRestOnAPlateauIsFoundAtOnce() throws {
        let spec = try SweepSpec.load(path: "regress/sweeps/health-20cell.json")
        let (scenario, draw) = try spec.scenario(run: 30)
        let short = try #require(draw.soft_short)
        #expect(draw.pack == "NaNiCl2" && draw.duty == "standby" && short.cell == 7)
        var runner = try ClosedLoopRunner(scenario: scenario)
        let onset = Int64(short.at_h * 3_600_000)
        var flagged: Int64? = nil
        var largestCurrent = 0.0
        while runner.time_ms < onset + 600_000 {
            _ = runner.advance()
            if runner.time_ms > onset - 60_000 { largestCurrent = max(largestCurrent, abs(runner.plant.current_A)) }
            if flagged == nil && runner.controller.status.softShortCells > 0 { flagged = runner.time_ms }
        }
        #expect(largestCurrent < 0.5, "at rest: \(largestCurrent) A")
        let at = try #require(flagged, "not flagged within 10 min of the onset")
        #expect(at > onset && at < onset + 60_000, "flagged \(at - onset) ms after the onset")
        #expect(runner.controller.cellDeltas.softShort[short.cell], "the flagged cell is the shorted one")
        #expect(runner.controller.status.softShortCells == 1)
        #expect(!runner.controller.interfaceHealth.contactLoss[short.cell], "a leak at rest is no contact loss")
    }
}
