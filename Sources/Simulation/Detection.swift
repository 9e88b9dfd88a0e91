import BMSCore

/// What a scenario requires of the firmware once its injected fault appears (a scenario's
/// `detect` entries, docs/scenarios.md): a flag raised within a deadline, and a reaction.
public struct Detection: Sendable, Equatable {
    /// The fault, warning or alarm bit that must appear (`FaultFlags` name).
    public var flag: FaultFlags
    /// The time the clock starts, ms (the scenario's first fault, or `from_s`).
    public var from_ms: Int64
    /// How long after `from_ms` the flag may take, ms.
    public var within_ms: Int64
    /// What the firmware must do once the flag is up.
    public var reaction: Reaction

    /// The firmware's required reaction to a detected fault.
    public enum Reaction: String, Sendable, CaseIterable {
        /// Nothing beyond the flag.
        case none
        /// The contactors are commanded open within 5 s of the flag and stay open to the end.
        case disconnect
        /// Both current limits are zero within 1 s of the flag (the contactors may stay closed).
        case stopCurrent = "stop_current"
        /// The pack keeps working: no protection fault latches during the whole run, and the
        /// main contactors are closed at its end (a pack that opened for good, a cold inhibit
        /// or a lost sensor taken for a cold module, has stopped serving).
        case keepRunning = "keep_running"
        /// Every heater is commanded off within 1 s of the flag.
        case heatersOff = "heaters_off"

        /// How long the reaction may take after the flag, ms.
        var allowance_ms: Int64 {
            switch self {
            case .disconnect: 5000
            case .stopCurrent, .heatersOff: 1000
            case .none, .keepRunning: 0
            }
        }
    }

    public init(flag: FaultFlags, from_ms: Int64, within_ms: Int64, reaction: Reaction) {
        self.flag = flag
        self.from_ms = from_ms
        self.within_ms = within_ms
        self.reaction = reaction
    }

    /// The single flag called `name` (nil when no bit has that name).
    public static func flag(named name: String) -> FaultFlags? {
        for bit in 0..<32 {
            let f = FaultFlags(rawValue: 1 << UInt32(bit))
            if let n = f.bitName, "\(n)" == name { return f }
        }
        return nil
    }

    /// Every flag name there is.
    public static var flagNames: [String] {
        (0..<32).compactMap { bit in FaultFlags(rawValue: 1 << UInt32(bit)).bitName.map { "\($0)" } }
    }
}

/// How a run met one `Detection` (in the run summary).
public struct DetectionResult: Codable, Sendable, Equatable {
    public var flag: String
    /// When the clock started (the fault), s.
    public var from_s: Double
    /// The deadline, s after `from_s`.
    public var within_s: Double
    /// When the flag first appeared at or after `from_s`, s after `from_s` (nil: never).
    public var detected_after_s: Double?
    public var reaction: String
    /// When the reaction was complete, s after the flag (nil: not, or not applicable).
    public var reacted_after_s: Double?
    /// Whether the flag came in time and the reaction followed.
    public var passed: Bool
    /// What went wrong (nil when passed).
    public var problem: String?
}

/// Follows the commands of a run against its detections, step by step.
struct DetectionTracker {
    let detections: [Detection]
    private var detected: [Int64?]
    private var reacted: [Int64?]
    /// The reaction was undone after it was complete (the contactors closed again).
    private var undone: [Bool]
    private var latchedAny = false
    /// Both main contactors were commanded closed at the last step recorded.
    private var closedAtEnd = false

    init(_ detections: [Detection]) {
        self.detections = detections
        detected = Array(repeating: nil, count: detections.count)
        reacted = Array(repeating: nil, count: detections.count)
        undone = Array(repeating: false, count: detections.count)
    }

    mutating func record(time_ms t: Int64, commands c: HostCommands, moduleCount: Int) {
        guard !detections.isEmpty else { return }
        if !c.faults.intersection(.latching).isEmpty { latchedAny = true }
        closedAtEnd = c.contactors.mainPositive && c.contactors.mainNegative
        let raised = c.faults.union(c.warnings).union(c.alarms)
        for (k, d) in detections.enumerated() {
            if detected[k] == nil, t >= d.from_ms, raised.contains(d.flag) { detected[k] = t }
            guard detected[k] != nil else { continue }
            let done: Bool
            switch d.reaction {
            case .none, .keepRunning: done = true
            case .disconnect: done = !c.contactors.mainPositive && !c.contactors.mainNegative && !c.contactors.precharge
            case .stopCurrent: done = c.chargeCurrentLimit.value == 0 && c.dischargeCurrentLimit.value == 0
            case .heatersOff: done = (0..<moduleCount).allSatisfy { c.heaterDuty[$0] == 0 }
            }
            if reacted[k] == nil {
                if done { reacted[k] = t }
            } else if d.reaction == .disconnect, !done {
                undone[k] = true
            }
        }
    }

    var results: [DetectionResult] {
        detections.enumerated().map { (k, d) in
            let after = detected[k].map { Double($0 - d.from_ms) / 1000 }
            var reactedAfter: Double?
            if let r = reacted[k], let t = detected[k] { reactedAfter = Double(r - t) / 1000 }
            var problem: String?
            if let a = after {
                if a > Double(d.within_ms) / 1000 { problem = "raised \(Format.compact(a)) s after the fault, deadline \(Format.compact(Double(d.within_ms) / 1000)) s" }
            } else {
                problem = "never raised"
            }
            if problem == nil {
                switch d.reaction {
                case .none: break
                case .keepRunning:
                    if latchedAny {
                        problem = "a protection fault latched"
                    } else if !closedAtEnd {
                        problem = "the contactors were open at the end of the run"
                    }
                case .disconnect, .stopCurrent, .heatersOff:
                    if let r = reactedAfter {
                        if r > Double(d.reaction.allowance_ms) / 1000 { problem = "\(d.reaction.rawValue) took \(Format.compact(r)) s" }
                        if undone[k] { problem = "the contactors closed again" }
                    } else {
                        problem = "no \(d.reaction.rawValue)"
                    }
                }
            }
            return DetectionResult(
                flag: d.flag.name, from_s: Double(d.from_ms) / 1000, within_s: Double(d.within_ms) / 1000, detected_after_s: after,
                reaction: d.reaction.rawValue, reacted_after_s: reactedAfter, passed: problem == nil, problem: problem)
        }
    }
}
