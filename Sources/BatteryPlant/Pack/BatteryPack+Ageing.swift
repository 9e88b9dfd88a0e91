extension BatteryPack {
    /// Plant time between ageing ticks, s: the slow mechanisms (interphase growth, calendar and
    /// cycle fade, resistance growth) are applied in one exact step per tick rather than per
    /// control step. Their rates change over hours; a tick of 10 s errs by far less than the
    /// rates are known.
    static let ageingInterval_s = 10.0

    /// Applies the slow mechanisms to every healthy cell over `dt` seconds (docs/plant.md
    /// "Ageing"): the interphase grows parabolically at the module's temperature; calendar fade
    /// at the module's temperature and the cell's SoC; cycle fade at each closed half-cycle of
    /// the cell's SoC; the non-interface resistances grow with the capacity lost; the integration
    /// capacity follows.
    mutating func age(over dt: Double) {
        guard definition.degradationEnabled else { return }
        let c = definition.chemistry
        let law = c.ageing
        let fadePerCycle = c.degradation?.capacityFadePerCycle ?? 0
        guard law != nil || fadePerCycle > 0 || modules.contains(where: { $0.interphaseRate > 0 }) else { return }
        let masks = self.masks
        for m in modules.indices {
            let t = moduleTemperature_C[m]
            let interphaseRate = modules[m].interphaseRate
            let cycleFactor = law?.cycleTemperatureFactor(temperature_C: t) ?? 1
            for i in moduleBounds[m]..<moduleBounds[m + 1] where cells[i].failure == .healthy {
                var changed = false
                if interphaseRate > 0 {
                    let d = cells[i].interphase_cm
                    cells[i].interphase_cm = (d * d + 2 * interphaseRate * cells[i].interphaseRateFactor * dt).squareRoot()
                    changed = true
                }
                var lost = 0.0
                if let law {
                    lost += law.calendarRate(temperature_C: t, soc: cells[i].soc) * dt
                }
                if fadePerCycle > 0 {
                    let charge = cells[i].throughput_As - cells[i].throughputAtTick
                    cells[i].throughputAtTick = cells[i].throughput_As
                    let cRate = charge / dt / cells[i].initialCapacity_Ah
                    cells[i].pendingCycleCharge_As += charge * cycleFactor * (law?.cRateFactor(cRate) ?? 1)
                    if let depth = cells[i].socCycles.update(cells[i].soc, threshold: HalfCycleTracker.socThreshold) {
                        let cycles = cells[i].pendingCycleCharge_As / (2 * 3600 * cells[i].initialCapacity_Ah)
                        lost += fadePerCycle * cycles * (law?.depthFactor(depth) ?? 1)
                        cells[i].pendingCycleCharge_As = 0
                    }
                }
                if lost > 0 {
                    cells[i].fade = min(0.95, cells[i].fade + lost)
                    cells[i].updateCapacity()
                    if let law {
                        // Capacity lost since the cell was built, against the nameplate.
                        let total = 1 - (1 - cells[i].initialFade) * (1 - cells[i].fade)
                        cells[i].resistanceAgeing = 1 + law.resistanceGrowthPerFade * total
                        changed = true
                    }
                }
                if changed { cells[i].updateLaneScales(masks) }
            }
        }
    }

    /// Adds fracture damage to every healthy cell of module `m` and breaks those past their
    /// strength (`AgeingLaw`): `damage` per cell.
    mutating func addFractureDamage(module m: Int, _ damage: Double) {
        guard damage > 0 else { return }
        for i in moduleBounds[m]..<moduleBounds[m + 1] where cells[i].failure == .healthy {
            cells[i].fractureDamage += damage
            if cells[i].fractureDamage >= cells[i].strength {
                events.append(PlantEvent(time_ms: time_ms, kind: .fractured, index: i, value: cells[i].fractureDamage))
                breach(i)
            }
        }
    }
}
