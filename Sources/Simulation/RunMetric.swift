/// Every numeric metric of a run summary, declared once: its key (in summary.json, scenario
/// `expect` and `tolerances` blocks, regress tables), how to read it from a summary, how to
/// print it, its default tolerance against a baseline and which direction is better.
public enum RunMetric: String, CaseIterable, Sendable {
    case cell_soc_error_max_pct, cell_soc_error_rms_pct, dispatch_fulfilment, duration_h, energy_in_Wh, energy_out_Wh
    case heater_energy_Wh, interface_error_pct, inverter_limited_s, protection_trips, resistance_error_pct, round_trip_efficiency, shorts
    case soc_error_max_pct, soc_error_rms_pct, soc_est_final, soc_true_final, temperature_max_C, temperature_min_C
    case time_to_converge_s, cell_voltage_max_V, warnings_raised, soc_within_3sigma, soc_nees
    case capacity_soh_true, capacity_soh_est, capacity_soh_error_pct, resistance_growth_pct, fractures, dendrite_penetrations
    case contact_loss_detection_s, soft_short_detection_s, health_missed, health_false_alarms, dendrite_penetrations_without_ccd_derating
    case contactors_closed_s, energy_requested_Wh, soc_error_max_after_1h_pct, contact_loss_throughput_pct
    /// Derived, not a key of summary.json: the interface estimate's error as a magnitude (a
    /// sweep's p95 of it is issue 14's target; the signed error's percentiles hide a low tail).
    case interface_error_abs_pct

    /// The key, as it is spelled in files and tables.
    public var key: String { rawValue }

    /// Whether the metric is computed from another (a baseline comparison or a table skips it:
    /// its source already shows the change).
    public var isDerived: Bool { self == .interface_error_abs_pct }

    /// The metric's value in `s` (nil when the run has none, e.g. no resistance estimate yet).
    public func value(in s: RunSummary) -> Double? {
        switch self {
        case .cell_soc_error_max_pct: s.cell_soc_error_max_pct
        case .cell_soc_error_rms_pct: s.cell_soc_error_rms_pct
        case .dispatch_fulfilment: s.dispatch_fulfilment
        case .duration_h: s.duration_h
        case .energy_in_Wh: s.energy_in_Wh
        case .energy_out_Wh: s.energy_out_Wh
        case .heater_energy_Wh: s.heater_energy_Wh
        case .interface_error_pct: s.interface_error_pct
        case .interface_error_abs_pct: s.interface_error_pct.map(Swift.abs)
        case .inverter_limited_s: s.inverter_limited_s
        case .protection_trips: Double(s.protection_trips)
        case .resistance_error_pct: s.resistance_error_pct
        case .round_trip_efficiency: s.round_trip_efficiency
        case .shorts: Double(s.shorts)
        case .soc_error_max_pct: s.soc_error_max_pct
        case .soc_error_rms_pct: s.soc_error_rms_pct
        case .soc_est_final: s.soc_est_final
        case .soc_true_final: s.soc_true_final
        case .temperature_max_C: s.temperature_max_C
        case .temperature_min_C: s.temperature_min_C
        case .time_to_converge_s: s.time_to_converge_s
        case .cell_voltage_max_V: s.cell_voltage_max_V
        case .warnings_raised: s.warnings_raised.map(Double.init)
        case .soc_within_3sigma: s.soc_within_3sigma
        case .soc_nees: s.soc_nees
        case .capacity_soh_true: s.capacity_soh_true
        case .capacity_soh_est: s.capacity_soh_est
        case .capacity_soh_error_pct: s.capacity_soh_error_pct
        case .resistance_growth_pct: s.resistance_growth_pct
        case .fractures: s.fractures.map(Double.init)
        case .dendrite_penetrations: s.dendrite_penetrations.map(Double.init)
        case .contact_loss_detection_s: s.contact_loss_detection_s
        case .soft_short_detection_s: s.soft_short_detection_s
        case .health_missed: s.health_missed.map(Double.init)
        case .health_false_alarms: s.health_false_alarms.map(Double.init)
        case .dendrite_penetrations_without_ccd_derating: s.dendrite_penetrations_without_ccd_derating.map(Double.init)
        case .contactors_closed_s: s.contactors_closed_s
        case .energy_requested_Wh: s.energy_requested_Wh
        case .soc_error_max_after_1h_pct: s.soc_error_max_after_1h_pct
        case .contact_loss_throughput_pct: s.contact_loss_throughput_pct
        }
    }

