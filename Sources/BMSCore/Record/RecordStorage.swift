/// Non-volatile memory for the persistent record: two slots of 32-bit words, each holding one
/// copy, with flash semantics (a word is written once after its slot's erase).
///
/// The controller is generic over it (no existential): the host and tests back it with memory
/// (`MemoryRecordStorage`), the simulator can cut its power in the middle of a write, and a board
/// backs it with its EEPROM, FRAM or flash sectors.
public protocol RecordStorage {
    /// Words one slot holds.
    var slotWords: Int { get }
    /// The word at `word` of `slot` (0 or 1); 0xFFFF_FFFF when erased. Indices are in range.
    func read(slot: Int, word: Int) -> UInt32
    /// Erases `slot` (every word reads 0xFFFF_FFFF).
    mutating func erase(slot: Int) throws(StorageError)
    /// Programs one erased word of `slot`.
    mutating func write(slot: Int, word: Int, _ value: UInt32) throws(StorageError)
}

/// Why a record could not be written (the raw value is the `recordWriteFailed` event's detail).
public enum StorageError: UInt8, Error, Equatable, Sendable {
    /// The record does not fit the slot.
    case recordTooLarge = 1
    /// A word was programmed without an erase (flash would AND the bits together).
    case notErased = 2
    /// The storage stopped accepting writes (its supply failed mid-write).
    case powerLost = 3
}

/// Record storage in RAM: two slots of `words` words (tests and the in-process simulator; it
/// outlives a controller that is reset, not the process).
public struct MemoryRecordStorage<let words: Int>: RecordStorage, Sendable {
    @usableFromInline var slots: (InlineArray<words, UInt32>, InlineArray<words, UInt32>)
    /// Erases performed, per slot (the wear a flash backing would see).
    @inlinable public var erases: (Int, Int) { _erases }
    @usableFromInline var _erases: (Int, Int) = (0, 0)

    /// Blank storage (both slots erased: a first power-up).
    @inlinable public init() {
        slots = (InlineArray(repeating: 0xFFFF_FFFF), InlineArray(repeating: 0xFFFF_FFFF))
    }

    @inlinable public var slotWords: Int { words }

    @inlinable public func read(slot: Int, word: Int) -> UInt32 {
        slot == 0 ? slots.0[word] : slots.1[word]
    }

    @inlinable public mutating func erase(slot: Int) throws(StorageError) {
        // Word by word: a whole new array would be a temporary of the slot's size.
        for w in 0..<words {
            if slot == 0 { slots.0[w] = 0xFFFF_FFFF } else { slots.1[w] = 0xFFFF_FFFF }
        }
        if slot == 0 { _erases.0 += 1 } else { _erases.1 += 1 }
    }

    @inlinable public mutating func write(slot: Int, word: Int, _ value: UInt32) throws(StorageError) {
        // The erased check reads the slot in place: through the non-mutating `read` the optimiser
        // copied the whole slot (16 kB here) for every word written.
        if slot == 0 {
            guard slots.0[word] == 0xFFFF_FFFF else { throw .notErased }
            slots.0[word] = value
        } else {
            guard slots.1[word] == 0xFFFF_FFFF else { throw .notErased }
            slots.1[word] = value
        }
    }

    /// Flips bits of one stored word (a test's corruption).
    @inlinable public mutating func corrupt(slot: Int, word: Int, mask: UInt32) {
        if slot == 0 { slots.0[word] ^= mask } else { slots.1[word] ^= mask }
    }
}
