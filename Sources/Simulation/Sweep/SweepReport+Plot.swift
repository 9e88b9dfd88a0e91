extension SweepReport {
    /// The metrics drawn as histograms, with their units.
    static let plotted: [(RunMetric, String)] = [
        (.soc_error_rms_pct, "pack SoC error RMS, % points"), (.soc_error_max_pct, "pack SoC error max, % points"),
        (.cell_soc_error_max_pct, "cell SoC error max, % points"), (.soc_within_3sigma, "share of steps with |error| <= 3 sigma"),
        (.soc_nees, "mean NEES (1: consistent)"), (.time_to_converge_s, "time to converge within 3 %, s"),
        (.resistance_error_pct, "resistance error, %"), (.interface_error_pct, "interface resistance error, %"),
    ]

    /// Histograms of the headline metrics over `results`, the spec's max-bounds on p95 or max
    /// drawn as targets (distributions.svg).
    public static func histograms(spec: SweepSpec, results: [SweepRunResult]) -> String {
        let summaries = results.compactMap(\.summary)
        let panels = plotted.map { metric, unit in
            let bound = spec.expectations.first { $0.metric == metric && ($0.statistic == .p95 || $0.statistic == .max) }
            return SVGHistogram.Panel(
                title: metric.key, unit: unit, values: summaries.compactMap { metric.value(in: $0) }, bound: bound?.max ?? bound?.min)
        }
        return SVGHistogram(title: "Sweep \(spec.name): \(Format.count(summaries.count, "run")), seed \(spec.seed)", panels: panels).render()
    }
}
