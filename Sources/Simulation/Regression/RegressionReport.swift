import Foundation

/// The table a person reads and the JUnit XML a CI server reads, from a suite run's outcomes.
public enum RegressionReport {
    /// One line per scenario (status, wall time, headline figures), then every change and failure.
    public static func table(_ outcomes: [RegressionSuite.Outcome]) -> String {
        let width = max(8, outcomes.map(\.name.count).max() ?? 8)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        var lines = [pad("scenario", width) + "  status     wall s  SoC RMS %  SoC max %  trips"]
        for o in outcomes {
            let s = o.summary
            lines.append(
                pad(o.name, width) + "  " + pad(o.status, 9) + "  " + pad(Format.fixed(o.wallSeconds, 1), 6) + "  "
                    + pad(s.map { RunMetric.soc_error_rms_pct.formatted(in: $0) } ?? "-", 9) + "  "
                    + pad(s.map { RunMetric.soc_error_max_pct.formatted(in: $0) } ?? "-", 9) + "  "
                    + (s.map { RunMetric.protection_trips.formatted(in: $0) } ?? "-"))
        }
        let detecting = outcomes.filter { !($0.summary?.detections ?? []).isEmpty }
        if !detecting.isEmpty {
            lines.append("")
            lines.append("detections (flag: raised after the fault / deadline, reaction after the flag):")
            for o in detecting {
                for d in o.summary?.detections ?? [] {
                    let raised = d.detected_after_s.map { Format.fixed($0, 1) + " s" } ?? "never"
                    let reaction = d.reaction == "none" ? "" : ", \(d.reaction)" + (d.reacted_after_s.map { " " + Format.fixed($0, 1) + " s" } ?? "")
                    lines.append("  \(pad(o.name, width))  \(d.passed ? "ok  " : "MISS")  \(d.flag): \(raised) / \(Format.compact(d.within_s)) s\(reaction)")
                }
            }
        }
        let detailed = outcomes.filter { $0.error != nil || !$0.expectationFailures.isEmpty || !$0.changes.isEmpty }
        if !detailed.isEmpty {
            lines.append("")
            lines.append("what changed (baseline -> now, tolerance):")
            for o in detailed {
                if let e = o.error { lines.append("  \(o.name): error: \(e)") }
                for f in o.expectationFailures { lines.append("  \(o.name): expectation: \(f)") }
                for c in o.changes { lines.append("  \(o.name): \(describe(c))") }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "soc_error_rms_pct 0.412 -> 0.533 (+0.121, tolerance 0.0224) regressed".
    public static func describe(_ c: RegressionSuite.Change) -> String {
        let b = c.baseline.map(Format.compact) ?? "none"
        let n = c.now.map(Format.compact) ?? "none"
        var delta = ""
        var allowed = ""
        if let x = c.now, let y = c.baseline {
            delta = (x - y >= 0 ? "+" : "") + Format.compact(x - y) + ", "
            allowed = Format.compact(c.tolerance.absolute + c.tolerance.relative * abs(y))
        } else {
            allowed = Format.compact(c.tolerance.absolute)
        }
        return "\(c.metric) \(b) -> \(n) (\(delta)tolerance \(allowed)) \(c.kind.rawValue)"
    }

    /// JUnit XML: one testsuite for the suite, one testcase per scenario with its own wall time,
    /// a failure element for every failed one (errors as error elements). The suite's time is
    /// `wallSeconds`, the suite's real wall time (cases run in parallel), or else the cases' sum.
    public static func junit(_ outcomes: [RegressionSuite.Outcome], suiteName: String, wallSeconds: Double? = nil) -> String {
        let failures = outcomes.filter { $0.failed && $0.error == nil }.count
        let errors = outcomes.filter { $0.error != nil }.count
        let total = wallSeconds ?? outcomes.reduce(0) { $0 + $1.wallSeconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"bmssim regress\" tests=\"\(outcomes.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(Format.fixed(total, 3))\">\n"
        xml += "  <testsuite name=\"\(escape(suiteName))\" tests=\"\(outcomes.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(Format.fixed(total, 3))\">\n"
        for o in outcomes {
            xml += "    <testcase classname=\"\(escape(suiteName))\" name=\"\(escape(o.name))\" time=\"\(Format.fixed(o.wallSeconds, 3))\""
            if let e = o.error {
                xml += ">\n      <error message=\"\(escape(e))\"/>\n    </testcase>\n"
            } else if o.failed {
                let details = o.expectationFailures.map { "expectation: " + $0 } + o.changes.filter(\.fails).map(describe)
                xml += ">\n      <failure message=\"\(escape(o.status.lowercased() + ": " + (details.first ?? "")))\">\(escape(details.joined(separator: "\n")))</failure>\n    </testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }
}
