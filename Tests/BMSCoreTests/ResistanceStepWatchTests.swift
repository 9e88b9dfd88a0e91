@testable import BMSCore
import Testing

/// One cell's resistance stepping under a steady current (`ResistanceStepWatch`) and its
/// judgement (`InterfaceHealth.judgeStep`).
struct ResistanceStepWatchTests {
    /// Eight cells' block means over three blocks: every cell drifts down 1 mV a block (the
    /// mean cell's OCV under a discharge), and `cell` moves by `first` over the first pair and
    /// `both` over the two.
    struct Blocks {
        var before = InlineArray<8, Float>(repeating: 3)
        var last = InlineArray<8, Float>(repeating: 2.999)
        /// Summed over `frames` frames, as the estimator's filling block is.
        var newest = InlineArray<8, Float>(repeating: 2.998 * 10)
        let frames: Float = 10

        init(cell: Int = 3, first: Float = 0, both: Float = 0) {
            last[cell] += first
            newest[cell] += both * frames
        }
    }

    /// A pair's noise: 0.5 mV.
    static let variance: Float = 0.5e-3 * 0.5e-3

    /// One look of `watch` at `blocks`.
    static func look(
        _ watch: inout ResistanceStepWatch, _ blocks: Blocks, currents: SIMD4<Float> = SIMD4(repeating: 2), least: Float = 1,
        scale: Float = 1, variance: Float = variance, switches: UInt8 = 0
    ) {
        watch.look(
            newest: blocks.newest.span, frames: blocks.frames, last: blocks.last.span, before: blocks.before.span, cellCount: 8,
            currents: currents, minimumStep: 0.1, least: least, changeVariance: variance, scale: scale, bleedSwitches: switches)
    }

    /// A watch that looked at a quiet pair (`before`: the pair before the one looked at).
    static func primed(_ before: Blocks = Blocks()) -> ResistanceStepWatch {
        var watch = ResistanceStepWatch()
        look(&watch, before)
        return watch
    }

    static func watch(
        _ blocks: Blocks, currents: SIMD4<Float> = SIMD4(repeating: 2), least: Float = 1, scale: Float = 1,
        variance: Float = variance, before: Blocks = Blocks()
    ) -> ResistanceStepWatch {
        var watch = primed(before)
        look(&watch, blocks, currents: currents, least: least, scale: scale, variance: variance)
        return watch
    }

    /// A cell whose voltage falls 10 mV in one pair of a 2 A discharge and stays there has
    /// risen by 5 milliohms (over the other cells' change).
    @Test func aHeldFallOnDischargeIsARise() {
        let watch = Self.watch(Blocks(first: -0.010, both: -0.010))
        #expect(watch.cell == 4)
        #expect(abs(watch.excess - 0.005) < 1e-5, "\(watch.excess)")
        // The mean cell's factor now (warmer, a deeper front) is divided out.
        #expect(abs(Self.watch(Blocks(first: -0.010, both: -0.010), scale: 2).excess - 0.0025) < 1e-5)
    }

    /// On charge a rise lifts the voltage; a fall there (or a rise on discharge) is no step up.
    @Test func theStepsSignFollowsTheCurrent() {
        let charge = SIMD4<Float>(repeating: -2)
        #expect(Self.watch(Blocks(first: 0.010, both: 0.010), currents: charge).cell == 4)
        #expect(Self.watch(Blocks(first: -0.010, both: -0.010), currents: charge).cell == 0)
        #expect(Self.watch(Blocks(first: 0.010, both: 0.010)).cell == 0)
    }

    /// A drift goes on (twice the first pair over both), a glitch in one block returns, and a
    /// step of five pair noises is the noise's tail: none is a step.
    @Test func aDriftAGlitchOrTheNoiseIsNoStep() {
        #expect(Self.watch(Blocks(first: -0.010, both: -0.020)).cell == 0)
        #expect(Self.watch(Blocks(first: -0.010, both: 0)).cell == 0)
        #expect(Self.watch(Blocks(first: -0.003, both: -0.003)).cell == 0)
        // ... while one of nine holds (5 mV, 4.4 over the mean cell's change).
        #expect(Self.watch(Blocks(first: -0.005, both: -0.005)).cell == 4)
    }

