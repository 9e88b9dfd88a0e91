import BMSCoreTestSupport
import Testing

@testable import BMSCore

/// The mean cell's resistance read from the current's steps (`FrontResistanceGauge`).
@Suite("Resistance gauge")
struct FrontResistanceGaugeTests {
    /// A ramp as an EMS dispatches it: ten set-point steps of 0.118 A a minute (an 8 Ah cell's
    /// C/68) from rest to 1.18 A, then held, on a cell of 77 mOhm, read through a current sensor
    /// of 50 mA noise per 100 ms frame. One step is under four sigmas of a difference of two
    /// frames' readings (0.28 A), so frame by frame no step counts, and the window gives no
    /// read (end-of-life sulfide strings on arbitrage went all day without one). Averaged over
    /// 1 s blocks the noise of a difference is 22 mA and every step counts.
    @Test(arguments: [Int32(1), 10])
    func aRampOfSmallSetPointStepsIsRead(blockFrames: Int32) {
        let resistance: Float = 0.077
        let noise: Float = 0.05
        let block = Float(Int(blockFrames))
        let step = max(8 / Float(128), 4 * 1.4142135 * noise / block.squareRoot())
        var gauge = FrontResistanceGauge(
            settings: FrontGaugeSettings(
                minimumStep: Amperes(step), window: Milliseconds(1_800_000), minimumExcitation: 8 * step * step, minimumSamples: 8,
                blockFrames: blockFrames))
        var random = GaussianNoise(seed: 7)
        var reads: [FrontResistanceGauge.Read] = []
        for frame in 0..<18_000 {
            let minute = frame / 600
            let current = 0.118 * Float(min(10, max(0, minute - 2)))
            let voltage = 3.2 - resistance * current - 0.0002 * Float(frame) / 600 + 0.001 * random.next()
            let out = gauge.add(
                meanVoltage: voltage, cellCurrent: current + noise * random.next(), discharge: (0, 0), charge: (0, 0),
                temperatureFactor: 1, voltageNoise: 0.001, step: Milliseconds(100))
            if let r = out.discharge { reads.append(r) }
            if let r = out.charge { reads.append(r) }
        }
        if blockFrames == 1 {
            #expect(reads.isEmpty, "read frame by frame: \(reads.map(\.resistanceAtReference))")
        } else {
            let read = try? #require(reads.count == 1 ? reads.first : nil, "\(reads.count) reads")
            if let read {
                #expect(abs(read.resistanceAtReference / resistance - 1) < 0.1, "read \(read.resistanceAtReference) ohm")
                // The read's own sigma covers its error.
                #expect(abs(read.resistanceAtReference - resistance) <= 3 * read.variance.squareRoot())
            }
        }
    }

    /// A current the firmware's own limit holds follows the voltage through the limit: its
    /// steps and the voltage's errors move together, and the instrument does not separate
    /// them. The scale gauge takes no sample while a value of the step or its instrument was
    /// so held (`skipsLimitedCurrent`); the front gauge's settings keep them.
    @Test(arguments: [false, true])
    func aCurrentHeldByTheFirmwaresLimitIsNoStep(skips: Bool) {
        var gauge = FrontResistanceGauge(
            settings: FrontGaugeSettings(
                minimumStep: Amperes(0.09), window: Milliseconds(1_800_000), minimumExcitation: 0.06, minimumSamples: 8, blockFrames: 10,
                skipsLimitedCurrent: skips))
        var random = GaussianNoise(seed: 3)
        var reads = 0
        for frame in 0..<18_000 {
            let current = 0.118 * Float(min(10, max(0, frame / 600 - 2)))
            let out = gauge.add(
                meanVoltage: 3.2 - 0.077 * current + 0.001 * random.next(), cellCurrent: current + 0.05 * random.next(), discharge: (0, 0),
                charge: (0, 0), temperatureFactor: 1, voltageNoise: 0.001, step: Milliseconds(100), limited: true)
            if out.discharge != nil { reads += 1 }
        }
        #expect(reads == (skips ? 0 : 1))
    }
}
