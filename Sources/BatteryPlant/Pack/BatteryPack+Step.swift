extension BatteryPack {
    /// Advances the plant by `duration_ms` with the pack current held constant.
    ///
    /// `requested_A` (positive = discharge) flows only while both main contactors are closed; a
    /// non-finite request is taken as 0. While precharging, the precharge current flows instead.
    ///
    /// Pass 1 forms each string's Thevenin equivalent for the step (exact for the RC elements:
    /// e = OCV - sum a_k v_k, r = R_series + sum (1 - a_k) R_k, with any path across a cell folded
    /// in); the strings' common voltage then sets each string's current. Pass 2 integrates every
    /// cell at its string's current and forms the equivalent for the next step.
    public mutating func step(current requested_A: Double, duration_ms: Int64) {
        precondition(duration_ms > 0, "plant step must be positive")
        let dt = Double(duration_ms) / 1000
        applyScheduledFaults()
        prepareModules(dt: dt)
        // One string carries the pack current whatever its equivalent: pass 1 is only needed to
        // split the current between parallel strings. (The precharge and inrush use the pack
        // equivalent left by the last step.)
        let strings = stringE.count
        if strings > 1 { formStringEquivalents() }

        var gSum = 0.0
        var geSum = 0.0
        for s in stringE.indices {
            gSum += 1 / stringR[s]
            geSum += stringE[s] / stringR[s]
        }
        let packCurrent = terminalCurrent(requested_A: requested_A, openCircuit_V: geSum / gSum, packResistance: 1 / gSum, dt: dt)
        let packV = (geSum - packCurrent) / gSum
        for s in 0..<strings {
            stringCurrent_A[s] = strings == 1 ? packCurrent : (stringE[s] - packV) / stringR[s]
        }

        for m in modules.indices {
            modules[m].heat_J = 0
            modules[m].reversibleHeat_J = 0
            modules[m].balancingHeat_J = 0
        }
        integrateCells(dt: dt, formEquivalents: strings == 1)
        time_ms += duration_ms
        current_A = packCurrent
        finishTerminal()
        stepThermal(dt: dt)
        sinceAgeing_s += dt
        if sinceAgeing_s >= Self.ageingInterval_s {
            age(over: sinceAgeing_s)
            sinceAgeing_s = 0
        }

        let e = current_A * terminalVoltage_V * dt / 3600
        if e > 0 { energy.dischargedOut_Wh += e } else { energy.chargedIn_Wh -= e }
    }

    /// Resistances, decays and rates of every module at its present temperature. They are
    /// re-evaluated when the step length changes or the module has moved by more than 10 mK since
    /// (a relative error below 1e-4 in any resistance, like a 10 mK error in the temperature;
    /// sensors resolve 0.1 K).
    ///
    /// The charge-transfer element follows Butler-Volmer kinetics (symmetric, alpha = 0.5): its
    /// overpotential is 2 V_T asinh(I / 2 I0) with the exchange current I0 = V_T / R_ct, so its
    /// resistance is R_ct asinh(x) / x, x = I R_ct / (2 V_T), at the string's current of the
    /// step before (one step behind: 100 ms against time constants of seconds); its double-layer
    /// capacitance stays, so its time constant follows. At 1 C a ZEBRA cell's charge transfer is
    /// about a quarter below its small-signal value.
    mutating func prepareModules(dt: Double) {
        let c = definition.chemistry
        let degrade = definition.degradationEnabled ? c.degradation : nil
        let chargeTransfer = c.elements.firstIndex { $0.kind == .chargeTransfer }
        let stringCurrent = stringCurrent_A.reduce(0) { $0 + abs($1) } / Double(max(1, stringCurrent_A.count))
        for m in modules.indices {
            let t = moduleTemperature_C[m]
            var kinetics = 1.0
            if let k = chargeTransfer, stringCurrent > 0 {
                let r = c.elements[k].resistance.resistance_ohm(temperature_C: t) * c.freezeFactor(temperature_C: t)
                let x = stringCurrent * r / (2 * boltzmannEV * (t + kelvinOffset))
                kinetics = x < 1e-6 ? 1 : PlantMath.log(x + (x * x + 1).squareRoot()) / x
            }
            if modules[m].evaluatedAt_dt == dt, abs(modules[m].evaluatedAt_C - t) <= 0.01, abs(modules[m].butlerVolmer - kinetics) <= 1e-4 {
                modules[m].reevaluated = false
                continue
            }
            modules[m].reevaluated = true
            modules[m].evaluatedAt_dt = dt
            modules[m].evaluatedAt_C = t
            modules[m].butlerVolmer = kinetics
            let freeze = c.freezeFactor(temperature_C: t)
            var s = modules[m]
            s.frozen = freeze > 10
            s.temperature_K = t + kelvinOffset
            s.bulk_ohm = c.bulk.resistance_ohm(temperature_C: t) * freeze
            s.frontSlope_ohm = (c.reactionFront?.slope_ohm(temperature_C: t) ?? 0) * freeze
            s.ocvShift_V = c.ocvTemperatureCoefficient_V_per_K * (t - c.ocvReferenceTemperature_C)
            s.selfDischargePerVolt = c.selfDischarge_per_day > 0 ? c.selfDischargeFactorPerVolt(temperature_C: t) : 0
            for (k, element) in c.elements.enumerated() {
                let r = element.resistance.resistance_ohm(temperature_C: t) * freeze * (k == chargeTransfer ? kinetics : 1)
                let tau = max(r * element.capacitance_F, 1e-12)
                s.elementR[k] = r
                s.inverseElementR[k] = r > 0 ? 1 / r : 0
                s.tau[k] = tau
                s.decay[k] = PlantMath.exp(-dt / tau)
            }
            // The fast path's coefficients (cells that carry their string's current).
            let one = SIMD4<Double>(repeating: 1)
            let tauShare = s.tau * (one - s.decay)
            s.response = (one - s.decay) * s.elementR
            s.integralPerCurrent = s.elementR * (SIMD4(repeating: dt) - tauShare)
            s.integralPerVoltage = tauShare
            s.halfCapacitance = 0.5 * s.tau * s.inverseElementR
            if let d = degrade {
                s.interphaseRate = d.interphaseRate(temperature_C: t)
                s.strippingLimit = d.criticalStrippingCurrent(temperature_C: t)
                s.criticalCurrent = d.criticalCurrentDensity(temperature_C: t)
            }
            modules[m] = s
        }
    }

    /// Cell `c`'s own Thevenin equivalent over a step, and the conductance of the paths across it
    /// (a leakage path, its balancing resistor).
    @inline(__always)
    static func equivalent(
        of c: CellState, module s: ModuleStep, balancingConductance gb: Double, electrics: PackElectrics
    ) -> (e: Double, r: Double, g: Double, series: Double) {
        switch c.failure {
        case .failedShort:
            return (0, electrics.failedShortResistance_ohm, 0, electrics.failedShortResistance_ohm)
        case .open:
            return (c.ocv + s.ocvShift_V, LeakageGrowth.open_ohm, gb, LeakageGrowth.open_ohm)
        case .healthy, .leakage, .fixedLeakage:
            let g = c.failure == .healthy ? gb : gb + 1 / c.leakage_ohm
            let series = c.seriesResistance(bulk: s.bulk_ohm, frontSlope: s.frontSlope_ohm)
            let rk = s.elementR * c.laneScale
            let e = c.ocv + s.ocvShift_V - (s.decay * c.rc).sum()
            let r = series + ((1 - s.decay) * rk).sum()
            return (e, r, g, series)
        }
    }

    /// Pass 1 (parallel strings only): each string's equivalent for the coming step. Cells that
    /// carry their string's current are summed per run of cells sharing a module (e = sum OCV +
    /// n shift - sum a_k v_k, r = sum R_series + sum (1 - a_k) R_k laneScale); the others form their
    /// own equivalent, kept in their scratch for pass 2.
    private mutating func formStringEquivalents() {
        let perString = definition.topology.cellsPerString
        let electrics = definition.electrics
        let gBalancing = 1 / electrics.balancingResistance_ohm
        let cellModule = self.cellModule
        let generalOnly = generalPathOnly
        var sumE = stringE
        var sumR = stringR
        modules.withUnsafeBufferPointer { mods in
            balancing.withUnsafeBufferPointer { bal in
                cells.withUnsafeMutableBufferPointer { cs in
                    for s in sumE.indices {
                        var e = 0.0
                        var r = 0.0
                        var count = 0.0
                        var ocv = 0.0
                        var series = 0.0
                        var v: SIMD4<Double> = .zero
                        var laneScale: SIMD4<Double> = .zero
                        var blockModule = -1
                        func flush() {
                            guard blockModule >= 0, count > 0 else { return }
                            let mod = mods[blockModule]
                            e += ocv + count * mod.ocvShift_V - (mod.decay * v).sum()
                            r += series + ((1 - mod.decay) * mod.elementR * laneScale).sum()
                        }
                        for i in (s * perString)..<((s + 1) * perString) {
                            let m = cellModule[i]
                            if m != blockModule {
                                flush()
                                (count, ocv, series, v, laneScale) = (0, 0, 0, .zero, .zero)
                                blockModule = m
                            }
                            let mod = mods[m]
                            if !generalOnly, cs[i].failure == .healthy, !bal[i] {
                                // Field by field (no copy of the whole cell and its layers).
                                count += 1
                                ocv += cs[i].ocv
                                series += (mod.bulk_ohm + mod.frontSlope_ohm * cs[i].frontDepth) * cs[i].scale
                                v += cs[i].rc
                                laneScale += cs[i].laneScale
                                continue
                            }
                            let q = Self.equivalent(of: cs[i], module: mod, balancingConductance: bal[i] ? gBalancing : 0, electrics: electrics)
                            cs[i].e = q.e
                            cs[i].r = q.r
                            cs[i].g = q.g
                            cs[i].series = q.series
                            let t = Self.atTerminals(q)
                            e += t.e
                            r += t.r
                        }
                        flush()
                        sumE[s] = e
                        sumR[s] = r
                    }
                }
            }
        }
        stringE = sumE
        stringR = sumR
    }

    /// Constants of pass 2, shared by every cell.
    struct StepConstants {
        var dt: Double
        var dEdT: Double
        var gBalancing: Double
        var leakageDecay: Double
        var electrics: PackElectrics
        var masks: ElementMasks
        var ocv: OCVCurve
        var degrades: Bool
        var rates: DegradationRates
        /// The chemistry's survivable SoC (infinite without a bound).
        var socFloor: Double
        var socCeiling: Double
        /// The reaction front's zone width (ZEBRA; 0 without a front).
        var frontZoneWidth: Double
    }

    /// What one cell's integration leaves for the module and the string.
    struct CellOutcome {
        var heat_J = 0.0
        var reversible_J = 0.0
        var balancing_J = 0.0
        var currentWhileFrozen = false
        var breached = false
        /// Driven past the chemistry's survivable SoC.
        var exhausted = false
        var nextE = 0.0
        var nextR = 0.0
    }

    /// Sums over a run of cells of one string in one module that carry the string current.
    struct BlockSums {
        var count = 0.0
        var series = 0.0
        var laneScale: SIMD4<Double> = .zero
        var v0: SIMD4<Double> = .zero
        var v1: SIMD4<Double> = .zero
        var energyChange: SIMD4<Double> = .zero
        var nextSeries = 0.0
        var nextLaneScale: SIMD4<Double> = .zero
        var ocv = 0.0
        var voltage = 0.0
        /// The cells' OCV hysteresis voltages at the step's start (their loss is -I x this).
        var hysteresisVoltage = 0.0
        /// The cell just integrated left its survivable SoC (read and cleared by the caller).
        var exhausted = false
    }

    /// Pass 2: integrate every cell at its string's current over `dt`, then form the strings'
    /// equivalents for the next step (kept in `stringE`/`stringR` for `current(forPower:)`).
    ///
    /// Cells that carry their string's current (healthy, no balancing) take a fast path whose
    /// heat and equivalents are summed per run of cells sharing a module: algebraically the same
    /// exact zero-order-hold results (the RC heat is the energy put into each lane, I integral(v),
    /// less the change of its stored energy). Other cells go through `advance`; with
    /// `formEquivalents` they form their own equivalent for this step (one string: pass 1 is not
    /// needed to know the string current).
    private mutating func integrateCells(dt: Double, formEquivalents: Bool) {
        let perString = definition.topology.cellsPerString
        let chemistry = definition.chemistry
        let k = StepConstants(
            dt: dt, dEdT: chemistry.ocvTemperatureCoefficient_V_per_K, gBalancing: 1 / definition.electrics.balancingResistance_ohm,
            leakageDecay: PlantMath.exp(-dt / LeakageGrowth.tau_s),
            electrics: definition.electrics, masks: masks, ocv: chemistry.ocv,
            degrades: definition.degradationEnabled && chemistry.degradation != nil,
            rates: DegradationRates(chemistry.degradation ?? InterfaceDegradation.none, area_cm2: chemistry.electrolyteArea_cm2),
            socFloor: chemistry.survivableBounds.floor, socCeiling: chemistry.survivableBounds.ceiling,
            frontZoneWidth: chemistry.reactionFront?.zoneWidth ?? 0)
        let cellModule = self.cellModule
        let generalOnly = generalPathOnly
        var breaches: [Int] = []
        var exhausted: [Int] = []
        var failedHeat: [(cell: Int, watts: Double)] = []
        let stringCurrents = stringCurrent_A
        var sumE = stringE
        var sumR = stringR
        var sumV = stringVoltage_V
        modules.withUnsafeMutableBufferPointer { mods in
            balancing.withUnsafeBufferPointer { bal in
                cells.withUnsafeMutableBufferPointer { cs in
                    for s in stringCurrents.indices {
                        let iString = stringCurrents[s]
                        var eNext = 0.0
                        var rNext = 0.0
                        var vString = 0.0
                        var block = BlockSums()
                        var blockModule = -1

                        /// Books a finished block into its module and the string.
                        func flush() {
                            guard blockModule >= 0, block.count > 0 else { return }
                            let mod = mods[blockModule]
                            let rcEnergyIn = iString * (iString * mod.integralPerCurrent * block.laneScale + mod.integralPerVoltage * block.v0)
                            let rcHeat = (rcEnergyIn - mod.halfCapacitance * block.energyChange).sum()
                            mods[blockModule].heat_J += iString * (iString * block.series - block.hysteresisVoltage) * dt + rcHeat
                            mods[blockModule].reversibleHeat_J -= iString * mod.temperature_K * k.dEdT * dt * block.count
                            if mod.frozen, abs(iString) > 0.1 { mods[blockModule].currentWhileFrozen = true }
                            eNext += block.ocv + block.count * mod.ocvShift_V - (mod.decay * block.v1).sum()
                            rNext += block.nextSeries + (mod.response * block.nextLaneScale).sum()
                            vString += block.voltage
                        }

                        for i in (s * perString)..<((s + 1) * perString) {
                            let m = cellModule[i]
                            if m != blockModule {
                                flush()
                                block = BlockSums()
                                blockModule = m
                            }
                            if !generalOnly, cs[i].failure == .healthy, !bal[i] {
                                let mod = mods[m]
                                let bI = mod.response * iString
                                let front = mod.frontSlope_ohm
                                let bulk = mod.bulk_ohm
                                Self.advanceFast(
                                    &cs[i], current: iString, decay: mod.decay, responsePerAmpere: bI, bulk: bulk, frontSlope: front,
                                    ocvShift: mod.ocvShift_V, selfDischargePerVolt: mod.selfDischargePerVolt, ocvTable: k.ocv,
                                    floor: k.socFloor, ceiling: k.socCeiling, frontZoneWidth: k.frontZoneWidth, dt: dt, block: &block)
                                if block.exhausted {
                                    block.exhausted = false
                                    exhausted.append(i)
                                }
                                if k.degrades {
                                    if k.rates.interfaceActive {
                                        if Self.degrade(&cs[i], module: mod, current: iString, rates: k.rates, masks: k.masks, dt: dt) {
                                            breaches.append(i)
                                        }
                                    }
                                    if k.rates.fadePerCycle > 0 { Self.countThroughput(&cs[i], current: iString, dt: dt) }
                                }
                                block.nextLaneScale += cs[i].laneScale
                            } else {
                                let o = Self.advance(
                                    &cs[i], stringCurrent: iString, module: mods[m], balancing: bal[i], formEquivalent: formEquivalents,
                                    constants: k)
                                mods[m].heat_J += o.heat_J
                                if cs[i].failure != .healthy { failedHeat.append((i, o.heat_J / dt)) }
                                mods[m].reversibleHeat_J += o.reversible_J
                                mods[m].balancingHeat_J += o.balancing_J
                                if o.currentWhileFrozen { mods[m].currentWhileFrozen = true }
                                if o.breached { breaches.append(i) }
                                if o.exhausted { exhausted.append(i) }
                                eNext += o.nextE
                                rNext += o.nextR
                                vString += cs[i].voltage
                            }
                        }
                        flush()
                        sumE[s] = eNext
                        sumR[s] = rNext
                        sumV[s] = vString
                    }
                }
            }
        }
        stringE = sumE
        stringR = sumR
        stringVoltage_V = sumV
        if !failedHeat.isEmpty {
            // A failed cell's hot spot relaxes to its dissipation x its resistance to the block.
            let r = definition.thermal.cellToBlock_K_per_W
            let relax = 1 - PlantMath.exp(-dt / max(1e-9, r * chemistry.heatCapacity_J_per_K))
            for (i, watts) in failedHeat { cellHotSpot_K[i] += (watts * r - cellHotSpot_K[i]) * relax }
        }
        for i in breaches {
            events.append(PlantEvent(time_ms: time_ms, kind: .dendritePenetrated, index: i, value: cells[i].dendriteDamage))
            breach(i)
        }
        for i in exhausted where cells[i].holdsCharge {
            events.append(PlantEvent(time_ms: time_ms, kind: .reserveExhausted, index: i, value: cells[i].soc))
            breach(i)
        }
    }

    /// The fast path of one cell that carries its string's current: RC lanes, SoC, OCV and the
    /// terminal voltage, with its contributions to the block's sums. Degradation is applied by the
    /// caller afterwards, which then adds the cell's next-step lane scale.
    @inline(__always)
    static func advanceFast(
        _ c: inout CellState, current iString: Double, decay a: SIMD4<Double>, responsePerAmpere bI: SIMD4<Double>,
        bulk: Double, frontSlope: Double, ocvShift: Double, selfDischargePerVolt: Double, ocvTable: OCVCurve,
        floor: Double, ceiling: Double, frontZoneWidth: Double, dt: Double, block: inout BlockSums
    ) {
        let v0 = c.rc
        let v1 = a * v0 + bI * c.laneScale
        if frontSlope > 0 { _ = c.turnFront(current: iString, zoneWidth: frontZoneWidth) }
        let series = c.seriesResistance(bulk: bulk, frontSlope: frontSlope)
        block.count += 1
        block.series += series
        block.laneScale += c.laneScale
        block.v0 += v0
        block.v1 += v1
        block.energyChange += c.inverseLaneScale * (v1 * v1 - v0 * v0)
        c.rc = v1
        c.current = iString
        c.equivalentFresh = false
        let moved = iString * dt * c.socPerAmpereSecond
        c.soc -= moved + c.selfDischarge_per_s * selfDischargePerVolt * c.ocv * dt
        if frontSlope > 0 { c.moveFronts(by: moved, zoneWidth: frontZoneWidth) }
        if ocvTable.hasHysteresis {
            block.hysteresisVoltage += c.hysteresisVoltage
            c.hysteresis = ocvTable.hysteresis(after: moved, from: c.hysteresis)
        }
        if c.updateOCV(ocvTable, floor: floor, ceiling: ceiling) { block.exhausted = true }
        c.series = c.seriesResistance(bulk: bulk, frontSlope: frontSlope)
        c.voltage = c.ocv + ocvShift - iString * series - v1.sum()
        block.nextSeries += c.series
        block.ocv += c.ocv
        block.voltage += c.voltage
    }

    /// Integrates one cell over the step at its string's current (in place).
    @inline(__always)
    static func advance(
        _ c: inout CellState, stringCurrent iString: Double, module mod: ModuleStep, balancing: Bool, formEquivalent: Bool,
        constants k: StepConstants
    ) -> CellOutcome {
        var o = CellOutcome()
        let dt = k.dt
        let gb = balancing ? k.gBalancing : 0
        // A current the other way follows the other front from the step's start (with parallel
        // strings the string current was split with the last direction's equivalent).
        let turned = mod.frontSlope_ohm > 0 && c.turnFront(current: iString, zoneWidth: k.frontZoneWidth)
        if turned || (formEquivalent && !(c.equivalentFresh && !mod.reevaluated && c.equivalentBalancing == balancing)) {
            let q = equivalent(of: c, module: mod, balancingConductance: gb, electrics: k.electrics)
            c.e = q.e
            c.r = q.r
            c.g = q.g
            c.series = q.series
        }
        if c.failure == .failedShort {
            c.voltage = iString * c.r
            c.current = 0
            o.heat_J = iString * iString * c.r * dt
        } else {
            // With nothing across the cell, the cell carries the string current.
            let vTerminal = c.g == 0 ? c.e - iString * c.r : (c.e - iString * c.r) / (1 + c.r * c.g)
            let iCell = c.g == 0 ? iString : (c.e - vTerminal) / c.r
            c.current = iCell
            var heat = iCell * iCell * c.series * dt
            if c.g > 0 {
                let parallel = vTerminal * vTerminal * c.g * dt
                let balancingShare = gb / c.g
                o.balancing_J = parallel * balancingShare
                heat += parallel * (1 - balancingShare)
            }
            if mod.frozen, abs(iCell) > 0.1 { o.currentWhileFrozen = true }
            if c.failure != .open {
                // Exact RC response to a constant current, and the exact heat in each resistor.
                let rk = mod.elementR * c.laneScale
                let vInf = rk * iCell
                let d = c.rc - vInf
                let a = mod.decay
                let one = SIMD4<Double>(repeating: 1)
                let steady: SIMD4<Double> = vInf * vInf * dt
                let cross: SIMD4<Double> = 2 * vInf * d * mod.tau * (one - a)
                let transient: SIMD4<Double> = d * d * mod.tau * 0.5 * (one - a * a)
                let terms: SIMD4<Double> = steady + cross + transient
                heat += (terms * mod.inverseElementR * c.inverseLaneScale).sum()
                c.rc = vInf + d * a
            }
            o.heat_J = heat
            o.reversible_J = -iCell * mod.temperature_K * k.dEdT * dt
            let moved = iCell * dt * c.socPerAmpereSecond
            c.soc -= moved + c.selfDischarge_per_s * mod.selfDischargePerVolt * c.ocv * dt
            if mod.frontSlope_ohm > 0 { c.moveFronts(by: moved, zoneWidth: k.frontZoneWidth) }
            if k.ocv.hasHysteresis {
                // A two-phase electrode's hysteresis loop is dissipated: -I x its voltage.
                o.heat_J -= iCell * c.hysteresisVoltage * dt
                c.hysteresis = k.ocv.hysteresis(after: moved, from: c.hysteresis)
            }
            o.exhausted = c.updateOCV(k.ocv, floor: k.socFloor, ceiling: k.socCeiling)
            if c.failure == .leakage {
                c.leakage_ohm = max(LeakageGrowth.final_ohm, c.leakage_ohm * k.leakageDecay)
            }
            if k.degrades, c.failure == .healthy {
                if k.rates.interfaceActive {
                    o.breached = degrade(&c, module: mod, current: iCell, rates: k.rates, masks: k.masks, dt: dt)
                }
                if k.rates.fadePerCycle > 0 { countThroughput(&c, current: iCell, dt: dt) }
            }
            c.voltage = c.failure == .open ? c.e - iCell * c.r : c.ocv + mod.ocvShift_V - iCell * c.series - c.rc.sum()
        }
        // The equivalent for a next step of the same length (kept for it while nothing changes).
        let q = equivalent(of: c, module: mod, balancingConductance: gb, electrics: k.electrics)
        c.e = q.e
        c.r = q.r
        c.g = q.g
        c.series = q.series
        c.equivalentFresh = true
        c.equivalentBalancing = balancing
        (o.nextE, o.nextR) = atTerminals(q)
        return o
    }

    /// A cell's equivalent seen at its terminals: the paths across it (conductance g) fold in as
    /// e / (1 + r g), r / (1 + r g).
    @inline(__always)
    static func atTerminals(_ q: (e: Double, r: Double, g: Double, series: Double)) -> (e: Double, r: Double) {
        guard q.g != 0 else { return (q.e, q.r) }
        let k = 1 + q.r * q.g
        return (q.e / k, q.r / k)
    }

    /// Terminal voltage and the pack equivalent from the strings' sums after pass 2.
    private mutating func finishTerminal() {
        var gSum = 0.0
        var geSum = 0.0
        for s in stringE.indices {
            gSum += 1 / stringR[s]
            geSum += stringE[s] / stringR[s]
        }
        packOpenCircuit_V = geSum / gSum
        packResistance_ohm = 1 / gSum
        terminalVoltage_V = stringE.count == 1 ? stringVoltage_V[0] : (geSum - current_A) / gSum
        if contactors.isConnected { contactors.linkVoltage_V = terminalVoltage_V }
    }

    /// Recomputes terminal voltages and the pack's equivalent from the cells' present state
    /// (after a change outside a step: construction, a fault, a test's edit).
    mutating func refreshTerminal() {
        formStringEquivalents()
        let perString = definition.topology.cellsPerString
        for s in stringE.indices {
            var v = 0.0
            for i in (s * perString)..<((s + 1) * perString) { v += cells[i].voltage }
            stringVoltage_V[s] = v
        }
        finishTerminal()
    }
}
