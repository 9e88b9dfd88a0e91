import BMSCore
import Foundation

/// A HIL session's summary and time series, the same files `simulate` writes, joined from what
/// each side logged: the plant server's truth (plant-truth.csv, plant-final.json) and the
/// controller's log (controller.csv), by simulated time.
///
/// The controller never reads the plant: the join happens after the session, from files. Each
/// controller row is matched with the truth row of the same time (lockstep: always), or else
/// the nearest within one truth interval (real time: the controller logs every N cycles, the
/// plant every interval of its own time); rows without truth are counted and left out. The SoC
/// figures are therefore over the logged rows, not over every step as in `simulate` (choose
/// `--output-interval-s` on both sides); the per-cell SoC errors, the resistance and interface
/// errors and the capacity SoH estimate do not travel over the bus and are absent (NaN or
/// null).
public enum SessionSummary {
    /// What `write` did.
    public struct Outcome: Sendable {
        public var summary: RunSummary
        /// Controller rows joined with truth, and those left out (no truth near their time).
        public var rows: Int
        public var unmatched: Int
    }

    /// Joins `folder`'s controller.csv with the plant-truth.csv and plant-final.json in
    /// `plantFolder` (default: the same folder); writes timeseries.csv and summary.json to `folder`.
    public static func write(folder: String, plantFolder: String? = nil) throws -> Outcome {
        let plant = plantFolder ?? folder
        let truth = try CSVTable(path: plant + "/plant-truth.csv")
        let log = try CSVTable(path: folder + "/controller.csv")
        let finalPath = plant + "/plant-final.json"
        let final: PlantFinal
        do {
            let d = JSONDecoder()
            d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            final = try d.decode(PlantFinal.self, from: Data(contentsOf: URL(fileURLWithPath: finalPath)))
        } catch {
            throw InputFileError(file: finalPath, line: 0, problem: "cannot read the plant's end figures: \(error)")
        }
        let tTime = try truth.index("time_s"), lTime = try log.index("time_s")
        let soc = try truth.index("soc_true"), tMin = try truth.index("temperature_min_C"), tMax = try truth.index("temperature_max_C")
        let cellMax = try truth.index("cell_voltage_max_V")
        let est = try log.index("soc_est"), sigma = try log.index("soc_sigma")
        let faults = try log.index("faults"), warnings = try log.index("warnings")
        let times = try truth.rows.enumerated().map { k, r in try truth.milliseconds(r[tTime], line: k + 2) }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.sorted()
        let interval = gaps.isEmpty ? 0 : gaps[gaps.count / 2]

        let out = try TimeSeriesWriter(
            path: folder + "/timeseries.csv", columns: truth.names + log.names.enumerated().filter { $0.offset != lTime }.map(\.element),
            flushEveryRows: 1000)
        var metrics = Metrics()
        var rows = 0, unmatched = 0
        var last: (truth: [Substring], log: [Substring])?
        var cursor = 0
        for (k, row) in log.rows.enumerated() {
            let t = try log.milliseconds(row[lTime], line: k + 2)
            // The truth row at t, or the nearest within one interval (times ascend in both).
            while cursor + 1 < times.count, abs(times[cursor + 1] - t) <= abs(times[cursor] - t) { cursor += 1 }
            guard !times.isEmpty, abs(times[cursor] - t) <= interval else {
                unmatched += 1
                continue
            }
            let tr = truth.rows[cursor]
            let trueSoC = try truth.number(tr[soc], line: cursor + 2), estimate = try log.number(row[est], line: k + 2)
            guard let f = FaultFlags(names: row[faults]), let w = FaultFlags(names: row[warnings]) else {
                throw InputFileError(file: log.path, line: k + 2, problem: "faults '\(row[faults])' or warnings '\(row[warnings])' name no flag")
            }
            metrics.record(
                error: estimate - trueSoC, sigma: try log.number(row[sigma], line: k + 2), faults: f,
                temperatures: [try truth.number(tr[tMin], line: cursor + 2), try truth.number(tr[tMax], line: cursor + 2)], time_ms: t)
            metrics.record(warnings: w, highestCell: try truth.number(tr[cellMax], line: cursor + 2), time_ms: t)
            try out.append(tr.map(String.init) + row.enumerated().filter { $0.offset != lTime }.map { String($0.element) })
            rows += 1
            last = (tr, row)
        }
        try out.flush()
        guard let last else {
            throw InputFileError(file: log.path, line: 0, problem: "no controller row has plant truth within \(interval) ms of its time")
        }
        var s = RunSummary(
            duration_h: final.duration_h, cells: final.cells, seed: final.seed,
            soc_error_rms_pct: metrics.rms * 100, soc_error_max_pct: metrics.maxAbs * 100,
            soc_true_final: try truth.number(last.truth[soc], line: 0), soc_est_final: try log.number(last.log[est], line: 0),
            protection_trips: metrics.trips, energy_out_Wh: final.energy_out_Wh, energy_in_Wh: final.energy_in_Wh,
            heater_energy_Wh: final.heater_energy_Wh, temperature_min_C: metrics.minTemperature, temperature_max_C: metrics.maxTemperature,
            dispatch_fulfilment: final.dispatch_fulfilment, inverter_limited_s: final.inverter_limited_s,
            cell_soc_error_rms_pct: .nan, cell_soc_error_max_pct: .nan,
            time_to_converge_s: metrics.convergedSince_ms.map { Double($0) / 1000 }, resistance_error_pct: nil, round_trip_efficiency: nil,
            interface_error_pct: nil, shorts: final.shorts, protection_events: metrics.events, cell_voltage_max_V: final.cell_voltage_max_V,
            warnings_raised: metrics.warningsRaised, warning_events: metrics.warningEvents, detections: nil,
            soc_within_3sigma: metrics.coverage, soc_nees: metrics.meanNEES, capacity_soh_true: final.capacity_soh_true,
            capacity_soh_est: nil, capacity_soh_error_pct: nil, resistance_growth_pct: final.resistance_growth_pct, fractures: final.fractures,
            dendrite_penetrations: final.dendrite_penetrations, contact_loss_detection_s: nil, soft_short_detection_s: nil, health_missed: nil,
            health_false_alarms: nil, contactors_closed_s: final.contactors_closed_s,
            energy_requested_Wh: final.energy_requested_Wh)
        s.outcome = s.statements()
        try s.jsonData().write(to: URL(fileURLWithPath: folder + "/summary.json"))
        return Outcome(summary: s, rows: rows, unmatched: unmatched)
    }
}
