/// A sudden rise of one cell's resistance under a steady current: the moment a cell loses
/// contact, seen in the one-second blocks (`ResistanceEstimator`) before any current edge.
///
/// Under a steady current the cells' voltages drift with their OCVs and relaxation, slowly and
/// nearly alike, so one cell's change between two blocks about the mean cell's is the blocks'
/// noise (`ResistanceEstimator`'s quiet pairs). A cell that loses contact moves by -I dR within
/// a block or two, whatever its SoC (a second moves no cell along its OCV): the look the edges
/// and the fits need a current change for, and which a block duty (arbitrage, peak shaving)
/// gives hours later, if at all. A pair is a step look when
/// - three blocks in a row carried the same current within `ResistanceFitSettings.minimumStep`,
///   at least `leastCRate` of the rated capacity one way (a soft short's own step, the short's
///   current through the cell, is current-independent: at C/10 one draining 5 %/h looks like a
///   rise of a half);
/// - one cell's change over the first pair stands `sigmas` pair noises out of the mean cell's;
/// - its change over both pairs holds `held` of that (a reading glitch in one block returns in
///   the next pair; a drift, a cell moving apart along a steep OCV at the end of charge, goes
///   on as far again: end-of-life sulfide cells charging on peak shaving drifted eight pair
///   noises a pair, and held twice that over both);
/// - the pair before was looked at as well, with at most one cell standing half the bar out
///   of it, and if that was this cell, the pair before that was looked at with this cell
///   not standing out (a loss in the middle of a block shows in two pairs: run 7 of the
///   health sweep, 0.72 of the mean cell's resistance and then 1.64 more; a drift stands out
///   pair after pair, and where it ends the last pair holds about once: a new ZEBRA
///   string on PV firming, its cell nearest empty drifting 7 ... 10 pair noises a pair at 7.4 A,
///   held 1.22 once in twenty pairs, a false `contactLoss`; nominal sweep seed 9001, run 53);
/// - the change is a rise (the voltage falls on discharge, rises on charge);
/// - and no balancing resistor switched in the three blocks (`BalancingControl.switches`: a
///   switch moves its cell by the bleed current through it, 0.1 A on a 30 ohm resistor, which
///   at C/10 of a small cell is a rise of a half).
/// The largest excess since the last judgement is kept, -dV / I in ohms at the reference (the
/// mean cell's temperature factor and reaction front divided out), for
/// `InterfaceHealth.judgeStep`.
///
/// The same look at rest or on charge keeps the largest fall: a soft short's onset. A leak
/// through a cell draws its own current I_s, whatever the pack's, and the cell's voltage falls
/// by I_s R within the block (a soft short of 3 ... 5 %/h stepped a ZEBRA cell at rest by 15
/// ... 45 pair noises, health sweep runs 30 and 38). At rest and on charge nothing else moves
/// one cell down in a second (a contact loss moves it by -I dR: not at rest, up on charge);
/// on discharge the two read alike, and a fall there is left to the rise. But a cell of high
/// resistance follows the current's wander inside the steady band: a sulfide cell at 38 % of
/// its contact, 0.11 ohm above the mean cell, fell 8.3 mV (8.8 pair noises) when a regulation
/// day's charge eased by 75 mA (health sweep run 90; runs 51 and 74 the same, false
/// `softShort`s), so on charge a fall is looked for only while the current holds to a quarter
/// of the band (25 mA by default: 2.8 mV on that cell); at rest the blocks' current moves by
/// the sensor's noise (20 ... 30 mA on a ZEBRA string), not the cells'. A cell that lost its
/// contact follows even that (an end-of-life sulfide cell at 21 %, 0.44 ohm above the mean,
/// fell 9.3 mV as a charge eased by 21 mA; run 40): `CellDeltaFilter.judgeLeak` takes no
/// fall of a cell latched `contactLoss`. And a fall is kept only where its cell is the one
/// standing half the bar out of its pair: one cell's jump moves the mean cell by the jump over
/// the cells' number, and every other cell as far the other way (a sulfide cell losing its
/// contact on a charge rose 146 mV among 20, and another stood 8 pair noises below the mean;
/// seed 12011, run 43). That also drops a leak's own fall where it is wider than the cells'
/// number times half the bar (72 mV among 20 cells at 0.9 mV a pair; none on 240). The fall
/// is kept in volts at the reference (divided by the mean cell's resistance factor) for the
/// judgement, which reads it as a leak current through the mean cell's resistance.
@usableFromInline struct ResistanceStepWatch: Sendable {
    /// The cell of the largest step since the last judgement, by its number plus one (0: none).
    @usableFromInline var cell: Int32 = 0
    /// Its excess over the cell's resistance before, ohms at the reference.
    @usableFromInline var excess: Float = 0
    /// The cell of the largest fall at rest or on charge since the last judgement, by its
    /// number plus one (0: none), and the fall, volts at the reference.
    @usableFromInline var leakCell: Int32 = 0
    @usableFromInline var fall: Float = 0
    /// The balancing's switch count at the last block, and the blocks since it last moved
    /// (counted up to three).
    @usableFromInline var bleedSwitches: UInt8 = 0
    @usableFromInline var sinceSwitch: UInt8 = 3
    /// The one cell whose change stood half the bar out over the last pair looked at, by its
    /// number plus one (0: none; -1: more than one, or that pair was not looked at), and the
    /// same for the pair before it.
    @usableFromInline var standingOut: Int16 = -1
    @usableFromInline var stoodOut: Int16 = -1

