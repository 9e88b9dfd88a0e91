/// Scratch space of one step, allocated once with the pack.
struct StepScratch: Sendable {
    // Per module.
    var bulk_ohm: [Double]
    var frontSlope_ohm: [Double]
    var ocvShift_V: [Double]
    var temperature_K: [Double]
    /// Element k of module m at [k * moduleCount + m].
    var elementR_ohm: [Double]
    var elementTau_s: [Double]
    var elementDecay: [Double]
    var interphaseRate: [Double]
    var strippingLimit: [Double]
    var criticalCurrent: [Double]
    var heat_J: [Double]
    var reversibleHeat_J: [Double]
    var balancingHeat_J: [Double]
    var frozen: [Bool]
    var currentWhileFrozen: [Bool]
    // Per cell.
    var cellModule: [Int]
    var e: [Double]
    var r: [Double]
    var g: [Double]
    var series: [Double]

    init(cellCount n: Int, moduleCount m: Int, elementCount k: Int) {
        bulk_ohm = Array(repeating: 0, count: m)
        frontSlope_ohm = Array(repeating: 0, count: m)
        ocvShift_V = Array(repeating: 0, count: m)
        temperature_K = Array(repeating: 0, count: m)
        elementR_ohm = Array(repeating: 0, count: k * m)
        elementTau_s = Array(repeating: 1, count: k * m)
        elementDecay = Array(repeating: 0, count: k * m)
        interphaseRate = Array(repeating: 0, count: m)
        strippingLimit = Array(repeating: .infinity, count: m)
        criticalCurrent = Array(repeating: .infinity, count: m)
        heat_J = Array(repeating: 0, count: m)
        reversibleHeat_J = Array(repeating: 0, count: m)
        balancingHeat_J = Array(repeating: 0, count: m)
        frozen = Array(repeating: false, count: m)
        currentWhileFrozen = Array(repeating: false, count: m)
        cellModule = (0..<n).map { $0 * m / n }
        // Module of cell i is the m with bounds[m] <= i < bounds[m + 1], bounds[m] = m n / M.
        for i in 0..<n {
            var mm = cellModule[i]
            while mm + 1 < m, (mm + 1) * n / m <= i { mm += 1 }
            while mm > 0, mm * n / m > i { mm -= 1 }
            cellModule[i] = mm
        }
        e = Array(repeating: 0, count: n)
        r = Array(repeating: 0, count: n)
        g = Array(repeating: 0, count: n)
        series = Array(repeating: 0, count: n)
    }
}

extension BatteryPack {
    /// Advances the plant by `duration_ms` with the pack current held constant.
    ///
    /// `requested_A` (positive = discharge) flows only while both main contactors are closed; a
    /// non-finite request is taken as 0. While precharging, the precharge current flows instead.
    public mutating func step(current requested_A: Double, duration_ms: Int64) {
        precondition(duration_ms > 0, "plant step must be positive")
        let dt = Double(duration_ms) / 1000
        applyScheduledFaults()
        prepareModules(dt: dt)

        // Pass 1: each string's Thevenin equivalent for this step (exact for the RC elements).
        let strings = definition.topology.stringsInParallel
        let perString = definition.topology.cellsPerString
        var stringE = [Double](repeating: 0, count: strings)
        var stringR = [Double](repeating: 0, count: strings)
        for s in 0..<strings {
            var e = 0.0
            var r = 0.0
            for i in (s * perString)..<((s + 1) * perString) {
                let (ei, ri) = cellEquivalentForStep(i)
                e += ei
                r += ri
            }
            stringE[s] = e
            stringR[s] = r
        }
        var gSum = 0.0
        var geSum = 0.0
        for s in 0..<strings {
            gSum += 1 / stringR[s]
            geSum += stringE[s] / stringR[s]
        }
        let openCircuit = geSum / gSum

        // Pack current: load, precharge or nothing; inrush when closing onto an uncharged link.
        let packCurrent = terminalCurrent(requested_A: requested_A, openCircuit_V: openCircuit, packResistance: 1 / gSum, dt: dt)
        let packV = (geSum - packCurrent) / gSum
        for s in 0..<strings {
            stringCurrent_A[s] = strings == 1 ? packCurrent : (stringE[s] - packV) / stringR[s]
        }

        // Pass 2: integrate every cell with its string's current.
        for m in 0..<definition.moduleCount {
            scratch.heat_J[m] = 0
            scratch.reversibleHeat_J[m] = 0
            scratch.balancingHeat_J[m] = 0
        }
        for s in 0..<strings {
            let iString = stringCurrent_A[s]
            for i in (s * perString)..<((s + 1) * perString) {
                advanceCell(i, stringCurrent: iString, dt: dt)
            }
        }
        time_ms += duration_ms
        current_A = packCurrent
        refreshTerminal()
        stepThermal(dt: dt)

        let e = current_A * terminalVoltage_V * dt / 3600
        if e > 0 { energy.dischargedOut_Wh += e } else { energy.chargedIn_Wh -= e }
    }

