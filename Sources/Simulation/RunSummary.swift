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
    /// Fraction of the requested energy the BMS limits let through (1 = never clamped).
    public var dispatch_fulfilment: Double

    /// Pretty, key-sorted JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// A few lines for a person at a terminal.
    public var humanReadable: String {
        """
        simulated \(Format.fixed(duration_h, 1)) h, \(cells) cells, seed \(seed)
        SoC error (est - true): RMS \(Format.fixed(soc_error_rms_pct, 3)) %, max \(Format.fixed(soc_error_max_pct, 3)) %
        SoC at end: true \(Format.fixed(soc_true_final * 100, 2)) %, estimated \(Format.fixed(soc_est_final * 100, 2)) %
        energy out \(Format.fixed(energy_out_Wh / 1000, 2)) kWh, in \(Format.fixed(energy_in_Wh / 1000, 2)) kWh, heaters \(Format.fixed(heater_energy_Wh / 1000, 2)) kWh
        temperature \(Format.fixed(temperature_min_C, 1)) ... \(Format.fixed(temperature_max_C, 1)) C, protection trips \(protection_trips), dispatch fulfilled \(Format.fixed(dispatch_fulfilment * 100, 1)) %
        """
    }
}
