import BMSCore

/// The in-process simulator's non-volatile memory for the firmware's persistent record: RAM
/// that outlives a controller reset, with a supply that can be made to fail in the middle of a
/// write (`FirmwareReset.powerCutDuringWrite`).
public struct SimulatedRecordStorage: RecordStorage {
    /// Two slots of 4096 words: a 256-cell record takes about 2400.
    @usableFromInline var memory = MemoryRecordStorage<4096>()
    /// Words the supply still delivers before it fails (nil: it does not fail).
    public var wordsBeforePowerFails: Int?
    /// The supply failed during a write (the controller must restart).
    public private(set) var powerFailed = false

    public init() {}

    public var slotWords: Int { memory.slotWords }
    public func read(slot: Int, word: Int) -> UInt32 { memory.read(slot: slot, word: word) }

    public mutating func erase(slot: Int) throws(StorageError) {
        try spend()
        try memory.erase(slot: slot)
    }

    public mutating func write(slot: Int, word: Int, _ value: UInt32) throws(StorageError) {
        try spend()
        try memory.write(slot: slot, word: word, value)
    }

    /// Erases and writes performed, per slot.
    public var erases: (Int, Int) { memory.erases }

    /// Restores the supply (after the restart).
    public mutating func powerRestored() {
        wordsBeforePowerFails = nil
        powerFailed = false
    }

    private mutating func spend() throws(StorageError) {
        guard let left = wordsBeforePowerFails else { return }
        guard left > 0 else {
            powerFailed = true
            throw .powerLost
        }
        wordsBeforePowerFails = left - 1
    }
}
