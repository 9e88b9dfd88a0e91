import BMSCore
import BatteryPlant

extension Scenario {
    /// The firmware presets by the cell chemistry they are for (by kind, never by parameters).
    static let firmwarePresets = Dictionary(uniqueKeysWithValues: FirmwarePresetSource.chemistries.map { ($0.file, $0.chemistry) })

    /// The firmware preset for cells of chemistry `name` (nil: none).
    public static func firmwarePreset(for name: String) -> FirmwareChemistry? { firmwarePresets[name] }

    /// The share of SoC kept from each end when the pack's OCV is held against the firmware's
    /// voltage limits (5 %: the firmware's own SoC window starts there).
    static let fitSoCMargin = 0.05
    /// How far the pack's cell capacity may differ from the firmware's rated one (20 %: an aged
    /// cell, not a different cell).
    static let fitCapacityTolerance = 0.2

    /// Refuses a run whose firmware parameters do not fit its pack, before anything runs:
    /// - the firmware has parameters for the cells (a firmware file, or a preset for their chemistry);
    /// - their OCV from 5 to 95 % SoC (at the chemistry's reference temperature) lies inside the
    ///   firmware's maximum-operating cell voltage limits;
    /// - their capacity is within 20 % of the firmware's rated cell capacity;
    /// - the chemistry's operating temperatures overlap the firmware's (minimum operating to
    ///   maximum-operating over-temperature).
    /// A firmware run on cells it does not fit latches faults at once or mis-reads every state;
    /// it never tells anybody anything about the BMS.
    public func firmwareFit() throws(SimulationError) {
        let chemistry = pack.chemistry
        guard firmware != nil || Self.firmwarePresets[chemistry.name] != nil else {
            throw .firmwareDoesNotFit(
                "the firmware has no parameters for '\(chemistry.name)' cells (it has them for \(Self.firmwarePresets.keys.sorted().joined(separator: ", "))); "
                    + "give a firmware file for them (--firmware-file, scenario key firmware_file; bmssim firmware-file prints a preset's to start from)")
        }
        let c = coreConfiguration
        let low = chemistry.openCircuitVoltage(soc: Self.fitSoCMargin, temperature_C: chemistry.ocvReferenceTemperature_C)
        let high = chemistry.openCircuitVoltage(soc: 1 - Self.fitSoCMargin, temperature_C: chemistry.ocvReferenceTemperature_C)
        let limits = c.protection.maximumOperating
        let window = Double(limits.cellUnderVoltage.value)...Double(limits.cellOverVoltage.value)
        guard window.contains(low), window.contains(high) else {
            throw .firmwareDoesNotFit(
                "the cells' OCV from 5 to 95 % SoC (\(Format.fixed(low, 3)) ... \(Format.fixed(high, 3)) V) is outside the firmware's operating cell voltage limits (\(Format.fixed(window.lowerBound, 3)) ... \(Format.fixed(window.upperBound, 3)) V)")
        }
        let rated = Double(c.cellModel.capacity.value)
        guard abs(chemistry.capacity_Ah / rated - 1) <= Self.fitCapacityTolerance else {
            throw .firmwareDoesNotFit(
                "the cells hold \(Format.compact(chemistry.capacity_Ah)) Ah; the firmware is rated for \(Format.compact(rated)) Ah cells (more than 20 % apart)")
        }
        let firmwareT = Double(c.protection.minimumOperatingTemperature.value)...Double(limits.overTemperature.value)
        let cellT = chemistry.limits.minimumTemperature_C...chemistry.limits.maximumTemperature_C
        guard firmwareT.overlaps(cellT) else {
            throw .firmwareDoesNotFit(
                "the cells work at \(Format.compact(cellT.lowerBound)) ... \(Format.compact(cellT.upperBound)) C; the firmware at \(Format.compact(firmwareT.lowerBound)) ... \(Format.compact(firmwareT.upperBound)) C")
        }
    }
}
