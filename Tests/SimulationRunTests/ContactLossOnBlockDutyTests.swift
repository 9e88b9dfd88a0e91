import BatteryPlant
import Testing

@testable import BMSCore
@testable import Simulation

/// A contact loss on a block duty is found at the duty's first edges, before its first charge.
@Suite("Contact loss on a block duty")
struct ContactLossOnBlockDutyTests {
    /// Run 65 of the health sweep (health-20cell.json): a new 20-cell sulfide string on
    /// arbitrage, idle until its discharge ramp at 7 h; cell 5 loses 73 % of
    /// its contact 2.1 h in, before any current flows. The fits need 30 steps and the day gives
    /// twelve, so until 2026-12-06 nothing found it, the charge at 10 h drove the cell at 3.7
    /// times its apparent current density and a dendrite shorted it (1 penetration with
    /// CCD-aware derating, 15 without). The edges of the discharge ramp (0.64 A steps, a third
    /// of a millivolt's noise against 3 mV) now show the cell at about three times the median.
    @Test func aLossBeforeTheFirstEdgeIsFoundOnTheFirstRampAndDeratesTheCharge() throws {
        let spec = try SweepSpec.load(path: "regress/sweeps/health-20cell.json")
        let (scenario, draw) = try spec.scenario(run: 65)
        let loss = try #require(draw.contact_loss)
        #expect(draw.pack == "sulfide" && draw.duty == "arbitrage" && loss.at_h < 7)
        var runner = try ClosedLoopRunner(scenario: scenario)
        let lossAt = Int64(loss.at_h * 3_600_000)
        var flagged: Int64? = nil
        var firstCurrent: Int64? = nil
        var firstCharge: Int64? = nil
        let end: Int64 = 14 * 3_600_000
        while runner.time_ms < end {
            _ = runner.advance()
            let current = runner.plant.current_A
            // (The contactors' closing at power-up draws a moment's current: the edges that count
            // come after the loss.)
            if firstCurrent == nil && runner.time_ms > lossAt && abs(current) > 0.3 { firstCurrent = runner.time_ms }
            if firstCharge == nil && current < -0.3 { firstCharge = runner.time_ms }
            if flagged == nil && runner.controller.status.contactLossCells > 0 { flagged = runner.time_ms }
        }
        let start = try #require(firstCurrent)
        let charge = try #require(firstCharge, "the day charges before 14 h")
        let at = try #require(flagged, "not flagged before 14 h")
        #expect(at > start && at < start + 600_000, "flagged at \(at) ms, \(at - start) ms after the first edge at \(start) ms")
        #expect(at < charge, "flagged before the charge")
        #expect(runner.controller.interfaceHealth.contactLoss[loss.cell], "the flagged cell is the injected one")
        #expect(runner.controller.status.contactLossCells == 1)
        #expect(runner.controller.interfaceHealth.contactFraction[loss.cell] < 0.5)
        #expect(!runner.plant.events.contains { $0.kind == .dendritePenetrated }, "a dendrite went through")
    }

    /// Run 87 of the health sweep: a new 20-cell polymer string on arbitrage; cell 7 loses 52 %
    /// of its contact at 15.7 h, during the charge block at 1.75 A and 85 % SoC. The block runs
    /// on steady to 93 %, the discharge's ramp starts there and runs steady to 15 %: every edge
    /// of the day after the loss lies outside the range where edges count, so until 2026-12-07
    /// nothing latched it in the 8 h left (the cell carried 42 % of its capacity). At the
    /// moment of the loss the cell's voltage rose 11 mV (twelve pair noises) in one second while
    /// the current held (`ResistanceStepWatch`).
    @Test func aLossUnderASteadyCurrentIsFoundAtOnce() throws {
        let spec = try SweepSpec.load(path: "regress/sweeps/health-20cell.json")
        let (scenario, draw) = try spec.scenario(run: 87)
        let loss = try #require(draw.contact_loss)
        #expect(draw.pack == "polymer" && draw.duty == "arbitrage" && loss.cell == 7)
        var runner = try ClosedLoopRunner(scenario: scenario)
        let lossAt = Int64(loss.at_h * 3_600_000)
        var flagged: Int64? = nil
        var currentAtLoss = 0.0
        while runner.time_ms < lossAt + 900_000 {
            _ = runner.advance()
            if runner.time_ms <= lossAt { currentAtLoss = runner.plant.current_A }
            if flagged == nil && runner.controller.status.contactLossCells > 0 { flagged = runner.time_ms }
        }
        #expect(currentAtLoss < -1.5, "charging at \(currentAtLoss) A when the contact goes")
        let at = try #require(flagged, "not flagged within 15 min of the loss")
        #expect(at > lossAt && at < lossAt + 120_000, "flagged \(at - lossAt) ms after the loss")
        #expect(runner.controller.interfaceHealth.contactLoss[loss.cell], "the flagged cell is the injected one")
        #expect(runner.controller.status.contactLossCells == 1)
        let contact = runner.controller.interfaceHealth.contactFraction[loss.cell]
        #expect(contact < 0.75 && contact >= Float(loss.value) - 0.1, "contact \(contact) for a true \(loss.value)")
    }

    /// Run 17 of the health spec drawn with seed 12011: a new 20-cell polymer string on peak
    /// shaving; cell 18 loses 61 % of its contact at 5.3 h, before any current. The day's
    /// discharge ramps in steps of tenths of an ampere and ends near 5 % SoC, outside the range
    /// where edges count (their looks stay 0), so nothing latches; the charge at 20 h steps in
    /// from there at 1.6 A and, until 2026-12-07, ran at that current until a dendrite shorted
    /// the cell. The charge's first edge shows the cell at 2.3 times the mean cell: CCD-aware
    /// derating takes that last look at once (`InterfaceHealth.provisionalContact`) and cuts
    /// the charge to about 0.7 A.
    @Test func aChargeFromOutsideTheRangeIsDeratedByItsFirstEdge() throws {
        var spec = try SweepSpec.load(path: "regress/sweeps/health-20cell.json")
        spec.seed = 12011
        let (scenario, draw) = try spec.scenario(run: 17)
        let loss = try #require(draw.contact_loss)
        #expect(draw.pack == "polymer" && draw.duty == "peak-shaving" && loss.cell == 18)
        var runner = try ClosedLoopRunner(scenario: scenario)
        let lossAt = Int64(loss.at_h * 3_600_000)
        var chargeAt: Int64? = nil
        var deratedAt: Int64? = nil
        var contact: Float = 1
        let end: Int64 = 24 * 3_600_000
        while runner.time_ms < end {
            _ = runner.advance()
            if runner.time_ms > lossAt, chargeAt == nil, runner.plant.current_A < -0.3 { chargeAt = runner.time_ms }
            if chargeAt != nil, deratedAt == nil, runner.controller.status.limitReasons.charge.contains(.contactLoss) {
                deratedAt = runner.time_ms
                contact = runner.controller.health.smallestContact
            }
        }
        let charge = try #require(chargeAt, "the day charges after the loss")
        let derated = try #require(deratedAt, "the charge was not derated for the contact")
        #expect(derated - charge < 60_000, "derated \(derated - charge) ms into the charge")
        #expect(abs(contact - Float(loss.value)) < 0.1, "contact \(contact) for a true \(loss.value)")
        #expect(runner.controller.status.contactLossCells == 0, "one edge latches nothing")
        #expect(!runner.plant.events.contains { $0.kind == .dendritePenetrated }, "a dendrite went through")
    }
}
