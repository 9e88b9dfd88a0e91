/// The sensors of a pack: each bank draws its offsets once and its noise every sample.
struct PackSensors: Sendable {
    var cells: SensorChannels
    var packVoltage: SensorChannels
    var current: SensorChannels
    var temperatures: SensorChannels

    init(specification s: SensorSpecification, cellCount: Int, moduleCount: Int, random: SeededRandom) {
        cells = SensorChannels(errors: s.cellVoltage, count: cellCount, random: random.derived(1))
        packVoltage = SensorChannels(errors: s.packVoltage, count: 1, random: random.derived(2))
        current = SensorChannels(errors: s.current, count: 1, random: random.derived(3))
        temperatures = SensorChannels(errors: s.temperature, count: moduleCount, random: random.derived(4))
    }

    mutating func sample(pack: BatteryPack, into r: inout SensorReadings) {
        r.current_A = current.read(pack.current_A, channel: 0)
        r.packVoltage_V = packVoltage.read(pack.terminalVoltage_V, channel: 0)
        for i in 0..<pack.definition.cellCount {
            r.cellVoltages_V[i] = cells.read(pack.cellVoltage_V[i], channel: i)
        }
        for m in 0..<pack.definition.moduleCount {
            r.moduleTemperatures_C[m] = temperatures.read(pack.moduleTemperature_C[m], channel: m)
        }
        r.contactorClosed = pack.contactorClosed
    }
}
