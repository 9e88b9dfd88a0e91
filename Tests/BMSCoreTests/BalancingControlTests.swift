import Testing

@testable import BMSCore

/// The bleed decisions of `BalancingControl`: start past `threshold`, stop within `release`, a
/// pause for a read keeps them and a stop forgets them.
@Suite("Balancing decisions")
struct BalancingControlTests {
    typealias Control = BalancingControl<4, 1>
    let settings = BalancingSettings(threshold: StateOfCharge(0.01), release: StateOfCharge(0.003))
    let step = Milliseconds(100)
    let variances: InlineArray<4, Float> = InlineArray(repeating: 1e-8)
    let voltages: InlineArray<4, Volts> = InlineArray(repeating: Volts(2.1))
    let excluded: InlineArray<4, Bool> = InlineArray(repeating: false)

    /// Ticks a second of steps (one decision period) with cell 0 `lead` above the others.
    func second(_ b: inout Control, lead: Float, allowed: Bool = true, paused: Bool = false) {
        let deltas: InlineArray<4, Float> = [lead, 0, 0, 0]
        for _ in 0..<10 where b.tick(allowed: allowed, paused: paused, cellCount: 4, settings: settings, step: step) {
            b.update(deltas: deltas.span, variances: variances.span, voltages: voltages.span, cellCount: 4, excluded: excluded.span, settings: settings)
        }
    }

    @Test func aCellBleedsPastTheThresholdUntilTheRelease() {
        var b = Control()
        second(&b, lead: 0.008)
        #expect(b.count == 0, "under the threshold: no bleed")
        second(&b, lead: 0.012)
        #expect(b.count == 1 && b.mask[0])
        second(&b, lead: 0.006)
        #expect(b.count == 1 && b.mask[0], "between release and threshold: bleeding goes on")
        second(&b, lead: 0.002)
        #expect(b.count == 0 && !b.mask[0], "within the release: stopped")
    }

    /// A rest read's pause turns the resistors off and keeps the decision: after it, a cell
    /// already bleeding goes on to the release. (Cleared as a fault's stop does, the cell had to
    /// cross the threshold again: a week of sulfide duty's top-of-charge rest bled nothing for
    /// 3.5 h, `multi-day-mix-sulfide`.)
    @Test func aPauseForAReadKeepsTheDecision() {
        var b = Control()
        second(&b, lead: 0.012)
        #expect(b.count == 1)
        second(&b, lead: 0.008, paused: true)
        #expect(b.count == 0 && !b.mask[0], "the resistors are off while paused")
        second(&b, lead: 0.008)
        #expect(b.count == 1 && b.mask[0], "bleeding resumes: the cell had started and is not within the release")
    }

    /// A stop (a fault, a cold pack, an invalid frame) forgets the decisions: the cell has to
    /// cross the threshold again.
    @Test func aStopForgetsTheDecision() {
        var b = Control()
        second(&b, lead: 0.012)
        #expect(b.count == 1)
        second(&b, lead: 0.008, allowed: false)
        #expect(b.count == 0)
        second(&b, lead: 0.008)
        #expect(b.count == 0, "under the threshold after a stop")
        second(&b, lead: 0.008, allowed: false, paused: true)
        #expect(b.count == 0 && !b.mask[0], "a stop while paused: off")
    }
}
