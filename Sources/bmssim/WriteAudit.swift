import Foundation
import HIL
import Modbus
import Simulation

/// The audit log of a Modbus server's writes (every one, accepted or refused), one row per
/// register: written to the command's outputs as the writes come (`drain` is called from the
/// command's loop and at its end).
final class WriteAudit {
    static let columns = ["wall_utc", "peer", "function", "address", "point", "old", "new", "outcome"]
    private let writer: TimeSeriesWriter
    private let points: [RegisterPoint]
    private let formatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
    /// Rows written so far (refused ones included).
    private(set) var rows = 0
    private(set) var refused = 0

    init(path: String, points: [RegisterPoint]) throws {
        writer = try TimeSeriesWriter(path: path, columns: Self.columns)
        self.points = points
    }

    /// Writes the server's records since the last call.
    func drain<S: ModbusService>(_ server: ModbusServer<S>) throws {
        let records = server.drainWrites()
        guard !records.isEmpty else { return }
        let now = server.clock.now, wall = Date()
        for r in records {
            let at = wall.addingTimeInterval(-Double((now - r.time) / .milliseconds(1)) / 1000)
            let outcome = r.refused.map { "refused (\($0), by \(r.refusedBy ?? "service"))" } ?? "accepted"
            if r.refused != nil { refused += 1 }
            let count = max(r.old.count, r.new.count, 1)
            for k in 0..<count {
                let old = k < r.old.count ? String(r.old[k]) : ""
                let new = k < r.new.count ? String(r.new[k]) : ""
                try writer.append([formatter.string(from: at), r.peer, String(r.function), String(r.address + k), points.holdingName(r.address + k), old, new, outcome])
                rows += 1
            }
        }
    }
}
