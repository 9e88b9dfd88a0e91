/// Power-up from, writing to, and orderly shutdown into the persistent record
/// (`visitRecord(_:)` lays it out; `RecordSettings` says when it is written).
extension BMSController {
    /// Restores the newest usable copy of the persistent record; call once, before the first step.
    ///
    /// The copy's time word is kept for a reader of the storage, not restored: the frame clock
    /// after a reset need not continue the one before.
    ///
    /// A copy is usable when its magic, version, pack size, CRC and every field's range check
    /// pass; otherwise the older copy is tried, then none (the power-up defaults: the configured
    /// initial SoC and sigma). After an unclean shutdown (a reset or power cut, not
    /// `shutDown(to:)`) the SoC sigma is widened by what may have gone unrecorded. Latched faults
    /// stay latched (a lost link excepted), so a power cycle clears nothing a reset could not.
    /// The report is also logged (`Event.Kind.powerUp`).
    ///
    /// `time` is the clock the next frames will carry (a board's RTC), for the event log.
    @discardableResult
    @inlinable public mutating func powerUp<S: RecordStorage>(from storage: inout S, at time: Milliseconds = .zero) -> PowerUpReport {
        var report = PowerUpReport()
        if time > now { now = time }
        let (first, second, secondNewer) = adopt(&storage)
        let blank = first.blank && second.blank
        report.copyRefused = (!first.blank && !first.valid) || (!second.blank && !second.valid)
        let order = secondNewer ? (1, 0) : (0, 1)
        for k in 0..<2 {
            let slot = k == 0 ? order.0 : order.1
            let found = slot == 0 ? first : second
            guard found.valid else { continue }
            if restore(slot: slot, from: &storage, clean: found.clean) {
                report.restored = true
                report.clean = found.clean
                report.sequence = found.sequence
                break
            }
            report.copyRefused = true
        }
        report.lost = !report.restored && !blank
        if report.lost || report.copyRefused || (report.restored && !report.clean) {
            keeper.restartWarningSteps = Debouncer(time: configuration.record.restartWarningTime, step: configuration.step).requiredSteps
        }
        events.append(Event(time: now, kind: .powerUp, detail: report.detail))
        return report
    }

    /// Writes the record when `RecordSettings` says it is due (at once after power-up, on a
    /// change of latched faults, after an SoC change or new events, at least every period);
    /// returns whether it wrote. Call after `step`. A failed write is logged and thrown; the
    /// other copy still holds the previous record.
    @discardableResult
    @inlinable public mutating func persist<S: RecordStorage>(to storage: inout S) throws(StorageError) -> Bool {
        if !keeper.opened { adopt(&storage) }
        guard keeper.due(
            now: now, soc: _status.soc.value, latched: latched, prechargeFailures: prechargeFailures, events: events._recorded,
            settings: configuration.record)
        else { return false }
        try writeRecord(to: &storage, clean: false)
        return true
    }

    /// Writes the record marked clean: the orderly end of a run (the next power-up keeps sigma).
    @inlinable public mutating func shutDown<S: RecordStorage>(to storage: inout S) throws(StorageError) {
        if !keeper.opened { adopt(&storage) }
        try writeRecord(to: &storage, clean: true)
    }

    /// What one slot holds.
    @usableFromInline struct SlotState {
        @usableFromInline var blank = false
        @usableFromInline var valid = false
        @usableFromInline var clean = false
        @usableFromInline var sequence: UInt32 = 0
        @inlinable init() {}
    }

    /// Checks one slot's header and CRC (not yet its fields).
    @inlinable func inspect<S: RecordStorage>(slot: Int, _ storage: inout S) -> SlotState {
        var state = SlotState()
        let total = recordWords
        guard storage.slotWords >= RecordLayout.headerWords else { return state }
        state.blank = true
        for w in 0..<RecordLayout.headerWords where storage.read(slot: slot, word: w) != 0xFFFF_FFFF { state.blank = false }
        guard !state.blank, storage.slotWords >= total,
              storage.read(slot: slot, word: 0) == RecordLayout.magic,
              storage.read(slot: slot, word: 1) == RecordLayout.identity(cellCount: configuration.cellCount),
              storage.read(slot: slot, word: 2) == UInt32(truncatingIfNeeded: keeper.payloadWords)
        else { return state }
        var crc = RecordCRC.initial
        for w in 0..<(total - 1) { crc = RecordCRC.update(crc, storage.read(slot: slot, word: w)) }
        guard RecordCRC.finish(crc) == storage.read(slot: slot, word: total - 1) else { return state }
        state.valid = true
        state.sequence = storage.read(slot: slot, word: 3)
        state.clean = storage.read(slot: slot, word: 4) & RecordLayout.cleanFlag != 0
        return state
    }