    /// Resistances, decays and rates of every module at its present temperature.
    mutating func prepareModules(dt: Double) {
        let c = definition.chemistry
        let mCount = definition.moduleCount
        let degrade = definition.degradationEnabled ? c.degradation : nil
        for m in 0..<mCount {
            let t = moduleTemperature_C[m]
            let freeze = c.freezeFactor(temperature_C: t)
            scratch.frozen[m] = freeze > 10
            scratch.temperature_K[m] = t + kelvinOffset
            scratch.bulk_ohm[m] = c.bulk.resistance_ohm(temperature_C: t) * freeze
            scratch.frontSlope_ohm[m] = (c.reactionFront?.slope_ohm(temperature_C: t) ?? 0) * freeze
            scratch.ocvShift_V[m] = c.ocvTemperatureCoefficient_V_per_K * (t - c.ocvReferenceTemperature_C)
            for (k, element) in c.elements.enumerated() {
                let r = element.resistance.resistance_ohm(temperature_C: t) * freeze
                let tau = max(r * element.capacitance_F, 1e-12)
                scratch.elementR_ohm[k * mCount + m] = r
                scratch.elementTau_s[k * mCount + m] = tau
                scratch.elementDecay[k * mCount + m] = PlantMath.exp(-dt / tau)
            }
            if let d = degrade {
                scratch.interphaseRate[m] = d.interphaseRate(temperature_C: t)
                scratch.strippingLimit[m] = d.criticalStrippingCurrent(temperature_C: t)
                scratch.criticalCurrent[m] = d.criticalCurrentDensity(temperature_C: t)
            }
        }
    }

    /// How the element's resistance scales with cell `i`'s interface state.
    @inline(__always)
    func stateFactor(_ kind: ImpedanceElement.Kind, cell i: Int) -> Double {
        switch kind {
        case .grainBoundary, .chargeTransfer, .generic: 1
        case .interface: 1 / cellContactFraction[i]
        case .interphase: cellInterphaseThickness_cm[i] / cellContactFraction[i]
        }
    }

    /// Cell i's Thevenin equivalent over a step of the length last prepared, exact for its RC
    /// elements: e = OCV - sum a_k v_k, r = R_series + sum (1 - a_k) R_k, and the conductance g of
    /// the paths across it (a leakage path, its balancing resistor).
    func cellEquivalent(_ i: Int) -> (e: Double, r: Double, g: Double, series: Double) {
        let electrics = definition.electrics
        var g = balancing[i] ? 1 / electrics.balancingResistance_ohm : 0
        switch cellFailure[i] {
        case .failedShort:
            return (0, electrics.failedShortResistance_ohm, 0, electrics.failedShortResistance_ohm)
        case .open:
            return (openCircuitVoltage(i), LeakageGrowth.open_ohm, g, LeakageGrowth.open_ohm)
        case .leakage(let rLeak, _):
            g += 1 / rLeak
        case .healthy:
            break
        }
        let m = scratch.cellModule[i]
        let mCount = definition.moduleCount
        let scale = cellResistanceScale[i]
        let series = (scratch.bulk_ohm[m] + scratch.frontSlope_ohm[m] * (1 - cellSoC[i])) * scale
        var e = openCircuitVoltage(i)
        var r = series
        let n = cellCount
        for (k, element) in definition.chemistry.elements.enumerated() {
            let a = scratch.elementDecay[k * mCount + m]
            let rk = scratch.elementR_ohm[k * mCount + m] * scale * stateFactor(element.kind, cell: i)
            e -= a * rcVoltage_V[k * n + i]
            r += (1 - a) * rk
        }
        return (e, r, g, series)
    }

    /// Cell i's equivalent seen at its terminals (parallel paths folded in); keeps the cell's own
    /// equivalent in scratch for the integration pass.
    private mutating func cellEquivalentForStep(_ i: Int) -> (e: Double, r: Double) {
        let c = cellEquivalent(i)
        scratch.e[i] = c.e
        scratch.r[i] = c.r
        scratch.g[i] = c.g
        scratch.series[i] = c.series
        let k = 1 + c.r * c.g
        return (c.e / k, c.r / k)
    }

