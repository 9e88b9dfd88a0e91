@testable import BMSCore
import Testing

/// The per-cell resistance fit (`ResistanceEstimator`) where it has little or nothing to fit: a
/// year of mixed duty read a sulfide string's resistance 25 % low, and a Na-S string's 20 % high,
/// after days of standby (the rest's sensor noise) and of operation near empty (where the cells'
/// own end effects are not in the firmware's law).
struct ResistanceFitTests {
    static let cells = 4
    static let resistance: Float = 0.005

    /// Feeds `seconds` of 100 ms frames: cell k at 3 V less its resistance (times 1 + 0.1 k)
    /// times the true current `current(t)`, the sensors adding `voltageNoise` and 50 mA of white
    /// current noise. Returns whether any window closed with a fit.
    @discardableResult
    static func feed(
        _ r: inout ResistanceEstimator<32, 4>, seconds: Int, from start: Int, noise: inout GaussianNoise, voltageNoise: Float = 0.002,
        current: (Int) -> Float
    ) -> Bool {
        let deltas = InlineArray<32, Float>(repeating: 0)
        var closed = false
        for t in start..<(start + seconds * 10) {
            var f = MeasurementFrame<32, 4>(time: Milliseconds(Int64(t) * 100))
            let i = current(t)
            for k in 0..<cells {
                f.cellVoltages[k] = Volts(3 - resistance * (1 + 0.1 * Float(k)) * i + voltageNoise * noise.next())
            }
            let measured = i + 0.05 * noise.next()
            closed = r.update(
                f, cellCount: cells, cellCurrent: measured, polarisation: 0, temperatureFactor: 1, frontRise: 0,
                front: (0, 0), cellDeltas: deltas.span, step: Milliseconds(100)) || closed
        }
        return closed
    }

    /// A set-point every 2 s, drawn from -2 ... 2 A (frequency regulation on a 10 Ah cell).
    static func regulation(seed: UInt64) -> (Int) -> Float {
        { t in
            var g = GaussianNoise(seed: seed &+ UInt64(t / 20))
            return 4 * g.uniform() - 2
        }
    }

    @Test func regulationReadsEachCell() {
        var r = ResistanceEstimator<32, 4>()
        var noise = GaussianNoise(seed: 1)
        Self.feed(&r, seconds: 4 * 3600, from: 0, noise: &noise, current: Self.regulation(seed: 7))
        for k in 0..<Self.cells {
            let truth = Self.resistance * (1 + 0.1 * Float(k))
            #expect(abs(r.reference[k] / truth - 1) < 0.02, "cell \(k): \(r.reference[k]) for \(truth)")
        }
    }

    /// A day's standby after hours of small steps (a current held near a limit, wobbling by
    /// 0.15 A) leaves the fit where the steps put it: the rest's block pairs are the sensors'
    /// noise. Before they were gated out, their random walk outgrew the steps' decaying sums
    /// while the pooled step count still allowed a fit (a sulfide year: -11 -> -27 % in 7 h).
    @Test func aStandbyLeavesTheFitWhereItWas() {
        var r = ResistanceEstimator<32, 4>()
        var noise = GaussianNoise(seed: 2)
        // 1200 steps between 0 and 0.15 A, 10 s apart.
        let steps = 1200 * 100
        Self.feed(&r, seconds: steps / 10, from: 0, noise: &noise) { t in (t / 100) % 2 == 0 ? 0 : 0.15 }
        let before = (0..<Self.cells).map { r.reference[$0] }
        // Each cell's fit is good to about 2.5 % (one sigma).
        for k in 0..<Self.cells {
            let truth = Self.resistance * (1 + 0.1 * Float(k))
            #expect(abs(before[k] / truth - 1) < 0.1, "cell \(k): \(before[k]) for \(truth)")
        }
        Self.feed(&r, seconds: 24 * 3600, from: steps, noise: &noise) { _ in 0 }
        for k in 0..<Self.cells {
            #expect(abs(r.reference[k] / before[k] - 1) < 0.01, "cell \(k): \(before[k]) -> \(r.reference[k])")
        }
    }

    /// Out of the SoC range the law was measured on, the controller forms no block pair: a
    /// string held near empty, whose resistance there is not the law's, keeps no fit; the same
    /// hour at mid-charge gives one.
    @Test(arguments: [(Float(0.05), Float(2.8)), (0.5, 3.05)])
    func nearEmptyNoFitIsMade(soc: Float, cell: Float) throws {
        var c = CoreConfiguration.preset(.sulfide, cellCount: 4, moduleCount: 1, initialSoC: StateOfCharge(soc), ratedCurrent: Amperes(10))
        c.ratedCapacity = AmpereHours(10)
        var controller = try TestController.requesting(configuration: c)
        let regulation = Self.regulation(seed: 5)
        let ohmic = c.cellModel.ohmicResistance.value
        // An hour: the cells answer each set-point through twice the law's resistance.
        run(&controller, steps: 36_000) { ms in
            var f = nominalFrame(time: ms, cells: 4, modules: 1, cell: cell, temperature: 25, current: regulation(Int(ms / 100)))
            for k in 0..<4 { f.cellVoltages[k] = Volts(cell - 2 * ohmic * f.packCurrent.value) }
            f.packVoltage = Volts(4 * f.cellVoltages[0].value)
            return f
        }
        let fitted = controller.status.resistanceAtReference.value
        if c.resistanceFit.socRange.contains(soc) {
            #expect(fitted > 1.5 * ohmic, "\(fitted) for \(2 * ohmic)")
        } else {
            #expect(fitted.isNaN, "\(fitted)")
        }
    }
}
