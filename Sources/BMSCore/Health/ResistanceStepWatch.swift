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
@usableFromInline struct ResistanceStepWatch: Sendable {
    /// The cell of the largest step since the last judgement, by its number plus one (0: none).
    @usableFromInline var cell: Int32 = 0
    /// Its excess over the cell's resistance before, ohms at the reference.
    @usableFromInline var excess: Float = 0
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
        guard abs(currents[0] - current) < minimumStep, abs(current - currents[2]) < minimumStep, abs(current) >= least,
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
        for k in 0..<cellCount {
            let a = last[k] - before[k] - first
            guard a * a >= bar / 4 else { continue }
            out = out == 0 ? Int16(truncatingIfNeeded: k + 1) : -1
            guard a * a >= bar, previous >= 0, Int(previous) != k + 1 || earlier >= 0 && Int(earlier) != k + 1 else { continue }
            let b = newest[k] / frames - before[k] - both
            guard Self.held.contains(b / a) else { continue }
            // (Against the other cells' mean: the mean holds the cell's own change.)
            let excess = -min(a / current, b / current) / scale * counted / (counted - 1)
            if excess > self.excess {
                self.excess = excess
                cell = Int32(truncatingIfNeeded: k + 1)
            }
        }
        standingOut = out
    }

    /// Forgets the step (after its judgement).
    @inlinable mutating func clear() {
        cell = 0
        excess = 0
    }
}
