extension BatteryPack {
    /// Interfacial degradation of a healthy cell over one step at its own current and module
    /// temperature (REFERENCE section 3): stripping voids and their recovery, and the dendrite
    /// short hazard above the CCD, whose integral is the cell's dendrite damage. Returns true when
    /// the damage passed the cell's threshold this step. (The interphase grows at the ageing
    /// tick, `age(over:)`.)
    static func degrade(
        _ c: inout CellState, module s: ModuleStep, current iCell: Double, rates d: DegradationRates,
        masks: ElementMasks, dt: Double
    ) -> Bool {
        // mA/cm2; positive = discharge = sodium stripped from the anode, negative = plated.
        let j = iCell * d.milliamperesPerSquareCentimetrePerAmpere
        let before = c.contact
        var f = c.contact
        let strippingLimit = s.strippingLimit * c.strippingFactor
        if j > strippingLimit {
            f -= d.contactLoss_per_s * (j / strippingLimit - 1) * f * dt
        } else if j < 0, f < 1 {
            f += d.contactRecovery_per_s * (-j) * (1 - f) * dt
        }
        c.contact = min(1, max(0.02, f))
        if c.contact != before { c.updateLaneScales(masks) }
        var breached = false
        c.hazard_per_h = 0
        // Current focusing: the local current density is the apparent one over the contact
        // (compared as -j > CCD f to spare a division on the common path).
        let criticalCurrent = s.criticalCurrent * c.criticalCurrentFactor
        if j < 0, -j > criticalCurrent * c.contact {
            let local = -j / c.contact
            c.hazard_per_h = d.shortHazard_per_h * (local / criticalCurrent - 1)
            c.dendriteDamage += c.hazard_per_h * dt / 3600
            breached = c.dendriteDamage >= c.dendriteThreshold
        }
        return breached
    }

    /// Counts the cell's charge throughput (cycle fade reads it at the ageing tick).
    @inline(__always)
    static func countThroughput(_ c: inout CellState, current iCell: Double, dt: Double) {
        c.throughput_As += abs(iCell) * dt
    }

    /// The rates of `InterfaceDegradation` a step needs, in per-second units (hoisted out of the loop).
    struct DegradationRates {
        var contactLoss_per_s: Double
        var contactRecovery_per_s: Double
        var shortHazard_per_h: Double
        var fadePerCycle: Double
        /// 1000 / electrolyte area: mA/cm2 per A.
        var milliamperesPerSquareCentimetrePerAmpere: Double

        /// Whether anything can happen at the interface within a step (voids, recovery,
        /// dendrites); a molten-sodium cell only fades and delaminates, and the interphase grows
        /// at the ageing tick.
        var interfaceActive: Bool

        init(_ d: InterfaceDegradation, area_cm2: Double) {
            milliamperesPerSquareCentimetrePerAmpere = 1000 / area_cm2
            interfaceActive = d.contactLossRate_per_h > 0 || d.contactRecoveryRate_per_h > 0 || d.shortHazard_per_h > 0
            contactLoss_per_s = d.contactLossRate_per_h / 3600
            contactRecovery_per_s = d.contactRecoveryRate_per_h / 3600
            shortHazard_per_h = d.shortHazard_per_h
            fadePerCycle = d.capacityFadePerCycle
        }
    }

    /// The electrolyte of cell `i` is breached: it fails the way its chemistry fails.
    mutating func breach(_ i: Int) {
        cells[i].equivalentFresh = false
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
