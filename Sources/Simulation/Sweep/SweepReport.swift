import Foundation

/// What a sweep came to: the distribution of every metric over its runs, overall and by pack and
/// duty, the false trips and warnings, and its expectations (docs/sweeps.md). The same runs give
/// the same report, byte for byte (no wall times in it), however they were sharded.
public struct SweepReport: Codable, Sendable, Equatable {
    public var sweep: String
    public var description: String
    public var seed: UInt64
    /// Runs the spec asks for, and runs reported (fewer after an interruption).
    public var runs_planned: Int
    public var runs: Int
    /// Runs that could not run (their errors by run number).
    public var errors: [String: String]
    public var groups: [Group]
    public var expectations: [ExpectationResult]

    /// The runs of one pack or one duty (or all of them).
    public struct Group: Codable, Sendable, Equatable {
        /// "all", "pack=NaS", "duty=pv-firming".
        public var name: String
        public var runs: Int
        /// Runs that latched a protection trip, and that raised a warning (a sweep injects no
        /// fault: every one is false).
        public var runs_with_trips: Int
        public var runs_with_warnings: Int
        /// The runs with a trip or warning, by number (to rerun them).
        public var runs_flagged: [Int]
        /// Contact losses and soft shorts injected (`contact_loss`, `soft_short`), how many of
        /// them the firmware flagged on their cell, and the cells it flagged with nothing injected.
        public var health_faults_injected: Int
        public var health_faults_detected: Int
        public var health_false_alarms: Int
        /// The contact losses injected and flagged on their cell; of those injected at least
        /// `contactLossDeadline_h` before their run's end, how many were flagged within that
        /// deadline (issue 14's target: contact loss detected within 2 h).
        public var contact_losses_injected: Int
        public var contact_losses_detected: Int
        public var contact_losses_with_deadline: Int
        public var contact_losses_within_deadline: Int
        /// Of those with a deadline, the losses whose cell then carried current (at least
        /// `carriedCurrent_pct` of its capacity in the deadline after the loss,
        /// `RunSummary.contact_loss_throughput_pct`), and how many of them were flagged within it:
        /// a loss followed by no current shows in no voltage.
        public var contact_losses_followed_by_current: Int
        public var contact_losses_followed_by_current_within_deadline: Int
        /// The soft shorts injected and flagged on their cell.
        public var soft_shorts_injected: Int
        public var soft_shorts_detected: Int
        /// The runs that missed an injected fault or raised a false health alarm, by number.
        public var runs_health_flagged: [Int]
        /// Cells shorted by dendrite penetration over all runs, and over the same runs without
        /// CCD-aware derating (nil without `ccd_derating_comparison`).
        public var dendrite_penetrations: Int
        public var dendrite_penetrations_without_ccd_derating: Int?
        /// metric -> statistic -> value, over the runs that report the metric.
        public var statistics: [String: [String: Double]]
        /// Worst run of the pack SoC error's max, and of coverage.
        public var worst_soc_error_run: Int?
        public var worst_coverage_run: Int?
    }

    /// One expectation of the spec against its group ("all" unless it names one).
    public struct ExpectationResult: Codable, Sendable, Equatable {
        public var expect: String
        public var value: Double?
        public var min: Double?
        public var max: Double?
        public var problem: String?
    }

    /// Whether every expectation is met and every run ran.
    public var passed: Bool { errors.isEmpty && expectations.allSatisfy { $0.problem == nil } && runs == runs_planned }

    public init(spec: SweepSpec, results: [SweepRunResult]) {
        let sorted = results.sorted { $0.run < $1.run }
        sweep = spec.name
        description = spec.description
        seed = spec.seed
        runs_planned = spec.runs
        runs = sorted.count
        errors = Dictionary(uniqueKeysWithValues: sorted.compactMap { r in r.error.map { (String(r.run), $0) } })
        var groups = [Self.group("all", sorted)]
        let packs = Set(sorted.compactMap { $0.draw?.pack }).sorted()
        // A bound on a pack's runs gets its group even where those are all the runs (a shard).
        let packBounds = spec.expectations.contains { $0.group.hasPrefix("pack=") }
        if packs.count > 1 || packBounds { for p in packs { groups.append(Self.group("pack=" + p, sorted.filter { $0.draw?.pack == p })) } }
        let duties = Set(sorted.compactMap { $0.draw?.duty }).sorted()
        let dutyBounds = spec.expectations.contains { $0.group.hasPrefix("duty=") }
        if duties.count > 1 || dutyBounds { for d in duties { groups.append(Self.group("duty=" + d, sorted.filter { $0.draw?.duty == d })) } }
        self.groups = groups
        expectations = spec.expectations.map { e in
            let v = groups.first { $0.name == e.group }?.statistics[e.metric.key]?[e.statistic.rawValue]
            return ExpectationResult(expect: e.key, value: v, min: e.min, max: e.max, problem: e.violation(v))
        }
    }

