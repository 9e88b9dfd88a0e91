@testable import BMSCore
import Testing
import BMSCoreTestSupport

/// The contact-loss step against the noise of an hour's fit (issue 13: nominal runs raised
/// `contactLoss` on a healthy cell whose weakly excited hour stood out by chance).
struct ContactLossStepTests {
    /// Feeds `windows` one-minute windows in which every cell's resistance is the `chemistry`
    /// preset's datasheet ohmic resistance times `reference(k)` long-term and `recent(k)` times
    /// the datasheet's over its last hour; returns the cells flagged.
    static func flagged(
        _ chemistry: FirmwareChemistry = .nasicon, cells: Int = 20, windows: Int = 70, excited: (Int) -> Bool = { _ in true },
        soc: (Int) -> Float = { _ in 0.5 }, socSigma: Float = 0, reference: (Int) -> Float = { _ in 1 }, fitSigma: Float = .nan, heldSigma: Float = .nan,
        recentInWindow: ((_ window: Int, _ cell: Int) -> Float)? = nil, recent: (Int) -> Float
    ) -> [Int] {
        let model = CoreConfiguration.preset(chemistry, cellCount: cells, moduleCount: 1, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(10)).cellModel
        var health = InterfaceHealth<32, 4>()
        var r = ResistanceEstimator<32, 4>()
        r._fits = 1000
        r.pooledSteps = 1000
        let ohmic = model.ohmicResistance.value
        r._recentSigma = fitSigma * ohmic
        r._referenceSigma = heldSigma * ohmic
        for k in 0..<cells {
            r._reference[k] = ohmic * reference(k)
            r._recent[k] = ohmic * recent(k)
        }
        let excluded = InlineArray<32, Bool>(repeating: false)
        for w in 0..<windows {
            r._recentFresh = excited(w)
            r._recentNewShare = excited(w) ? 1 - r.settings.shortForgetting.value : 0
            if let recentInWindow { for k in 0..<cells { r._recent[k] = ohmic * recentInWindow(w, k) } }
            health.update(
                &r, cellCount: cells, excluded: excluded.span, interfaceResistance: model.interfaceResistance, window: Milliseconds(60_000),
                soc: StateOfCharge(soc(w)), socSigma: socSigma)
        }
        return (0..<cells).filter { health.contactLoss[$0] }
    }

    /// A fixed scatter of +-30 % (a weakly excited hour), about unit spread.
    static let scatter: [Float] = [0.1, -0.3, 0.5, -0.2, 0.9, -0.6, 0.3, 0, -0.9, 0.6, -0.1, 0.2, -0.5, 0.7, -0.4, 0.4, -0.7, 0.8, -0.8, 0.05]

    @Test func aCellStandingOutOfATightPopulationIsAStep() {
        #expect(Self.flagged { k in k == 7 ? 1.25 : 1 + 0.01 * Self.scatter[k] } == [7])
    }

    @Test func aCellWithinAWideScatterIsNot() {
        // Cell 4 at +36 % is 1.2 sigma of a population scattered by 30 %: chance, not a step.
        #expect(Self.flagged { k in 1 + 0.4 * Self.scatter[k] } == [])
    }

    /// A cell whose hour fit stands above a tight population for a while by about the bar that
    /// fit's own uncertainty sets (`ResistanceEstimator.recentSigma`) is not a step: the cells'
    /// scatter is a sample of their fits, and it dips. The year suite's 8-cell NASICON string,
    /// weakly excited on regulation after days at rest, latched a false `contactLoss` on day 74:
    /// one cell's hour fit 9 ... 11 % over its held fit for about 20 minutes while the other
    /// seven scattered by 1 ... 2 %; the fits' own uncertainty was 2.8 %. The same rise held
    /// for two hours is a step (`oneHourFitSeenManyTimesIsOneLook`), and so is the brief one
    /// when the fits are known to 1 %.
    @Test func aCellBrieflyWithinItsFitsOwnUncertaintyIsNot() {
        let tight: (Int) -> Float = { k in 1 + 0.01 * Self.scatter[k] }
        let brief: (Int, Int) -> Float = { w, k in k == 7 && (60..<80).contains(w) ? 1.11 : tight(k) }
        #expect(Self.flagged(windows: 130, fitSigma: 0.028, recentInWindow: brief, recent: tight) == [])
        // Before the fit's own uncertainty was a floor: the cells' scatter alone.
        #expect(Self.flagged(windows: 130, recentInWindow: brief, recent: tight) == [7])
        #expect(Self.flagged(windows: 130, fitSigma: 0.01, recentInWindow: brief, recent: tight) == [7])
        let held: (Int) -> Float = { k in k == 7 ? 1.11 : tight(k) }
        #expect(Self.flagged(windows: 200, fitSigma: 0.028, recent: held) == [7])
    }

