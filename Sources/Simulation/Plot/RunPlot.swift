import Foundation

/// The picture of an output folder (`bmssim plot DIR`).
///
/// A folder with a time series (simulate, a plant run) is drawn as panels against time, each
/// panel only where its columns are there: for a closed-loop run pack power, SoC true against
/// estimated with its band, the SoC error against +-2 sigma, current against the firmware's
/// limits, cell voltages measured against true, temperatures, heaters, interfacial resistance,
/// and lanes for contactors, limit reasons, mode, warnings, alarms and faults; for a plant run
/// current, voltage, SoC, temperatures and heaters. Protection events are red markers, each
/// warning's first raise a dashed orange one; dense series (a day of frequency regulation) are
/// drawn as their min ... max envelope and mean; the title
/// names chemistry, pack, profile and seed where the summary's provenance says them. A sweep's
/// folder (runs/) is drawn as the distributions of its headline metrics.
public enum RunPlot {
    /// Reads the folder and returns the SVG document.
    public static func svg(runDirectory dir: String) throws(InputFileError) -> String {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isFolder) else { throw InputFileError(file: dir, line: 0, problem: "no such folder or file") }
        if !isFolder.boolValue {
            if dir.hasSuffix(".json") { return try firmwareSVG(dir) }
            guard dir.hasSuffix(".csv") else {
                throw InputFileError(
                    file: dir, line: 0,
                    problem: "a file bmssim plot draws is a CSV (an impedance spectrum from bmssim impedance, a duty profile from bmssim duty) or a firmware file (bmssim characterise); runs are folders")
            }
            let head = (try? String(contentsOfFile: dir, encoding: .utf8))?.prefix(4096) ?? ""
            return head.contains("frequency_Hz") ? try impedanceSVG(dir) : try profileSVG(dir)
        }
        if SweepRunResult.isSweepFolder(dir) {
            return try sweepSVG(dir)
        }
        if !fm.fileExists(atPath: dir + "/timeseries.csv"), fm.fileExists(atPath: dir + "/impedance.csv") {
            return try impedanceSVG(dir + "/impedance.csv")
        }
        // A controller's log (bmssim controller over Modbus): what the firmware saw and did.
        let seriesPath = fm.fileExists(atPath: dir + "/timeseries.csv") || !fm.fileExists(atPath: dir + "/controller.csv") ? dir + "/timeseries.csv" : dir + "/controller.csv"
        guard fm.fileExists(atPath: seriesPath) else {
            // A regress output folder (or a merge of its shards): its cases side by side.
            if fm.fileExists(atPath: dir + "/" + RegressionSuite.wallTimesFile) { return try regressSVG(dir) }
            throw InputFileError(
                file: dir, line: 0,
                problem: "no timeseries.csv (a simulate, plant or regress case folder), controller.csv (a controller's), runs/ (a sweep folder) or impedance.csv: nothing to draw here")
        }
        let table = try ColumnTable.load(path: seriesPath)
        let time_h = try table.column("time_s", file: seriesPath).map { $0 / 3600 }
        var (title, markers) = heading(dir)
        if seriesPath.hasSuffix("controller.csv") { title = "bmssim controller over Modbus, \(URL(fileURLWithPath: dir).lastPathComponent): what the firmware measured and did" }
        let panels = specs.compactMap { $0(table) }
        guard !panels.isEmpty else {
            throw InputFileError(file: seriesPath, line: 1, problem: "none of the columns bmssim plot draws is there")
        }
        return SVGChart(title: title, time_h: time_h, panels: panels, markers: markers).render()
    }

    /// The title and the event markers, from whatever summary the folder has.
    static func heading(_ dir: String) -> (String, [SVGChart.Marker]) {
        var title = "bmssim run \(URL(fileURLWithPath: dir).lastPathComponent)"
        guard let data = FileManager.default.contents(atPath: dir + "/summary.json") else { return (title, []) }
        if let s = try? RunSummary.decoder.decode(RunSummary.self, from: data) {
            if let p = s.provenance { title = "\(p.chemistry), \(p.pack), profile \((p.profile as NSString).lastPathComponent), seed \(p.seed)" }
            title += "\n\(Format.fixed(s.duration_h, 1)) h, SoC error RMS \(Format.fixed(s.soc_error_rms_pct, 2)) % / max \(Format.fixed(s.soc_error_max_pct, 2)) %, \(Format.count(s.protection_trips, "trip"))"
            var markers = s.protection_events.map { SVGChart.Marker(time_h: $0.time_s / 3600, label: $0.fault) }
            // Each warning's first raise (warning_events), dashed orange.
            markers += (s.warning_events ?? []).map { .init(time_h: $0.time_s / 3600, label: $0.fault, color: "#e08000", dashed: true) }
            return (title, markers)
        }
        if let s = try? RunSummary.decoder.decode(PlantRunSummary.self, from: data) {
            if let p = s.provenance { title = "Plant alone: \(p.chemistry), \(p.pack), profile \((p.profile as NSString).lastPathComponent), seed \(p.seed)" }
            title += "\n\(Format.fixed(s.duration_h, 2)) h, \(Format.count(s.failed_cells, "failed cell"))"
        }
        return (title, [])
    }

    /// Each panel, from the table when its columns are there (nil otherwise).
    static let specs: [@Sendable (ColumnTable) -> SVGChart.Panel?] = [
        { t in
            guard let power = t["power_W"] else { return nil }
            var series: [SVGChart.Series] = []
            if let asked = t["power_request_W"] {
                series.append(.init("requested by the EMS", color: "#7f7f7f", values: asked.map { $0 / 1000 }, dashed: true, reduction: .envelope))
            }
            series.append(.init("delivered", color: "#1f77b4", values: power.map { $0 / 1000 }, reduction: .envelope))
            // What the pack did not deliver, where it fell short (hidden under the lines otherwise).
            if let asked = t["power_request_W"] {
                let short = zip(asked, power).map { ($0 - $1) / 1000 }
                let scale = asked.reduce(0) { max($0, abs($1)) } / 1000
                if short.contains(where: { abs($0) > 0.01 * scale }) {
                    series.append(.init("shortfall (asked - delivered)", color: "#d62728", values: short, reduction: .envelope))
                }
            }
            return .init(title: "Pack power (positive = discharge)", unit: "kW", series: series, includeZero: true)
        },
        { t in
            // A plant run's current (a closed loop's is drawn against its limits).
            guard t["charge_limit_A"] == nil, let current = t["current_A"] else { return nil }
            return .init(
                title: "Pack current (positive = discharge)", unit: "A", series: [.init("current", color: "#1f77b4", values: current, reduction: .envelope)],
                includeZero: true)
        },
        { t in
            guard t["soc_est"] == nil, let voltage = t["voltage_V"] else { return nil }
            return .init(title: "Pack voltage", unit: "V", series: [.init("terminal voltage", color: "#2ca02c", values: voltage, reduction: .envelope)])
        },
        { t in
            guard let truth = t["soc_true"], let soc = t["soc_est"], let sigma = t["soc_sigma"] else { return nil }
            return .init(
                title: "State of charge: plant truth and the firmware's estimate (band: +/- 2 sigma)", unit: "SoC, %",
                series: [.init("true", color: "#000000", values: truth.map { $0 * 100 }), .init("estimated", color: "#d62728", values: soc.map { $0 * 100 })],
                bands: [.init("estimate +/- 2 sigma", color: "#d62728", lower: zip(soc, sigma).map { ($0 - 2 * $1) * 100 }, upper: zip(soc, sigma).map { ($0 + 2 * $1) * 100 })])
        },
        { t in
            guard let truth = t["soc_true"], let soc = t["soc_est"], let sigma = t["soc_sigma"] else { return nil }
            return .init(
                title: "SoC error: estimate minus truth, against the firmware's +/- 2 sigma", unit: "% points",
                series: [.init("estimate - truth", color: "#d62728", values: zip(soc, truth).map { ($0 - $1) * 100 })],
                bands: [.init("+/- 2 sigma", color: "#999999", lower: sigma.map { -2 * $0 * 100 }, upper: sigma.map { 2 * $0 * 100 })], includeZero: true)
        },
        { t in
            // Without the truth (a controller over Modbus): the estimate and its band.
            guard t["soc_true"] == nil, let soc = t["soc_est"], let sigma = t["soc_sigma"] else { return nil }
            return .init(
                title: "State of charge: the firmware's estimate (band: +/- 2 sigma)", unit: "SoC, %",
                series: [.init("estimated", color: "#d62728", values: soc.map { $0 * 100 })],
                bands: [.init("estimate +/- 2 sigma", color: "#d62728", lower: zip(soc, sigma).map { ($0 - 2 * $1) * 100 }, upper: zip(soc, sigma).map { ($0 + 2 * $1) * 100 })])
        },
        { t in
            guard let soc = t["soc"] else { return nil }
            return .init(title: "State of charge (plant)", unit: "SoC, %", series: [.init("pack", color: "#000000", values: soc.map { $0 * 100 })])
        },
        { t in
            guard let current = t["current_A"] ?? t["current_meas_A"], let charge = t["charge_limit_A"], let discharge = t["discharge_limit_A"] else { return nil }
            return .init(
                title: "Current against the firmware's limits (positive = discharge; why a limit is held: the lanes below)", unit: "A",
                series: [
                    .init("discharge limit", color: "#2ca02c", values: discharge, dashed: true, reduction: .minima),
                    .init("charge limit (negative)", color: "#9467bd", values: charge.map { -$0 }, dashed: true, reduction: .maxima),
                    .init("current", color: "#1f77b4", values: current, reduction: .envelope),
                ], includeZero: true)
        },
        { statePanel($0) },
        { t in
            guard let high = t["cell_voltage_max_V"], let low = t["cell_voltage_min_V"] else {
                // Measurements alone (a controller's log).
                guard let high = t["cell_voltage_meas_max_V"], let low = t["cell_voltage_meas_min_V"] else { return nil }
                return .init(
                    title: "Cell voltages: lowest and highest cell, measured", unit: "V",
                    series: [
                        .init("highest, measured", color: "#006400", values: high, reduction: .maxima),
                        .init("lowest, measured", color: "#005f6b", values: low, reduction: .minima),
                    ])
            }
            var series: [SVGChart.Series] = [
                .init("highest cell, true", color: "#2ca02c", values: high, reduction: .maxima),
                .init("lowest cell, true", color: "#17becf", values: low, reduction: .minima),
            ]
            var title = "Cell-voltage spread (lowest and highest cell, plant truth)"
            if let measuredHigh = t["cell_voltage_meas_max_V"], let measuredLow = t["cell_voltage_meas_min_V"] {
                title = "Cell voltages: lowest and highest cell, measured (dashed) against true"
                series += [
                    .init("highest, measured", color: "#006400", values: measuredHigh, dashed: true, reduction: .maxima),
                    .init("lowest, measured", color: "#005f6b", values: measuredLow, dashed: true, reduction: .minima),
                ]
            }
            return .init(title: title, unit: "V", series: series)
        },
        { t in
            guard let mean = t["temperature_C"] else {
                guard let low = t["temperature_meas_min_C"], let high = t["temperature_meas_max_C"] else { return nil }
                return .init(
                    title: "Module temperatures, measured", unit: "\u{00B0}C",
                    series: [.init("hottest", color: "#d62728", values: high), .init("coldest", color: "#1f77b4", values: low)])
            }
            var bands: [SVGChart.Band] = []
            if let low = t["temperature_min_C"], let high = t["temperature_max_C"] {
                bands.append(.init("coldest ... hottest module", color: "#ff7f0e", lower: low, upper: high))
            }
            return .init(title: "Module temperatures", unit: "\u{00B0}C", series: [.init("mean", color: "#ff7f0e", values: mean)], bands: bands)
        },
        { t in
            if let duty = t["heater_duty"] {
                return .init(title: "Heaters", unit: "duty, %", series: [.init("mean commanded duty", color: "#9467bd", values: duty.map { $0 * 100 })])
            }
            guard let power = t["heater_W"] else { return nil }
            return .init(title: "Heaters", unit: "W", series: [.init("delivered", color: "#9467bd", values: power)], includeZero: true)
        },
        { t in
            guard let truth = t["interface_ohm_true"] else { return nil }
            var series: [SVGChart.Series] = [.init("plant truth", color: "#000000", values: truth.map { $0 * 1000 })]
            // The firmware's estimate, once it has its baseline (NaN before).
            if let estimate = t["interface_ohm_est"] { series.append(.init("firmware estimate", color: "#8c564b", values: estimate.map { $0 * 1000 })) }
            return .init(
                title: "Interfacial resistance (interphase + contact) at the reference temperature, mean cell", unit: "mOhm", series: series,
                includeZero: true)
        },
    ]

    /// Contactors, the limits' reasons, the system mode, warnings, alarms and faults as on/off
    /// lanes (nil for a run without those columns).
    static func statePanel(_ t: ColumnTable) -> SVGChart.Panel? {
        var lanes: [SVGChart.Lane] = []
        if let contactor = t["contactor"] { lanes.append(.init("contactors closed", color: "#2ca02c", on: contactor.map { $0 > 0.5 })) }
        if let link = t["link_up"], link.contains(where: { $0 < 0.5 }) { lanes.append(.init("field link down", color: "#d62728", on: link.map { $0 < 0.5 })) }
        func named(_ column: String, _ prefix: String, color: String, except: Set<String>) {
            guard let values = t.texts[column] else { return }
            var names: [String] = []
            for v in values where !except.contains(v) {
                for name in v.split(separator: "+").map(String.init) where !names.contains(name) { names.append(name) }
            }
            for name in names {
                lanes.append(.init(prefix + name, color: color, on: values.map { $0.split(separator: "+").contains { $0 == name } }))
            }
        }
        named("mode", "mode ", color: "#7f7f7f", except: ["normal"])
        named("discharge_limit_reasons", "discharge held: ", color: "#2ca02c", except: ["rated"])
        named("charge_limit_reasons", "charge held: ", color: "#9467bd", except: ["rated"])
        named("warnings", "warning ", color: "#e08000", except: ["clear"])
        named("alarms", "alarm ", color: "#d62728", except: ["clear"])
        named("faults", "fault ", color: "#a00000", except: ["clear"])
        guard !lanes.isEmpty else { return nil }
        return .init(title: "Contactors, limit reasons (below the rated current), mode, warnings, alarms and faults", lanes: lanes)
    }

    /// A firmware file (`bmssim characterise`, `bmssim firmware-file`): its OCV table with the
    /// hysteresis branches and the voltage limit tiers, and its ohmic resistance against
    /// temperature (its Arrhenius law from the reference).
    static func firmwareSVG(_ path: String) throws(InputFileError) -> String {
        let object = FileManager.default.contents(atPath: path).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        guard let f = object, f["kind"] as? String == "firmware", let ocv = f["ocv"] as? [String: Any], let soc = ocv["soc"] as? [Double],
            let voltage = ocv["voltage_V"] as? [Double], soc.count == voltage.count, soc.count >= 2
        else {
            throw InputFileError(file: path, line: 0, problem: "not a firmware file (kind firmware with an ocv table; bmssim characterise writes one)")
        }
        let hysteresis = ocv["hysteresis_V"] as? [Double] ?? []
        var series: [SVGXYChart.Series] = [.init("OCV (mean of the branches)", color: "#000000", points: zip(soc, voltage).map { ($0 * 100, $1) })]
        if hysteresis.count == soc.count, hysteresis.contains(where: { $0 > 0 }) {
            series.append(.init("after charge (+ hysteresis)", color: "#9467bd", points: soc.indices.map { (soc[$0] * 100, voltage[$0] + hysteresis[$0]) }))
            series.append(.init("after discharge (- hysteresis)", color: "#2ca02c", points: soc.indices.map { (soc[$0] * 100, voltage[$0] - hysteresis[$0]) }))
        }
        let tiers = f["voltages"] as? [String: Any] ?? [:]
        for (key, label, color) in [("safety_V", "maximum safety", "#d62728"), ("recommended_V", "recommended safety", "#ff7f0e"), ("operating_V", "maximum operating", "#17becf")] {
            guard let pair = tiers[key] as? [Double], pair.count == 2 else { continue }
            series.append(.init("\(label) \(Format.compact(pair[0])) ... \(Format.compact(pair[1])) V", color: color, points: [(0, pair[0]), (100, pair[0])]))
            series.append(.init("", color: color, points: [(0, pair[1]), (100, pair[1])]))
        }
        var panels = [SVGXYChart.Panel(title: "OCV table and the cell-voltage limit tiers", xLabel: "SoC, %", yLabel: "cell voltage, V", series: series)]
        if let r = f["ohmic_resistance_ohm"] as? Double, let ea = f["resistance_activation_energy_eV"] as? Double, let ref = f["resistance_reference_C"] as? Double,
            let t = f["temperatures"] as? [String: Any], let low = t["minimum_C"] as? Double
        {
            let high = max((t["over_C"] as? [Double])?.max() ?? ref + 50, ref + 10)
            let k = 8.617333262e-5
            let points = stride(from: low, through: high, by: max(0.5, (high - low) / 200)).map { c in
                (c, r * 1000 * exp(ea / k * (1 / (c + 273.15) - 1 / (ref + 273.15))))
            }
            panels.append(
                .init(
                    title: "Ohmic resistance against temperature (Ea \(Format.compact((ea * 1000).rounded() / 1000)) eV from \(Format.compact(ref)) \u{00B0}C)",
                    xLabel: "temperature, \u{00B0}C", yLabel: "resistance, mOhm", series: [.init("ohmic", color: "#1f77b4", points: points)], logY: true))
        }
        let capacity = (f["capacity_Ah"] as? Double).map { ", \(Format.compact(($0 * 100).rounded() / 100)) Ah" } ?? ""
        return SVGXYChart(title: "Firmware file \(URL(fileURLWithPath: path).lastPathComponent)\(capacity)", panels: panels).render()
    }

    /// A duty profile (`bmssim duty`, profiles/duty): its value against time, held from each
    /// row to the next (a dense one drawn as bucket means with their range).
    static func profileSVG(_ path: String) throws(InputFileError) -> String {
        let profile = try DutyProfile.load(path: path)
        let (kind, unit, factor): (String, String, Double) =
            switch profile.quantity {
            case .power_W: ("power", "kW", 1e-3)
            case .current_A: ("current", "A", 1)
            case .power_pu: ("power", "per unit of the rating", 1)
            }
        var times: [Double] = [], values: [Double] = []
        let hours = profile.times_ms.map { Double($0) / 3_600_000 }
        let sparse = hours.count < 5000
        for (i, t) in hours.enumerated() {
            times.append(t)
            values.append(profile.values[i] * factor)
            // Held until the next row: a step, drawn where the rows are few enough to see it.
            if sparse, i + 1 < hours.count {
                times.append(hours[i + 1])
                values.append(profile.values[i] * factor)
            }
        }
        // The last row holds until the period ends.
        let end = Double(profile.period_ms) / 3_600_000
        if let last = values.last, let t = times.last, end > t {
            times.append(end)
            values.append(last)
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let panel = SVGChart.Panel(
            title: "Requested \(kind) (positive = discharge), held from each row to the next", unit: unit,
            series: [.init(profile.quantity.rawValue, color: "#1f77b4", values: values, reduction: .envelope)], includeZero: true)
        let title = "Duty profile \(name)\n\(Format.count(profile.times_ms.count, "row")) over \(Format.hours(Double(profile.lastRowTime_ms) / 3_600_000)); a run repeats it every \(Format.hours(Double(profile.period_ms) / 3_600_000))"
        return SVGChart(title: title, time_h: times, panels: [panel]).render()
    }

    /// A regress output folder: each case's SoC error (RMS and max) and trips as bars, its
    /// baseline as a tick (found beside the scenario its provenance names), failed cases red.
    static func regressSVG(_ dir: String) throws(InputFileError) -> String {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") && $0 != RegressionSuite.wallTimesFile }.sorted()
        var cases: [(name: String, summary: RunSummary, baseline: RunSummary?)] = []
        for file in names {
            guard let data = fm.contents(atPath: dir + "/" + file), let s = try? RunSummary.decoder.decode(RunSummary.self, from: data) else { continue }
            let name = String(file.dropLast(5))
            var baseline: RunSummary?
            if let scenario = s.provenance?.scenario {
                let path = PathName.folder(of: scenario) + "/baselines/" + name + ".json"
                baseline = fm.contents(atPath: path).flatMap { try? RunSummary.decoder.decode(RunSummary.self, from: $0) }
            }
            cases.append((name, s, baseline))
        }
        guard !cases.isEmpty else { throw InputFileError(file: dir, line: 0, problem: "a regress folder without a case summary (NAME.json) to draw") }
        // Failed cases, from the JUnit file (a testcase with a failure or an error).
        var failed = Set<String>()
        if let junit = try? String(contentsOfFile: dir + "/junit.xml", encoding: .utf8) {
            for part in junit.components(separatedBy: "<testcase ").dropFirst() {
                guard let start = part.range(of: " name=\""), let end = part[start.upperBound...].firstIndex(of: "\"") else { continue }
                let body = part.components(separatedBy: "</testcase>").first ?? part
                if body.contains("<failure") || body.contains("<error") { failed.insert(String(part[start.upperBound..<end])) }
            }
        }
        func panel(_ title: String, _ metric: RunMetric) -> SVGBars.Panel {
            .init(
                title: title,
                bars: cases.map { .init(label: $0.name, value: metric.value(in: $0.summary), baseline: $0.baseline.flatMap { metric.value(in: $0) }, failed: failed.contains($0.name)) })
        }
        let kept = cases.map(\.name).filter { fm.fileExists(atPath: dir + "/" + $0 + "/timeseries.csv") }
        var title = "Regress \(URL(fileURLWithPath: dir).lastPathComponent): \(Format.count(cases.count, "case")), \(failed.count) failed (red); black ticks: baselines"
        title += "\n" + (kept.isEmpty ? "no case kept its time series (regress --series all keeps them)" : "time series kept (bmssim plot \(dir)/NAME): \(kept.joined(separator: ", "))")
        return SVGBars(
            title: title,
            panels: [panel("SoC error RMS, % points", .soc_error_rms_pct), panel("SoC error max, % points", .soc_error_max_pct), panel("Protection trips", .protection_trips)]
        ).render()
    }

    /// An impedance spectrum (`bmssim impedance`): its Nyquist plot (-Z'' against Z', equal
    /// axes, each arc's apex marked with its frequency) and its Bode plots (|Z| and phase
    /// against frequency).
    static func impedanceSVG(_ path: String) throws(InputFileError) -> String {
        let table = try ColumnTable.load(path: path)
        let f = try table.column("frequency_Hz", file: path)
        let re = try table.column("real_ohm", file: path).map { $0 * 1000 }
        let im = try table.column("imaginary_ohm", file: path).map { $0 * 1000 }
        let points = (0..<f.count).filter { f[$0] > 0 && f[$0].isFinite && re[$0].isFinite && im[$0].isFinite }
        guard points.count >= 2 else { throw InputFileError(file: path, line: 0, problem: "fewer than two finite points of the spectrum") }
        // The arcs' apexes: local maxima of -Z''.
        var apexes: [SVGXYChart.Annotation] = []
        for (k, i) in points.enumerated() where k > 0 && k < points.count - 1 {
            let a = -im[points[k - 1]], b = -im[i], c = -im[points[k + 1]]
            if b > a && b >= c { apexes.append(.init(x: re[i], y: b, label: "\(String(format: "%.3g", f[i])) Hz")) }
        }
        let lowest = points.min { f[$0] < f[$1] }!
        apexes.append(.init(x: re[lowest], y: -im[lowest], label: "\(String(format: "%.3g", f[lowest])) Hz"))
        let nyquist = SVGXYChart.Panel(
            title: "Nyquist: -Z'' against Z' (equal axes; apexes and the lowest frequency marked)", xLabel: "Z', mOhm", yLabel: "-Z'', mOhm",
            series: [.init("spectrum", color: "#1f77b4", points: points.map { (re[$0], -im[$0]) })], annotations: apexes, equalAspect: true)
        let magnitude = SVGXYChart.Panel(
            title: "Bode: |Z| against frequency", xLabel: "frequency, Hz", yLabel: "|Z|, mOhm",
            series: [.init("|Z|", color: "#1f77b4", points: points.map { (f[$0], (re[$0] * re[$0] + im[$0] * im[$0]).squareRoot()) })], logX: true,
            logY: true)
        let phase = SVGXYChart.Panel(
            title: "Bode: phase against frequency (capacitive below zero)", xLabel: "frequency, Hz", yLabel: "phase, \u{00B0}",
            series: [.init("phase", color: "#d62728", points: points.map { (f[$0], atan2(im[$0], re[$0]) * 180 / Double.pi) })], logX: true)
        let name = URL(fileURLWithPath: path).lastPathComponent
        return SVGXYChart(title: "Impedance spectrum \(name): \(String(format: "%.3g", f[points.first!])) ... \(String(format: "%.3g", f[points.last!])) Hz", panels: [nyquist, magnitude, phase]).render()
    }

    /// A sweep's folder: the distributions of its headline metrics over its runs.
    static func sweepSVG(_ dir: String) throws(InputFileError) -> String {
        let results = try SweepRunResult.load(folder: dir)
        let summaries = results.compactMap(\.summary)
        guard !summaries.isEmpty else { throw InputFileError(file: dir + "/runs", line: 0, problem: "no run with a summary to draw") }
        let panels = SweepReport.plotted.map { metric, unit in
            SVGHistogram.Panel(title: metric.key, unit: unit, values: summaries.compactMap { metric.value(in: $0) })
        }
        return SVGHistogram(title: "Sweep \(URL(fileURLWithPath: dir).lastPathComponent): \(Format.count(summaries.count, "run"))", panels: panels).render()
    }
}

