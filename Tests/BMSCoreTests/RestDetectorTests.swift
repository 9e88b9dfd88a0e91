@testable import BMSCore
import Testing
import BMSCoreTestSupport

/// When a rest becomes an OCV read.
@Suite("Rest detection")
struct RestDetectorTests {
    /// A string recovering after a discharge (the voltage still rising 1 mV a minute) is not
    /// read at the relaxation time the one-RC model gives (5 tau, 90 s on ZEBRA): the read waits
    /// until the mean rest voltage has settled, then comes once.
    @Test func theReadWaitsForTheVoltageToSettle() {
        let c = zebraConfiguration()
        var rest = RestDetector<32, 4>()
        let needed = RestDetector<32, 4>.stepsNeeded(c)
        var reads: [Int] = []
        for k in 1...9000 {
            let seconds = Float(k) / 10
            // Rising 1 mV a minute for 10 minutes, then flat.
            let v: Float = 2.570 + min(seconds, 600) / 60_000
            rest.updateCurrent(raw: 0, corrected: 0, configuration: c)
            rest.updateVoltages(nominalFrame(time: Int64(k) * 100, cell: v), configuration: c)
            if rest.readDue(needed: needed, count: c.cellCount, excluded: [Bool](repeating: false, count: c.cellCount).span, cellNoise: c.cellVoltageNoise.value, counted: c.cellCount, configuration: c) {
                reads.append(k)
            }
        }
        #expect(reads.count == 1, "one read per rest: \(reads)")
        #expect(Int32(reads.first ?? 0) > needed, "not at the model's relaxation time (\(needed) steps)")
        #expect((reads.first ?? 0) >= 6000, "not while the voltage still rises: step \(reads.first ?? 0)")
        #expect((reads.first ?? .max) <= 6900, "soon after it settles: step \(reads.first ?? 0)")
    }
}