    /// Consecutive windows look at one hour fit, most of it the same data: where the gate is
    /// the noise's, a cell confirms on one look only at 1.5 gates (5.25 sigmas), and below that
    /// only once its evidence has stood through two memories of new data. Targets sweep seed 41,
    /// run 632: a new 20-cell NASICON string on frequency regulation; cell 11's held fit 7 %
    /// under its truth, its hour fit (7 % uncertain) 1.28 times its truth for an hour, the CUSUM
    /// adding 0.2 ... 0.6 a window for 50 minutes: a false `contactLoss`. Modelled: the cells
    /// within 1 %, one cell 30 % up for an hour against a gate of 3.5 times 7 %.
    @Test func oneHourFitSeenManyTimesIsOneLook() {
        let tight: (Int) -> Float = { k in 1 + 0.01 * Self.scatter[k] }
        let anHour: (Int, Int) -> Float = { w, k in k == 11 && (60..<120).contains(w) ? 1.3 : tight(k) }
        #expect(Self.flagged(windows: 240, fitSigma: 0.07, recentInWindow: anHour, recent: tight) == [])
        // Standing there for three hours: a second look at new data agrees.
        let standing: (Int, Int) -> Float = { w, k in k == 11 && w >= 60 ? 1.3 : tight(k) }
        #expect(Self.flagged(windows: 240, fitSigma: 0.07, recentInWindow: standing, recent: tight) == [11])
        // 40 % up for 20 minutes (1.6 gates): one look is enough.
        let far: (Int, Int) -> Float = { w, k in k == 11 && (60..<80).contains(w) ? 1.4 : tight(k) }
        #expect(Self.flagged(windows: 240, fitSigma: 0.07, recentInWindow: far, recent: tight) == [11])
        // Where the gate is the contact threshold (fits known to 0.5 %), 30 % up is far past it.
        #expect(Self.flagged(windows: 240, fitSigma: 0.005, recentInWindow: anHour, recent: tight) == [11])
    }

    /// A held fit is only as good as the sums it was held from: a step is measured against it,
    /// so its own uncertainty (`ResistanceEstimator.referenceSigma` when it was held) is in the
    /// bar beside the hour's. The year suite's 8-cell NASICON string (day 321) held its fits
    /// after days of rest and a few arbitrage blocks (pooled sum dI z about 2 A^2, 25 steps):
    /// they stood at 0.92 ... 1.24 of the cells' truths. Woken by regulation, the hour fits came
    /// within 5 % of the truths, five of the eight ratios within 4 % of each other, and cell 4,
    /// whose held fit was the low one, stood 30 % above their median for an hour and latched a
    /// false `contactLoss`. Modelled here: cells spread by 6 % (so a held fit 12 % low is still
    /// among its neighbours'), held fits uncertain by a tenth, most of which (as in the trace)
    /// fell close to their truths while cell 4's fell 12 % low, and hour fits within 3 %.
    /// A fifth of the contact lost against the same weak fits is still a step.
    @Test func aCellAgainstAWeaklyHeldFitIsNot() {
        let truth: [Float] = [1.00, 0.94, 1.06, 0.97, 1.08, 1.03, 0.95, 1.02]
        let heldError: [Float] = [1.02, 0.99, 1.00, 1.01, 0.88, 0.97, 1.03, 1.00]
        let hourError: [Float] = [1.01, 0.99, 1.02, 1.00, 1.03, 0.98, 1.01, 1.00]
        let held: (Int) -> Float = { truth[$0] * heldError[$0] }
        let hour: (Int) -> Float = { truth[$0] * hourError[$0] }
        #expect(Self.flagged(cells: 8, windows: 130, reference: held, fitSigma: 0.03, heldSigma: 0.1, recent: hour) == [])
        // Before the held fit's uncertainty was in the bar: the hour fit's alone.
        #expect(Self.flagged(cells: 8, windows: 130, reference: held, fitSigma: 0.03, recent: hour) == [4])
        // A NASICON cell at a fifth of its contact: its whole resistance up by half.
        let stepped = Self.flagged(cells: 8, windows: 130, reference: held, fitSigma: 0.03, heldSigma: 0.1) { k in
            k == 4 ? 1.5 * hour(k) : hour(k)
        }
        #expect(stepped == [4])
    }