    /// A change that was there in the pair before is a drift, however it holds; so is any
    /// change after a pair with two cells standing out, or after one not looked at (a current
    /// step: nothing says what came before).
    @Test func aChangeThatWasThereBeforeIsNoStep() {
        let step = Blocks(first: -0.010, both: -0.010)
        let drift = Blocks(first: -0.010, both: -0.020)
        var drifting = Self.primed(drift)
        for blocks in [drift, step] {
            Self.look(&drifting, blocks)
        }
        #expect(drifting.cell == 0, "a drift's end")
        var halfBar = Self.primed(Blocks(first: -0.003, both: -0.006))
        for blocks in [Blocks(first: -0.003, both: -0.006), step] {
            Self.look(&halfBar, blocks)
        }
        #expect(halfBar.cell == 0, "half the bar before, twice")
        var two = Blocks(first: -0.010, both: -0.010)
        two.last[6] += 0.010
        #expect(Self.watch(step, before: two).cell == 0, "two cells stood out")
        #expect(Self.watch(step, before: Blocks(cell: 5, first: -0.010, both: -0.020)).cell == 4, "another cell drifted")
        // A loss in the middle of a block shows in two pairs, the second holding: one pair
        // before it that stood out, after a quiet one, is the loss's first part.
        var split = Self.primed()
        for blocks in [Blocks(first: -0.004, both: -0.014), step] {
            Self.look(&split, blocks)
        }
        #expect(split.cell == 4)
        var unprimed = ResistanceStepWatch()
        Self.look(&unprimed, step)
        #expect(unprimed.cell == 0)
    }

    /// Only under a steady current of at least the least one: at rest a soft short's onset
    /// steps a cell's voltage down whatever its resistance; across a current step the cells
    /// move by their resistances (the edges' look).
    @Test func onlyUnderASteadyCurrent() {
        let step = Blocks(first: -0.010, both: -0.010)
        #expect(Self.watch(step, currents: SIMD4(repeating: 0.02)).cell == 0)
        #expect(Self.watch(step, currents: SIMD4(2, 2.5, 2, 2)).cell == 0)
        #expect(Self.watch(step, currents: SIMD4(2.5, 2, 2, 2)).cell == 0)
        #expect(Self.watch(step, currents: SIMD4(2, 2, 2.5, 2)).cell == 0)
        #expect(Self.watch(step, currents: SIMD4(2, 2, 2, 2.5)).cell == 4, "the fourth block is not in the pairs")
        #expect(Self.watch(step, variance: .nan).cell == 0, "no quiet pair yet")
    }

    /// At rest or on charge a held fall is kept apart, in volts at the reference: a soft
    /// short's onset (its own current through the cell, whatever the pack's). On discharge a
    /// fall is the rise's, and between rest and the least current neither is looked for.
    @Test func aFallAtRestOrOnChargeIsKeptAsALeaksOnset() {
        let fall = Blocks(first: -0.010, both: -0.010)
        let rest = Self.watch(fall, currents: SIMD4(repeating: 0.02))
        #expect(rest.leakCell == 4 && rest.cell == 0)
        #expect(abs(rest.fall - 0.010) < 1e-5, "\(rest.fall)")
        #expect(abs(Self.watch(fall, currents: SIMD4(repeating: 0.02), scale: 2).fall - 0.005) < 1e-5, "the factor now divided out")
        let charge = Self.watch(fall, currents: SIMD4(repeating: -2))
        #expect(charge.leakCell == 4 && charge.cell == 0)
        #expect(Self.watch(fall).leakCell == 0, "on discharge: a rise")
        #expect(Self.watch(fall, currents: SIMD4(repeating: 0.5)).leakCell == 0, "under the least current, discharging")
        #expect(Self.watch(Blocks(first: 0.010, both: 0.010), currents: SIMD4(repeating: 0.02)).leakCell == 0, "a rise at rest")
        #expect(Self.watch(fall, currents: SIMD4(0.02, 0.5, 0.02, 0.02)).leakCell == 0, "not a steady current")
        // A high cell follows the current inside the steady band (0.1 A): a fall wants it
        // held to a quarter of that.
        #expect(Self.watch(fall, currents: SIMD4(-2, -1.95, -2, -2)).leakCell == 0, "50 mA")
        #expect(Self.watch(fall, currents: SIMD4(-2, -2, -1.95, -2)).leakCell == 0, "50 mA in the first pair")
        #expect(Self.watch(fall, currents: SIMD4(-2, -1.98, -2, -2)).leakCell == 4, "20 mA")
        // At rest (under a tenth of the least current) the current's moves are the sensor's.
        #expect(Self.watch(fall, currents: SIMD4(0.03, -0.03, 0.05, 0)).leakCell == 4, "at rest")
    }

