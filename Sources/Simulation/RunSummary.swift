import Foundation

/// The headline results of a closed-loop run, measured against the plant's truth.
public struct RunSummary: Codable, Sendable, Equatable {
    public var duration_h: Double
    public var cells: Int
    public var seed: UInt64
    /// RMS of (estimated - true) pack SoC over every control step, percentage points.
    public var soc_error_rms_pct: Double
    /// Largest |estimated - true| pack SoC, percentage points.
    public var soc_error_max_pct: Double
    public var soc_true_final: Double
    public var soc_est_final: Double
    /// Number of latched protection trips.
    public var protection_trips: Int
    public var energy_out_Wh: Double
    public var energy_in_Wh: Double
    public var heater_energy_Wh: Double
    public var temperature_min_C: Double
    public var temperature_max_C: Double
    /// Fraction of the requested energy delivered (1 = never clamped by the BMS limits or the
    /// inverter).
    public var dispatch_fulfilment: Double
    /// Time the inverter could not serve what the BMS allowed (its DC voltage window or current
    /// limit held the current back), s.
    public var inverter_limited_s: Double
    /// RMS and largest |estimated - true| SoC over every cell, sampled every 10 s, percentage points.
    public var cell_soc_error_rms_pct: Double
    public var cell_soc_error_max_pct: Double
    /// Time from which the pack SoC error stays within 3 % (the max bound of the firmware's
    /// accuracy checks) to the end of the run, s (0: always within; nil: outside at the end).
    public var time_to_converge_s: Double?
    /// The firmware's mean-cell resistance at its reference against the plant's present cells
    /// there (bulk and elements faster than 10 ms), %, at the end (nil before an estimate).
    public var resistance_error_pct: Double?
    /// Round-trip efficiency: (energy out + change of stored energy) / energy in, the stored
    /// energy taken as SoC x capacity x mid-SoC OCV of the string (nil unless at least
    /// `roundTripShare` of that energy went in: a few watt-hours in made ratios of 300 %).
    public var round_trip_efficiency: Double?
    /// The share of the string's energy that must have gone in for a round-trip efficiency (10 %).
    public static let roundTripShare = 0.1
    /// The firmware's mean interface resistance (interphase and contact) against the plant's at
    /// the reference temperature, %, at the end (nil before the firmware has split it off).
    public var interface_error_pct: Double?
    /// Cells failed in the plant (shorted, open or leaking) at the end.
    public var shorts: Int
    /// Latched protection trips with the time they latched.
    public var protection_events: [ProtectionEvent]
    /// The highest true cell voltage of the run (the plant's, not a sensor's), V.
    public var cell_voltage_max_V: Double?
    /// Warnings raised: each time a warning bit went from clear to set (a healthy pack's run
    /// raises none).
    public var warnings_raised: Int?
    /// The first time each warning was raised, with its name.
    public var warning_events: [ProtectionEvent]?
    /// How the run met its scenario's `detect` requirements (absent without any).
    public var detections: [DetectionResult]?
    /// Share of control steps in which the pack SoC error was within three of the firmware's own
    /// standard deviations (its consistency; >= 0.99 for an honest sigma).
    public var soc_within_3sigma: Double?
    /// Mean normalised estimation error squared of the pack SoC, (est - true)^2 / sigma^2 over
    /// every control step (1 for a consistent filter; much above: sigma too small; much below:
    /// too cautious).
    public var soc_nees: Double?
    /// The plant's mean cell capacity over the nameplate at the end (capacity state of health;
    /// the cells' ageing included).
    public var capacity_soh_true: Double?
    /// The firmware's capacity state of health at the end (nil until it has measured one).
    public var capacity_soh_est: Double?
    /// The firmware's capacity SoH minus the plant's, percentage points (nil without an estimate).
    public var capacity_soh_error_pct: Double?
    /// Growth of the plant's non-interface resistances by ageing, mean over the cells, % (nil
    /// for a chemistry without an ageing law).
    public var resistance_growth_pct: Double?
    /// Cells broken by fracture (thermal or freeze-thaw cycling) and by dendrite penetration
    /// during the run.
    public var fractures: Int?
    public var dendrite_penetrations: Int?
    /// Injected contact losses (`contact_loss` faults): the longest time from one to the firmware
    /// flagging its cell `contactLoss`, s (nil: none injected, or none flagged).
    public var contact_loss_detection_s: Double?
    /// Injected cell shorts (`cell_short` faults): the longest time from one to the firmware
    /// flagging its cell `softShort`, s (nil: none injected, or none flagged).
    public var soft_short_detection_s: Double?
    /// Injected contact losses and shorts whose cell the firmware had not flagged by the end
    /// (nil when the scenario injected neither and no cell was flagged).
    public var health_missed: Int?
    /// Cells flagged `contactLoss` or `softShort` with no such fault injected in them (a healthy
    /// cell, a cell flagged before its fault, or the other kind of fault): false health alarms
    /// (nil when the scenario injected neither and no cell was flagged).
    public var health_false_alarms: Int?
    /// Cells shorted by dendrite penetration when the same run went without CCD-aware derating
    /// (a sweep's `ccd_derating_comparison`; nil otherwise): against `dendrite_penetrations`,
    /// what the derating prevented.
    public var dendrite_penetrations_without_ccd_derating: Int?