    /// The held fits' uncertainty rotates with them, and while one cell keeps older fits (it is
    /// gathering evidence) the held uncertainty is the largest of the cells': a weak first hold
    /// is not forgotten while a cell is still measured against it, nor for the rotation after,
    /// when that cell moves on to the newer fit it kept.
    @Test func theHeldUncertaintyIsTheOldestHeldFits() {
        var health = InterfaceHealth<32, 4>()
        let fits = InlineArray<32, Float>(repeating: 0.005)
        for k in 0..<8 { health._baseline[k] = 0.005 }
        let lag = health.settings.referenceLag
        health.holdReferences(fits.span, sigma: 0.001, cellCount: 8, window: Milliseconds(60_000))
        #expect(health.heldSigma == 0.001)
        health.stepEvidence[3] = 1
        health.holdReferences(fits.span, sigma: 0.0001, cellCount: 8, window: lag)
        health.holdReferences(fits.span, sigma: 0.0001, cellCount: 8, window: lag)
        #expect(health.heldSigma == 0.001, "cell 3 is still measured against the first fit")
        health.stepEvidence[3] = 0
        health.holdReferences(fits.span, sigma: 0.0001, cellCount: 8, window: lag)
        #expect(health.heldSigma == 0.001, "cell 3 moves on to the newer fit it kept, from the first hold")
        health.holdReferences(fits.span, sigma: 0.0001, cellCount: 8, window: lag)
        #expect(health.heldSigma == 0.0001)
    }

    /// Windows without new excitation (a rest) repeat the last hour's fit: they are not
    /// confirmations of it. Nominal 30-day runs raised `contactLoss` hours into a rest on NaNiCl2,
    /// Na-S and sulfide strings from the fit their last charge left.
    @Test func aRestDoesNotConfirmTheLastFit() {
        let high: (Int) -> Float = { k in k == 7 ? 1.3 : 1 + 0.01 * Self.scatter[k] }
        // The SoC gate opens after the hour's memory (59 windows): three excited windows, then a
        // long rest.
        #expect(Self.flagged(windows: 300, excited: { $0 < 62 }, recent: high) == [])
        // Ten excited windows do, with rests between them.
        #expect(Self.flagged(windows: 300, excited: { $0 < 60 || $0 % 20 == 0 }, recent: high) == [7])
    }

    /// A cell just past the gate, a different one every half hour (the worst of 20 healthy cells
    /// on frequency regulation, whose hour's fit wanders by +-5 %), is not a step; the same cell
    /// staying past it at twice the gate is, within a quarter of an hour. Before the evidence was
    /// a CUSUM, 5 windows in a row at 1.1 times the gate confirmed it.
    @Test func aCellJustPastTheGateForAWhileIsNot() {
        // NASICON: the gate is half its interface share (6.8 % of the whole).
        let model = CoreConfiguration.preset(.nasicon, cellCount: 20, moduleCount: 1, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(10)).cellModel
        let gate = 0.5 * model.interfaceResistance.value / model.ohmicResistance.value
        let wandering: (Int) -> Float = { k in k == 7 ? 1 + 1.1 * gate : 1 + 0.005 * Self.scatter[k] }
        #expect(Self.flagged(windows: 60 + 30, recent: wandering) == [])
        let stepped: (Int) -> Float = { k in k == 7 ? 1 + 2 * gate : 1 + 0.005 * Self.scatter[k] }
        #expect(Self.flagged(windows: 60 + 15, recent: stepped) == [7])
    }