    /// Finds the newest copy's sequence and the slot to write next, without restoring; returns
    /// what each slot holds and whether the second is the newer (sequence numbers compare
    /// modulo 2^32).
    @discardableResult
    @inlinable mutating func adopt<S: RecordStorage>(_ storage: inout S) -> (first: SlotState, second: SlotState, secondNewer: Bool) {
        let first = inspect(slot: 0, &storage)
        let second = inspect(slot: 1, &storage)
        let secondNewer = second.valid && (!first.valid || Int32(bitPattern: second.sequence &- first.sequence) > 0)
        keeper.sequence = secondNewer ? second.sequence : first.valid ? first.sequence : 0
        keeper.nextSlot = secondNewer ? 0 : first.valid ? 1 : 0
        keeper.opened = true
        return (first, second, secondNewer)
    }

    /// Reads one checked slot into the controller; false (and the controller back at its
    /// power-up defaults) when a field fails its range check.
    @inlinable mutating func restore<S: RecordStorage>(slot: Int, from storage: inout S, clean: Bool) -> Bool {
        let rejected = withUnsafePointer(to: &storage) { p in
            var reader = RecordReader(p, slot: slot, first: RecordLayout.headerWords)
            visitRecord(&reader)
            return reader.rejected
        }
        let (keep, time, request) = (keeper, now, modeRequest)
        if rejected {
            self = Self(validated: configuration)
            (keeper, now, modeRequest) = (keep, time, request)
            return false
        }
        let c = configuration
        // The power-up's capacity anchor was the configured start, not this SoC.
        soc.capacity.forgetAnchors()
        // A lost link is found again (or not) by this power-up's own watchdog.
        latched.remove(.communicationLoss)
        latched = FaultFlags(rawValue: latched.rawValue & FaultFlags.latching.rawValue)
        // Counts derived from the restored flags.
        soc.cellDeltas._softShortCount = 0
        health.interface._contactLossCount = 0
        validator.failedShort.failedCount = 0
        for k in 0..<c.cellCount {
            if soc.cellDeltas._softShort[k] { soc.cellDeltas._softShortCount += 1 }
            if health.interface._contactLoss[k] { health.interface._contactLossCount += 1 }
            validator.failedShort.excluded[k] = validator.failedShort.failed[k]
            if validator.failedShort.failed[k] { validator.failedShort.failedCount += 1 }
        }
        health.smallestContact = health.interface._contactFraction.span.minimum(count: c.cellCount, excluded: validator.failedShort.excluded.span, atMost: 1)
        if !clean {
            // What may have passed unrecorded: the SoC change that makes a write due, plus what
            // the largest trip current moves in the shortest interval between writes.
            let largest = max(c.protection.dischargeOverCurrent.value, c.protection.chargeOverCurrent.value)
            let unrecorded = c.record.socChange.value + largest * c.record.minimumInterval.seconds / 3600 / c.ratedCapacity.value
            soc.filter._p.c0.x += unrecorded * unrecorded
        }
        _status.soc = StateOfCharge(soc.counter.stateOfCharge.value + soc.filter.socCorrection)
        _status.socSigma = soc.filter.socSigma
        return true
    }

    /// Writes one copy into the slot after the newest: erase, header, payload, CRC, and the
    /// magic word last (a write cut anywhere leaves no copy that passes).
    @inlinable mutating func writeRecord<S: RecordStorage>(to storage: inout S, clean: Bool) throws(StorageError) {
        let slot = keeper.nextSlot
        var sequence = keeper.sequence &+ 1
        if sequence == 0 { sequence = 1 }
        let failure = withUnsafeMutablePointer(to: &storage) { p -> StorageError? in
            guard p.pointee.slotWords >= recordWords else { return .recordTooLarge }
            do throws(StorageError) {
                try p.pointee.erase(slot: slot)
                let time = RecordWords.split(now.count)
                var crc = RecordCRC.update(RecordCRC.initial, RecordLayout.magic)
                for w in 1..<RecordLayout.headerWords {
                    let value: UInt32
                    switch w {
                    case 1: value = RecordLayout.identity(cellCount: configuration.cellCount)
                    case 2: value = UInt32(truncatingIfNeeded: keeper.payloadWords)
                    case 3: value = sequence
                    case 4: value = clean ? RecordLayout.cleanFlag : 0
                    case 5: value = time.0
                    default: value = time.1
                    }
                    try p.pointee.write(slot: slot, word: w, value)
                    crc = RecordCRC.update(crc, value)
                }
                var writer = RecordWriter(p, slot: slot, first: RecordLayout.headerWords, crc: crc)
                visitRecord(&writer)
                if let f = writer.failure { return f }
                try p.pointee.write(slot: slot, word: writer.index, RecordCRC.finish(writer.crc))
                try p.pointee.write(slot: slot, word: 0, RecordLayout.magic)
                return nil
            } catch {
                return error
            }
        }
        if let failure {
            events.append(Event(time: now, kind: .recordWriteFailed, detail: UInt32(truncatingIfNeeded: failure.rawValue)))
            throw failure
        }
        keeper.sequence = sequence
        keeper.nextSlot = 1 - slot
        keeper.written = true
        keeper.lastWrite = now
        keeper.lastSoC = _status.soc.value
        keeper.lastLatched = latched
        keeper.lastPrechargeFailures = prechargeFailures
        keeper.lastEvents = events._recorded
        keeper.writes &+= 1
    }
}
