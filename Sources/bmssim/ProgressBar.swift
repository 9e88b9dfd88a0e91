import Foundation
import Synchronization

/// A one-line progress bar on standard error, shown only when standard error is a terminal (so
/// logs and pipes stay clean). Safe to call from several threads (a sweep's workers).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private let start = Date()
    private let enabled = isatty(STDERR_FILENO) == 1

    init(label: String) { self.label = label }

    /// Redraws the bar at `fraction` done (0 ... 1).
    func show(_ fraction: Double) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let f = max(0, min(1, fraction))
        let width = 30
        let filled = Int((f * Double(width)).rounded(.down))
        let elapsed = Date().timeIntervalSince(start)
        let eta = f > 0 ? elapsed * (1 - f) / f : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %3.0f %%  %.0f s left ", label, bar, f * 100, eta).utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 80) + "\r").utf8))
    }
}

/// Ctrl-C (SIGINT) and SIGTERM ask the run to stop at the next step; a second Ctrl-C ends the
/// process at once (the time series is written row by row, so nothing simulated is lost).
enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    static var requested: Bool { flag.load(ordering: .relaxed) }

    static func install() {
        let handler: @convention(c) (Int32) -> Void = { signal in
            if Interrupt.flag.exchange(true, ordering: .relaxed) { _exit(128 + signal) }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        // A parent may have blocked them (test runners do, and a spawned child inherits the mask).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