    /// A cell whose long-term fit is far from its neighbours' (a pooled fit that read near zero
    /// on a Na-S string's weak excitation: its last hour stood 100 times above it) is no
    /// evidence of anything: a nominal peak-shaving day raised `contactLoss` on it.
    @Test func aCellWhoseLongTermFitIsImplausibleIsNoEvidence() {
        let implausible: (Int) -> Float = { k in k == 2 ? 0.01 : 1 }
        #expect(Self.flagged(.naS, windows: 200, reference: implausible, recent: { k in 1 + 0.3 * Self.scatter[k] }) == [])
    }

    /// Near an end of the SoC range, outside what the lab's pulses measured, the cells' own SoC
    /// spread moves their resistances apart (the weakest Na-S cell's first): a step short of the
    /// gross bar is no evidence there, nor for the hour after, while the last hour's fit still
    /// holds it. Arbitrage days raised
    /// `contactLoss` on Na-S and NASICON strings after their deep discharges. Just inside the
    /// bound, a step is found.
    @Test func theEndsOfTheSoCRangeAreNoEvidenceForAnOrdinaryStep() {
        let high: (Int) -> Float = { k in k == 7 ? 1.3 : 1 + 0.01 * Self.scatter[k] }
        let bound = InterfaceHealthSettings().evidenceSoC.lowerBound
        let outside = bound - 0.05
        #expect(Self.flagged(windows: 200, soc: { _ in outside }, recent: high) == [])
        // Back inside for less than the fit's memory (an hour): still none.
        #expect(Self.flagged(windows: 120, soc: { $0 < 70 ? outside : 0.5 }, recent: high) == [])
        // Inside long enough: the step is found.
        #expect(Self.flagged(windows: 200, soc: { $0 < 70 ? outside : 0.5 }, recent: high) == [7])
        #expect(Self.flagged(windows: 200, soc: { _ in bound + 0.05 }, recent: high) == [7])
    }

    /// Outside the span a step counts past the edges' gross bar (+50 %) over the median cell's
    /// change as a ratio: a sulfide cell at a third of its contact stood 2.6 times its held fit
    /// at 6 ... 11 % (health sweep run 99). Near an end every cell's resistance rises with its
    /// own SoC, so a cell 60 % up where the median is 20 % up (1.33 times it) is not one.
    @Test func outsideTheSpanOnlyAGrossRiseIsAStep() {
        let outside = InterfaceHealthSettings().evidenceSoC.lowerBound - 0.05
        let alone: (Int) -> Float = { k in k == 7 ? 1.6 : 1 + 0.01 * Self.scatter[k] }
        let withTheEnd: (Int) -> Float = { k in k == 7 ? 1.6 : 1.2 + 0.01 * Self.scatter[k] }
        let gross: (Int) -> Float = { k in k == 7 ? 2.6 : 1.2 + 0.01 * Self.scatter[k] }
        #expect(Self.flagged(.sulfide, windows: 200, soc: { _ in outside }, recent: alone) == [7])
        #expect(Self.flagged(.sulfide, windows: 200, soc: { _ in outside }, recent: withTheEnd) == [])
        #expect(Self.flagged(.sulfide, windows: 200, soc: { _ in outside }, recent: gross) == [7])
    }

    /// The SoC must be inside with two sigmas of its own uncertainty: an estimate started low on
    /// a plateau sat at 0.89 ... 0.90 while an end-of-life Na-S string stood at 0.97, where its
    /// sulphur electrode's end effect moved the cells' fits apart.
    @Test func anUncertainSoCNearTheBoundIsNoEvidence() {
        let high: (Int) -> Float = { k in k == 7 ? 1.3 : 1 + 0.01 * Self.scatter[k] }
        #expect(Self.flagged(windows: 200, soc: { _ in 0.88 }, socSigma: 0.02, recent: high) == [])
        #expect(Self.flagged(windows: 200, soc: { _ in 0.88 }, socSigma: 0.005, recent: high) == [7])
        #expect(Self.flagged(windows: 200, soc: { _ in 0.5 }, socSigma: .nan, recent: high) == [], "an unknown sigma is never inside")
    }

