/// The persistent record's bookkeeping: which copy is newest, when it was written and what it
/// held then (the write-rate rules of `RecordSettings`).
@usableFromInline struct RecordKeeper: Sendable {
    /// The storage has been scanned (by `powerUp(from:)` or the first `persist(to:)`).
    @usableFromInline var opened = false
    /// The newest valid copy's sequence number (0: none) and the slot the next write goes to.
    @usableFromInline var sequence: UInt32 = 0
    @usableFromInline var nextSlot = 0
    /// Whether a copy has been written since power-up, and when and with what.
    @usableFromInline var written = false
    @usableFromInline var lastWrite = Milliseconds.zero
    @usableFromInline var lastSoC: Float = .nan
    @usableFromInline var lastLatched = FaultFlags.clear
    @usableFromInline var lastPrechargeFailures: Int32 = 0
    @usableFromInline var lastEvents: UInt32 = 0
    /// Copies written since power-up.
    @usableFromInline var writes: UInt32 = 0
    /// Steps left to hold `FaultFlags.uncleanRestart`.
    @usableFromInline var restartWarningSteps: Int32 = 0
    /// The record's payload words for the configured pack (counted once, at start-up).
    @usableFromInline var payloadWords = 0

    @inlinable init() {}

    /// Whether a write is due now (`RecordSettings`).
    @inlinable func due(now: Milliseconds, soc: Float, latched: FaultFlags, prechargeFailures: Int32, events: UInt32, settings r: RecordSettings) -> Bool {
        guard written else { return true }
        if latched != lastLatched || prechargeFailures != lastPrechargeFailures { return true }
        let elapsed = now - lastWrite
        if elapsed >= r.period { return true }
        guard elapsed >= r.minimumInterval else { return false }
        return !(abs(soc - lastSoC) < r.socChange.value) || events != lastEvents
    }
}

/// The fixed words before a record's payload: magic, version and cell count, payload length,
/// sequence, flags, the write's time (two words). The payload follows; the CRC of everything
/// before it closes the copy.
public enum RecordLayout {
    /// "BMSR", written last: a copy whose write was cut never shows it with a valid CRC.
    public static let magic: UInt32 = 0x424D_5352
    /// The layout's version: a copy of another version is not read (the walk in
    /// `BMSController.visitRecord(_:)` defines version 5; 2 added the SoC filter's pending random walk, 3 the
    /// capacity the counter divides by and the filter's uncertainty of it, 4 the cells' capacity
    /// mismatches, 5 the interface baselines' uncertainty).
    public static let version: UInt32 = 5
    /// Header words.
    public static let headerWords = 7
    /// Flag bit: written by an orderly shutdown.
    public static let cleanFlag: UInt32 = 1

    /// Header word 1: the version, and the cell count in the high half.
    @inlinable public static func identity(cellCount: Int) -> UInt32 {
        version | UInt32(truncatingIfNeeded: cellCount) &<< 16
    }
}

/// What a power-up found in the persistent record.
public struct PowerUpReport: Sendable, Equatable {
    /// A copy was read and restored.
    public var restored = false
    /// The restored copy was written by an orderly shutdown (else the SoC sigma was widened).
    public var clean = false
    /// A copy was refused (CRC, version, another pack, or a value out of range).
    public var copyRefused = false
    /// Neither copy could be used although the storage was not blank: the record is lost.
    public var lost = false
    /// The restored copy's sequence number (0 when none).
    public var sequence: UInt32 = 0

    @inlinable public init() {}

    /// The report a `powerUp` event's detail word holds (its sequence is not kept there).
    @inlinable public init(detail: UInt32) {
        restored = detail & 1 != 0
        clean = detail & 2 != 0
        copyRefused = detail & 4 != 0
        lost = detail & 8 != 0
    }

    /// The event log's detail word: bit 0 restored, 1 clean, 2 a copy refused, 3 lost.
    @inlinable public var detail: UInt32 {
        (restored ? 1 : 0) | (clean ? 2 : 0) | (copyRefused ? 4 : 0) | (lost ? 8 : 0)
    }
}