    /// The value as tables print it ("-" when the run has none).
    public func formatted(in s: RunSummary) -> String {
        guard let v = value(in: s) else { return "-" }
        switch self {
        case .protection_trips, .shorts, .warnings_raised, .fractures, .dendrite_penetrations, .health_missed, .health_false_alarms,
            .dendrite_penetrations_without_ccd_derating:
            return String(Int(v))
        case .soc_error_rms_pct, .soc_error_max_pct, .cell_soc_error_rms_pct, .cell_soc_error_max_pct, .soc_error_max_after_1h_pct:
            return Format.fixed(v, 3)
        default: return Format.compact(v)
        }
    }

    /// The default tolerance against a baseline: wide enough for floating-point differences
    /// between platforms (libm), narrow enough that a changed control parameter shows. Exact for
    /// counts and the run's length.
    public var tolerance: Tolerance {
        switch self {
        case .soc_error_rms_pct, .cell_soc_error_rms_pct: Tolerance(absolute: 0.01, relative: 0.03)
        case .soc_error_max_pct, .cell_soc_error_max_pct, .soc_error_max_after_1h_pct: Tolerance(absolute: 0.02, relative: 0.03)
        case .soc_true_final, .soc_est_final: Tolerance(absolute: 0.001)
        case .energy_out_Wh, .energy_in_Wh, .energy_requested_Wh: Tolerance(absolute: 1, relative: 0.002)
        case .contactors_closed_s: Tolerance(absolute: 1)
        case .heater_energy_Wh: Tolerance(absolute: 1, relative: 0.005)
        case .round_trip_efficiency: Tolerance(absolute: 0.001)
        case .dispatch_fulfilment: Tolerance(absolute: 0.002)
        case .temperature_min_C, .temperature_max_C: Tolerance(absolute: 0.2)
        case .time_to_converge_s, .inverter_limited_s: Tolerance(absolute: 30, relative: 0.05)
        case .resistance_error_pct: Tolerance(absolute: 0.2)
        case .interface_error_pct, .interface_error_abs_pct: Tolerance(absolute: 0.5)
        case .cell_voltage_max_V: Tolerance(absolute: 0.005)
        case .soc_within_3sigma: Tolerance(absolute: 0.005)
        case .soc_nees: Tolerance(absolute: 0.05, relative: 0.05)
        case .capacity_soh_true, .capacity_soh_est: Tolerance(absolute: 0.002)
        case .capacity_soh_error_pct: Tolerance(absolute: 0.2)
        case .resistance_growth_pct: Tolerance(absolute: 0.1, relative: 0.02)
        case .contact_loss_detection_s, .soft_short_detection_s: Tolerance(absolute: 60, relative: 0.05)
        case .contact_loss_throughput_pct: Tolerance(absolute: 0.1, relative: 0.01)
        case .protection_trips, .shorts, .duration_h, .warnings_raised, .fractures, .dendrite_penetrations, .health_missed, .health_false_alarms,
            .dendrite_penetrations_without_ccd_derating:
            Tolerance(absolute: 0)
        }
    }

    /// Which way is better (nil: neither; any change beyond tolerance is a change).
    public var better: Tolerance.Better? {
        switch self {
        case .soc_error_rms_pct, .soc_error_max_pct, .cell_soc_error_rms_pct, .cell_soc_error_max_pct, .time_to_converge_s, .heater_energy_Wh,
            .inverter_limited_s, .soc_error_max_after_1h_pct, .contact_loss_detection_s, .soft_short_detection_s, .health_missed, .health_false_alarms, .interface_error_abs_pct:
            .lower
        case .round_trip_efficiency, .dispatch_fulfilment, .soc_within_3sigma: .higher
        case .resistance_error_pct, .interface_error_pct, .capacity_soh_error_pct: .closerToZero
        default: nil
        }
    }
}
