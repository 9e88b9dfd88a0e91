/// The sensors of a pack: each bank draws its offsets once and its noise every sample
/// (`BatteryPack.sample(into:)`, in BatteryPack+Sensing.swift, reads the pack through them).
struct PackSensors: Sendable {
    var cells: SensorChannels
    var packVoltage: SensorChannels
    var current: SensorChannels
    var stringCurrents: SensorChannels
    var temperatures: SensorChannels
    /// The modules' edge thermocouples (sampled with the centre ones).
    var edgeTemperatures: SensorChannels
    var linkVoltage: SensorChannels

    init(specification s: SensorSpecification, cellCount: Int, moduleCount: Int, stringCount: Int, random: SeededRandom) {
        cells = SensorChannels(errors: s.cellVoltage, count: cellCount, random: random.derived(1))
        packVoltage = SensorChannels(errors: s.packVoltage, count: 1, random: random.derived(2))
        current = SensorChannels(errors: s.current, count: 1, random: random.derived(3))
        temperatures = SensorChannels(errors: s.temperature, count: moduleCount, random: random.derived(4))
        stringCurrents = SensorChannels(errors: s.current, count: stringCount, random: random.derived(5))
        linkVoltage = SensorChannels(errors: s.packVoltage, count: 1, random: random.derived(6))
        edgeTemperatures = SensorChannels(errors: s.temperature, count: moduleCount, random: random.derived(7))
    }

    /// One thermocouple's reading of `truth` after its faults (stuck, drifting, come loose).
    static func thermocouple(
        truth t: Double, module m: Int, edge: Bool, bank: inout SensorChannels, now: Int64, ambient: AmbientProfile, active: [PlantFault.Kind],
        faults: [PlantFault]
    ) -> Double {
        var truth = t
        var stuck = false
        for kind in active {
            switch kind {
            case .temperatureStuck(let module, let e) where module == m && e == edge: stuck = true
            case .temperatureDrift(let module, let rate, let e) where module == m && e == edge:
                truth += rate * drift(hours: now, faults: faults, kind: kind)
            case .temperatureDetached(let module, let e) where module == m && e == edge:
                let air = ambient.temperature_C(at: now)
                truth = air + (truth - air) * PlantMath.exp(-drift(hours: now, faults: faults, kind: kind) * 30)
            default: break
            }
        }
        return stuck ? bank.hold(channel: m) : bank.read(truth, channel: m)
    }

    /// Hours since the drift fault `kind` started.
    static func drift(hours now: Int64, faults: [PlantFault], kind: PlantFault.Kind) -> Double {
        guard let f = faults.first(where: { $0.kind == kind }) else { return 0 }
        return Double(now - f.at_ms) / 3_600_000
    }
}
