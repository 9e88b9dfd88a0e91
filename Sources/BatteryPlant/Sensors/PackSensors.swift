/// The sensors of a pack: each bank draws its offsets once and its noise every sample.
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

    /// (Always inlined into `BatteryPack.sample(into:)`, its one caller: called, it took a copy
    /// of the whole pack, 2.3 kB and its arrays retained, at every sample.)
    @inline(__always)
    mutating func sample(pack: BatteryPack, faults: [PlantFault], into r: inout SensorReadings) {
        let now = pack.time_ms
        var active: [PlantFault.Kind] = []
        for f in faults where f.isActive(at: now) {
            if f.kind == .sensorBusSilence { return }
            active.append(f.kind)
        }
        r.time_ms = now
        // The heaters' supply is metered every frame (what the element really draws: nothing when
        // it is open, its rating when its relay is stuck closed).
        if r.heaterPower_W.count != pack.heaterPower_W.count { r.heaterPower_W = pack.heaterPower_W } else {
            for m in pack.heaterPower_W.indices { r.heaterPower_W[m] = pack.heaterPower_W[m] }
        }
        r.blowerAirflow = pack.blowerRunning
        let feedback = pack.contactors.feedback
        r.mainPositiveClosed = feedback.mainPositive
        r.mainNegativeClosed = feedback.mainNegative
        r.prechargeClosed = feedback.precharge
        if current.isDue(at: now) {
            var truth = pack.current_A
            var stuck = false
            for case .currentDrift(let rate) in active { truth += rate * Self.drift(hours: now, faults: faults, kind: .currentDrift(amperes_per_h: rate)) }
            for case .currentOffset(let a) in active { truth += a }
            for case .currentStuck in active { stuck = true }
            r.current_A = stuck ? current.hold(channel: 0) : current.read(truth, channel: 0)
            for case .currentStuckAt(let a) in active { r.current_A = a }
            var second = 0.0
            for s in 0..<pack.stringCurrent_A.count {
                r.stringCurrents_A[s] = stringCurrents.read(pack.stringCurrent_A[s], channel: s)
                second += r.stringCurrents_A[s]
            }
            r.secondCurrent_A = second
        }
        if packVoltage.isDue(at: now) {
            r.packVoltage_V = packVoltage.read(pack.terminalVoltage_V, channel: 0)
            r.linkVoltage_V = linkVoltage.read(pack.contactors.linkVoltage_V, channel: 0)
        }
        if cells.isDue(at: now) {
            let stuckCells = Set(active.compactMap { k -> Int? in
                if case .cellVoltageStuck(let i) = k { return i }
                return nil
            })
            for i in 0..<pack.cellCount {
                r.cellVoltages_V[i] = stuckCells.contains(i) ? cells.hold(channel: i) : cells.read(pack.cells[i].voltage, channel: i)
            }
            for kind in active {
                switch kind {
                case .cellVoltageOpenWire(let i) where i >= 0 && i < pack.cellCount:
                    // The broken tap between cell i and i+1: the ADC sees 0 on one side and the two
                    // cells in series on the other.
                    let neighbour = i + 1 < pack.cellCount ? i + 1 : i - 1
                    if neighbour >= 0 { r.cellVoltages_V[neighbour] += r.cellVoltages_V[i] }
                    r.cellVoltages_V[i] = 0
                case .cellVoltageDead(let i) where i >= 0 && i < pack.cellCount:
                    r.cellVoltages_V[i] = 0
                case .cellVoltageInvalid(let i) where i >= 0 && i < pack.cellCount:
                    r.cellVoltages_V[i] = .nan
                case .cellVoltageDrift(let i, let rate) where i >= 0 && i < pack.cellCount:
                    r.cellVoltages_V[i] += rate * Self.drift(hours: now, faults: faults, kind: kind)
                default:
                    break
                }
            }
        }
        if temperatures.isDue(at: now) {
            let edges = pack.definition.thermal.edgeThermocouples
            let position = ThermalDefinition.edgeThermocouplePosition
            for m in 0..<pack.definition.moduleCount {
                // The centre thermocouple sits on the module's middle cell, the edge one on its
                // first: each also reads its cell's hot spot (a failed cell under it).
                let first = pack.moduleBounds[m]
                let middle = (first + pack.moduleBounds[m + 1]) / 2
                let centre = pack.moduleTemperature_C[m]
                r.moduleTemperatures_C[m] = Self.thermocouple(
                    truth: centre + pack.cellHotSpot_K[middle], module: m, edge: false, bank: &temperatures, pack: pack, active: active,
                    faults: faults)
                if edges {
                    let edge = centre + position * (pack.enclosureTemperature_C[m] - centre) + pack.cellHotSpot_K[first]
                    r.edgeTemperatures_C[m] = Self.thermocouple(
                        truth: edge, module: m, edge: true, bank: &edgeTemperatures, pack: pack, active: active, faults: faults)
                } else {
                    r.edgeTemperatures_C[m] = .nan
                }
            }
        }
    }

    /// One thermocouple's reading of `truth` after its faults (stuck, drifting, come loose).
    private static func thermocouple(
        truth t: Double, module m: Int, edge: Bool, bank: inout SensorChannels, pack: BatteryPack, active: [PlantFault.Kind], faults: [PlantFault]
    ) -> Double {
        var truth = t
        var stuck = false
        let now = pack.time_ms
        for kind in active {
            switch kind {
            case .temperatureStuck(let module, let e) where module == m && e == edge: stuck = true
            case .temperatureDrift(let module, let rate, let e) where module == m && e == edge:
                truth += rate * drift(hours: now, faults: faults, kind: kind)
            case .temperatureDetached(let module, let e) where module == m && e == edge:
                let air = pack.definition.thermal.ambient.temperature_C(at: now)
                truth = air + (truth - air) * PlantMath.exp(-drift(hours: now, faults: faults, kind: kind) * 30)
            default: break
            }
        }
        return stuck ? bank.hold(channel: m) : bank.read(truth, channel: m)
    }

    /// Hours since the drift fault `kind` started.
    private static func drift(hours now: Int64, faults: [PlantFault], kind: PlantFault.Kind) -> Double {
        guard let f = faults.first(where: { $0.kind == kind }) else { return 0 }
        return Double(now - f.at_ms) / 3_600_000
    }
}