    /// OCV of cell i at its present SoC and module temperature.
    func openCircuitVoltage(_ i: Int) -> Double {
        let c = definition.chemistry
        return c.ocv.voltage(atSoC: cellSoC[i]) + scratch.ocvShift_V[scratch.cellModule[i]]
    }

    /// Advances cell i by one step at its string's current.
    private mutating func advanceCell(_ i: Int, stringCurrent iString: Double, dt: Double) {
        let m = scratch.cellModule[i]
        let e = scratch.e[i]
        let r = scratch.r[i]
        let g = scratch.g[i]
        if cellFailure[i] == .failedShort {
            let v = iString * r
            cellVoltage_V[i] = v
            cellCurrent_A[i] = 0
            scratch.heat_J[m] += iString * iString * r * dt
            return
        }
        let k = 1 + r * g
        let vTerminal = e / k - iString * r / k
        let iCell = (e - vTerminal) / r
        cellCurrent_A[i] = iCell
        if g > 0 {
            let pParallel = vTerminal * vTerminal * g * dt
            if balancing[i] {
                let balancingShare = (1 / definition.electrics.balancingResistance_ohm) / g
                scratch.balancingHeat_J[m] += pParallel * balancingShare
                scratch.heat_J[m] += pParallel * (1 - balancingShare)
            } else {
                scratch.heat_J[m] += pParallel
            }
        }
        if scratch.frozen[m], abs(iCell) > 0.1 { scratch.currentWhileFrozen[m] = true }

        // RC elements: exact response to a constant current, and the exact heat in each resistor.
        let mCount = definition.moduleCount
        let n = cellCount
        let scale = cellResistanceScale[i]
        var rcSum = 0.0
        var heat = iCell * iCell * scratch.series[i] * dt
        if cellFailure[i] != .open {
            for (k, element) in definition.chemistry.elements.enumerated() {
                let rk = scratch.elementR_ohm[k * mCount + m] * scale * stateFactor(element.kind, cell: i)
                let a = scratch.elementDecay[k * mCount + m]
                let tau = scratch.elementTau_s[k * mCount + m]
                let v0 = rcVoltage_V[k * n + i]
                let vInf = iCell * rk
                let d = v0 - vInf
                let v1 = vInf + d * a
                if rk > 0 {
                    heat += (vInf * vInf * dt + 2 * vInf * d * tau * (1 - a) + d * d * tau / 2 * (1 - a * a)) / rk
                }
                rcVoltage_V[k * n + i] = v1
                rcSum += v1
            }
        }
        let tK = scratch.temperature_K[m]
        let reversible = -iCell * tK * definition.chemistry.ocvTemperatureCoefficient_V_per_K * dt
        scratch.heat_J[m] += heat
        scratch.reversibleHeat_J[m] += reversible

        // Charge: the electrochemical current plus self-discharge.
        let capacity = cellCapacity_Ah(i)
        cellSoC[i] -= iCell * dt / (3600 * capacity) + cellSelfDischarge_per_s[i] * dt
        if case .leakage(let rLeak, let fixed) = cellFailure[i], !fixed {
            let grown = max(LeakageGrowth.final_ohm, rLeak * PlantMath.exp(-dt / LeakageGrowth.tau_s))
            cellFailure[i] = .leakage(resistance_ohm: grown, fixed: false)
        }
        if definition.degradationEnabled, let d = definition.chemistry.degradation, cellFailure[i] == .healthy {
            degrade(i, module: m, current: iCell, rates: d, dt: dt)
        }
        cellVoltage_V[i] = cellFailure[i] == .open ? e - iCell * r : openCircuitVoltage(i) - iCell * scratch.series[i] - rcSum
    }

    /// Recomputes terminal voltages and the pack's Thevenin equivalent for a step of the length
    /// last taken (what `current(forPower:)` solves on).
    mutating func refreshTerminal() {
        let strings = definition.topology.stringsInParallel
        let perString = definition.topology.cellsPerString
        var gSum = 0.0
        var geSum = 0.0
        for s in 0..<strings {
            var e = 0.0
            var r = 0.0
            var v = 0.0
            for i in (s * perString)..<((s + 1) * perString) {
                v += cellVoltage_V[i]
                let c = cellEquivalent(i)
                let k = 1 + c.r * c.g
                e += c.e / k
                r += c.r / k
            }
            stringVoltage_V[s] = v
            gSum += 1 / r
            geSum += e / r
        }
        packOpenCircuit_V = geSum / gSum
        packResistance_ohm = 1 / gSum
        terminalVoltage_V = strings == 1 ? stringVoltage_V[0] : (geSum - current_A) / gSum
        if contactors.isConnected { contactors.linkVoltage_V = terminalVoltage_V }
    }
}
