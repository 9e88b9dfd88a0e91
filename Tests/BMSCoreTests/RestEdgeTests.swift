@testable import BMSCore
import Testing
import BMSCoreTestSupport

/// A block duty's ramp from a settled rest (`ResistanceEstimator.restLook`): one sharp look at
/// every cell's resistance over the mean cell's, where each of the ramp's steps is a weak pair
/// edge.
struct RestEdgeTests {
    /// Two minutes of rest, then `settled` (the rest's OCV read taken, or not), the rest's end
    /// after `idle` seconds at a current under the fit's least step, and a ramp of 0.1 A steps 2 s
    /// apart to 5 A (cells at 3 V less 5 mOhm times 1 + 0.1 k, 2 mV of noise, the rest voltages
    /// their OCV): each step moves the mean cell by under two of a pair's sigmas, no pair edge.
    /// Returns the looks inside the range, and the estimator.
    static func ramp(
        settled: Bool, idle: Int = 0, inside: Bool = true, interrupted: Bool = false, seed: UInt64 = 3
    ) -> (looks: Float, estimator: ResistanceEstimator<32, 4>) {
        var r = ResistanceEstimator<32, 4>()
        var noise = GaussianNoise(seed: seed)
        let rest = InlineArray<32, Float>(repeating: 3)
        ResistanceFitTests.feed(&r, seconds: 120, from: 0, noise: &noise, edgesInside: true, restVoltages: rest) { _ in 0 }
        r.noteRest(resting: true, settled: settled)
        if interrupted { r.interrupt(cellCount: ResistanceFitTests.cells) }
        let start = 1200 + idle * 10
        if idle > 0 { ResistanceFitTests.feed(&r, seconds: idle, from: 1200, noise: &noise, edgesInside: true, restVoltages: rest) { _ in 0.05 } }
        ResistanceFitTests.feed(&r, seconds: 120, from: start, noise: &noise, edgesInside: inside, restVoltages: rest) { t in
            Float(min(50, (t - start) / 20 + 1)) * 0.1
        }
        return (r.edges.looks, r)
    }

    @Test func aRampFromASettledRestIsOneLookAndItReadsEveryCell() {
        #expect(Self.ramp(settled: false).looks == 0, "the ramp's steps are no edges")
        let withRest = Self.ramp(settled: true)
        #expect(withRest.looks == 1)
        #expect(!withRest.estimator.restArmed, "one look per rest")
        // Each cell's ratio to the mean cell, (1 + 0.1 k) / 1.15, to within three of the look's
        // sigmas and the byte's step.
        let e = withRest.estimator.edges
        let sigma = e.lookVariance.squareRoot()
        for k in 0..<ResistanceFitTests.cells {
            let truth = (1 + 0.1 * Float(k)) / 1.15
            let read = EdgeStanding<32>.ratio(e.latest[k])
            #expect(abs(read - truth) < 0.05, "cell \(k): \(read) for \(truth) (a look's sigma \(sigma))")
        }
        #expect(abs(e.latestResistance / (ResistanceFitTests.resistance * 1.15) - 1) < 0.05, "\(e.latestResistance)")
    }

    /// Outside the SoC range no rest edge is taken, not even as the latest look (CCD-aware
    /// derating at any SoC): at a table's foot the cells' OCVs move apart with the ramp's charge.
    @Test func noRestEdgeOutsideTheRange() {
        let outside = Self.ramp(settled: true, inside: false)
        #expect(outside.estimator.edges.latestResistance == 0, "no look at all")
        #expect(outside.estimator.restArmed, "still armed: it may come inside within the window")
    }

    /// Nor after a gap in the frames (an invalid or stale frame): the rest's age counts on valid
    /// frames only.
    @Test func aGapInTheFramesDisarmsTheRestEdge() {
        let gap = Self.ramp(settled: true, interrupted: true)
        #expect(gap.looks == 0 && !gap.estimator.restArmed)
    }

    /// A rest that ended more than `restEdgeWindow` ago anchors nothing: the counted charge and
    /// the slow polarisation have moved the cells since.
    @Test func aRestLongOverAnchorsNoLook() {
        let late = Self.ramp(settled: true, idle: 1300)
        #expect(late.looks == 0 && !late.estimator.restArmed)
        #expect(Self.ramp(settled: true, idle: 600).looks == 1)
    }
}
