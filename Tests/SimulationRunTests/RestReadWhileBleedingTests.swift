import BatteryPlant
import Testing

@testable import BMSCore
@testable import Simulation

/// A rest read should be a read of cells at rest: none of them bleeding into its balancing resistor.
@Suite("Rest reads with the bleed resistors off")
struct RestReadWhileBleedingTests {
    /// An end-of-life polymer string on arbitrage (run 654 of targets-200-per-chemistry.json
    /// drawn with seed 8191) rests drained near 10 % with its cells 14 points apart, and the
    /// firmware balances them through the rest: 30 ohm across a 3.3 V cell is 0.11 A, C/64 of a
    /// 7 Ah cell, above the C/100 that makes the pack a rest. Read while they bled, the highest
    /// cells stood 5 ... 20 mV under their open-circuit voltage, several points of SoC on that
    /// part of the table; their hourly reads fell 4 ... 6 points against the truth's one, the
    /// cells not bled then read as losing charge against them, and six healthy cells latched
    /// `softShort` 23.1 h in. The reads now wait until no cell has bled for the rest's
    /// relaxation time, and the bleeding goes on meanwhile (`RestDetector.quietSteps`; pausing
    /// it for the reads, tried before, moved a week of sulfide duty's balancing at the top of
    /// charge, and its hourly quiet windows were too short for these cells to relax).
    @Test func aDrainedPolymerStringBalancedThroughItsRestRaisesNoSoftShort() throws {
        let (scenario, draw) = try SweepSpec.targetsRun(654, seed: 8191)
        #expect(draw.pack == "polymer" && draw.ageing == "end-of-life" && draw.duty == "arbitrage")
        var runner = try ClosedLoopRunner(scenario: scenario)
        let relaxation = Int64(RestDetector<256, 16>.stepsNeeded(runner.controller.configuration))
            * runner.controller.configuration.step.count
        var lastBleed: Int64 = -.max / 2
        var reads = 0
        var readsAfterBleeding = 0
        var bledAtRest = false
        var hoursBefore: Float = .nan
        while runner.time_ms < scenario.duration_ms {
            _ = runner.advance()
            let resting = runner.controller.soc.rest.steps > 0
            // A read (the rest's first or an hourly re-read) restarts the soft-short clock. (It
            // is taken before this step's bleed decision: a bleed resumed after it is no
            // bleed before it.)
            let hours = runner.controller.soc.cellDeltas.hoursSinceReference
            if hours.isFinite && !(hours >= hoursBefore) {
                reads += 1
                if runner.time_ms - lastBleed < relaxation { readsAfterBleeding += 1 }
            }
            hoursBefore = hours
            if runner.controller.balancing.count > 0 {
                lastBleed = runner.time_ms
                if resting { bledAtRest = true }
            }
        }
        #expect(bledAtRest, "no cell bled at rest: this tests nothing")
        #expect(reads >= 3, "\(reads) rest reads")
        #expect(readsAfterBleeding == 0, "\(readsAfterBleeding) of \(reads) rest reads within the relaxation time of a bleed")
        #expect(runner.controller.status.softShortCells == 0, "softShort on \(runner.controller.status.softShortCells) healthy cells")
    }
}