    /// A step's change in pair noises (eight: the largest of twenty cells' quiet pairs over
    /// the health sweep's days stood five, and a 240-cell string draws twelve times as many).
    @usableFromInline static var sigmas: Float { 8 }
    /// The least steady current a look is taken at, as a C-rate (C/10).
    @usableFromInline static var leastCRate: Float { 0.1 }
    /// The share of the first pair's change the two pairs' must hold: about one for a step (a
    /// loss within one pair held 0.98 ... 1.09 of it on the health sweep; one split over two
    /// blocks shows whole in the second pair), two for a drift.
    @usableFromInline static var held: ClosedRange<Float> { 0.5...1.25 }
    /// The same for a fall at rest or on charge: a leak's onset is followed by its own
    /// polarisation building over the next seconds (a ZEBRA cell's soft short of 4.8 %/h at
    /// rest fell 13.2 mV in the pair of its onset and held 1.48 of it over both, health sweep
    /// run 30), under a drift's two; a drift that doubles within a second is not one.
    @usableFromInline static var heldFall: ClosedRange<Float> { 0.5...1.75 }

    @inlinable init() {}

    /// Looks at the pairs b-2 -> b-1 (`before` -> `last`) and b-2 -> b (`newest`, summed over
    /// `frames` frames) of the per-cell block means, with the blocks' currents `currents`
    /// (newest first), a pair's noise `changeVariance` (V^2), the least current `least` and
    /// `scale`, the mean cell's resistance factor now (temperature and front) over the
    /// reference; `bleedSwitches`, the balancing's switch count (`BalancingControl.switches`).
    @inlinable mutating func look(
        newest: Span<Float>, frames: Float, last: Span<Float>, before: Span<Float>, cellCount: Int,
        currents: SIMD4<Float>, minimumStep: Float, least: Float, changeVariance: Float, scale: Float, bleedSwitches: UInt8
    ) {
        let previous = standingOut
        let earlier = stoodOut
        stoodOut = previous
        standingOut = -1
        if bleedSwitches != self.bleedSwitches {
            self.bleedSwitches = bleedSwitches
            sinceSwitch = 0
            return
        }
        sinceSwitch = min(3, sinceSwitch + 1)
        guard sinceSwitch >= 3 else { return }
        let current = currents[1]
        // Rises at C/10 or more either way; falls at rest (three blocks under C/100: what the
        // current then moves is the sensor's noise), or on charge held to a quarter of the
        // steady band (below). (Nested: a variadic max allocates.)
        let rises = abs(current) >= least
        let resting = max(abs(currents[0]), max(abs(current), abs(currents[2]))) < least / 10
        let falls = resting || current < 0 && max(abs(currents[0] - current), abs(current - currents[2])) < minimumStep / 4
        guard abs(currents[0] - current) < minimumStep, abs(current - currents[2]) < minimumStep, rises || falls,
              changeVariance > 0, scale > 0 else { return }
        var first: Float = 0
        var both: Float = 0
        var counted: Float = 0
        for k in 0..<cellCount {
            let a = last[k] - before[k]
            let b = newest[k] / frames - before[k]
            if a.isFinite && b.isFinite {
                first += a
                both += b
                counted += 1
            }
        }
        guard counted >= 3 else { return }
        first /= counted
        both /= counted
        let bar = Self.sigmas * Self.sigmas * changeVariance
        var out: Int16 = 0
        // The pair's largest fall: kept only where its cell is the one standing out of the
        // pair (one cell's jump moves the mean cell, and so every other cell the other way, by
        // the jump over the cells' number).
        var pairFall: Float = 0
        var pairLeak: Int16 = 0
        for k in 0..<cellCount {
            let a = last[k] - before[k] - first
            guard a * a >= bar / 4 else { continue }
            out = out == 0 ? Int16(truncatingIfNeeded: k + 1) : -1
            guard a * a >= bar, previous >= 0, Int(previous) != k + 1 || earlier >= 0 && Int(earlier) != k + 1 else { continue }
            let b = newest[k] / frames - before[k] - both
            // (Against the other cells' mean: the mean holds the cell's own change.)
            let own = counted / (counted - 1) / scale
            let excess = rises && Self.held.contains(b / a) ? -min(a / current, b / current) * own : 0
            if excess > self.excess {
                self.excess = excess
                cell = Int32(truncatingIfNeeded: k + 1)
            }
            let fall = falls && Self.heldFall.contains(b / a) ? -max(a, b) * own : 0
            if fall > pairFall {
                pairFall = fall
                pairLeak = Int16(truncatingIfNeeded: k + 1)
            }
        }
        if pairLeak == out && pairFall > fall {
            fall = pairFall
            leakCell = Int32(pairLeak)
        }
        standingOut = out
    }

    /// Forgets the step (after its judgement).
    @inlinable mutating func clear() {
        cell = 0
        excess = 0
    }

    /// Forgets the fall (after its judgement).
    @inlinable mutating func clearFall() {
        leakCell = 0
        fall = 0
    }
}
