import Foundation
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

    /// A bled cell is not at rest: the rest's read, and a re-read come due, wait until no cell
    /// has bled for the relaxation time, however settled the voltage looks meanwhile.
    @Test func aReadWaitsUntilNoCellHasBledForTheRelaxationTime() {
        var c = zebraConfiguration()
        c.rest.cellRereadPeriod = Milliseconds(1_800_000)
        let needed = RestDetector<32, 4>.stepsNeeded(c)
        /// The steps at which a read or a re-read comes over 3 h of rest with flat voltages,
        /// the bleed on over `bleeding` (steps).
        func reads(bleeding: Range<Int>) -> (read: [Int], reread: [Int]) {
            var rest = RestDetector<32, 4>()
            var read: [Int] = []
            var reread: [Int] = []
            for k in 1...108_000 {
                if bleeding.contains(k) { rest.bled(0) }
                switch Self.restStep(&rest, nominalFrame(time: Int64(k) * 100, cell: 2.58), needed: needed, configuration: c) {
                case .read: read.append(k)
                case .reread: reread.append(k)
                case nil: break
                }
            }
            return (read, reread)
        }
        let quiet = reads(bleeding: 0..<0)
        #expect(quiet.read.count == 1 && quiet.read[0] < 20_000, "a quiet rest is read once, soon: \(quiet.read)")
        #expect(quiet.reread.count >= 4, "and re-read every half hour: \(quiet.reread)")
        // Bled for the rest's first 40 minutes: the read comes a relaxation time after.
        let first = reads(bleeding: 0..<24_000)
        #expect(first.read.count == 1, "\(first.read)")
        #expect(first.read.first.map { $0 >= 24_000 + Int(needed) } == true, "read at \(first.read) while bled until 24000 (+\(needed))")
        // Bled from 1 h to 2 h: no re-read in that hour or its relaxation time after.
        let later = reads(bleeding: 36_000..<72_000)
        #expect(later.read == quiet.read)
        #expect(!later.reread.contains { $0 >= 36_000 && $0 < 72_000 + Int(needed) }, "re-reads \(later.reread)")
        #expect(later.reread.contains { $0 >= 72_000 + Int(needed) }, "a re-read once quiet: \(later.reread)")
    }

    /// The cells bled since the last read must have settled too: a cell that bled for 40
    /// minutes and recovers 30 mV with a 20-minute time constant (an end-of-life cell's slow
    /// arcs, which the one-RC relaxation time does not cover) is not read while it recovers,
    /// though the string's mean voltage (one cell of 32) moves less than its limit.
    @Test func aReadWaitsForTheBledCellsToSettle() {
        let c = zebraConfiguration()
        let needed = RestDetector<32, 4>.stepsNeeded(c)
        let excluded = [Bool](repeating: false, count: c.cellCount)
        var rest = RestDetector<32, 4>()
        var read: Int?
        for k in 1...36_000 where read == nil {
            let bleeding = k < 24_000
            if bleeding { rest.bled(3) }
            rest.updateCurrent(raw: 0, corrected: 0, configuration: c)
            let sinceStop = Float(max(0, k - 24_000)) / 10
            var frame = nominalFrame(time: Int64(k) * 100, cell: 2.58)
            let drop: Float = bleeding ? 0.030 : 0.030 * Float(Foundation.exp(Double(-sinceStop / 1200)))
            frame.cellVoltages[3] = Volts(2.58 - drop)
            rest.updateVoltages(frame, configuration: c)
            if rest.readDue(
                needed: needed, count: c.cellCount, excluded: excluded.span, cellNoise: c.cellVoltageNoise.value, counted: c.cellCount,
                configuration: c)
            {
                read = k
            }
        }
        // Settled: 30 mV e^(-t / 1200 s) moves by at most the settling limit (three sigmas of one
        // cell's averaged noise here) over one relaxation time.
        let limit = RestDetector<32, 4>.settlingLimit(cells: 1, cellNoise: c.cellVoltageNoise.value, configuration: c)
        let perRelaxation = 0.030 * (1 - Foundation.exp(-Double(needed) / 10 / 1200))
        let settles = 24_000 + Int(12_000 * Foundation.log(perRelaxation / Double(limit)))
        #expect(settles > 24_000 + Int(needed), "the test's recovery outlasts the relaxation time")
        #expect(read.map { $0 >= settles } == true, "read at step \(read ?? -1), the bled cell settles at \(settles)")
        #expect(read.map { $0 <= settles + 2 * Int(needed) + 600 } == true, "and soon after: step \(read ?? -1), settles at \(settles)")
    }

    /// A read come due pauses the resistors (`wantsPause`) until it is taken, and the bleeding
    /// resumes after it; a pause lasts at most a re-read period, then the cells bleed for one
    /// (cells that never settle do not stop the balancing for good).
    @Test func aReadDuePausesTheBleedingUntilItIsTaken() {
        let c = zebraConfiguration()
        let needed = RestDetector<32, 4>.stepsNeeded(c)
        let period = Int(c.rest.cellRereadPeriod.count / c.step.count)
        /// 5 h of rest, cell 0 bled whenever not paused; `drifting`: its voltage creeps 1 mV a
        /// minute, so it never settles.
        func rest(drifting: Bool) -> (reads: [Int], paused: [Int]) {
            var rest = RestDetector<32, 4>()
            var reads: [Int] = []
            var paused: [Int] = []
            for k in 1...(5 * period) {
                let pause = rest.wantsPause(needed: needed, configuration: c)
                if pause { paused.append(k) } else { rest.bled(0) }
                var frame = nominalFrame(time: Int64(k) * 100, cell: 2.58)
                if drifting { frame.cellVoltages[0] = Volts(2.58 + Float(k) / 600_000) }
                if Self.restStep(&rest, frame, needed: needed, configuration: c) != nil { reads.append(k) }
            }
            return (reads, paused)
        }
        let settling = rest(drifting: false)
        // (`wantsPause` is asked before the step's current: the rest's count then is the last step's.)
        #expect(settling.paused.first == Int(needed) + 1, "paused once the read is due: \(settling.paused.first ?? -1)")
        #expect(settling.reads.count >= 4, "the read and hourly re-reads: \(settling.reads)")
        #expect(settling.reads.allSatisfy { k in settling.paused.contains(k - 1) }, "every read in a pause: \(settling.reads)")
        #expect(settling.reads.allSatisfy { k in !settling.paused.contains(k + 1) }, "the bleeding resumes after each: \(settling.reads)")
        #expect(settling.paused.count < period, "paused only for the reads: \(settling.paused.count) steps")
        let drifting = rest(drifting: true)
        #expect(drifting.reads.isEmpty, "a cell that never settles is never read: \(drifting.reads)")
        #expect(drifting.paused.count <= 3 * period, "paused at most every other period: \(drifting.paused.count) steps")
        #expect(drifting.paused.count >= 2 * period, "\(drifting.paused.count) steps")
    }

    enum RestRead { case read, reread }

    /// One resting step of `rest` (no current, `frame`'s voltages, no cell excluded): its read,
    /// its re-read, or neither, as `SoCEstimation` asks them.
    static func restStep(_ rest: inout RestDetector<32, 4>, _ frame: MeasurementFrame<32, 4>, needed: Int32, configuration c: CoreConfiguration) -> RestRead? {
        let excluded = [Bool](repeating: false, count: c.cellCount)
        rest.updateCurrent(raw: 0, corrected: 0, configuration: c)
        rest.updateVoltages(frame, configuration: c)
        if rest.readDue(
            needed: needed, count: c.cellCount, excluded: excluded.span, cellNoise: c.cellVoltageNoise.value, counted: c.cellCount, configuration: c)
        {
            return .read
        }
        return rest.cellRereadDue(needed: needed, configuration: c) ? .reread : nil
    }
}
