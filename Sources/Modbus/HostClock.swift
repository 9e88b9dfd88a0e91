import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the host side (Modbus servers and clients, the controller loop, the services' watchdogs
/// and heartbeats) reads the time and waits: injected, so tests drive it by hand (as swift-nio's
/// EmbeddedEventLoop does) instead of sleeping.
public protocol HostClock: Sendable {
    /// The present instant (monotonic).
    var now: ContinuousClock.Instant { get }
    /// Waits `duration` (a manual clock moves itself forward instead).
    func sleep(for duration: Duration)
}

/// The machine's monotonic clock; `sleep` blocks the calling thread.
public struct SystemClock: HostClock {
    public init() {}

    public var now: ContinuousClock.Instant { ContinuousClock.now }

    public func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var left = timespec()
        while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
    }
}

/// A clock that moves only when told (`advance(by:)`), or by what its sleepers ask: timing logic
/// (watchdogs, heartbeats, back-off, pacing) tested without sleeps and without timing windows.
public final class ManualClock: HostClock, Sendable {
    private let origin = ContinuousClock.now
    private let elapsed = Mutex<Duration>(.zero)

    public init() {}

    public var now: ContinuousClock.Instant { origin + elapsed.withLock { $0 } }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        elapsed.withLock { $0 += max(.zero, duration) }
    }

    /// Moves the clock forward by `duration` (nothing else runs meanwhile).
    public func sleep(for duration: Duration) { advance(by: duration) }
}
