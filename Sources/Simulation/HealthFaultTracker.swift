import BatteryPlant
import BMSCore

/// Follows the firmware's per-cell health flags (`contactLoss`, `softShort`) against the contact
/// losses and soft shorts (cell shorts through a resistance; a hard short fails the cell, which
/// other protections meet) a scenario injected: when each injected cell was flagged, which were
/// never flagged, and which flags stood for nothing injected (the run summary's health figures).
///
/// A flag is a detection when its cell had that kind of fault injected and the flag came at or
/// after the injection; any other flag is a false alarm (a healthy cell, a cell flagged before
/// its fault, a contact loss read as a short or the other way). A flag cleared (a reset) and
/// raised again on a healthy cell counts again. A `softShort` on a cell the plant itself made
/// leak before the flag (a dendrite through the electrolyte of a chemistry that fails by
/// leakage, `cellLeakageStarted`) is neither: the firmware is right, and nothing was injected
/// (health sweep seed 12011, run 65: a sulfide cell at 31 % of its contact, charged at three
/// times its current density, leaked through a dendrite at 21.6 h and fell 31 mV in a second).
struct HealthFaultTracker {
    /// One injected fault and when its cell was flagged.
    struct Injection {
        var cell: Int
        var at_ms: Int64
        var detected_ms: Int64?
        /// The charge through the cell from the injection to `exposureWindow_ms` after it, % of
        /// its capacity (contact losses).
        var throughput_pct: Double = 0
    }

    /// How long after a contact loss the charge through its cell is summed: the detection
    /// deadline (`SweepReport.contactLossDeadline_h`), in which a passive BMS can see the loss
    /// only by the current that cell carries.
    static let exposureWindow_ms = Int64(SweepReport.contactLossDeadline_h * 3_600_000)

    private(set) var contactLosses: [Injection] = []
    private(set) var shorts: [Injection] = []
    private(set) var falseAlarms = 0
    private var contactFlagged: [Bool]
    private var shortFlagged: [Bool]
    private var contactCount = 0
    private var shortCount = 0

    init(faults: [PlantFault], cellCount: Int) {
        for f in faults {
            switch f.kind {
            case .contactLoss(let cell, _) where cell >= 0 && cell < cellCount:
                contactLosses.append(Injection(cell: cell, at_ms: f.at_ms))
            case .cellShort(let cell, _?) where cell >= 0 && cell < cellCount:
                shorts.append(Injection(cell: cell, at_ms: f.at_ms))
            default:
                break
            }
        }
        contactFlagged = Array(repeating: false, count: cellCount)
        shortFlagged = Array(repeating: false, count: cellCount)
    }

    /// Whether the scenario injected a fault this tracker follows.
    var injected: Bool { !contactLosses.isEmpty || !shorts.isEmpty }

    /// Whether a contact loss is inside its exposure window at `time_ms` (the closed loop then
    /// reads that cell's current, `recordThroughput`).
    func watchesThroughput(at time_ms: Int64) -> Bool {
        contactLosses.contains { time_ms > $0.at_ms && time_ms - $0.at_ms <= Self.exposureWindow_ms }
    }

    /// Adds a step of `step_ms` to the throughput of each contact loss inside its exposure
    /// window: `cell(k)` is cell k's current (A, either sign) and capacity (Ah).
    mutating func recordThroughput(time_ms: Int64, step_ms: Int64, cell: (Int) -> (current_A: Double, capacity_Ah: Double)) {
        for i in contactLosses.indices where time_ms > contactLosses[i].at_ms && time_ms - contactLosses[i].at_ms <= Self.exposureWindow_ms {
            let c = cell(contactLosses[i].cell)
            guard c.capacity_Ah > 0, c.current_A.isFinite else { continue }
            contactLosses[i].throughput_pct += abs(c.current_A) * Double(step_ms) / 3_600_000 / c.capacity_Ah * 100
        }
    }

    /// Whether the controller's counts of flagged cells (`CoreStatus.contactLossCells`,
    /// `softShortCells`) differ from those `record(time_ms:controller:)` read last. The closed loop
    /// asks this every step and passes the controller only when it is true: the controller is
    /// about 40 kB, and handing it over copied it every step (a sixth of a run's time).
    func countsChanged(contactLossCells: Int, softShortCells: Int) -> Bool {
        contactLossCells != contactCount || softShortCells != shortCount
    }

    /// Reads the controller's flags after a step (the per-cell arrays only when a count changed);
    /// `leaking`, the cells the plant made leak so far (`cellLeakageStarted`).
    mutating func record(time_ms: Int64, controller: HostController, leaking: Set<Int> = []) {
        if controller.status.contactLossCells != contactCount {
            contactCount = controller.status.contactLossCells
            let flags = controller.interfaceHealth.contactLoss
            record(time_ms: time_ms, contactLoss: contactFlagged.indices.map { flags[$0] })
        }
        if controller.status.softShortCells != shortCount {
            shortCount = controller.status.softShortCells
            let flags = controller.cellDeltas.softShort
            record(time_ms: time_ms, softShort: shortFlagged.indices.map { flags[$0] }, leaking: leaking)
        }
    }

    /// Takes the per-cell flags of one kind as they stand at `time_ms` (nil: unchanged).
    mutating func record(time_ms: Int64, contactLoss: [Bool]? = nil, softShort: [Bool]? = nil, leaking: Set<Int> = []) {
        if let now = contactLoss {
            for k in contactFlagged.indices where k < now.count {
                Self.update(&contactFlagged[k], now: now[k], cell: k, time_ms: time_ms, injections: &contactLosses, falseAlarms: &falseAlarms)
            }
        }
        if let now = softShort {
            for k in shortFlagged.indices where k < now.count {
                Self.update(
                    &shortFlagged[k], now: now[k], cell: k, time_ms: time_ms, injections: &shorts, falseAlarms: &falseAlarms,
                    physical: leaking.contains(k))
            }
        }
    }

    private static func update(
        _ flagged: inout Bool, now: Bool, cell: Int, time_ms: Int64, injections: inout [Injection], falseAlarms: inout Int,
        physical: Bool = false
    ) {
        defer { flagged = now }
        guard now, !flagged else { return }
        if let i = injections.firstIndex(where: { $0.cell == cell && $0.at_ms <= time_ms && $0.detected_ms == nil }) {
            injections[i].detected_ms = time_ms
        } else if !physical && !injections.contains(where: { $0.cell == cell && $0.at_ms <= time_ms }) {
            falseAlarms += 1
        }
    }

    /// The longest time from an injection to its cell's flag, s (nil: none flagged).
    static func slowest(_ injections: [Injection]) -> Double? {
        injections.compactMap { i in i.detected_ms.map { Double($0 - i.at_ms) / 1000 } }.max()
    }

    /// The summary's figures: nil throughout when nothing was injected, unless `always`;
    /// `contactLossThroughput_pct`, the least of the contact losses' throughputs (nil: none).
    func figures(always: Bool) -> (contactLoss_s: Double?, softShort_s: Double?, missed: Int?, falseAlarms: Int?, contactLossThroughput_pct: Double?) {
        guard injected || always else { return (nil, nil, nil, nil, nil) }
        let missed = contactLosses.filter { $0.detected_ms == nil }.count + shorts.filter { $0.detected_ms == nil }.count
        return (Self.slowest(contactLosses), Self.slowest(shorts), missed, falseAlarms, contactLosses.map(\.throughput_pct).min())
    }
}