    /// A leak's onset may go on settling (its own polarisation: up to 1.75 of the first pair
    /// over both), which a rise may not; a drift (two) or a glitch (none) is no fall.
    @Test func aLeaksOnsetMaySettleADriftMayNot() {
        let rest = SIMD4<Float>(repeating: 0.02)
        #expect(Self.watch(Blocks(first: -0.010, both: -0.0148), currents: rest).leakCell == 4)
        #expect(Self.watch(Blocks(first: -0.010, both: -0.0148), currents: SIMD4(repeating: -2)).leakCell == 4)
        #expect(Self.watch(Blocks(first: -0.010, both: -0.0148)).cell == 0, "a rise holds to 1.25")
        #expect(Self.watch(Blocks(first: -0.010, both: -0.020), currents: rest).leakCell == 0, "a drift")
        #expect(Self.watch(Blocks(first: -0.010, both: 0), currents: rest).leakCell == 0, "a glitch")
        #expect(Self.watch(Blocks(first: -0.003, both: -0.003), currents: rest).leakCell == 0, "the noise")
        var drifting = Self.primed(Blocks(first: -0.010, both: -0.020))
        Self.look(&drifting, Blocks(first: -0.010, both: -0.020), currents: rest)
        Self.look(&drifting, Blocks(first: -0.010, both: -0.010), currents: rest)
        #expect(drifting.leakCell == 0, "a drift's end")
    }

    /// A fall must be the one change standing out of its pair: one cell that jumps moves the
    /// mean cell with it, by its jump over the cells' number, and every other cell stands that
    /// far the other way (health sweep seed 12011, run 43: a sulfide cell losing its contact on
    /// a charge rose 146 mV, 20 cells, and another cell stood 8 pair noises below the mean: a
    /// false `softShort`).
    @Test func aFallMustStandOutOfItsPairAlone() {
        let rest = SIMD4<Float>(repeating: 0.02)
        var blocks = Blocks(first: -0.010, both: -0.010)
        blocks.last[5] += 0.030
        blocks.newest[5] += 0.030 * blocks.frames
        #expect(Self.watch(blocks, currents: rest).leakCell == 0, "a rise in the pair too")
        var smaller = Blocks(first: -0.010, both: -0.010)
        smaller.last[5] -= 0.0005
        smaller.newest[5] -= 0.0005 * smaller.frames
        #expect(Self.watch(smaller, currents: rest).leakCell == 4, "a change under half the bar beside it")
    }

    /// The judgement: a fall that drains its cell by 0.5 %/h or more through the mean cell's
    /// resistance latches `softShort`; a smaller one, or one on an excluded cell or a cell
    /// latched `contactLoss`, does not; either way the fall is forgotten.
    @Test func aFallDrainingPastTheRateIsASoftShort() {
        let none = InlineArray<8, Bool>(repeating: false)
        var cell4 = none
        cell4[3] = true
        var deltas = CellDeltaFilter<8, 1>()
        var watch = ResistanceStepWatch()
        /// A fall of 10 mV of cell `cell` judged over `resistance` ohms and `capacity` Ah.
        func judge(
            cell: Int32 = 4, resistance: Float = 0.01, capacity: Float, excluded: InlineArray<8, Bool> = none,
            lost: InlineArray<8, Bool> = none
        ) {
            watch.leakCell = cell
            watch.fall = 0.010
            deltas.judgeLeak(&watch, excluded: excluded.span, lostContact: lost.span, resistance: resistance, capacity: capacity)
        }
        judge(capacity: 300)
        #expect(deltas.softShortCount == 0, "10 mV over 10 milliohms: 1 A, 0.33 %/h of 300 Ah")
        #expect(watch.leakCell == 0 && watch.fall == 0)
        judge(capacity: 100, excluded: cell4)
        #expect(deltas.softShortCount == 0, "an excluded cell")
        judge(capacity: 100, lost: cell4)
        #expect(deltas.softShortCount == 0, "a cell latched contactLoss")
        judge(capacity: 100)
        judge(capacity: 100)
        #expect(deltas.softShort[3] && deltas.softShortCount == 1, "1 %/h, latched once")
        judge(cell: 2, resistance: 0.04, capacity: 100)
        #expect(deltas.softShortCount == 1, "0.25 A through 40 milliohms: 0.25 %/h")
    }

    /// A balancing resistor switching moves its cell by the bleed current through it: the
    /// three blocks from the switch on are no look.
    @Test func aBalancingSwitchBlindsThreeBlocks() {
        let step = Blocks(first: -0.010, both: -0.010)
        var watch = Self.primed()
        func look(_ switches: UInt8, _ blocks: Blocks = step) {
            Self.look(&watch, blocks, switches: switches)
        }
        for _ in 0..<4 {
            look(1)
            #expect(watch.cell == 0)
        }
        look(1, Blocks())
        look(1)
        #expect(watch.cell == 4)
        watch.clear()
        look(2)
        #expect(watch.cell == 0)
    }