    /// The step is a share of the interface part, not of the whole: a NASICON cell at half its
    /// contact rises by its interface part, 13.5 % of its resistance, which the former fixed 20 %
    /// never flagged (the catalogue's 50 % contact loss went unflagged for hours). A contact of
    /// 0.8 (a quarter of the interface part) is not a step.
    @Test func halfTheContactIsAStepOnEveryChemistry() {
        for chemistry in [FirmwareChemistry.nasicon, .naNiCl2, .naS, .sulfide, .polymer] {
            let model = CoreConfiguration.preset(chemistry, cellCount: 20, moduleCount: 1, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(10)).cellModel
            let share = model.interfaceResistance.value / model.ohmicResistance.value
            // R_int / f over the rest: the whole rises by share x (1/f - 1).
            let atContact: (Float) -> (Int) -> Float = { f in { k in k == 7 ? 1 + share * (1 / f - 1) : 1 + 0.005 * Self.scatter[k] } }
            #expect(Self.flagged(chemistry, recent: atContact(0.5)) == [7], "\(chemistry): half the contact")
            #expect(Self.flagged(chemistry, recent: atContact(0.8)) == [], "\(chemistry): four fifths of the contact")
        }
    }

    /// A long-term fit is held as the step reference only while it knows the cells several times
    /// better than the last hour's fit does (`InterfaceHealthSettings.referenceExcitation`): a
    /// held fit's error stays in every later ratio. Here cell 7's long-term fit reads 20 % low
    /// for its first two hours (a morning's weak steps) and then right, its hour fit right all
    /// along. Held then, the first fit made it a contact loss (sweep run 861, a Na-S string on
    /// PV firming); held once the long-term sums hold three times the hour's, it is none, and a
    /// real step afterwards is still found within the hour.
    @Test func aFitIsHeldOnlyOnceItKnowsMoreThanTheHour() {
        /// The cells flagged when the pooled sums hold `head` windows' excitation more than the
        /// windows seen (0: a fit that starts with the hour's data alone), the cells' resistances
        /// `spread` apart (times `scatter`).
        func flagged(head: Float, spread: Float = 0.1) -> [Int] {
            let model = CoreConfiguration.preset(.naS, cellCount: 20, moduleCount: 1, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(10)).cellModel
            var health = InterfaceHealth<32, 4>()
            var r = ResistanceEstimator<32, 4>()
            r._fits = 1000
            r.pooledSteps = 1000
            r._recentFresh = true
            let ohmic = model.ohmicResistance.value
            let excluded = InlineArray<32, Bool>(repeating: false)
            var flaggedAt = [Int: Int]()
            for w in 0..<400 {
                // A window's excitation each minute: the pooled sum holds them all (its 17 h
                // memory barely forgets), the hour's about the last 60.
                r.pooledIZ = head + Float(w + 1)
                r.shortIZ = Float(min(w + 1, 60))
                for k in 0..<20 {
                    let cell = 1 + spread * Self.scatter[k]
                    r._reference[k] = ohmic * cell * (k == 7 && w < 120 ? 0.8 : 1)
                    // Cell 3 loses a third of its contact at window 300 (+25 %).
                    r._recent[k] = ohmic * cell * (k == 3 && w >= 300 ? 1.25 : 1)
                }
                health.update(
                    &r, cellCount: 20, excluded: excluded.span, interfaceResistance: model.interfaceResistance, window: Milliseconds(60_000),
                    soc: StateOfCharge(0.5), socSigma: 0)
                for k in 0..<20 where health.contactLoss[k] && flaggedAt[k] == nil { flaggedAt[k] = w }
            }
            #expect(flaggedAt[3].map { $0 - 300 < 60 } ?? true, "the step found \((flaggedAt[3] ?? 0) - 300) windows after it")
            return flaggedAt.keys.sorted()
        }
        #expect(flagged(head: 0) == [3])
        // The control: the same first fit, held because the sums already knew three hours more.
        // (In a string whose cells are 10 % apart, 20 % low is within the held fits' scatter.)
        #expect(flagged(head: 180) == [3, 7], "held at once: the first fit's error is a step")
        // With the cells 1 % apart, 20 % low stands out of the held fits' own scatter: no
        // reference, whenever it was held (seed 4241 run 61, `ContactLossFalseAlarmTests`).
        #expect(flagged(head: 180, spread: 0.01) == [3], "a held fit standing out of the others is no reference")
    }
}
