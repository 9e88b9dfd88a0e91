/// Each module's two thermocouples (the centre and the edge of its cell block), resolved into the
/// one temperature every later phase reads (`ValidationSettings.edgeThermocouples`).
///
/// While both read plausibly and agree within `thermocouplePairTolerance`, a module is its centre
/// reading (what the cells were characterised on). When they disagree it is the higher of the two
/// at once: a thermocouple come loose reads the air, so the higher one is the module, no heater
/// overheats its module on it and the pack is not taken for cold; a reading drifting high
/// under-heats its module slowly, under the warning. With one plausible reading it is that one;
/// with neither, the centre reading stands, invalid as it is. A module that disagrees, or is left
/// with one plausible reading, for `thermocouplePairTime` (counted as it comes and goes, so a
/// channel failing every other frame is found too) raises `temperatureSensorFault`: the pack runs
/// on, without redundancy, until service.
@usableFromInline struct ThermocouplePairs<let maxModules: Int>: Sendable {
    @usableFromInline var suspect: InlineArray<maxModules, IntermittentDebouncer>
    /// Each module's pair is confirmed to disagree or to have lost a sensor.
    @usableFromInline var confirmed: InlineArray<maxModules, Bool> = InlineArray(repeating: false)

    @inlinable init(configuration c: CoreConfiguration) {
        suspect = InlineArray(repeating: IntermittentDebouncer(time: c.validation.thermocouplePairTime, step: c.step))
    }

    /// Replaces each module's reading in `frame` by the one believed for it; returns whether a
    /// module's pair is confirmed faulty.
    @inlinable mutating func resolve<let maxCells: Int>(
        _ frame: inout MeasurementFrame<maxCells, maxModules>, configuration c: CoreConfiguration
    ) -> Bool {
        let plausible = c.plausibility.temperature
        let tolerance = c.validation.thermocouplePairTolerance.value
        var any = false
        for m in 0..<c.moduleCount {
            let centre = frame.moduleTemperatures[m]
            let edge = frame.edgeTemperatures[m]
            let centreOK = centre.isFinite && plausible.contains(centre)
            let edgeOK = edge.isFinite && plausible.contains(edge)
            var doubtful = true
            if centreOK && edgeOK {
                doubtful = abs(centre.value - edge.value) > tolerance
                if doubtful && centre < edge { frame.moduleTemperatures[m] = edge }
            } else if edgeOK {
                frame.moduleTemperatures[m] = edge
            }
            confirmed[m] = suspect[m].update(doubtful) || (confirmed[m] && suspect[m].recent)
            if confirmed[m] { any = true }
        }
        return any
    }
}
