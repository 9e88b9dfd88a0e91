import Foundation

extension RunComparison {
    /// One colour per run, A first (the palette of the run plots).
    static let colors = ["#000000", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"]

    /// The runs that have a time series drawn over one time axis: the SoC error against each
    /// run's +-2 sigma, the SoC estimates over the first run's truth, delivered power (bucket
    /// means when dense), the current limits, the extreme true cell voltages, mean temperature
    /// and the interface-resistance estimate; each run's protection events as markers in its
    /// colour. Nil when no run has a time series.
    public func svg() -> String? {
        let drawn = runs.enumerated().compactMap { k, run in run.table.map { (k: k, run: run, table: $0) } }
        guard let first = drawn.first else { return nil }
        func time(_ t: ColumnTable) -> [Double] { (t["time_s"] ?? []).map { $0 / 3600 } }
        func color(_ k: Int) -> String { Self.colors[k % Self.colors.count] }
        func lines(_ build: (ColumnTable) -> [Double]?, reduction: SVGChart.Series.Reduction = .zigzag, dashed: Bool = false, suffix: String = "") -> [SVGChart.Series] {
            drawn.compactMap { d in
                build(d.table).map { .init(d.run.label + suffix, color: color(d.k), values: $0, dashed: dashed, time_h: time(d.table), reduction: reduction) }
            }
        }
        var panels: [SVGChart.Panel] = []
        let error = lines { t in
            guard let soc = t["soc_est"], let truth = t["soc_true"] else { return nil }
            return zip(soc, truth).map { ($0 - $1) * 100 }
        }
        if !error.isEmpty {
            let sigma = lines({ t in t["soc_sigma"].map { $0.map { 2 * $0 * 100 } } }, reduction: .maxima, dashed: true, suffix: " +2 sigma")
            panels.append(.init(title: "SoC error: estimate minus truth (dashed: each run's +2 sigma)", unit: "% points", series: error + sigma, includeZero: true))
        }
        var soc = lines { t in t["soc_est"].map { $0.map { $0 * 100 } } }
        if !soc.isEmpty {
            if let truth = first.table["soc_true"] {
                soc.insert(.init("\(first.run.label) truth", color: "#999999", values: truth.map { $0 * 100 }, dashed: true, time_h: time(first.table)), at: 0)
            }
            panels.append(.init(title: "State of charge: each run's estimate (dashed grey: the truth of \(first.run.label))", unit: "SoC, %", series: soc))
        }
        let power = lines({ t in t["power_W"].map { $0.map { $0 / 1000 } } }, reduction: .mean)
        if !power.isEmpty { panels.append(.init(title: "Pack power delivered (positive = discharge)", unit: "kW", series: power, includeZero: true)) }
        let limits =
            lines({ t in t["discharge_limit_A"] }, reduction: .minima, suffix: " discharge")
            + lines({ t in t["charge_limit_A"].map { $0.map { -$0 } } }, reduction: .maxima, dashed: true, suffix: " charge (negative)")
        if !limits.isEmpty { panels.append(.init(title: "Current limits offered to the EMS (dense: the tightest)", unit: "A", series: limits, includeZero: true)) }
        let voltages = lines({ t in t["cell_voltage_max_V"] }, reduction: .maxima, suffix: " highest") + lines({ t in t["cell_voltage_min_V"] }, reduction: .minima, dashed: true, suffix: " lowest")
        if !voltages.isEmpty { panels.append(.init(title: "Cell voltages, plant truth: highest and lowest cell", unit: "V", series: voltages)) }
        let temperature = lines { t in t["temperature_C"] }
        if !temperature.isEmpty { panels.append(.init(title: "Mean module temperature", unit: "\u{00B0}C", series: temperature)) }
        let interface = lines { t in t["interface_ohm_est"].map { $0.map { $0 * 1000 } } }
        if !interface.isEmpty { panels.append(.init(title: "Interfacial resistance, the firmware's estimate (mean cell)", unit: "mOhm", series: interface, includeZero: true)) }
        var markers: [SVGChart.Marker] = []
        for d in drawn {
            markers += d.run.summary.protection_events.map { .init(time_h: $0.time_s / 3600, label: "\(d.run.label.prefix(1)): \($0.fault)", color: color(d.k)) }
        }
        var title = "Compared: " + runs.map(\.label).joined(separator: ", ")
        title += "\n" + runs.map { "\($0.label.prefix(1)) SoC RMS \(Format.fixed($0.summary.soc_error_rms_pct, 2)) %, \(Format.count($0.summary.protection_trips, "trip"))" }.joined(separator: "; ")
        let undrawn = runs.filter { $0.table == nil }.map { String($0.label.prefix(1)) }
        if !undrawn.isEmpty { title += " (no time series: \(undrawn.joined(separator: ", ")))" }
        return SVGChart(title: title, time_h: time(first.table), panels: panels, markers: markers).render()
    }
}
