import Foundation

/// The picture of one run (`bmssim plot RUN_DIR`): pack power, SoC true against estimated with
/// its confidence band, cell-voltage spread, temperatures, heater duty, interfacial resistance
/// true against estimated, and the protection events as red markers, from timeseries.csv and
/// summary.json.
public enum RunPlot {
    /// Reads the run folder and returns the SVG document.
    public static func svg(runDirectory dir: String) throws(InputFileError) -> String {
        let seriesPath = dir + "/timeseries.csv"
        let table = try ColumnTable.load(path: seriesPath)
        let time_h = try table.column("time_s", file: seriesPath).map { $0 / 3600 }
        func col(_ name: String) throws(InputFileError) -> [Double] { try table.column(name, file: seriesPath) }

        var markers: [SVGChart.Marker] = []
        var title = "bmssim run \(URL(fileURLWithPath: dir).lastPathComponent)"
        let summaryPath = dir + "/summary.json"
        if FileManager.default.fileExists(atPath: summaryPath) {
            do {
                let summary = try RunSummary.decoder.decode(RunSummary.self, from: Data(contentsOf: URL(fileURLWithPath: summaryPath)))
                markers = summary.protection_events.map { .init(time_h: $0.time_s / 3600, label: $0.fault) }
                title += String(
                    format: ": %d cells, %.1f h, SoC error RMS %.2f %% / max %.2f %%, %d trips", summary.cells, summary.duration_h,
                    summary.soc_error_rms_pct, summary.soc_error_max_pct, summary.protection_trips)
            } catch {
                throw InputFileError(file: summaryPath, line: 0, problem: "not a run summary: \(error)")
            }
        }
        let soc = try col("soc_est"), sigma = try col("soc_sigma")
        let kW = { (v: [Double]) in v.map { $0 / 1000 } }
        let percent = { (v: [Double]) in v.map { $0 * 100 } }
        let panels: [SVGChart.Panel] = [
            .init(title: "Pack power (positive = discharge)", unit: "kW", series: [
                .init("requested by the EMS", color: "#999999", values: kW(try col("power_request_W")), dashed: true),
                .init("delivered", color: "#1f77b4", values: kW(try col("power_W"))),
            ]),
            .init(
                title: "State of charge: plant truth and the firmware's estimate (band: +/- 2 sigma)", unit: "SoC, %",
                series: [
                    .init("true", color: "#000000", values: percent(try col("soc_true"))),
                    .init("estimated", color: "#d62728", values: percent(soc)),
                ],
                bands: [.init("estimate +/- 2 sigma", color: "#d62728", lower: percent(zip(soc, sigma).map { $0 - 2 * $1 }), upper: percent(zip(soc, sigma).map { $0 + 2 * $1 }))]),
            .init(title: "Cell-voltage spread (lowest and highest cell)", unit: "V", series: [
                .init("highest cell", color: "#2ca02c", values: try col("cell_voltage_max_V")),
                .init("lowest cell", color: "#17becf", values: try col("cell_voltage_min_V")),
            ], bands: [
                .init("lowest ... highest cell", color: "#2ca02c", lower: try col("cell_voltage_min_V"), upper: try col("cell_voltage_max_V")),
            ]),
            .init(
                title: "Module temperatures", unit: "C", series: [.init("mean", color: "#ff7f0e", values: try col("temperature_C"))],
                bands: [.init("coldest ... hottest module", color: "#ff7f0e", lower: try col("temperature_min_C"), upper: try col("temperature_max_C"))]),
            .init(title: "Heaters", unit: "duty, %", series: [.init("mean commanded duty", color: "#9467bd", values: percent(try col("heater_duty")))]),
            .init(title: "Interfacial resistance (interphase + contact) at the reference temperature, mean cell", unit: "mOhm", series: [
                .init("plant truth", color: "#000000", values: try col("interface_ohm_true").map { $0 * 1000 }),
                .init("firmware estimate", color: "#8c564b", values: try col("interface_ohm_est").map { $0 * 1000 }),
            ], includeZero: true),
        ]
        return SVGChart(title: title, time_h: time_h, panels: panels, markers: markers).render()
    }
}

/// A CSV with a header row, read column-wise as numbers ("nan" allowed); the columns that hold
/// names (`textColumnNames`) read as NaN.
struct ColumnTable {
    /// Columns of names, not numbers (the system mode).
    static let textColumnNames: Set<String> = ["mode", "faults", "warnings", "alarms", "charge_limit_reasons", "discharge_limit_reasons"]
    var names: [String]
    var rows: [[Double]]

    static func load(path: String) throws(InputFileError) -> ColumnTable {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw InputFileError(file: path, line: 0, problem: "cannot read: \(error.localizedDescription)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first, !header.isEmpty else { throw InputFileError(file: path, line: 1, problem: "no header row") }
        let names = header.split(separator: ",").map(String.init)
        let textColumns = Set(names.indices.filter { Self.textColumnNames.contains(names[$0]) })
        var rows: [[Double]] = []
        rows.reserveCapacity(lines.count)
        for (k, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == names.count else {
                throw InputFileError(file: path, line: k + 2, problem: "expected \(names.count) fields, found \(fields.count)")
            }
            var row: [Double] = []
            row.reserveCapacity(fields.count)
            for (i, f) in fields.enumerated() {
                if textColumns.contains(i) {
                    row.append(.nan)
                    continue
                }
                guard let v = Double(f) else { throw InputFileError(file: path, line: k + 2, problem: "\(names[i]) '\(f)' is not a number") }
                row.append(v)
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw InputFileError(file: path, line: 0, problem: "no data rows") }
        return ColumnTable(names: names, rows: rows)
    }

    func column(_ name: String, file: String) throws(InputFileError) -> [Double] {
        guard let i = names.firstIndex(of: name) else {
            throw InputFileError(file: file, line: 1, problem: "no column '\(name)' (written by an older bmssim? rerun the simulation)")
        }
        return rows.map { $0[i] }
    }
}
