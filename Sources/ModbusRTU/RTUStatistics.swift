/// What the master has seen on the line.
public struct RTUStatistics: Sendable, Equatable {
    /// Requests asked for (each counted once, however many attempts it took).
    public var requests = 0
    /// Attempts repeated after a failed one.
    public var retries = 0
    /// Attempts with no complete reply in time.
    public var timeouts = 0
    /// Replies whose CRC did not match.
    public var badCRC = 0
    /// Replies from another unit, for another function, or of the wrong length.
    public var unexpected = 0
    /// Exception replies.
    public var exceptions = 0
    /// Requests that failed after every attempt.
    public var failures = 0

    @inlinable public init() {}
}
