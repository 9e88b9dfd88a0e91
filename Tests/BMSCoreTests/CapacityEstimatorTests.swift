import Testing

@testable import BMSCore
import BMSCoreTestSupport

@Suite("Capacity from the charge between two anchors")
struct CapacityEstimatorTests {
    /// 18 h between a high and a low anchor on a cell of 9.8 Ah, counted by a sensor reading 10 mA
    /// high: 0.18 Ah too much, 3.3 % of the 0.55 swing. Read at rest, the offset comes out of the
    /// charge; without a read the sample carries the bias (what the firmware did before).
    @Test func anOffsetReadWithoutCurrentIsTakenOutOfTheCountedCharge() {
        func sample(offsetReads: Int) -> (capacity: Float, weight: Float) {
            var e = CapacityEstimator<8>(ratedCell: AmpereHours(10))
            let deltas = InlineArray<8, Float>(repeating: 0)
            // Rest reads of a 10 mA offset with +-20 mA of noise (their mean is the offset).
            for k in 0..<offsetReads { e.readOffset(Amperes(0.010 + (k % 2 == 0 ? 0.02 : -0.02)), sigma: 0.02) }
            e.anchor(soc: 0.9, sigma: 0.004, dischargedMicrocoulombs: 0, strings: 1, deltas: deltas, cellCount: 8)
            for _ in 0..<(18 * 36_000) { e.tick(Milliseconds(100)) }
            let counted = (0.55 * 9.8 + 0.010 * 18) * 3.6e9
            e.anchor(soc: 0.35, sigma: 0.004, dischargedMicrocoulombs: Int64(counted), strings: 1, deltas: deltas, cellCount: 8)
            return (e.capacity, e.weight)
        }
        let unread = sample(offsetReads: 0)
        #expect(unread.capacity / 9.8 - 1 > 0.03, "the bias an offset puts in: \(unread.capacity)")
        let read = sample(offsetReads: 100)
        #expect(abs(read.capacity / 9.8 - 1) < 0.001, "offset taken out: \(read.capacity)")
        // The offset's own uncertainty (2 mA from 100 reads, over 18 h) weighs the sample less.
        #expect(read.weight < unread.weight)
    }

    /// A rest at 79 % (sharp), one at 68 % (too near to sample), then a full charge: the swing
    /// from 68 % counts, the sharper of the two. Keeping one anchor (and every swing held to 30
    /// points, as until 2026-12-07), the nearer rest was dropped and the full charge, 17 points
    /// from 79 %, made no sample (an end-of-life sulfide string's day read no capacity, and its
    /// SoC went 3.7 points off on the next discharge).
    @Test func aNearbyAnchorIsKeptForALaterSwing() {
        var e = CapacityEstimator<8>(ratedCell: AmpereHours(10))
        let deltas = InlineArray<8, Float>(repeating: 0)
        let capacity: Float = 7.9
        func microcoulombs(_ soc: Float) -> Int64 { Int64(((0.79 - soc) * capacity * 3.6e9).rounded()) }
        let first = e.anchor(soc: 0.79, sigma: 0.002, dischargedMicrocoulombs: 0, strings: 1, deltas: deltas, cellCount: 8)
        let second = e.anchor(soc: 0.68, sigma: 0.004, dischargedMicrocoulombs: microcoulombs(0.68), strings: 1, deltas: deltas, cellCount: 8)
        #expect(!first && !second)
        let sampled = e.anchor(soc: 0.95, sigma: 0.01, dischargedMicrocoulombs: microcoulombs(0.95), strings: 1, deltas: deltas, cellCount: 8)
        #expect(sampled)
        #expect(abs(e.capacity / capacity - 1) < 1e-3, "capacity \(e.capacity)")
        // The sample's end is kept alone: a rest 10 points below it is too near for another.
        let near = e.anchor(soc: 0.85, sigma: 0.002, dischargedMicrocoulombs: microcoulombs(0.85), strings: 1, deltas: deltas, cellCount: 8)
        #expect(!near)
        #expect(e.samples == 1)
    }

    /// Two sharp rest reads on a slope 20 points apart make a sample though they are under
    /// `minimumSwing` (their sigmas over the swing, 3.5 %, are within the 9.4 % two 2 % anchors
    /// give over 30 points); 2 % anchors that far apart, or sharp ones 12 points apart, do not. A
    /// sulfide string living at 6 ... 32 % took no sample from day 82 of its year on.
    @Test func sharpAnchorsUnderTheMinimumSwingSample() {
        let deltas = InlineArray<8, Float>(repeating: 0)
        let capacity: Float = 9.6
        func sampled(from a: Float, to b: Float, sigma: Float) -> (sampled: Bool, capacity: Float) {
            var e = CapacityEstimator<8>(ratedCell: AmpereHours(10))
            e.anchor(soc: a, sigma: sigma, dischargedMicrocoulombs: 0, strings: 1, deltas: deltas, cellCount: 8)
            let charge = Int64(((a - b) * capacity * 3.6e9).rounded())
            let made = e.anchor(soc: b, sigma: sigma, dischargedMicrocoulombs: charge, strings: 1, deltas: deltas, cellCount: 8)
            return (made, e.capacity)
        }
        let sharp = sampled(from: 0.32, to: 0.12, sigma: 0.005)
        #expect(sharp.sampled)
        #expect(abs(sharp.capacity / capacity - 1) < 1e-3, "capacity \(sharp.capacity)")
        #expect(!sampled(from: 0.32, to: 0.12, sigma: 0.02).sampled)
        #expect(!sampled(from: 0.32, to: 0.20, sigma: 0.002).sampled)
        // At `minimumSwing` the 2 % anchors sample as before.
        #expect(sampled(from: 0.45, to: 0.12, sigma: 0.02).sampled)
    }

