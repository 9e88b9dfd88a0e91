extension BatteryPack {
    /// The pack current of this step given the contactor state, and the DC link's new voltage.
    ///
    /// Connected: the requested load current, plus the average of an inrush when the mains close
    /// onto a link that was not precharged (recorded with its peak). Precharging: the link charges
    /// through the precharge resistor (exact RC response). Disconnected: no current; the link
    /// discharges through its bleed resistor.
    mutating func terminalCurrent(requested_A: Double, openCircuit_V: Double, packResistance: Double, dt: Double) -> Double {
        let e = definition.electrics
        let link = contactors.linkVoltage_V
        var linkShorted = false
        var resistorOpen = false
        for f in faults where f.isActive(at: time_ms) {
            if f.kind == .dcLinkShort { linkShorted = true }
            if f.kind == .prechargeResistorOpen { resistorOpen = true }
        }
        if linkShorted {
            // The link cannot hold a voltage: the precharge resistor, or the mains and 10 mOhm of
            // fault path, carry what the pack drives into it.
            contactors.linkVoltage_V = 0
            contactors.justConnected = false
            if contactors.isConnected { return openCircuit_V / (packResistance + 0.01) }
            if contactors.isPrecharging, !resistorOpen { return openCircuit_V / e.prechargeResistance_ohm }
            return 0
        }
        if contactors.isConnected {
            var current = requested_A.isFinite ? requested_A : 0
            let gap = openCircuit_V - link
            if contactors.justConnected, abs(gap) > 1, e.linkCapacitance_F > 1e-9 {
                // The link is charged from the pack in far less than a step: pass its charge as an
                // average current and record the peak gap / (pack resistance + contact resistance).
                let peak = gap / (packResistance + 0.01)
                events.append(PlantEvent(time_ms: time_ms, kind: .inrush, index: -1, value: peak))
                current += e.linkCapacitance_F * gap / dt
            }
            contactors.justConnected = false
            return current
        }
        if contactors.isPrecharging, !resistorOpen {
            let tau = e.prechargeResistance_ohm * e.linkCapacitance_F
            let newLink = openCircuit_V + (link - openCircuit_V) * PlantMath.exp(-dt / tau)
            contactors.linkVoltage_V = newLink
            return e.linkCapacitance_F * (newLink - link) / dt
        }
        contactors.linkVoltage_V = link * PlantMath.exp(-dt / (e.linkBleedResistance_ohm * e.linkCapacitance_F))
        return 0
    }
}

extension BatteryPack {
    /// The pack currents (positive = discharge) that keep the terminal voltage within `window`
    /// over a step of the last length, from the pack's Thevenin equivalent (V = E - I R, exact
    /// for a constant current). The range always holds 0; it is 0...0 when the contactors are
    /// open or the open-circuit voltage already lies outside the window (a converter cannot
    /// operate on such a bus).
    public func currentRange(keepingTerminalVoltageWithin window: ClosedRange<Double>) -> ClosedRange<Double> {
        let e = packOpenCircuit_V
        let r = packResistance_ohm
        guard contactors.isConnected, r > 0, window.contains(e) else { return 0...0 }
        return (e - window.upperBound) / r...(e - window.lowerBound) / r
    }
}
