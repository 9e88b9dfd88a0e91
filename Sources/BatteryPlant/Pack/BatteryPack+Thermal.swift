extension BatteryPack {
    /// Heater power of module `m` at its duty, after heater faults, W.
    func heaterOutput(module m: Int) -> Double {
        if heatersFedFromPack && !contactors.isConnected { return 0 }
        let rating = definition.thermal.heaterPower_W
        for f in faults where f.isActive(at: time_ms) {
            switch f.kind {
            case .heaterOpen(let module) where module == m: return 0
            case .heaterStuckOn(let module) where module == m: return rating
            default: continue
            }
        }
        let duty = heaterDuty[m].isFinite ? min(1, max(0, heaterDuty[m])) : 0
        return duty * rating
    }

    /// Whether the blower moves air now: its command, unless it has failed or is stuck on.
    func blowerMovesAir() -> Bool {
        guard definition.thermal.blowerConductance_W_per_K > 0 else { return false }
        var running = blowerCommand
        for f in faults where f.isActive(at: time_ms) {
            if f.kind == .blowerFailed { return false }
            if f.kind == .blowerStuckOn { running = true }
        }
        return running
    }

    /// Moves every module's two thermal nodes by one step and books the energy.
    mutating func stepThermal(dt: Double) {
        // Scalars, not `definition.thermal` and `.chemistry` whole (a copy of the definition and
        // its retains every step).
        let isothermal = definition.thermal.isothermal
        let cellHeatCapacity_J_per_K = definition.chemistry.heatCapacity_J_per_K
        let enclosureHeatCapacity_J_per_K = definition.thermal.enclosureHeatCapacity_J_per_K
        let coupling_W_per_K = definition.thermal.cellsToEnclosure_W_per_K
        let insulation_W_per_K = definition.thermal.insulation_W_per_K
        let blower_W_per_K = definition.thermal.blowerConductance_W_per_K
        let ambient = definition.thermal.ambient.temperature_C(at: time_ms)
        blowerRunning = blowerMovesAir()
        for m in 0..<definition.moduleCount {
            let heater = heaterOutput(module: m)
            heaterPower_W[m] = heater
            let cellHeat_J = modules[m].heat_J + modules[m].reversibleHeat_J + modules[m].balancingHeat_J
            energy.heater_Wh += heater * dt / 3600
            energy.balancing_Wh += modules[m].balancingHeat_J / 3600
            energy.joule_Wh += modules[m].heat_J / 3600
            energy.reversible_Wh += modules[m].reversibleHeat_J / 3600
            guard !isothermal else {
                energy.insulationLoss_Wh += (cellHeat_J + heater * dt) / 3600
                continue
            }
            let cells = Double(moduleBounds[m + 1] - moduleBounds[m])
            let model = TwoNodeThermal(
                cellsHeatCapacity_J_per_K: cells * cellHeatCapacity_J_per_K,
                enclosureHeatCapacity_J_per_K: enclosureHeatCapacity_J_per_K,
                coupling_W_per_K: coupling_W_per_K, insulation_W_per_K: insulation_W_per_K,
                cooling_W_per_K: blowerRunning ? blower_W_per_K : 0)
            let tc0 = moduleTemperature_C[m]
            let te0 = enclosureTemperature_C[m]
            let next = model.step(cells: tc0, enclosure: te0, ambient: ambient, heatIntoCells_W: cellHeat_J / dt + heater, dt: dt)
            moduleTemperature_C[m] = next.cells
            enclosureTemperature_C[m] = next.enclosure
            energy.insulationLoss_Wh += next.lost_J / 3600
            energy.stored_Wh += (model.cellsHeatCapacity_J_per_K * (next.cells - tc0) + model.enclosureHeatCapacity_J_per_K * (next.enclosure - te0)) / 3600
            trackCycles(module: m)
        }
    }

    /// Thermal half-cycles (delamination from the CTE mismatch, fracture damage), freeze-thaw
    /// (contact loss, fracture damage) and frozen cycling.
    private mutating func trackCycles(module m: Int) {
        let t = moduleTemperature_C[m]
        let deg = definition.degradationEnabled ? definition.chemistry.degradation : nil
        let ageing = definition.degradationEnabled ? definition.chemistry.ageing : nil
        if let swing = thermalTrackers[m].update(t, threshold: HalfCycleTracker.thermalThreshold_K) {
            thermalCycles[m] += 0.5
            if let d = deg {
                loseContact(module: m, fraction: d.delaminationPer100KCycle * (swing / 100) * (swing / 100) / 2)
            }
            if let a = ageing { addFractureDamage(module: m, a.fracturePer100KHalfCycle * (swing / 100) * (swing / 100)) }
        }
        guard let freezing = definition.chemistry.freezing else { return }
        let wasFrozen = freezeState[m]
        if !wasFrozen, t < freezing.point_C - 1 {
            freezeState[m] = true
            events.append(PlantEvent(time_ms: time_ms, kind: .froze, index: m, value: t))
        } else if wasFrozen, t > freezing.point_C + 1 {
            freezeState[m] = false
            freezeThawCycles[m] += 1
            events.append(PlantEvent(time_ms: time_ms, kind: .thawed, index: m, value: t))
            if let d = deg { loseContact(module: m, fraction: d.freezeThawContactLoss) }
            if let a = ageing { addFractureDamage(module: m, a.fracturePerFreezeThaw) }
        }
        if modules[m].currentWhileFrozen {
            modules[m].currentWhileFrozen = false
            if !frozenCyclingReported[m] {
                frozenCyclingReported[m] = true
                events.append(PlantEvent(time_ms: time_ms, kind: .cycledWhileFrozen, index: m, value: t))
                // Forcing current through a frozen melt cracks the cell (a proposal): 10 % contact.
                if deg != nil { loseContact(module: m, fraction: 0.1) }
            }
        } else if !freezeState[m] {
            frozenCyclingReported[m] = false
        }
    }
}