    /// Of two kept anchors far enough from a new one, the sample takes the one that gives the
    /// sharper sample: the wider swing, here.
    @Test func theSharperOfTwoSwingsIsSampled() {
        var e = CapacityEstimator<8>(ratedCell: AmpereHours(10))
        let deltas = InlineArray<8, Float>(repeating: 0)
        func microcoulombs(_ soc: Float, capacity: Float) -> Int64 { Int64(((0.9 - soc) * capacity * 3.6e9).rounded()) }
        e.anchor(soc: 0.9, sigma: 0.01, dischargedMicrocoulombs: 0, strings: 1, deltas: deltas, cellCount: 8)
        // A second anchor at 0.8 whose charge reads as a 12 Ah cell (the first swing's counting
        // is off): the sample from 0.9 (wider) is the one taken, 10 Ah.
        e.anchor(soc: 0.8, sigma: 0.01, dischargedMicrocoulombs: microcoulombs(0.8, capacity: 10) - Int64(0.2e9), strings: 1, deltas: deltas, cellCount: 8)
        let sampled = e.anchor(soc: 0.2, sigma: 0.01, dischargedMicrocoulombs: microcoulombs(0.2, capacity: 10), strings: 1, deltas: deltas, cellCount: 8)
        #expect(sampled)
        #expect(abs(e.capacity / 10 - 1) < 1e-3, "capacity \(e.capacity)")
    }

    /// The power-up estimate (65.2 %, told 2 %) is an anchor: a full charge 31 points above it
    /// samples against it. A rest read near it that knows the start better (67.3 %, 0.8 %)
    /// replaces it instead of being kept beside it: kept, the full charge at 96 % sampled the
    /// power-up's swing (its 2.4-point error 8 % of the capacity, sweep run 168); replaced, the
    /// sample is the rest read's.
    @Test func aSharperReadReplacesThePowerUpAnchor() {
        let deltas = InlineArray<8, Float>(repeating: 0)
        let capacity: Float = 7.9
        func microcoulombs(_ soc: Float) -> Int64 { Int64(((0.673 - soc) * capacity * 3.6e9).rounded()) }
        var alone = CapacityEstimator<8>(ratedCell: AmpereHours(10))
        alone.anchorAtPowerUp(soc: 0.652, sigma: 0.02, dischargedMicrocoulombs: 0)
        let fromPowerUp = alone.anchor(soc: 0.962, sigma: 0.002, dischargedMicrocoulombs: microcoulombs(0.962), strings: 1, deltas: deltas, cellCount: 8)
        #expect(fromPowerUp)
        var read = CapacityEstimator<8>(ratedCell: AmpereHours(10))
        read.anchorAtPowerUp(soc: 0.652, sigma: 0.02, dischargedMicrocoulombs: 0)
        let atRest = read.anchor(soc: 0.673, sigma: 0.008, dischargedMicrocoulombs: 0, strings: 1, deltas: deltas, cellCount: 8)
        let full = read.anchor(soc: 0.962, sigma: 0.002, dischargedMicrocoulombs: microcoulombs(0.962), strings: 1, deltas: deltas, cellCount: 8)
        #expect(!atRest && full)
        #expect(read.samples == 1)
        #expect(abs(read.capacity / capacity - 1) < 1e-3, "capacity from the rest read: \(read.capacity)")
        // A power-up estimate less sharp than the bound is no anchor.
        var loose = CapacityEstimator<8>(ratedCell: AmpereHours(10))
        loose.anchorAtPowerUp(soc: 0.3, sigma: 0.3, dischargedMicrocoulombs: 0)
        let fromLoose = loose.anchor(soc: 0.962, sigma: 0.002, dischargedMicrocoulombs: microcoulombs(0.962), strings: 1, deltas: deltas, cellCount: 8)
        #expect(!fromLoose)
    }

    /// The meter's weight stops at its floor: a drifting offset is followed, not averaged away.
    @Test func aDriftingOffsetIsFollowed() {
        var m = CurrentOffsetMeter()
        #expect(m.sigma == .infinity)
        for _ in 0..<10_000 { m.read(Amperes(0.010), sigma: 0.02) }
        #expect(abs(m.offset.value - 0.010) < 1e-6)
        #expect(m.sigma == CurrentOffsetMeter.sigmaFloor)
        for _ in 0..<10_000 { m.read(Amperes(0.030), sigma: 0.02) }
        #expect(abs(m.offset.value - 0.030) < 0.0005, "followed the drift: \(m.offset.value)")
        // A reading that is not a current is not pooled.
        m.read(Amperes(.nan), sigma: 0.02)
        m.read(Amperes(1), sigma: .nan)
        #expect(abs(m.offset.value - 0.030) < 0.0005)
    }
}
