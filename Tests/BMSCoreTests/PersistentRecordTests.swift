@testable import BMSCore
import Testing
import BMSCoreTestSupport

/// The persistent record (issue 13, "survive resets"): two copies with CRCs in a storage the
/// controller is generic over; what a power-up restores, widens and refuses.
@Suite("Persistent record")
struct PersistentRecordTests {
    typealias Storage = MemoryRecordStorage<1024>

    /// A storage whose supply fails after `budget` more programmed words: the write in progress
    /// stops there, as a power cut leaves flash.
    struct FailingStorage: RecordStorage {
        var base = Storage()
        var budget = Int.max
        var slotWords: Int { base.slotWords }
        func read(slot: Int, word: Int) -> UInt32 { base.read(slot: slot, word: word) }
        mutating func erase(slot: Int) throws(StorageError) {
            guard budget > 0 else { throw .powerLost }
            try base.erase(slot: slot)
        }
        mutating func write(slot: Int, word: Int, _ value: UInt32) throws(StorageError) {
            guard budget > 0 else { throw .powerLost }
            budget -= 1
            try base.write(slot: slot, word: word, value)
        }
    }

    /// A controller run for `minutes` of a 20 A discharge with cell 3 a little low, so its SoC,
    /// sigma, cell differences and event log are not the power-up defaults.
    static func used(minutes: Int = 20, persistingTo storage: inout Storage) throws -> TestController {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        c.powerUp(from: &storage)
        var last = CommandFrame<32, 4>.safe
        last.contactors = c.contactorCommands
        for k in 0..<(minutes * 600) {
            // The current flows once the mains are closed (behind open ones a reading is the
            // sensor's offset, and the firmware learns it as one).
            let closed = last.contactors.mainPositive && last.contactors.mainNegative
            var f = nominalFrame(time: 100 + Int64(k) * 100, current: closed ? 20 : 0)
            f.cellVoltages[3] = Volts(2.57)
            last = step(&c, f, after: last)
            try c.persist(to: &storage)
        }
        return c
    }

    @Test func theCRCIsIEEECRC32OverLittleEndianWords() {
        // zlib.crc32(bytes([1, 2, 3, 4, 5, 6, 7, 8])) == 0x3fca88c5
        var crc = RecordCRC.initial
        crc = RecordCRC.update(crc, 0x0403_0201)
        crc = RecordCRC.update(crc, 0x0807_0605)
        #expect(RecordCRC.finish(crc) == 0x3FCA_88C5)
    }

