extension BatteryPack {
    /// Applies the one-shot effects of faults whose time has come (shorts, welds, contact loss).
    mutating func applyScheduledFaults() {
        while appliedFaultCount < faults.count, faults[appliedFaultCount].at_ms <= time_ms {
            let fault = faults[appliedFaultCount]
            appliedFaultCount += 1
            switch fault.kind {
            case .contactorWeld:
                contactors.welded = true
            case .contactorWeldClosed:
                contactors.welded = true
                if !contactors.isConnected { contactors.justConnected = true }
                contactors.mainPositiveClosed = true
                contactors.mainNegativeClosed = true
            case .cellShort(let cell, let resistance) where cell >= 0 && cell < cellCount:
                if let r = resistance {
                    cells[cell].failure = .fixedLeakage
                    cells[cell].equivalentFresh = false
                    cells[cell].leakage_ohm = max(r, 1e-6)
                    events.append(PlantEvent(time_ms: time_ms, kind: .cellLeakageStarted, index: cell, value: r))
                } else {
                    breach(cell)
                }
            case .contactLoss(let cell, let fraction) where cell >= 0 && cell < cellCount && fraction > 0 && fraction <= 1:
                cells[cell].contact = min(cells[cell].contact, fraction)
                cells[cell].updateLaneScales(masks)
                events.append(PlantEvent(time_ms: time_ms, kind: .contactLost, index: cell, value: fraction))
            default:
                break  // sensor and heater faults act while active, where they are read
            }
        }
    }
}