    /// The time within which a contact loss should be flagged, hours (issue 14's target).
    public static let contactLossDeadline_h = 2.0

    /// The charge through a cell in the deadline after its contact loss, % of its capacity,
    /// from which the loss counts as followed by current: C/200 on average over the 2 h.
    public static let carriedCurrent_pct = 1.0

    /// The `p`-th percentile of sorted `values` by nearest rank.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func group(_ name: String, _ results: [SweepRunResult]) -> Group {
        let ran = results.compactMap { r in r.summary.map { (r.run, $0) } }
        var statistics: [String: [String: Double]] = [:]
        for m in RunMetric.allCases {
            let values = ran.compactMap { m.value(in: $0.1) }.filter(\.isFinite).sorted()
            guard !values.isEmpty else { continue }
            var s: [String: Double] = [:]
            s[SweepStatistic.min.rawValue] = values[0]
            s[SweepStatistic.p05.rawValue] = percentile(values, 5)
            s[SweepStatistic.p50.rawValue] = percentile(values, 50)
            s[SweepStatistic.mean.rawValue] = values.reduce(0, +) / Double(values.count)
            s[SweepStatistic.p95.rawValue] = percentile(values, 95)
            s[SweepStatistic.max.rawValue] = values[values.count - 1]
            statistics[m.key] = s
        }
        let flagged = ran.filter { $0.1.protection_trips > 0 || ($0.1.warnings_raised ?? 0) > 0 }.map(\.0)
        // The runs that ran, with their draws. A sweep injects at most one of each kind per run:
        // a detection time is that one's.
        let drawn = results.compactMap { r in r.summary.map { (r.draw, $0) } }
        let losses = drawn.compactMap { d, s in d?.contact_loss.map { ($0.at_h, s) } }
        let timed = losses.filter { $0.1.duration_h - $0.0 >= contactLossDeadline_h }
        let carried = timed.filter { ($0.1.contact_loss_throughput_pct ?? 0) >= carriedCurrent_pct }
        let deadline_s = contactLossDeadline_h * 3600
        let shorts = drawn.filter { $0.0?.soft_short != nil }
        let injected = losses.count + shorts.count
        let missed = ran.reduce(0) { $0 + ($1.1.health_missed ?? 0) }
        let comparisons = ran.compactMap(\.1.dendrite_penetrations_without_ccd_derating)
        return Group(
            name: name, runs: results.count, runs_with_trips: ran.filter { $0.1.protection_trips > 0 }.count,
            runs_with_warnings: ran.filter { ($0.1.warnings_raised ?? 0) > 0 }.count, runs_flagged: flagged,
            health_faults_injected: injected, health_faults_detected: injected - missed,
            health_false_alarms: ran.reduce(0) { $0 + ($1.1.health_false_alarms ?? 0) },
            contact_losses_injected: losses.count, contact_losses_detected: losses.filter { $0.1.contact_loss_detection_s != nil }.count,
            contact_losses_with_deadline: timed.count,
            contact_losses_within_deadline: timed.filter { ($0.1.contact_loss_detection_s ?? .infinity) <= deadline_s }.count,
            contact_losses_followed_by_current: carried.count,
            contact_losses_followed_by_current_within_deadline: carried.filter { ($0.1.contact_loss_detection_s ?? .infinity) <= deadline_s }.count,
            soft_shorts_injected: shorts.count, soft_shorts_detected: shorts.filter { $0.1.soft_short_detection_s != nil }.count,
            runs_health_flagged: ran.filter { ($0.1.health_missed ?? 0) > 0 || ($0.1.health_false_alarms ?? 0) > 0 }.map(\.0),
            dendrite_penetrations: ran.reduce(0) { $0 + ($1.1.dendrite_penetrations ?? 0) }, dendrite_penetrations_without_ccd_derating: comparisons.isEmpty ? nil : comparisons.reduce(0, +),
            statistics: statistics,
            worst_soc_error_run: ran.max { $0.1.soc_error_max_pct < $1.1.soc_error_max_pct }?.0,
            worst_coverage_run: ran.min { ($0.1.soc_within_3sigma ?? 1) < ($1.1.soc_within_3sigma ?? 1) }?.0)
    }

    /// Pretty, key-sorted JSON.
    public func jsonData() throws -> Data { try SweepSpec.encoder.encode(self) }

    /// The metrics the Markdown report tabulates, in order.
    static let headline: [RunMetric] = [
        .soc_error_rms_pct, .soc_error_max_pct, .soc_error_max_after_1h_pct, .cell_soc_error_rms_pct, .cell_soc_error_max_pct, .soc_within_3sigma, .soc_nees,
        .time_to_converge_s, .resistance_error_pct, .interface_error_pct, .interface_error_abs_pct, .dispatch_fulfilment, .protection_trips, .warnings_raised,
        .contact_loss_detection_s, .soft_short_detection_s,
    ]

    /// The report as Markdown: the headline metrics of every group, the flagged runs, the
    /// expectations.
    public var markdown: String {
        var lines = ["# Sweep \(sweep)", ""]
        if !description.isEmpty { lines += [description, ""] }
        lines.append("\(runs) of \(Format.count(runs_planned, "run")), seed \(seed), \(errors.count) could not run. Percentiles by nearest rank.")
        for g in groups {
            lines += ["", "## \(g.name): \(Format.count(g.runs, "run")), \(g.runs_with_trips) with a trip, \(g.runs_with_warnings) with a warning", ""]
            lines.append("| metric | " + SweepStatistic.allCases.map(\.rawValue).joined(separator: " | ") + " |")
            lines.append("|---|" + String(repeating: "---|", count: SweepStatistic.allCases.count))
            for m in Self.headline {
                guard let s = g.statistics[m.key] else { continue }
                lines.append("| \(m.key) | " + SweepStatistic.allCases.map { s[$0.rawValue].map(Format.compact) ?? "-" }.joined(separator: " | ") + " |")
            }
            if g.health_faults_injected > 0 || g.health_false_alarms > 0 {
                let deadline = Format.compact(Self.contactLossDeadline_h)
                lines.append(
                    "\nHealth faults: \(g.health_faults_detected) of \(g.health_faults_injected) injected flagged on their cell, \(g.health_false_alarms) false health alarms"
                        + (g.runs_health_flagged.isEmpty ? "." : " (runs with a miss or a false alarm: " + g.runs_health_flagged.map(String.init).joined(separator: ", ") + ")."))
                lines.append(
                    "Contact losses flagged on their cell: \(g.contact_losses_detected) of \(g.contact_losses_injected), within \(deadline) h \(g.contact_losses_within_deadline) of the \(g.contact_losses_with_deadline) injected \(deadline) h or more before their run's end; of those \(g.contact_losses_with_deadline), \(g.contact_losses_followed_by_current) followed by current (their cell carried \(Format.compact(Self.carriedCurrent_pct)) % of its capacity or more in the \(deadline) h after), \(g.contact_losses_followed_by_current_within_deadline) of them flagged within \(deadline) h. Soft shorts flagged on their cell: \(g.soft_shorts_detected) of \(g.soft_shorts_injected).")
            }
            if let w = g.dendrite_penetrations_without_ccd_derating {
                lines.append("\nCells shorted by dendrites: \(g.dendrite_penetrations) with CCD-aware derating, \(w) without it (the same draws).")
            }
            if !g.runs_flagged.isEmpty { lines += ["", "Runs with a trip or warning (run numbers, for `bmssim simulate --sweep-run SPEC:K`): " + g.runs_flagged.map(String.init).joined(separator: ", ")] }
            if let w = g.worst_soc_error_run { lines.append("\nLargest pack SoC error: run \(w).") }
        }
        if !expectations.isEmpty {
            lines += ["", "## Expectations", "", "| expect | value | bound | result |", "|---|---|---|---|"]
            for e in expectations {
                let bound = [e.min.map { ">= " + Format.compact($0) }, e.max.map { "<= " + Format.compact($0) }].compactMap { $0 }.joined(separator: ", ")
                lines.append("| \(e.expect) | \(e.value.map(Format.compact) ?? "-") | \(bound) | \(e.problem == nil ? "pass" : "FAIL") |")
            }
        }
        if !errors.isEmpty {
            lines += ["", "## Runs that could not run", ""]
            for (run, e) in errors.sorted(by: { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }) { lines.append("- run \(run): \(e)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
