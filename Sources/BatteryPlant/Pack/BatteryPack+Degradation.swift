extension BatteryPack {
    /// Interfacial degradation of healthy cell `i` over one step at its own current and module
    /// temperature (REFERENCE section 3): interphase growth, stripping voids and their recovery,
    /// the dendrite short hazard above the CCD, and capacity fade by throughput.
    mutating func degrade(_ i: Int, module m: Int, current iCell: Double, rates d: InterfaceDegradation, dt: Double) {
        let area = definition.chemistry.electrolyteArea_cm2
        // mA/cm2; positive = discharge = sodium stripped from the anode, negative = plated.
        let j = iCell * 1000 / area
        let kp = scratch.interphaseRate[m]
        if kp > 0 {
            let delta = cellInterphaseThickness_cm[i]
            cellInterphaseThickness_cm[i] = (delta * delta + 2 * kp * dt).squareRoot()
        }
        var f = cellContactFraction[i]
        let jStrip = scratch.strippingLimit[m]
        if j > jStrip {
            f -= d.contactLossRate_per_h * (j / jStrip - 1) * f * dt / 3600
        } else if j < 0 {
            f += d.contactRecoveryRate_per_h * (-j) * (1 - f) * dt / 3600
        }
        f = min(1, max(0.02, f))
        cellContactFraction[i] = f
        var hazard = 0.0
        if j < 0 {
            // Current focusing: the local current density is the apparent one over the contact.
            let local = -j / f
            let ccd = scratch.criticalCurrent[m]
            if local > ccd {
                hazard = d.shortHazard_per_h * (local / ccd - 1)
                if degradationRandom.uniform() < hazard * dt / 3600 { breach(i) }
            }
        }
        cellShortHazard_per_h[i] = hazard
        cellCapacityFade[i] += d.capacityFadePerCycle * abs(iCell) * dt / (2 * 3600 * cellInitialCapacity_Ah[i])
    }

    /// The electrolyte of cell `i` is breached: it fails the way its chemistry fails.
    mutating func breach(_ i: Int) {
        switch definition.chemistry.failureMode {
        case .short:
            cellFailure[i] = .failedShort
            events.append(PlantEvent(time_ms: time_ms, kind: .cellShorted, index: i, value: 0))
        case .open:
            cellFailure[i] = .open
            events.append(PlantEvent(time_ms: time_ms, kind: .cellFailedOpen, index: i, value: LeakageGrowth.open_ohm))
        case .leakage:
            cellFailure[i] = .leakage(resistance_ohm: LeakageGrowth.initial_ohm, fixed: false)
            events.append(PlantEvent(time_ms: time_ms, kind: .cellLeakageStarted, index: i, value: LeakageGrowth.initial_ohm))
        }
    }

    /// Contact lost by every healthy cell of module `m` (delamination, freeze-thaw).
    mutating func loseContact(module m: Int, fraction: Double) {
        guard fraction > 0 else { return }
        for i in moduleBounds[m]..<moduleBounds[m + 1] where cellFailure[i] == .healthy {
            cellContactFraction[i] = max(0.02, cellContactFraction[i] * (1 - fraction))
        }
    }
}
