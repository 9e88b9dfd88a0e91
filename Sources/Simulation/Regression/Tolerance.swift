/// How far a metric may move from its baseline before the regression suite calls it a change:
/// |now - baseline| <= absolute + relative * |baseline|.
public struct Tolerance: Sendable, Equatable {
    public var absolute: Double
    public var relative: Double

    public init(absolute: Double, relative: Double = 0) {
        self.absolute = absolute
        self.relative = relative
    }

    /// Whether `now` is within tolerance of `baseline` (two missing values agree; one does not).
    public func accepts(_ now: Double?, baseline: Double?) -> Bool {
        switch (now, baseline) {
        case (nil, nil): true
        case let (n?, b?): abs(n - b) <= absolute + relative * abs(b) || (n.isNaN && b.isNaN)
        default: false
        }
    }

    /// Which way is better for a metric (nil: neither; any change beyond tolerance is a change).
    public enum Better: Sendable { case lower, higher, closerToZero }

    /// The default tolerance of each metric: wide enough for floating-point differences between
    /// platforms (libm), narrow enough that a changed control parameter shows. Exact for counts.
    public static let defaults: [String: Tolerance] = [
        "soc_error_rms_pct": Tolerance(absolute: 0.01, relative: 0.03),
        "soc_error_max_pct": Tolerance(absolute: 0.02, relative: 0.03),
        "cell_soc_error_rms_pct": Tolerance(absolute: 0.01, relative: 0.03),
        "cell_soc_error_max_pct": Tolerance(absolute: 0.02, relative: 0.03),
        "soc_true_final": Tolerance(absolute: 0.001),
        "soc_est_final": Tolerance(absolute: 0.001),
        "energy_out_Wh": Tolerance(absolute: 1, relative: 0.002),
        "energy_in_Wh": Tolerance(absolute: 1, relative: 0.002),
        "heater_energy_Wh": Tolerance(absolute: 1, relative: 0.005),
        "round_trip_efficiency": Tolerance(absolute: 0.001),
        "dispatch_fulfilment": Tolerance(absolute: 0.002),
        "temperature_min_C": Tolerance(absolute: 0.2),
        "temperature_max_C": Tolerance(absolute: 0.2),
        "time_to_converge_s": Tolerance(absolute: 30, relative: 0.05),
        "resistance_error_pct": Tolerance(absolute: 0.2),
        "interface_error_pct": Tolerance(absolute: 0.5),
        "protection_trips": Tolerance(absolute: 0),
        "shorts": Tolerance(absolute: 0),
        "duration_h": Tolerance(absolute: 0),
    ]

    /// The better direction of each metric that has one.
    public static let better: [String: Better] = [
        "soc_error_rms_pct": .lower, "soc_error_max_pct": .lower, "cell_soc_error_rms_pct": .lower,
        "cell_soc_error_max_pct": .lower, "time_to_converge_s": .lower, "heater_energy_Wh": .lower,
        "round_trip_efficiency": .higher, "dispatch_fulfilment": .higher, "resistance_error_pct": .closerToZero,
        "interface_error_pct": .closerToZero,
    ]
}