    /// An orderly shutdown and power-up restore the SoC, its sigma, the cell differences,
    /// the event log and the health baselines exactly.
    @Test func aCleanShutdownRestoresEverythingKept() throws {
        var storage = Storage()
        var a = try Self.used(persistingTo: &storage)
        // Commissioning baselines as a pack that has run for months would hold them.
        a.health.interface.baselineTaken = true
        for k in 0..<20 { a.health.interface._baseline[k] = 0.004 + Float(k) * 1e-5 }
        try a.shutDown(to: &storage)
        var b = try TestController(configuration: zebraConfiguration())
        let report = b.powerUp(from: &storage)
        #expect(report.restored && report.clean && !report.copyRefused && !report.lost)
        #expect(b.health.interface.baselineTaken, "a power-up does not retake the baselines from worn cells")
        #expect(b.status.soc == a.status.soc)
        #expect(b.status.socSigma == a.status.socSigma)
        #expect(a.status.soc.value < 0.5, "the run moved the SoC")
        for k in 0..<20 { #expect(b.cellDeltas.delta[k] == a.cellDeltas.delta[k]) }
        #expect(a.cellDeltas.delta[3] < a.cellDeltas.delta[4], "the low cell was seen")
        for k in 0..<20 {
            #expect(b.interfaceHealth.baseline[k].bitPattern == a.interfaceHealth.baseline[k].bitPattern)
            #expect(b.resistance.reference[k].bitPattern == a.resistance.reference[k].bitPattern)
        }
        // The log holds the earlier run's events, then this power-up.
        #expect(b.eventLog.recorded == a.eventLog.recorded + 1)
        for n in 1...a.eventLog.recorded { #expect(b.eventLog.event(number: n) == a.eventLog.event(number: n)) }
        #expect(b.eventLog.event(number: b.eventLog.recorded)?.kind == .powerUp)
    }

    /// A reset or power cut (no shutdown) restores the SoC but widens its sigma by what may have
    /// passed unrecorded.
    @Test func anUncleanPowerUpWidensSigma() throws {
        var storage = Storage()
        let a = try Self.used(persistingTo: &storage)
        var b = try TestController(configuration: zebraConfiguration())
        let report = b.powerUp(from: &storage)
        #expect(report.restored && !report.clean)
        #expect(abs(b.status.soc.value - a.status.soc.value) <= zebraConfiguration().record.socChange.value)
        #expect(b.status.socSigma > a.status.socSigma + 0.005)
        // The EMS is told, for the warning time (15 min), and then no longer.
        var last = step(&b, nominalFrame(time: 100), after: .safe)
        #expect(last.warnings.contains(.uncleanRestart))
        last = run(&b, steps: 8_990, from: 200) { nominalFrame(time: $0) }
        #expect(last.warnings.contains(.uncleanRestart))
        last = run(&b, steps: 20, from: 900_000) { nominalFrame(time: $0) }
        #expect(!last.warnings.contains(.uncleanRestart))
    }

    /// An orderly shutdown raises no restart warning.
    @Test func aCleanPowerUpRaisesNoWarning() throws {
        var storage = Storage()
        var a = try Self.used(minutes: 2, persistingTo: &storage)
        try a.shutDown(to: &storage)
        var b = try TestController.requesting(configuration: zebraConfiguration())
        b.powerUp(from: &storage)
        let last = step(&b, nominalFrame(time: 100), after: .safe)
        #expect(!last.warnings.contains(.uncleanRestart))
    }

    /// A service-only fault survives a power cycle; a lost link does not (the new power-up's
    /// watchdog finds it again or not).
    @Test func latchedFaultsSurviveAPowerCycle() throws {
        var storage = Storage()
        var a = try TestController.requesting(configuration: zebraConfiguration())
        a.powerUp(from: &storage)
        var last = CommandFrame<32, 4>.safe
        for k in 0..<20 {
            last = step(&a, nominalFrame(time: 100 + Int64(k) * 100), after: last) { $0.contactorFeedback.mainPositive = true }
            try a.persist(to: &storage)
        }
        a.reportCommunicationLoss()
        last = step(&a, nominalFrame(time: 2100), after: last)
        try a.persist(to: &storage)
        #expect(last.faults.contains(.contactorWelded) && last.faults.contains(.communicationLoss))
        var b = try TestController.requesting(configuration: zebraConfiguration())
        b.powerUp(from: &storage)
        let first = step(&b, nominalFrame(time: 2200), after: .safe)
        #expect(first.faults.contains(.contactorWelded))
        #expect(!first.faults.contains(.communicationLoss))
        #expect(b.resetFaults(by: .ems).contains(.contactorWelded), "a power cycle is not a service reset")
    }

    /// The newest copy corrupt: the older one is used and the refusal reported; both corrupt:
    /// the power-up defaults, and the record reported lost.
    @Test func aCorruptCopyFallsBackToTheOther() throws {
        var storage = Storage()
        var a = try Self.used(minutes: 5, persistingTo: &storage)
        try a.shutDown(to: &storage)
        let newest = a.keeper.nextSlot == 0 ? 1 : 0
        storage.corrupt(slot: newest, word: 40, mask: 1 << 7)
        var b = try TestController(configuration: zebraConfiguration())
        let report = b.powerUp(from: &storage)
        #expect(report.restored && report.copyRefused && !report.clean, "the older copy was written running")
        #expect(abs(b.status.soc.value - a.status.soc.value) < 0.02)
        storage.corrupt(slot: 1 - newest, word: 40, mask: 1 << 7)
        var c = try TestController(configuration: zebraConfiguration())
        let lost = c.powerUp(from: &storage)
        #expect(!lost.restored && lost.lost)
        #expect(c.status.soc == zebraConfiguration().initialSoC)
        #expect(c.eventLog.event(number: c.eventLog.recorded) == Event(time: .zero, kind: .powerUp, detail: lost.detail))
    }

    /// A power cut at any point of a write leaves the previous copy in charge.
    @Test func aPowerCutDuringAWriteKeepsThePreviousCopy() throws {
        var plain = Storage()
        var a = try Self.used(minutes: 5, persistingTo: &plain)
        for budget in [0, 1, 5, 200, a.recordWords - 1] {
            var storage = FailingStorage(base: plain)
            try a.shutDown(to: &storage.base)
            let expected = a.status.soc
            storage.budget = budget
            #expect(throws: StorageError.powerLost) { try a.shutDown(to: &storage) }
            var b = try TestController(configuration: zebraConfiguration())
            let report = b.powerUp(from: &storage)
            #expect(report.restored && report.clean, "budget \(budget): the earlier clean copy")
            #expect(report.copyRefused == (budget > 0), "budget \(budget)")
            #expect(b.status.soc == expected)
            // The failure is in the running log; the copy it would have gone into never was.
            #expect(a.eventLog.event(number: a.eventLog.recorded) == Event(time: a.now, kind: .recordWriteFailed, detail: 3))
            #expect(b.eventLog.recorded == a.eventLog.recorded)
            plain = storage.base
        }
    }

    /// The counter's origin takes the SoC filter's corrections, which over a pack's life sum the
    /// counter's error (a 0.5 % gain error is 5 units of SoC in 1000 cycles): an origin of 3.5
    /// is a valid record (it was refused as out of range, -1 ... 2, and the power-up restored
    /// nothing). The SoC is the same after the power-up.
    @Test func anOriginMovedByALifeOfCorrectionsIsRestored() throws {
        var storage = Storage()
        var a = try Self.used(minutes: 2, persistingTo: &storage)
        let soc = a.soc.counter.stateOfCharge.value + a.soc.filter.socCorrection
        a.soc.counter.shift(by: 3)
        a.soc.filter._x.x -= 3
        try a.shutDown(to: &storage)
        var b = try TestController(configuration: zebraConfiguration())
        let report = b.powerUp(from: &storage)
        #expect(report.restored && !report.copyRefused)
        #expect(b.soc.counter.origin.value > 3)
        #expect(abs(b.status.soc.value - soc) < 1e-6, "restored \(b.status.soc.value), kept \(soc)")
    }

    /// A copy whose CRC is right but a field is out of range (a firmware bug, not a bit flip)
    /// is refused, not restored.
    @Test func aFieldOutOfRangeIsRefused() throws {
        var storage = Storage()
        var a = try Self.used(minutes: 2, persistingTo: &storage)
        var fresh = Storage()
        let slot = a.keeper.nextSlot
        try a.shutDown(to: &fresh)
        // After the header: the latched word, two counts, the reset window (2 words), the SoC origin.
        let origin = RecordLayout.headerWords + 1 + 2 + 2
        #expect(fresh.read(slot: slot, word: origin) == a.soc.counter.origin.value.bitPattern)
        var forged = Storage()
        let total = a.recordWords
        var crc = RecordCRC.initial
        for w in 0..<(total - 1) {
            let value = w == origin ? Float.nan.bitPattern : fresh.read(slot: slot, word: w)
            try forged.write(slot: 0, word: w, value)
            crc = RecordCRC.update(crc, value)
        }
        try forged.write(slot: 0, word: total - 1, RecordCRC.finish(crc))
        var b = try TestController(configuration: zebraConfiguration())
        let report = b.powerUp(from: &forged)
        #expect(!report.restored && report.copyRefused && report.lost)
        #expect(b.status.soc == zebraConfiguration().initialSoC)
        #expect(b.status.soc.value.isFinite)
    }

    /// A record of another pack (another cell count) is not read into this one.
    @Test func anotherPacksRecordIsRefused() throws {
        var storage = Storage()
        var a = try Self.used(minutes: 2, persistingTo: &storage)
        try a.shutDown(to: &storage)
        var b = try TestController(configuration: zebraConfiguration(cells: 19))
        let report = b.powerUp(from: &storage)
        #expect(!report.restored && report.lost)
    }

    /// The write rate is bounded: an hour of steady discharge (3 % of SoC) and one fault writes
    /// a handful of copies, not one per step; and at least one per period while nothing changes.
    @Test func writesAreRateBounded() throws {
        var storage = Storage()
        let a = try Self.used(minutes: 60, persistingTo: &storage)
        let writes = a.recordWrites
        #expect(writes >= 4, "at least every 15 min")
        #expect(writes <= 1 + 60, "at most one per minimum interval (plus the power-up write)")
        #expect(storage.erases.0 + storage.erases.1 == Int(writes))
    }

    /// A record larger than the storage is an error, not an overrun.
    @Test func aStorageTooSmallIsAnError() throws {
        var tiny = MemoryRecordStorage<16>()
        var a = try TestController(configuration: zebraConfiguration())
        #expect(throws: StorageError.recordTooLarge) { try a.shutDown(to: &tiny) }
        let report = a.powerUp(from: &tiny)
        #expect(!report.restored && !report.lost)
    }
}
