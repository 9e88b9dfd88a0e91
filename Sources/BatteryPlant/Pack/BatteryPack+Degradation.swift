extension BatteryPack {
    /// Interfacial degradation of a healthy cell over one step at its own current and module
    /// temperature (REFERENCE section 3): interphase growth, stripping voids and their recovery,
    /// the dendrite short hazard above the CCD, and capacity fade by throughput. Returns true when
    /// the hazard turned into a breach this step.
    static func degrade(
        _ c: inout CellState, module s: ModuleStep, current iCell: Double, area: Double, rates d: InterfaceDegradation,
        masks: ElementMasks, dt: Double, random: inout SeededRandom
    ) -> Bool {
        // mA/cm2; positive = discharge = sodium stripped from the anode, negative = plated.
        let j = iCell * 1000 / area
        let before = (c.contact, c.interphase_cm)
        if s.interphaseRate > 0 {
            c.interphase_cm = (c.interphase_cm * c.interphase_cm + 2 * s.interphaseRate * dt).squareRoot()
        }
        var f = c.contact
        if j > s.strippingLimit {
            f -= d.contactLossRate_per_h * (j / s.strippingLimit - 1) * f * dt / 3600
        } else if j < 0, f < 1 {
            f += d.contactRecoveryRate_per_h * (-j) * (1 - f) * dt / 3600
        }
        c.contact = min(1, max(0.02, f))
        if c.contact != before.0 || c.interphase_cm != before.1 { c.updateLaneScales(masks) }
        var breached = false
        c.hazard_per_h = 0
        if j < 0 {
            // Current focusing: the local current density is the apparent one over the contact.
            let local = -j / c.contact
            if local > s.criticalCurrent {
                c.hazard_per_h = d.shortHazard_per_h * (local / s.criticalCurrent - 1)
                breached = random.uniform() < c.hazard_per_h * dt / 3600
            }
        }
        if d.capacityFadePerCycle > 0 {
            c.fade += d.capacityFadePerCycle * abs(iCell) * dt / (2 * 3600 * c.initialCapacity_Ah)
            c.capacity_Ah = c.initialCapacity_Ah * (1 - c.fade)
        }
        return breached
    }

    /// The electrolyte of cell `i` is breached: it fails the way its chemistry fails.
    mutating func breach(_ i: Int) {
        switch definition.chemistry.failureMode {
        case .short:
            cells[i].failure = .failedShort
            events.append(PlantEvent(time_ms: time_ms, kind: .cellShorted, index: i, value: 0))
        case .open:
            cells[i].failure = .open
            events.append(PlantEvent(time_ms: time_ms, kind: .cellFailedOpen, index: i, value: LeakageGrowth.open_ohm))
        case .leakage:
            cells[i].failure = .leakage
            cells[i].leakage_ohm = LeakageGrowth.initial_ohm
            events.append(PlantEvent(time_ms: time_ms, kind: .cellLeakageStarted, index: i, value: LeakageGrowth.initial_ohm))
        }
    }

    /// Contact lost by every healthy cell of module `m` (delamination, freeze-thaw).
    mutating func loseContact(module m: Int, fraction: Double) {
        guard fraction > 0 else { return }
        for i in moduleBounds[m]..<moduleBounds[m + 1] where cells[i].failure == .healthy {
            cells[i].contact = max(0.02, cells[i].contact * (1 - fraction))
            cells[i].updateLaneScales(masks)
        }
    }
}
