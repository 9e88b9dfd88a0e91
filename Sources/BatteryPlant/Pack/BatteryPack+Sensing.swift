/// Sampling the pack's sensors.
extension BatteryPack {
    /// Samples every sensor at the present state (bus silence leaves `r` as it was).
    ///
    /// The banks are mutated in place while the pack's other fields are read: moving the sensors
    /// out for a call that read the pack cost two copies of them (840 bytes) and one of the pack
    /// (2.3 kB, its arrays retained) at every sample.
    public mutating func sample(into r: inout SensorReadings) {
        let now = time_ms
        var active: [PlantFault.Kind] = []
        for f in faults where f.isActive(at: now) {
            if f.kind == .sensorBusSilence { return }
            active.append(f.kind)
        }
        r.time_ms = now
        // The heaters' supply is metered every frame (what the element really draws: nothing when
        // it is open, its rating when its relay is stuck closed).
        if r.heaterPower_W.count != heaterPower_W.count { r.heaterPower_W = heaterPower_W } else {
            for m in heaterPower_W.indices { r.heaterPower_W[m] = heaterPower_W[m] }
        }
        r.blowerAirflow = blowerRunning
        let feedback = contactors.feedback
        r.mainPositiveClosed = feedback.mainPositive
        r.mainNegativeClosed = feedback.mainNegative
        r.prechargeClosed = feedback.precharge
        if sensors.current.isDue(at: now) {
            var truth = current_A
            var stuck = false
            for case .currentDrift(let rate) in active {
                truth += rate * PackSensors.drift(hours: now, faults: faults, kind: .currentDrift(amperes_per_h: rate))
            }
            for case .currentOffset(let a) in active { truth += a }
            for case .currentStuck in active { stuck = true }
            r.current_A = stuck ? sensors.current.hold(channel: 0) : sensors.current.read(truth, channel: 0)
            for case .currentStuckAt(let a) in active { r.current_A = a }
            var second = 0.0
            for s in 0..<stringCurrent_A.count {
                r.stringCurrents_A[s] = sensors.stringCurrents.read(stringCurrent_A[s], channel: s)
                second += r.stringCurrents_A[s]
            }
            r.secondCurrent_A = second
        }
        if sensors.packVoltage.isDue(at: now) {
            r.packVoltage_V = sensors.packVoltage.read(terminalVoltage_V, channel: 0)
            r.linkVoltage_V = sensors.linkVoltage.read(contactors.linkVoltage_V, channel: 0)
        }
        if sensors.cells.isDue(at: now) {
            let stuckCells = Set(active.compactMap { k -> Int? in
                if case .cellVoltageStuck(let i) = k { return i }
                return nil
            })
            for i in 0..<cellCount {
                r.cellVoltages_V[i] = stuckCells.contains(i) ? sensors.cells.hold(channel: i) : sensors.cells.read(cells[i].voltage, channel: i)
            }
            for kind in active {
                switch kind {
                case .cellVoltageOpenWire(let i) where i >= 0 && i < cellCount:
                    // The broken tap between cell i and i+1: the ADC sees 0 on one side and the two
                    // cells in series on the other.
                    let neighbour = i + 1 < cellCount ? i + 1 : i - 1
                    if neighbour >= 0 { r.cellVoltages_V[neighbour] += r.cellVoltages_V[i] }
                    r.cellVoltages_V[i] = 0
                case .cellVoltageDead(let i) where i >= 0 && i < cellCount:
                    r.cellVoltages_V[i] = 0
                case .cellVoltageInvalid(let i) where i >= 0 && i < cellCount:
                    r.cellVoltages_V[i] = .nan
                case .cellVoltageDrift(let i, let rate) where i >= 0 && i < cellCount:
                    r.cellVoltages_V[i] += rate * PackSensors.drift(hours: now, faults: faults, kind: kind)
                default:
                    break
                }
            }
        }
        if sensors.temperatures.isDue(at: now) {
            let edges = definition.thermal.edgeThermocouples
            let ambient = definition.thermal.ambient
            let position = ThermalDefinition.edgeThermocouplePosition
            for m in 0..<definition.moduleCount {
                // The centre thermocouple sits on the module's middle cell, the edge one on its
                // first: each also reads its cell's hot spot (a failed cell under it).
                let first = moduleBounds[m]
                let middle = (first + moduleBounds[m + 1]) / 2
                let centre = moduleTemperature_C[m]
                r.moduleTemperatures_C[m] = PackSensors.thermocouple(
                    truth: centre + cellHotSpot_K[middle], module: m, edge: false, bank: &sensors.temperatures, now: now, ambient: ambient,
                    active: active, faults: faults)
                if edges {
                    let edge = centre + position * (enclosureTemperature_C[m] - centre) + cellHotSpot_K[first]
                    r.edgeTemperatures_C[m] = PackSensors.thermocouple(
                        truth: edge, module: m, edge: true, bank: &sensors.edgeTemperatures, now: now, ambient: ambient, active: active,
                        faults: faults)
                } else {
                    r.edgeTemperatures_C[m] = .nan
                }
            }
        }
    }
}
