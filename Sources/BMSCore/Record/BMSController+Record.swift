/// The persistent record: what survives a reset or a power cut, in a storage the controller is
/// generic over (`RecordStorage`), two copies alternated by sequence number, each with a CRC.
///
/// Kept: the SoC (counter, filter state and covariance), the per-cell SoC differences and their
/// variances, the soft-short and contact-loss flags, capacity, the resistance and interface
/// baselines and estimates, the cycle counters, cells failed short, latched faults (except a
/// lost link, which a new power-up finds again or not), the precharge-failure count, the remote
/// resets counted, and the event log. Not kept: what a power-up relearns in minutes (rest and
/// drift references, the resistance fit's open windows, the capacity anchors in progress).
extension BMSController {
    /// Walks every persisted field in the record's one order (layout version
    /// `RecordLayout.version`): the writer, the reader and the word count all derive from it.
    @inlinable mutating func visitRecord<V: RecordVisitor>(_ v: inout V) {
        let n = configuration.cellCount
        // Latched faults and the sequence's count.
        v.word(&latched.rawValue)
        v.int32(&prechargeFailures, 0...1_000_000)
        v.int32(&emsResetCount, 0...1_000_000)
        v.int64(&emsWindowStart.count, -stepCountLimit...stepCountLimit)
        // The SoC: the exact counter, the filter's state, covariance and pending walk.
        // The origin takes the filter's corrections (`SoCEstimation`), which sum the counter's
        // error over the pack's life (a 0.5 % gain error is 5 units of SoC in 1000 cycles): its
        // range is the correction state's.
        var origin = soc.counter._origin.value
        v.float(&origin, -1e4...1e4)
        soc.counter._origin = StateOfCharge(origin)
        v.int64(&soc.counter._dischargedMicrocoulombs, -1_000_000_000_000_000_000...1_000_000_000_000_000_000)
        for i in 0..<4 { v.float(&soc.filter._x[i], -1e4...1e4) }
        for i in 0..<4 { v.float(&soc.filter._pxb[i], -1e6...1e6) }
        v.float(&soc.filter._biasVariance, 0...1e6)
        visitCovariance(&v)
        v.float(&soc.filter._pendingWalk.x, 0...1e6)
        v.float(&soc.filter._pendingWalk.z, 0...1e6)
        v.float(&soc.filter._pendingWalk.w, 0...1e6)
        // The capacity the counter divides by, and the filter's uncertainty of it.
        var counted = soc.counter._capacity.value
        v.float(&counted, 1e-6...1e6)
        soc.counter._capacity = AmpereHours(counted)
        for i in 0..<4 { v.float(&soc.filter._pxc[i], -1e6...1e6) }
        v.float(&soc.filter._capacityVariance, 0...1e6)
        v.float(&soc.filter._pendingCapacityWalk, 0...1e6)
        v.int32(&soc.fullChargeSteps, 0...Int32.max)
        v.bool(&soc.frontDischarging)
        for i in 0..<8 { v.float(&soc.fronts.edges[i], -1...2) }
        var edges = Int32(truncatingIfNeeded: soc.fronts.edgeCount)
        v.int32(&edges, 0...8)
        soc.fronts.edgeCount = Int(truncatingIfNeeded: edges)
        v.bool(&soc.fronts.dischargedAtSurface)
        v.float(&soc.fronts.exhaustedAt, -1...2)
        // The cells: SoC differences and capacity mismatches, soft shorts, capacity.
        v.floats(&soc.cellDeltas._delta, count: n, -1...1)
        v.floats(&soc.cellDeltas._variance, count: n, 0...1)
        v.floats(&soc.cellDeltas._mismatch, count: n, -1...1)
        v.floats(&soc.cellDeltas._mismatchVariance, count: n, 0...1)
        v.floats(&soc.cellDeltas._covariance, count: n, -1...1)
        v.bits(&soc.cellDeltas._softShort, count: n)
        v.float(&soc.capacity._capacity, 0...1e6, nan: true)
        v.float(&soc.capacity.weight, 0...1e12)
        v.int32(&soc.capacity._samples, 0...Int32.max)
        v.float(&soc.capacity.assumedWeight, 0...1e12)
        v.floats(&soc.capacity._cellCapacity, count: n, 0...1e6, nan: true)
        // Health: resistance and interface baselines and estimates, contact loss, cycles.
        v.floats(&health.resistance._reference, count: n, 0...1e3, nan: true)
        v.floats(&health.resistance._recent, count: n, 0...1e3, nan: true)
        v.int32(&health.resistance._fits, 0...Int32.max)
        v.bool(&health.interface.baselineTaken)
        v.floats(&health.interface._baseline, count: n, 0...1e3, nan: true)
        v.float(&health.interface.baselineSigma, 0...1e3, nan: true)
        v.floats(&health.interface._interface, count: n, -1e3...1e3, nan: true)
        v.floats(&health.interface._contactFraction, count: n, 0...1)
        v.bits(&health.interface._contactLoss, count: n)
        v.float(&health.interface._meanGrowthPerDay, -1e3...1e3, nan: true)
        v.float(&health.interface._worstGrowthPerDay, -1e3...1e3, nan: true)
        v.float(&health.cycles._thermalCycles, 0...1e9)
        v.float(&health.cycles._largestSwing, 0...1e4)
        v.int32(&health.cycles._freezeThawCycles, 0...Int32.max)
        v.float(&health.cycles.extreme, -300...3000, nan: true)
        v.float(&health.cycles.lastReversal, -300...3000, nan: true)
        var rising = Int32(truncatingIfNeeded: health.cycles.rising)
        v.int32(&rising, -1...1)
        health.cycles.rising = Int8(truncatingIfNeeded: rising)
        v.bool(&health.cycles.frozen)
        v.bits(&validator.failedShort.failed, count: n)
        // The event log.
        var recorded = events._recorded
        v.word(&recorded)
        events._recorded = recorded
        for k in 0..<events.entries.count { visitEvent(&events.entries[k], &v) }
    }

    /// The filter's covariance, column by column (diagonal non-negative).
    @inlinable mutating func visitCovariance<V: RecordVisitor>(_ v: inout V) {
        for i in 0..<4 {
            v.float(&soc.filter._p.c0[i], i == 0 ? 0...1e6 : -1e6...1e6)
            v.float(&soc.filter._p.c1[i], i == 1 ? 0...1e6 : -1e6...1e6)
            v.float(&soc.filter._p.c2[i], i == 2 ? 0...1e6 : -1e6...1e6)
            v.float(&soc.filter._p.c3[i], i == 3 ? 0...1e6 : -1e6...1e6)
        }
    }

    /// One event: its time, kind and detail.
    @inlinable func visitEvent<V: RecordVisitor>(_ e: inout Event, _ v: inout V) {
        v.int64(&e.time.count, -stepCountLimit...stepCountLimit)
        var kind = UInt32(truncatingIfNeeded: e.kind.rawValue)
        v.word(&kind)
        if kind <= 255, let k = Event.Kind(rawValue: UInt8(truncatingIfNeeded: kind)) { e.kind = k } else { v.reject() }
        v.word(&e.detail)
    }

    /// Words one copy of the record takes (header, payload and CRC) for this configuration.
    @inlinable public var recordWords: Int { RecordLayout.headerWords + keeper.payloadWords + 1 }

    /// Copies written since power-up.
    @inlinable public var recordWrites: UInt32 { keeper.writes }
}

/// The largest frame time a record accepts (about 292 years of milliseconds, well inside Int64).
@usableFromInline let stepCountLimit: Int64 = 9_007_199_254_740_992