/// A CSV with a header row, read column-wise as numbers ("nan" allowed); the columns that hold
/// names (`textColumnNames`) read as NaN and are kept as text in `texts`.
struct ColumnTable {
    /// Columns of names, not numbers (the system mode).
    static let textColumnNames: Set<String> = ["mode", "faults", "warnings", "alarms", "charge_limit_reasons", "discharge_limit_reasons"]
    var names: [String]
    var rows: [[Double]]
    /// The text columns, by name.
    var texts: [String: [String]] = [:]

    static func load(path: String) throws(InputFileError) -> ColumnTable {
        let table = try CSVTable(path: path)
        let names = table.names
        let textColumns = Set(names.indices.filter { Self.textColumnNames.contains(names[$0]) })
        var rows: [[Double]] = []
        var texts: [Int: [String]] = [:]
        rows.reserveCapacity(table.rows.count)
        for (k, fields) in table.rows.enumerated() {
            var row: [Double] = []
            row.reserveCapacity(fields.count)
            for (i, f) in fields.enumerated() {
                if textColumns.contains(i) {
                    row.append(.nan)
                    texts[i, default: []].append(String(f))
                    continue
                }
                guard let v = Double(f) else { throw InputFileError(file: path, line: k + 2, problem: "\(names[i]) '\(f)' is not a number") }
                row.append(v)
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw InputFileError(file: path, line: 0, problem: "no data rows") }
        return ColumnTable(names: names, rows: rows, texts: Dictionary(uniqueKeysWithValues: texts.map { (names[$0.key], $0.value) }))
    }

    /// The column `name` when the table has it and it holds a finite value somewhere.
    subscript(_ name: String) -> [Double]? {
        guard let i = names.firstIndex(of: name) else { return nil }
        let values = rows.map { $0[i] }
        return values.contains { $0.isFinite } ? values : nil
    }

    func column(_ name: String, file: String) throws(InputFileError) -> [Double] {
        guard let i = names.firstIndex(of: name) else {
            throw InputFileError(file: file, line: 1, problem: "no column '\(name)' (not the output this plot reads, or written by an older bmssim)")
        }
        return rows.map { $0[i] }
    }
}