    /// What made the run (tool, commit, inputs with checksums, choices, wall time); nil where the
    /// caller did not record it (regress baselines leave it out: it changes with every commit).
    public var provenance: Provenance?
    /// When the plant's main contactors first stood closed, s (nil: never).
    public var contactors_closed_s: Double?
    /// The energy the EMS asked for (both ways, magnitudes), Wh.
    public var energy_requested_Wh: Double?
    /// Largest |estimated - true| pack SoC from the run's first hour on, percentage points (nil
    /// for a run of at most an hour): the error the firmware keeps, with a drawn start error
    /// (a sweep's `initial_soc_error`) left the hour a rest read or the loaded voltage needs.
    public var soc_error_max_after_1h_pct: Double?
    /// Injected contact losses (`contact_loss` faults): the charge through the cell in the 2 h
    /// after its loss (the detection deadline), % of its capacity; the least of the run's losses
    /// (nil: none injected). A loss followed by no current shows in no voltage: a passive BMS
    /// cannot see it (a sweep's report counts the losses followed by current apart).
    public var contact_loss_throughput_pct: Double?

    /// What misses `expectations` and the run's own detection requirements, one line each
    /// (empty: all met), as regress and `simulate --scenario` report them.
    public func failures(against expectations: [ScenarioFile.Expectation]) -> [String] {
        var failed = expectations.compactMap { $0.violation(metric($0.metric)) }
        for d in detections ?? [] where !d.passed { failed.append("detect \(d.flag): \(d.problem ?? "failed")") }
        return failed
    }

    /// What the run came to where it did not run as asked (`statements()`), by name and time;
    /// empty when it ran as asked.
    public var outcome: [String]?

    /// What the run came to where it did not run as asked, one statement each, by name and time:
    /// the contactors never closed, no power delivered (or little of it), each fault latched.
    public func statements() -> [String] {
        var said: [String] = []
        if contactors_closed_s == nil { said.append("the contactors never closed") }
        let asked = energy_requested_Wh ?? 0
        if asked >= 1e-3 {
            if dispatch_fulfilment < 0.001 {
                said.append("no power delivered (\(Format.compact(asked / 1000)) kWh asked for)")
            } else if dispatch_fulfilment < 0.5 {
                said.append("delivered \(Format.fixed(dispatch_fulfilment * 100, 1)) % of the energy asked for")
            }
        }
        for e in protection_events { said.append("\(e.fault) latched at \(Format.compact(e.time_s)) s") }
        return said
    }

    /// One latched trip.
    public struct ProtectionEvent: Codable, Sendable, Equatable {
        public var time_s: Double
        /// The fault's name (FaultFlags bit).
        public var fault: String
    }

    /// The names of the numeric metrics (what scenarios may expect and baselines compare).
    public static var metricNames: [String] { RunMetric.allCases.map(\.key) }

    /// The value of metric `name` (nil when the run has none, or there is no such metric).
    public func metric(_ name: String) -> Double? { RunMetric(rawValue: name)?.value(in: self) }

    /// Pretty, key-sorted JSON.
    public func jsonData() throws -> Data { try Self.encoder.encode(self) }

    /// The encoder of summaries (and of the sweep's run files that hold them): a figure that is
    /// not finite is written as the string "inf", "-inf" or "nan" rather than losing the whole
    /// file after the run (JSON has no such numbers).
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    /// The decoder that reads what `encoder` wrote.
    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// A few lines for a person at a terminal.
    public var humanReadable: String {
        let said = outcome ?? statements()
        let verdict = said.isEmpty ? "" : said.map { "OUTCOME: " + $0 + "\n" }.joined()
        return verdict + """
        simulated \(Format.fixed(duration_h, 1)) h, \(Format.count(cells, "cell")), seed \(seed)
        SoC error (est - true): RMS \(Format.fixed(soc_error_rms_pct, 3)) %, max \(Format.fixed(soc_error_max_pct, 3)) %
        SoC sigma (the firmware's own): covers the error (3 sigma) in \(soc_within_3sigma.map { Format.fixed($0 * 100, 2) + " %" } ?? "n/a") of steps, mean NEES \(soc_nees.map { Format.compact($0) } ?? "n/a")
        SoC at end: true \(Format.fixed(soc_true_final * 100, 2)) %, estimated \(Format.fixed(soc_est_final * 100, 2)) %
        energy out \(Format.fixed(energy_out_Wh / 1000, 2)) kWh, in \(Format.fixed(energy_in_Wh / 1000, 2)) kWh, heaters \(Format.fixed(heater_energy_Wh / 1000, 2)) kWh, round trip \(round_trip_efficiency.map { Format.fixed($0 * 100, 1) + " %" } ?? "n/a")
        temperature \(Format.fixed(temperature_min_C, 1)) ... \(Format.fixed(temperature_max_C, 1)) C, protection trips \(protection_trips), dispatch fulfilled \(Format.fixed(dispatch_fulfilment * 100, 1)) %
        cells: SoC error RMS \(Format.fixed(cell_soc_error_rms_pct, 3)) %, max \(Format.fixed(cell_soc_error_max_pct, 3)) %; resistance \(resistance_error_pct.map { "off by " + Format.fixed($0, 1) + " %" } ?? "not estimated"), interface \(interface_error_pct.map { "off by " + Format.fixed($0, 1) + " %" } ?? "not estimated"); failed cells \(shorts)
        \(ageingLine)
        """
    }

    /// The ageing and the firmware's tracking of it, in one line.
    var ageingLine: String {
        let truth = capacity_soh_true.map { Format.fixed($0 * 100, 1) + " %" } ?? "n/a"
        let estimate = capacity_soh_est.map { Format.fixed($0 * 100, 1) + " %" } ?? "not measured"
        let growth = resistance_growth_pct.map { "resistance grown " + Format.fixed($0, 1) + " %" } ?? "no resistance ageing"
        return "ageing: capacity SoH true \(truth), firmware \(estimate); \(growth); fractures \(fractures ?? 0), dendrite penetrations \(dendrite_penetrations ?? 0)"
    }
}
