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
/// on, without redundancy, until service. A thermocouple of a pair that repeats the bit-identical
/// reading for half the stuck window (`ValidationSettings.temperatureStuckSamples`) while its
/// partner moves by more than `stuckPartnerMovement` is stuck: the module reads the partner
/// (before the whole-frame stuck check would take the module's reading for a stuck channel and
/// trip).
@usableFromInline struct ThermocouplePairs<let maxModules: Int>: Sendable {
    @usableFromInline var suspect: InlineArray<maxModules, IntermittentDebouncer>
    /// Each module's pair is confirmed to disagree or to have lost a sensor.
    @usableFromInline var confirmed: InlineArray<maxModules, Bool> = InlineArray(repeating: false)
    /// Each thermocouple's last reading, how many fresh frames it has repeated it, and the range
    /// its partner has covered meanwhile (centre, then edge).
    @usableFromInline var last: InlineArray<maxModules, SIMD2<Float>> = InlineArray(repeating: SIMD2(.nan, .nan))
    @usableFromInline var repeats: InlineArray<maxModules, SIMD2<Int32>> = InlineArray(repeating: .zero)
    @usableFromInline var partnerLow: InlineArray<maxModules, SIMD2<Float>> = InlineArray(repeating: SIMD2(repeating: .infinity))
    @usableFromInline var partnerHigh: InlineArray<maxModules, SIMD2<Float>> = InlineArray(repeating: SIMD2(repeating: -.infinity))
    /// A partner moving this far while a reading repeats shows the reading stuck (1 K: ten
    /// quanta of a 0.1 K channel, three sigmas of its noise).
    @usableFromInline static var stuckPartnerMovement: Float { 1 }

    @inlinable init(configuration c: CoreConfiguration) {
        suspect = InlineArray(repeating: IntermittentDebouncer(time: c.validation.thermocouplePairTime, step: c.step))
    }

    /// Replaces each module's reading in `frame` by the one believed for it (`fresh`: a frame
    /// that advanced, for the stuck counts); returns whether a module's pair is confirmed faulty.
    @inlinable mutating func resolve<let maxCells: Int>(
        _ frame: inout MeasurementFrame<maxCells, maxModules>, fresh: Bool, configuration c: CoreConfiguration
    ) -> Bool {
        let plausible = c.plausibility.temperature
        let tolerance = c.validation.thermocouplePairTolerance.value
        let stuckAfter = max(2, c.validation.temperatureStuckSamples / 2)
        var any = false
        for m in 0..<c.moduleCount {
            let centre = frame.moduleTemperatures[m]
            let edge = frame.edgeTemperatures[m]
            let reading = SIMD2(centre.value, edge.value)
            if fresh {
                let same = reading .== last[m]
                repeats[m] = SIMD2(same[0] ? min(repeats[m][0] &+ 1, stepCountCeiling) : 0, same[1] ? min(repeats[m][1] &+ 1, stepCountCeiling) : 0)
                // While a reading repeats, the range its partner covers (reset when it moves).
                let partner = SIMD2(edge.value, centre.value)
                for k in 0..<2 {
                    if repeats[m][k] == 0 || !partner[k].isFinite {
                        partnerLow[m][k] = partner[k]
                        partnerHigh[m][k] = partner[k]
                    } else {
                        partnerLow[m][k] = min(partnerLow[m][k], partner[k])
                        partnerHigh[m][k] = max(partnerHigh[m][k], partner[k])
                    }
                }
                last[m] = reading
            }
            let stuck = (repeats[m] .>= SIMD2(repeating: stuckAfter)) .& (partnerHigh[m] - partnerLow[m] .> SIMD2(repeating: Self.stuckPartnerMovement))
            let centreOK = centre.isFinite && plausible.contains(centre) && !stuck[0]
            let edgeOK = edge.isFinite && plausible.contains(edge) && !stuck[1]
            var doubtful = true
            if centreOK && edgeOK {
                doubtful = abs(centre.value - edge.value) > tolerance
                if doubtful && centre < edge { frame.moduleTemperatures[m] = edge }
            } else if edgeOK {
                frame.moduleTemperatures[m] = edge
            } else if centreOK {
                frame.edgeTemperatures[m] = Celsius(.nan)
            }
            confirmed[m] = suspect[m].update(doubtful) || (confirmed[m] && suspect[m].recent)
            if confirmed[m] { any = true }
        }
        return any
    }
}
