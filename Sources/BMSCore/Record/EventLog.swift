/// One entry of the event log: what happened, when, and a detail word.
public struct Event: Sendable, Equatable {
    /// The frame time it happened at.
    public var time: Milliseconds
    public var kind: Kind
    /// Kind-specific: the fault or warning bits raised or cleared (`FaultFlags.rawValue`), the
    /// modes (old << 8 | new), the request (`ModeRequest.rawValue`), the reset's authority.
    public var detail: UInt32

    /// What an event records.
    public enum Kind: UInt8, Sendable {
        /// Faults latched (detail: the new bits).
        case faultLatched = 1
        /// Warnings raised (detail: the bits that went from clear to set).
        case warningRaised = 2
        /// The mode changed (detail: old mode << 8 | new mode).
        case modeChanged = 3
        /// The EMS or operator asked for a mode (detail: `ModeRequest.rawValue`).
        case modeRequested = 4
        /// Latched faults were reset (detail: the bits cleared; authority in bit 31, 1 = service).
        case faultsReset = 5
        /// A reset was refused (detail: authority, 0 = EMS, 1 = service outside service mode).
        case resetRefused = 6
        /// The service switch was turned on (detail 1) or off (detail 0).
        case serviceSwitch = 7
        /// The controller powered up (detail: `PowerUpReport.detail`, what the persistent record
        /// gave).
        case powerUp = 8
        /// Writing the persistent record failed (detail: the `StorageError`'s raw value).
        case recordWriteFailed = 9
    }

    @inlinable public init(time: Milliseconds, kind: Kind, detail: UInt32) {
        self.time = time
        self.kind = kind
        self.detail = detail
    }
}

/// A bounded ring of the newest `capacity` events, numbered from 1 in the order they happened
/// (the number survives the ring's wrap, so a reader that polls can tell what it missed).
public struct EventLog<let capacity: Int>: Sendable {
    @usableFromInline var entries: InlineArray<capacity, Event> = InlineArray(repeating: Event(time: .zero, kind: .faultLatched, detail: 0))
    /// Events recorded since power-up (the newest event's number).
    @inlinable public var recorded: UInt32 { _read { yield _recorded } }
    @usableFromInline var _recorded: UInt32 = 0

    @inlinable public init() {}

    /// Events held now (at most `capacity`).
    @inlinable public var count: Int { _recorded < UInt32(truncatingIfNeeded: capacity) ? Int(truncatingIfNeeded: _recorded) : capacity }

    /// Appends an event, overwriting the oldest once the ring is full.
    @inlinable public mutating func append(_ e: Event) {
        entries[Int(truncatingIfNeeded: _recorded % UInt32(truncatingIfNeeded: capacity))] = e
        _recorded &+= 1
    }

    /// The event numbered `n` (1 = the first since power-up), if the ring still holds it.
    @inlinable public func event(number n: UInt32) -> Event? {
        let size = UInt32(truncatingIfNeeded: capacity)
        guard n >= 1, n <= _recorded, _recorded - n < size else { return nil }
        return entries[Int(truncatingIfNeeded: (n - 1) % size)]
    }
}
