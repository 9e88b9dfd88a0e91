import BMSCore
import Testing
import BMSCoreTestSupport

/// The firmware's reaction-front tracker: which depth a ZEBRA cell's resistance follows after
/// partial cycles, and whether that depth says anything about the SoC.
@Suite("Reaction-front tracker")
struct ReactionFrontTrackerTests {
    @Test func aPartialChargeLeavesALayerThatSaysNothingAboutTheSoC() {
        var t = ReactionFrontTracker(depthOfDischarge: 0, zoneWidth: 0.05)
        t.move(by: 0.6)
        let deep = t.depth(discharging: true)
        #expect(abs(deep.depth - 0.6) < 1e-5 && deep.sensitivity == -1, "one front at the depth of discharge: \(deep)")
        t.move(by: -0.2)
        let charging = t.depth(discharging: false)
        #expect(abs(charging.depth - 0.2) < 1e-5, "the charge front started at the separator: \(charging)")
        #expect(charging.sensitivity == 0, "and moves with the counted charge only")
        t.move(by: 0.1)
        let layer = t.depth(discharging: true)
        #expect(abs(layer.depth - 0.1) < 1e-5 && layer.sensitivity == 0, "the new layer is used first: \(layer)")
        #expect(abs(t.depthOfDischarge - 0.5) < 1e-5)
        t.move(by: 0.15)
        let rejoined = t.depth(discharging: true)
        #expect(abs(rejoined.depth - 0.65) < 1e-5 && rejoined.sensitivity == -1, "back on the deepest front: \(rejoined)")
        #expect(t.fronts == 1)
    }

    @Test func aThinLayerBlendsWithTheReactantBehindIt() {
        var t = ReactionFrontTracker(depthOfDischarge: 0.5, zoneWidth: 0.05)
        t.move(by: -0.01)
        t.move(by: 0.001)
        let d = t.depth(discharging: true)
        // 0.009 of the new layer, then 0.041 of the old front's reactant at 0.5.
        #expect(d.depth > 0.3 && d.depth < 0.5, "\(d)")
        #expect(d.sensitivity < -0.7 && d.sensitivity > -0.9, "most of the zone lies on the deepest front: \(d)")
    }

    /// A correction of the SoC moves the deepest layer and leaves the recent ones alone.
    @Test func reconcilingMovesTheDeepestFront() {
        var t = ReactionFrontTracker(depthOfDischarge: 0.4, zoneWidth: 0.05)
        t.move(by: -0.1)
        t.move(by: 0.05)
        let before = t.depth(discharging: true)
        t.reconcile(depthOfDischarge: t.depthOfDischarge + 0.03)
        #expect(abs(t.depthOfDischarge - 0.38) < 1e-5)
        let after = t.depth(discharging: true)
        #expect(abs(after.depth - before.depth) < 1e-6, "the layer in use is the same")
        t.move(by: 0.06)
        #expect(abs(t.depth(discharging: true).depth - 0.44) < 1e-5, "the deepest front moved by the correction")
    }

    /// A correction during a charge changes the deep layers: the charge front in use keeps its
    /// depth (a history forgotten there would put the charge front back at the separator).
    @Test func aCorrectionDuringAChargeKeepsTheChargeFront() {
        var t = ReactionFrontTracker(depthOfDischarge: 0.4, zoneWidth: 0.05)
        t.move(by: -0.27)
        #expect(abs(t.depth(discharging: false).depth - 0.27) < 1e-5)
        t.reconcile(depthOfDischarge: 0.05)
        #expect(abs(t.depthOfDischarge - 0.05) < 1e-5)
        #expect(abs(t.depth(discharging: false).depth - 0.27) < 1e-5, "\(t.depth(discharging: false))")
        // Larger than the layer: the next one up gives the rest.
        t.reconcile(depthOfDischarge: 0.3)
        #expect(abs(t.depthOfDischarge - 0.3) < 1e-5)
        t.reconcile(depthOfDischarge: 0)
        #expect(t.fronts == 0 && t.depthOfDischarge == 0)
    }

    @Test func layersConserveChargeAndStayOrderedOverRandomCycles() {
        var t = ReactionFrontTracker(depthOfDischarge: 0.3, zoneWidth: 0.05)
        var dod: Double = 0.3
        var state: UInt64 = 12345
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(state >> 11) / Double(1 << 53)
            let next = min(1, max(0, dod + (u - 0.5) * 0.08))
            t.move(by: Float(next - dod))
            dod = next
            // Now and then a correction, as the filter's: the layers follow it exactly.
            if u < 0.05 {
                dod = min(1, max(0, dod + (u - 0.025)))
                t.reconcile(depthOfDischarge: Float(dod))
            }
            if abs(Double(t.depthOfDischarge) - dod) > 1e-4 {
                Issue.record("layers hold \(t.depthOfDischarge), the count says \(dod)")
                return
            }
            #expect(t.fronts <= 8)
            let d = t.depth(discharging: u > 0.5)
            if !(d.depth >= 0 && d.depth <= 1 && d.sensitivity >= -1 && d.sensitivity <= 1) {
                Issue.record("depth out of range: \(d)")
                return
            }
        }
    }
}
