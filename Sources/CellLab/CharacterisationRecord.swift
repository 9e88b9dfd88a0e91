/// How a firmware file was characterised (its `characterisation` block): the command that made
/// it and the tests' own measures of their spread, so a reader sees how far to trust each number.
public struct CharacterisationRecord: Sendable, Codable, Equatable {
    /// The command that wrote the file (rerun it to reproduce the file byte for byte).
    public var command: String
    public var samples: Int
    public var seed: UInt64
    /// Spread (standard deviation) of the samples' capacities, Ah.
    public var capacity_sd_Ah: Double
    /// The largest spread of the samples' OCV on 10 ... 90 % SoC (their OCV offsets and the
    /// sensor's noise), mV.
    public var ocv_sample_sd_mV: Double
    /// The largest half gap between the charge and the discharge curve on 10 ... 90 % (what the
    /// mean of the two cancels), mV.
    public var ocv_half_gap_mV: Double
    /// The largest SoC error of reading the measured curve through the table's points, %.
    public var ocv_table_error_pct: Double
    /// The RMS difference between the rested OCV (the charge and discharge readings' mean) and
    /// the slow-rate table at the table's points on 10 ... 90 %, mV (nil in files written
    /// before it was measured). The file's `ocv_uncertainty_V` includes it.
    public var ocv_rested_disagreement_mV: Double?
    /// The ohmic resistance at 50 % SoC 20 K warmer (the activation energy's second point), ohms.
    public var pulse_warmer_ohmic_ohm: Double
    /// The impedance fit's high-frequency intercept at 50 % SoC, ohms, and its slowest arc
    /// (a cross-check of the pulses' polarisation), ohms.
    public var eis_series_ohm: Double
    public var eis_slow_arc_ohm: Double
    /// The worst impedance fit's RMS residual, % of |Z|.
    public var eis_fit_rms_percent: Double
    /// The CCD test's samples at the reference temperature, mA/cm2 (0: survived every step),
    /// and their Weibull fit (nil without a CCD).
    public var ccd_measured_mA_per_cm2: [Double]?
    public var ccd_weibull_shape: Double?
    public var ccd_weibull_scale_mA_per_cm2: Double?
    /// The partial-cycle test's RMS residual of the layered-front fit, ohms (nil without a
    /// reaction front).
    public var zone_fit_rms_ohm: Double?
    /// The rested-voltage test's half gap's standard error on 10 ... 90 %, mV, and the reversal
    /// fit's RMS residual, share of the gap (nil where no hysteresis was measurable).
    public var hysteresis_gap_error_mV: Double?
    public var hysteresis_fit_rms: Double?

    public init(command: String, samples: Int, seed: UInt64, report r: Characterisation.Report) {
        self.command = command
        self.samples = samples
        self.seed = seed
        let c = r.slowRate.capacities_Ah
        let mean = c.reduce(0, +) / Double(c.count)
        func rounded(_ x: Double, _ digits: Double) -> Double {
            let scale = digits
            return (x * scale).rounded() / scale
        }
        capacity_sd_Ah = rounded((c.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, c.count - 1))).squareRoot(), 1e4)
        let middle = r.slowRate.soc.indices.filter { (0.1...0.9).contains(r.slowRate.soc[$0]) }
        ocv_sample_sd_mV = rounded(middle.map { r.slowRate.sampleSpread_V[$0] * 1000 }.max() ?? 0, 100)
        ocv_half_gap_mV = rounded(middle.map { abs(r.slowRate.halfGap_V[$0]) * 1000 }.max() ?? 0, 100)
        ocv_table_error_pct = rounded(r.slowRate.tableError_pct, 1000)
        ocv_rested_disagreement_mV = rounded(r.hysteresis.tableDisagreement_V * 1000, 1000)
        pulse_warmer_ohmic_ohm = rounded(r.pulses.warmerOhmic_ohm, 1e7)
        eis_series_ohm = rounded(r.impedance.series_ohm, 1e7)
        eis_slow_arc_ohm = rounded(r.impedance.polarisation_ohm, 1e7)
        eis_fit_rms_percent = rounded(r.impedance.worstRelativeRMS * 100, 1000)
        ccd_measured_mA_per_cm2 = r.criticalCurrent.map { $0.measured_mA_per_cm2[0].map { rounded($0 ?? 0, 1e4) } }
        ccd_weibull_shape = r.criticalCurrent.map { rounded($0.shape[0], 1000) }
        ccd_weibull_scale_mA_per_cm2 = r.criticalCurrent.map { rounded($0.scale_mA_per_cm2[0], 1e4) }
        zone_fit_rms_ohm = r.reactionZone.map { rounded($0.fitRMS_ohm, 1e7) }
        let h = r.hysteresis.transitionCharge == nil ? nil : r.hysteresis
        hysteresis_gap_error_mV = h.map { rounded($0.halfGapError_V * 1000, 1000) }
        hysteresis_fit_rms = h.map { rounded($0.fitRMS, 1000) }
    }
}