    /// Every change of the balancing's mask (on, off, a pause for a rest read, a stop) counts
    /// a switch; a decision that changes nothing does not.
    @Test func theBalancingCountsItsSwitches() {
        var balancing = BalancingControl<8, 1>()
        var settings = BalancingSettings()
        settings.enabled = true
        let voltages = InlineArray<8, Volts>(repeating: Volts(2.5))
        let variances = InlineArray<8, Float>(repeating: 1e-6)
        let excluded = InlineArray<8, Bool>(repeating: false)
        var deltas = InlineArray<8, Float>(repeating: 0)
        func decide() {
            balancing.update(
                deltas: deltas.span, variances: variances.span, voltages: voltages.span, cellCount: 8, excluded: excluded.span,
                settings: settings)
        }
        decide()
        #expect(balancing.switches == 0 && balancing.count == 0)
        deltas[2] = 0.1
        deltas[5] = 0.1
        decide()
        #expect(balancing.switches == 1 && balancing.count == 2, "two cells on in one decision")
        decide()
        #expect(balancing.switches == 1, "nothing changed")
        _ = balancing.tick(allowed: true, paused: true, cellCount: 8, settings: settings, step: Milliseconds(100))
        #expect(balancing.switches == 2 && balancing.count == 0, "paused for a read")
        _ = balancing.tick(allowed: true, paused: false, cellCount: 8, settings: settings, step: Milliseconds(100))
        #expect(balancing.switches == 3 && balancing.count == 2, "resumed")
        _ = balancing.tick(allowed: false, cellCount: 8, settings: settings, step: Milliseconds(100))
        #expect(balancing.switches == 4 && balancing.count == 0, "stopped by a fault")
    }

    /// A cell with no reading (NaN) takes no part; the others are still judged.
    @Test func aCellWithoutAReadingIsLeftOut() {
        var blocks = Blocks(first: -0.010, both: -0.010)
        blocks.last[6] = .nan
        let watch = Self.watch(blocks)
        #expect(watch.cell == 4)
        #expect(abs(watch.excess - 0.005) < 1e-5)
    }

    /// The largest step is kept until its judgement.
    @Test func theLargestStepIsKept() {
        var watch = Self.watch(Blocks(first: -0.010, both: -0.010))
        let later = Blocks(cell: 5, first: -0.006, both: -0.006)
        Self.look(&watch, later)
        #expect(watch.cell == 4)
        let quiet = Blocks()
        Self.look(&watch, quiet)
        let larger = Blocks(cell: 5, first: -0.016, both: -0.016)
        Self.look(&watch, larger)
        #expect(watch.cell == 6)
    }

    /// The judgement: a step past the fits' threshold (half the interface part, at least 7.5 %
    /// of the mean cell) latches its cell with the contact fraction it allows; one under it, or
    /// on an excluded cell, does not; either way the step is forgotten.
    @Test func aStepPastTheThresholdLatches() {
        let excluded = InlineArray<8, Bool>(repeating: false)
        var health = InterfaceHealth<8, 1>()
        // Interface 4 milliohms of 10: the threshold is 2 milliohms.
        var watch = ResistanceStepWatch()
        watch.cell = 4
        watch.excess = 0.0019
        health.judgeStep(&watch, excluded: excluded.span, interfaceResistance: Ohms(0.004), resistance: 0.01)
        #expect(health.contactLossCount == 0)
        #expect(watch.cell == 0 && watch.excess == 0)
        watch.cell = 4
        watch.excess = 0.005
        var out = excluded
        out[3] = true
        health.judgeStep(&watch, excluded: out.span, interfaceResistance: Ohms(0.004), resistance: 0.01)
        #expect(health.contactLossCount == 0, "an excluded cell")
        watch.cell = 4
        watch.excess = 0.005
        health.judgeStep(&watch, excluded: excluded.span, interfaceResistance: Ohms(0.004), resistance: 0.01)
        #expect(health.contactLoss[3] && health.contactLossCount == 1)
        #expect(abs(health.contactFraction[3] - 0.004 / 0.009) < 1e-5)
        // Where the interface is a small part, 7.5 % of the whole is the threshold.
        watch.cell = 2
        watch.excess = 0.0007
        health.judgeStep(&watch, excluded: excluded.span, interfaceResistance: Ohms(0.001), resistance: 0.01)
        #expect(!health.contactLoss[1])
        watch.cell = 2
        watch.excess = 0.0008
        health.judgeStep(&watch, excluded: excluded.span, interfaceResistance: Ohms(0.001), resistance: 0.01)
        #expect(health.contactLoss[1] && health.contactLossCount == 2)
        // No interface part known: nothing to lose contact over.
        watch.cell = 1
        watch.excess = 0.01
        health.judgeStep(&watch, excluded: excluded.span, interfaceResistance: .zero, resistance: 0.01)
        #expect(!health.contactLoss[0])
    }
}
