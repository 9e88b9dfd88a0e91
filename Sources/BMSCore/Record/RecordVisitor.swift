/// Walks the persistent record's fields in their one declared order
/// (`BMSController.visitRecord(_:)`): the writer stores each, the reader replaces each with
/// the stored value when it passes the field's range check, the counter only counts. The record's
/// layout is written once, in that walk; both codecs and its size derive from it.
public protocol RecordVisitor {
    /// One word: stored, replaced by the stored one, or counted.
    mutating func word(_ x: inout UInt32)
    /// A stored value failed its field's check: the whole record is refused.
    mutating func reject()
    /// Whether `word` hands back a stored word that the field takes (the reader): for the
    /// writer and the counter the fields' checks and write-backs are left out of their walks.
    static var replaces: Bool { get }
}

extension RecordVisitor {
    /// A Float within `range` (or NaN, where `nan` says an unknown value is valid).
    @inlinable mutating func float(_ x: inout Float, _ range: ClosedRange<Float>, nan: Bool = false) {
        var w = x.bitPattern
        word(&w)
        guard Self.replaces else { return }
        let v = Float(bitPattern: w)
        if (v.isNaN && nan) || range.contains(v) { x = v } else { reject() }
    }

    /// Int32 within `range`.
    @inlinable mutating func int32(_ x: inout Int32, _ range: ClosedRange<Int32>) {
        var w = UInt32(bitPattern: x)
        word(&w)
        guard Self.replaces else { return }
        let v = Int32(bitPattern: w)
        if range.contains(v) { x = v } else { reject() }
    }

    /// An Int64 as two words (low first), within `range`.
    @inlinable mutating func int64(_ x: inout Int64, _ range: ClosedRange<Int64>) {
        var (low, high) = RecordWords.split(x)
        word(&low)
        word(&high)
        guard Self.replaces else { return }
        let v = RecordWords.join(low: low, high: high)
        if range.contains(v) { x = v } else { reject() }
    }

    /// A Bool (0 or 1).
    @inlinable mutating func bool(_ x: inout Bool) {
        var w: UInt32 = x ? 1 : 0
        word(&w)
        guard Self.replaces else { return }
        if w <= 1 { x = w == 1 } else { reject() }
    }

    /// The first `count` entries of an array of Floats, each within `range` (or NaN if `nan`).
    @inlinable mutating func floats<let n: Int>(_ a: inout InlineArray<n, Float>, count: Int, _ range: ClosedRange<Float>, nan: Bool = false) {
        for k in 0..<min(count, n) { float(&a[k], range, nan: nan) }
    }

    /// The first `count` entries of an array of Bools, 32 to a word.
    @inlinable mutating func bits<let n: Int>(_ a: inout InlineArray<n, Bool>, count: Int) {
        let used = min(count, n)
        var base = 0
        while base < used {
            var w: UInt32 = 0
            for b in 0..<min(32, used - base) where a[base + b] { w |= 1 &<< UInt32(truncatingIfNeeded: b) }
            word(&w)
            if Self.replaces { for b in 0..<min(32, used - base) { a[base + b] = w & 1 &<< UInt32(truncatingIfNeeded: b) != 0 } }
            base += 32
        }
    }
}

/// Counts the record's words.
@usableFromInline struct RecordWordCounter: RecordVisitor {
    @usableFromInline var words = 0
    @inlinable init() {}
    @inlinable mutating func word(_ x: inout UInt32) { words += 1 }
    @inlinable mutating func reject() {}
    @inlinable static var replaces: Bool { false }
}

/// Stores the record's words into one slot from `first` on, folding each into the CRC.
@usableFromInline struct RecordWriter<Storage: RecordStorage>: RecordVisitor {
    @usableFromInline let storage: UnsafeMutablePointer<Storage>
    @usableFromInline let slot: Int
    @usableFromInline var index: Int
    @usableFromInline var crc: UInt32
    /// The first write that failed (the rest are skipped).
    @usableFromInline var failure: StorageError?

    @inlinable init(_ storage: UnsafeMutablePointer<Storage>, slot: Int, first: Int, crc: UInt32) {
        self.storage = storage
        self.slot = slot
        index = first
        self.crc = crc
    }

    @inlinable mutating func word(_ x: inout UInt32) {
        guard failure == nil else { return }
        guard index < storage.pointee.slotWords else {
            failure = .recordTooLarge
            return
        }
        do { try storage.pointee.write(slot: slot, word: index, x) } catch { failure = error }
        crc = RecordCRC.update(crc, x)
        index += 1
    }
    @inlinable mutating func reject() {}
    @inlinable static var replaces: Bool { false }
}

/// Reads the record's words from one slot from `first` on (its CRC already checked).
@usableFromInline struct RecordReader<Storage: RecordStorage>: RecordVisitor {
    @usableFromInline let storage: UnsafePointer<Storage>
    @usableFromInline let slot: Int
    @usableFromInline var index: Int
    /// A field failed its check.
    @usableFromInline var rejected = false

    @inlinable init(_ storage: UnsafePointer<Storage>, slot: Int, first: Int) {
        self.storage = storage
        self.slot = slot
        index = first
    }

    @inlinable mutating func word(_ x: inout UInt32) {
        x = storage.pointee.read(slot: slot, word: index)
        index += 1
    }
    @inlinable mutating func reject() { rejected = true }
    @inlinable static var replaces: Bool { true }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) over words taken as four little-endian
/// bytes: bitwise, no table (flash is dearer than the few thousand cycles per record).
public enum RecordCRC {
    /// The CRC's initial register.
    public static let initial: UInt32 = 0xFFFF_FFFF

    /// Folds one word into the register.
    @inlinable public static func update(_ crc: UInt32, _ word: UInt32) -> UInt32 {
        var c = crc ^ word
        for _ in 0..<32 { c = c & 1 != 0 ? c &>> 1 ^ 0xEDB8_8320 : c &>> 1 }
        return c
    }

    /// The final CRC of a register.
    @inlinable public static func finish(_ crc: UInt32) -> UInt32 { ~crc }
}

/// An Int64 to and from its two 32-bit words, low first, without the integer conversions that
/// go through `words` (an array, so a heap allocation) on a 32-bit target. Both the host and the
/// Cortex-M are little-endian, so the bit cast puts the low word first on both.
@usableFromInline enum RecordWords {
    @inlinable static func split(_ x: Int64) -> (UInt32, UInt32) { unsafeBitCast(x, to: (UInt32, UInt32).self) }
    @inlinable static func join(low: UInt32, high: UInt32) -> Int64 { unsafeBitCast((low, high), to: Int64.self) }
}
