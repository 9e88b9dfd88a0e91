import Foundation

/// One self-contained HTML page of an output folder (`bmssim report`), for a design review: what
/// the run came to, its scenario's expectations checked again, every figure of its summary, its
/// protection and warning events, the plot inline, the firmware's event log and the provenance.
/// A sweep folder gives its report and distributions.
public enum RunReport {
    /// Rows of events.csv shown in the page (the file keeps them all; the page says how many more).
    public static let eventRows = 2000

    /// The page for `dir`.
    public static func html(runDirectory dir: String) throws(InputFileError) -> String {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isFolder), isFolder.boolValue else {
            throw InputFileError(file: dir, line: 0, problem: "no such folder (bmssim report takes a simulate, plant, regress case or sweep folder)")
        }
        if SweepRunResult.isSweepFolder(dir) { return try sweep(dir) }
        if !fm.fileExists(atPath: dir + "/summary.json"), fm.fileExists(atPath: dir + "/controller.csv") {
            // A controller over Modbus: its log alone (the truth is on the plant's side).
            var body = "<h1>bmssim controller over Modbus: \(h(URL(fileURLWithPath: dir).lastPathComponent))</h1>\n"
            body += "<p class=\"where\">Folder <code>\(h(dir))</code>. A controller's log holds what the firmware measured and did; the plant's truth, and so the errors, are not in it.</p>\n"
            body += "<h2>Time series</h2>\n"
            do { body += "<div class=\"plot\">\(try RunPlot.svg(runDirectory: dir))</div>\n" } catch { body += "<p class=\"bad\">No plot: \(h(error.description))</p>\n" }
            return page(title: "bmssim controller \(URL(fileURLWithPath: dir).lastPathComponent)", body: body)
        }
        guard let data = fm.contents(atPath: dir + "/summary.json") else {
            throw InputFileError(
                file: dir, line: 0,
                problem: "no summary.json: give a simulate, plant, controller or regress case folder (regress keeps a case's folder with --series), or a sweep folder")
        }
        guard let summary = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw InputFileError(file: dir + "/summary.json", line: 0, problem: "not a JSON object (a summary.json written by bmssim)")
        }
        let (title, _) = RunPlot.heading(dir)
        let lines = title.split(separator: "\n").map(String.init)
        var body = "<h1>\(h(lines.first ?? dir))</h1>\n"
        if lines.count > 1 { body += "<p class=\"figures\">\(h(lines[1]))</p>\n" }
        body += "<p class=\"where\">Folder <code>\(h(dir))</code></p>\n"

        // What the run came to.
        let outcome = summary["outcome"] as? [String] ?? []
        body += "<h2>Outcome</h2>\n"
        body += outcome.isEmpty ? "<p class=\"ok\">Ran as asked: no outcome statement.</p>\n" : "<ul class=\"bad\">" + outcome.map { "<li>\(h($0))</li>" }.joined() + "</ul>\n"
        body += expectations(summary, data: data)

        // Every figure.
        body += "<h2>Figures</h2>\n" + figures(summary)
        for (key, heading) in [("protection_events", "Protection trips"), ("warning_events", "Warnings (the first of each)"), ("detections", "Detection requirements")] {
            if let rows = summary[key] as? [[String: Any]], !rows.isEmpty { body += "<h2>\(heading)</h2>\n" + table(rows) }
        }

        // The picture.
        body += "<h2>Time series</h2>\n"
        do {
            let svg = try RunPlot.svg(runDirectory: dir)
            body += "<div class=\"plot\">\(svg)</div>\n"
        } catch {
            body += "<p class=\"bad\">No plot: \(h(error.description))</p>\n"
        }

        body += eventLog(dir + "/events.csv")
        if let p = summary["provenance"] as? [String: Any] {
            body += "<h2>Provenance</h2>\n" + keyValues(p)
        } else {
            body += "<h2>Provenance</h2>\n<p class=\"bad\">The summary has no provenance (written by a bmssim before 0.15, or a baseline).</p>\n"
        }
        return page(title: lines.first ?? dir, body: body)
    }

    /// The scenario's `expect` and `detect` checked again when its file is still there (and
    /// whether it changed since the run, by its checksum).
    static func expectations(_ summary: [String: Any], data: Data) -> String {
        guard let p = summary["provenance"] as? [String: Any], let path = p["scenario"] as? String, path.hasSuffix(".json") else { return "" }
        var html = "<h2>Expectations</h2>\n"
        guard let file = try? ScenarioFile.load(path: path), let run = try? RunSummary.decoder.decode(RunSummary.self, from: data) else {
            return html + "<p>The scenario <code>\(h(path))</code> cannot be read from here: its expectations are not checked.</p>\n"
        }
        if let recorded = p["scenario_sha256"] as? String, let now = Provenance.fileChecksum(path), now != recorded {
            html += "<p class=\"bad\">The scenario file changed since the run (SHA-256 \(h(String(now.prefix(12)))) now, \(h(String(recorded.prefix(12)))) then): checked against today's file.</p>\n"
        }
        let failures = run.failures(against: file.expectations)
        let checked = file.expectations.count + (run.detections?.count ?? 0)
        if checked == 0 { return html + "<p>The scenario sets none.</p>\n" }
        if failures.isEmpty { return html + "<p class=\"ok\">All \(checked) met.</p>\n" }
        return html + "<ul class=\"bad\">" + failures.map { "<li>EXPECTATION FAILED: \(h($0))</li>" }.joined() + "</ul>\n"
    }

    /// The summary's numbers and words: the headline figures, the other metrics in their
    /// declared order, then the rest by name.
    static func figures(_ summary: [String: Any]) -> String {
        let headline = ["soc_error_rms_pct", "soc_error_max_pct", "protection_trips", "warnings_raised", "dispatch_fulfilment", "energy_requested_Wh"]
        let known = headline + RunMetric.allCases.map(\.key).filter { !headline.contains($0) }
        let scalars = summary.filter { !($0.value is [Any]) && !($0.value is [String: Any]) }
        let order = known.filter { scalars[$0] != nil } + scalars.keys.filter { !known.contains($0) }.sorted()
        return "<table>" + order.map { "<tr><th>\(h($0))</th><td>\(h(text(scalars[$0]!)))</td></tr>" }.joined(separator: "\n") + "</table>\n"
    }

    static func keyValues(_ object: [String: Any]) -> String {
        "<table>" + object.keys.sorted().map { "<tr><th>\(h($0))</th><td>\(h(text(object[$0]!)))</td></tr>" }.joined(separator: "\n") + "</table>\n"
    }

    /// Rows of objects as a table, with the union of their keys as columns.
    static func table(_ rows: [[String: Any]]) -> String {
        var columns: [String] = []
        for r in rows { for k in r.keys.sorted() where !columns.contains(k) { columns.append(k) } }
        var html = "<table><tr>" + columns.map { "<th>\(h($0))</th>" }.joined() + "</tr>\n"
        for r in rows { html += "<tr>" + columns.map { "<td>\(h(r[$0].map(text) ?? ""))</td>" }.joined() + "</tr>\n" }
        return html + "</table>\n"
    }

    /// The firmware's event log, up to `eventRows` rows.
    static func eventLog(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first else { return "" }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).count
        var html = "<h2>Firmware event log (events.csv)</h2>\n<table><tr>" + header.split(separator: ",").map { "<th>\(h(String($0)))</th>" }.joined() + "</tr>\n"
        for line in lines.dropFirst().prefix(eventRows) {
            // The detail may hold commas: the first columns - 1 split, the rest is the detail.
            let fields = line.split(separator: ",", maxSplits: max(0, columns - 1), omittingEmptySubsequences: false)
            html += "<tr>" + fields.map { "<td>\(h(String($0)))</td>" }.joined() + "</tr>\n"
        }
        html += "</table>\n"
        let more = lines.count - 1 - eventRows
        if more > 0 { html += "<p>\(Format.count(more, "more row")) in events.csv.</p>\n" }
        return html
    }

    /// A sweep folder: its Markdown report and its distributions.
    static func sweep(_ dir: String) throws(InputFileError) -> String {
        var body = "<h1>Sweep \(h(URL(fileURLWithPath: dir).lastPathComponent))</h1>\n<p class=\"where\">Folder <code>\(h(dir))</code></p>\n"
        if let report = try? String(contentsOfFile: dir + "/report.md", encoding: .utf8) {
            body += "<h2>Report (report.md)</h2>\n<pre>\(h(report))</pre>\n"
        } else {
            body += "<p class=\"bad\">No report.md (an unfinished or sharded sweep: bmssim merge writes it).</p>\n"
        }
        body += "<h2>Distributions</h2>\n<div class=\"plot\">\(try RunPlot.sweepSVG(dir))</div>\n"
        return page(title: "Sweep \(URL(fileURLWithPath: dir).lastPathComponent)", body: body)
    }

    static func text(_ value: Any) -> String {
        switch value {
        case let s as String: s
        case let list as [Any]: list.map(text).joined(separator: " ")
        case let n as NSNumber:
            // A JSON boolean is an NSNumber of Objective-C type 'c'.
            String(cString: n.objCType) == "c" ? (n.boolValue ? "true" : "false") : Format.compact(n.doubleValue)
        default: "\(value)"
        }
    }

    static func h(_ s: String) -> String { RegressionReport.escape(s) }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(h(title))</title>
        <style>
        body { font-family: sans-serif; margin: 2em auto; max-width: 1150px; color: #222; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; font-size: 0.9em; } th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
        th { background: #f4f4f4; font-weight: normal; } .ok { color: #1a7f37; } .bad { color: #b00020; }
        .figures { font-size: 1.05em; } .where { color: #666; } pre { background: #f8f8f8; padding: 1em; overflow-x: auto; }
        .plot svg { max-width: 100%; height: auto; }
        </style>
        </head>
        <body>
        \(body)
        <p class="where">Made by bmssim report.</p>
        </body>
        </html>

        """
    }
}
