/// The plant: strings of cells in parallel, in thermal modules, with contactors, heaters, balancing,
/// sensors and injected faults. The truth side of every simulation.
///
/// Each cell's state is one `CellState` (array of structs, RC voltages in a SIMD lane each), so a
/// step walks memory once. `step` holds the pack current constant over the step and integrates
/// every state exactly (zero-order hold) for that input, so it is stable for any step length.
public struct BatteryPack: Sendable {
    /// What the plant was built from.
    public let definition: PackDefinition
    /// Simulated time, ms.
    public internal(set) var time_ms: Int64 = 0

    @usableFromInline var cells: [CellState]
    var modules: [ModuleStep]
    let masks: ElementMasks

    /// Balancing resistor of each cell switched on.
    public var balancing: [Bool]
    /// Every cell through the general integration (`advance`), none through the fast path: the
    /// two must agree (a test checks it); off except in that test.
    var generalPathOnly = false

    // MARK: Strings and modules

    /// Current of each string in the last step, A.
    public internal(set) var stringCurrent_A: [Double]
    /// Terminal voltage of each string, V.
    public internal(set) var stringVoltage_V: [Double]
    /// Temperature of each module's cells, C.
    public internal(set) var moduleTemperature_C: [Double]
    /// How far each cell sits above its module's cell block, K: the hot spot of a failed cell's
    /// own dissipation (zero for healthy cells, which share their module's temperature).
    public internal(set) var cellHotSpot_K: [Double]
    /// Temperature of each module's enclosure, C.
    public internal(set) var enclosureTemperature_C: [Double]
    /// Heater duty per module, 0...1 (actuator input; clamped when applied).
    public var heaterDuty: [Double]
    /// Heater power actually delivered per module in the last step, W.
    public internal(set) var heaterPower_W: [Double]
    /// The heaters are fed from the pack's own DC link (a grid outage): nothing reaches them
    /// while the contactors are open. The load itself is the caller's to draw
    /// (`step(current:duration_ms:)` with the heaters' current).
    public var heatersFedFromPack = false
    /// The cooling blower's command (actuator input; nothing without a blower fitted).
    public var blowerCommand = false
    /// The blower moved air in the last step (after its faults).
    public internal(set) var blowerRunning = false
    /// First cell of each module, then the cell count.
    public let moduleBounds: [Int]
    /// Module of each cell.
    let cellModule: [Int]
    /// Thermal cycles (two half-cycles of at least 10 K) counted per module.
    public internal(set) var thermalCycles: [Double]
    /// Freeze-thaw cycles counted per module.
    public internal(set) var freezeThawCycles: [Int]

    // MARK: Pack terminals

    /// Pack current in the last step, A (positive = discharge); includes precharge and inrush.
    public internal(set) var current_A: Double = 0
    /// Pack terminal voltage at the end of the last step, V.
    public internal(set) var terminalVoltage_V: Double = 0
    /// Contactors, precharge and DC link.
    public internal(set) var contactors = ContactorState()
    /// Running energy totals.
    public internal(set) var energy = EnergyLedger()
    /// Events worth a line in a report (shorts, inrush, opening under load, frozen cycling).
    public internal(set) var events: [PlantEvent] = []

    // MARK: Internals

    var faults: [PlantFault] = []
    var appliedFaultCount = 0
    var freezeState: [Bool]
    var frozenCyclingReported: [Bool]
    var sensors: PackSensors
    /// Plant time since the last ageing tick, s (`age(over:)`).
    var sinceAgeing_s = 0.0
    var thermalTrackers: [HalfCycleTracker]
    /// The pack's Thevenin equivalent for a step of the last length (for `current(forPower:)`).
    @usableFromInline var packOpenCircuit_V: Double = 0
    @usableFromInline var packResistance_ohm: Double = 0
    var stringE: [Double]
    var stringR: [Double]

    /// Builds the plant, drawing cell-to-cell spread and sensor offsets from `seed`.
    public init(definition d: PackDefinition, seed: UInt64) {
        precondition(d.topology.stringsInParallel >= 1 && d.topology.cellsPerString >= 1, "a pack needs cells")
        precondition(d.moduleCount >= 1 && d.moduleCount <= d.cellCount, "1 ... cellCount modules")
        definition = d
        let root = SeededRandom(seed: seed)
        var spread = root.derived(1)
        let n = d.cellCount
        let c = d.chemistry
        func draw(_ sigma: Double) -> Double {
            sigma == 0 ? 0 : sigma * max(-3, min(3, spread.gaussian()))
        }
        // Drawn in this order (all capacities, then resistances, ...) so each seed's spread is stable.
        let capacities = (0..<n).map { _ in c.capacity_Ah * (1 + draw(d.spread.capacity)) }
        let scales = (0..<n).map { _ in 1 + draw(d.spread.resistance) }
        let socs = (0..<n).map { _ in min(1, max(0, d.initialSoC + draw(d.spread.initialSoC))) }
        let selfDischarge = (0..<n).map { _ in max(0, c.selfDischarge_per_day * (1 + draw(d.spread.selfDischarge)) / 86_400) }
        cells = (0..<n).map { i in
            CellState(
                soc: socs[i], ocv: c.ocv.voltage(atSoC: socs[i]), capacity_Ah: capacities[i],
                socPerAmpereSecond: 1 / (3600 * capacities[i]), scale: scales[i], selfDischarge_per_s: selfDischarge[i],
                spread: scales[i], initialCapacity_Ah: capacities[i])
        }
        // A reaction front as after a discharge from full (no earlier partial cycles).
        if c.reactionFront != nil {
            for i in 0..<n {
                cells[i].fronts = ReactionFrontLayers(depthOfDischarge: 1 - socs[i])
                cells[i].frontDepth = 1 - socs[i]
            }
        }
        // Drawn after the draws above (and from a stream of their own for the interface), so adding
        // them left every earlier property of a seed as it was.
        for i in 0..<n {
            for k in c.elements.indices { cells[i].elementScale[k] = 1 + draw(d.spread.elementResistance) }
        }
        for i in 0..<n { cells[i].ocvOffset = draw(d.spread.ocvOffset_V) }
        var interfaceDraws = root.derived(4)
        let shape = d.spread.interfaceWeibullShape
        func weibull() -> Double { shape > 0 ? interfaceDraws.weibull(shape: shape) : 1 }
        for i in 0..<n {
            cells[i].criticalCurrentFactor = weibull()
            cells[i].strippingFactor = weibull()
            cells[i].interphaseRateFactor = weibull()
        }
        if d.ageing != .new {
            var ageingDraws = root.derived(5)
            let meanFade = d.ageing.capacityFade
            let rate = c.degradation?.interphaseRate(temperature_C: c.ocvReferenceTemperature_C) ?? 0
            let seconds = d.ageing.serviceYears * 365.25 * 86_400
            for i in 0..<n {
                let fade = min(0.9, max(0, meanFade * (1 + 0.2 * max(-3, min(3, ageingDraws.gaussian())))))
                cells[i].initialCapacity_Ah *= 1 - fade
                cells[i].capacity_Ah = cells[i].initialCapacity_Ah
                cells[i].socPerAmpereSecond = 1 / (3600 * cells[i].capacity_Ah)
                cells[i].initialFade = fade
                if rate > 0 { cells[i].interphase_cm = (2 * rate * cells[i].interphaseRateFactor * seconds).squareRoot() }
            }
        }
        // Ageing's per-cell draws, from streams of their own (every earlier draw of a seed stays).
        if let law = c.ageing {
            // The starting state's resistance growth applies whether or not ageing runs on.
            for i in 0..<n { cells[i].resistanceAgeing = 1 + law.resistanceGrowthPerFade * cells[i].initialFade }
            if d.degradationEnabled {
                var strengthDraws = root.derived(7)
                for i in 0..<n { cells[i].strength = strengthDraws.weibull(shape: law.strengthWeibullModulus) }
            }
        }
        if d.degradationEnabled, (c.degradation?.shortHazard_per_h ?? 0) > 0 {
            var dendriteDraws = root.derived(8)
            for i in 0..<n { cells[i].dendriteThreshold = dendriteDraws.exponential() }
        }
        // The OCV hysteresis state: one history for the pack (drawn from a stream of its own, and
        // only for a curve with hysteresis, so every other seed's draws stay as they were).
        if c.ocv.hasHysteresis {
            var hysteresisDraws = root.derived(6)
            let h = max(-1, min(1, d.initialHysteresis ?? (2 * hysteresisDraws.uniform() - 1)))
            for i in 0..<n { cells[i].hysteresis = h }
        }
        masks = ElementMasks(c.elements)
        for i in cells.indices {
            cells[i].updateOCV(c.ocv, floor: c.survivableBounds.floor, ceiling: c.survivableBounds.ceiling)
            cells[i].updateLaneScales(masks)
            cells[i].socCycles = HalfCycleTracker(start: cells[i].soc)
            cells[i].updateCapacity()
        }
        balancing = Array(repeating: false, count: n)
        let strings = d.topology.stringsInParallel
        stringCurrent_A = Array(repeating: 0, count: strings)
        stringVoltage_V = Array(repeating: 0, count: strings)
        stringE = Array(repeating: 0, count: strings)
        stringR = Array(repeating: 0, count: strings)
        let m = d.moduleCount
        modules = Array(repeating: ModuleStep(), count: m)
        moduleTemperature_C = Array(repeating: d.initialTemperature_C, count: m)
        enclosureTemperature_C = Array(repeating: d.initialTemperature_C, count: m)
        cellHotSpot_K = Array(repeating: 0, count: cells.count)
        heaterDuty = Array(repeating: 0, count: m)
        heaterPower_W = Array(repeating: 0, count: m)
        let bounds = (0...m).map { $0 * n / m }
        moduleBounds = bounds
        cellModule = (0..<m).flatMap { mm in Array(repeating: mm, count: bounds[mm + 1] - bounds[mm]) }
        thermalCycles = Array(repeating: 0, count: m)
        freezeThawCycles = Array(repeating: 0, count: m)
        thermalTrackers = Array(repeating: HalfCycleTracker(start: d.initialTemperature_C), count: m)
        let frozenAtStart = d.chemistry.freezing.map { d.initialTemperature_C < $0.point_C } ?? false
        freezeState = Array(repeating: frozenAtStart, count: m)
        frozenCyclingReported = Array(repeating: false, count: m)
        sensors = PackSensors(specification: d.sensors, cellCount: n, moduleCount: m, stringCount: strings, random: root.derived(2))
        prepareModules(dt: 1)
        for i in 0..<n { cells[i].voltage = cells[i].ocv + modules[cellModule[i]].ocvShift_V }
        refreshTerminal()
    }

    /// Number of cells.
    public var cellCount: Int { definition.cellCount }

    /// Capacity-weighted pack state of charge: remaining charge over total present capacity of the
    /// cells that still hold charge (failed-short and open cells excluded). Each cell counts
    /// within 0...1: charge past full sits in a side reaction, not in the usable capacity, and
    /// below empty there is none to give. (Inlinable, as are the other per-step truth reads: an
    /// opaque getter on a pack held in a caller's struct cost a 2.3 kB copy per call.)
    @inlinable public var stateOfCharge: Double { Self.stateOfCharge(cells) }

    @usableFromInline static func stateOfCharge(_ cells: [CellState]) -> Double {
        var q = 0.0
        var total = 0.0
        for c in cells where c.holdsCharge {
            q += min(1, max(0, c.soc)) * c.capacity_Ah
            total += c.capacity_Ah
        }
        return total > 0 ? q / total : 0
    }

    /// Module that holds cell `i`.
    public func module(ofCell i: Int) -> Int { cellModule[i] }

    /// The current that draws `power_W` (positive = discharge) at the present state, solving
    /// P = I (E - I R) on the pack's Thevenin equivalent for a step of the last length. Returns the
    /// maximum-power current when the power is not deliverable, and 0 when disconnected.
    /// (Inlinable: a call from a mutating method of a holder copied the whole pack, 2.3 kB, each
    /// time.)
    @inlinable public func current(forPower power_W: Double) -> Double {
        guard contactors.isConnected, packResistance_ohm > 0 else { return 0 }
        let e = packOpenCircuit_V
        let r = packResistance_ohm
        let discriminant = e * e - 4 * r * power_W
        guard discriminant > 0 else { return e / (2 * r) }
        return (e - discriminant.squareRoot()) / (2 * r)
    }

    /// Schedules faults. A fault whose time has already come acts from the next step.
    public mutating func inject(_ newFaults: [PlantFault]) {
        var pending = Array(faults[appliedFaultCount...]) + newFaults
        pending.sort { $0.at_ms < $1.at_ms }
        faults = Array(faults[..<appliedFaultCount]) + pending
    }

    /// Every fault scheduled so far.
    public var scheduledFaults: [PlantFault] { faults }

    /// A new sample of every sensor.
    public mutating func sample() -> SensorReadings {
        var r = SensorReadings(cellCount: cellCount, moduleCount: definition.moduleCount, stringCount: definition.topology.stringsInParallel)
        sample(into: &r)
        return r
    }
}

// MARK: - Per-cell views

extension BatteryPack {
    /// True state of charge of each cell, within 0...1 as `stateOfCharge` counts it (a copy; use
    /// `cell(_:)` for the extended scale).
    @inlinable public var cellSoC: [Double] { Self.cellSoC(cells) }
    @usableFromInline static func cellSoC(_ cells: [CellState]) -> [Double] { cells.map { min(1, max(0, $0.soc)) } }
    /// Terminal voltage of each cell at the end of the last step, V.
    public var cellVoltage_V: [Double] { cells.map(\.voltage) }
    /// The highest cell terminal voltage, V.
    @inlinable public var highestCellVoltage_V: Double {
        var v = -Double.infinity
        for i in cells.indices { v = max(v, cells[i].voltage) }
        return v
    }
    /// The modules' mean temperature, C (a pack has one module at least).
    public var meanModuleTemperature_C: Double { moduleTemperature_C.reduce(0, +) / Double(moduleTemperature_C.count) }
    /// Current through each cell's electrochemistry in the last step, A.
    public var cellCurrent_A: [Double] { cells.map(\.current) }
    /// Resistance multiplier of each cell (seeded spread around 1).
    public var cellResistanceScale: [Double] { cells.map(\.spread) }
    /// Growth of each cell's non-interface resistances by ageing (1 when new).
    public var cellResistanceAgeing: [Double] { cells.map(\.resistanceAgeing) }
    /// Each cell's fracture damage (it breaks past its strength, drawn around 1).
    public var cellFractureDamage: [Double] { cells.map(\.fractureDamage) }
    /// Each cell's dendrite damage (the integral of its short hazard; it shorts past a draw of mean 1).
    public var cellDendriteDamage: [Double] { cells.map(\.dendriteDamage) }
    /// Capacity of each cell at the start of the run (as built, less the ageing state's fade), Ah.
    public var cellInitialCapacity_Ah: [Double] { cells.map(\.initialCapacity_Ah) }
    /// Fraction of each cell's initial capacity lost so far.
    public var cellCapacityFade: [Double] { cells.map(\.fade) }
    /// Fraction of each cell's anode/electrolyte interface still in contact (settable for studies).
    public var cellContactFraction: [Double] {
        get { cells.map(\.contact) }
        set {
            precondition(newValue.count == cells.count)
            for i in cells.indices {
                cells[i].contact = min(1, max(0.02, newValue[i]))
                cells[i].updateLaneScales(masks)
            }
        }
    }
    /// Thickness of each cell's grown interphase, cm.
    public var cellInterphaseThickness_cm: [Double] { cells.map(\.interphase_cm) }
    /// Dendrite short hazard of each cell in the last step, per hour.
    public var cellShortHazard_per_h: [Double] { cells.map(\.hazard_per_h) }
    /// Failure state of each cell.
    public var cellFailure: [CellFailure] { cells.map(\.failureView) }

    /// Present capacity of cell `i`, Ah.
    public func cellCapacity_Ah(_ i: Int) -> Double { cells[i].presentCapacity_Ah }

    /// Everything about cell `i`, at once.
    public func cell(_ i: Int) -> CellSnapshot {
        let c = cells[i]
        return CellSnapshot(
            soc: c.soc, voltage_V: c.voltage, current_A: c.current, capacity_Ah: c.presentCapacity_Ah, capacityFade: c.fade,
            resistanceScale: c.spread, resistanceAgeing: c.resistanceAgeing, elementScales: definition.chemistry.elements.indices.map { c.elementScale[$0] },
            contactFraction: c.contact, interphaseThickness_cm: c.interphase_cm,
            shortHazard_per_h: c.hazard_per_h, failure: c.failureView, ocvOffset_V: c.ocvOffset,
            criticalCurrentFactor: c.criticalCurrentFactor, strippingFactor: c.strippingFactor, interphaseRateFactor: c.interphaseRateFactor, rcVoltage_V: (0..<definition.chemistry.elements.count).map { c.rc[$0] },
            hysteresis: c.hysteresis, hysteresisVoltage_V: c.hysteresisVoltage)
    }
}

/// The state of one cell.
public struct CellSnapshot: Sendable, Equatable {
    /// State of charge on the OCV table's extended scale: above 1 the charge sits in a side
    /// reaction or a blocked electrode, below 0 the cell is over-discharged.
    public var soc: Double
    public var voltage_V: Double
    public var current_A: Double
    public var capacity_Ah: Double
    public var capacityFade: Double
    /// Resistance multiplier common to every element (the spread's common factor).
    public var resistanceScale: Double
    /// Growth of the non-interface resistances by ageing (1 when new).
    public var resistanceAgeing: Double
    /// Each RC element's own multiplier on top of it, in the chemistry's element order.
    public var elementScales: [Double]
    public var contactFraction: Double
    public var interphaseThickness_cm: Double
    public var shortHazard_per_h: Double
    public var failure: CellFailure
    /// This cell's offset from its chemistry's OCV table, V.
    public var ocvOffset_V: Double
    /// This cell's Weibull multipliers (median 1) of the critical current density, the critical
    /// stripping current and the interphase growth rate.
    public var criticalCurrentFactor: Double
    public var strippingFactor: Double
    public var interphaseRateFactor: Double
    /// Voltage of each RC element, in the chemistry's element order.
    public var rcVoltage_V: [Double]
    /// OCV hysteresis state, -1 (discharge branch) ... +1 (charge branch); 0 without hysteresis.
    public var hysteresis: Double = 0
    /// The hysteresis's share of the OCV (half gap at the SoC x state), V.
    public var hysteresisVoltage_V: Double = 0
}

/// Running energy totals of a plant, Wh.
public struct EnergyLedger: Sendable, Equatable {
    /// Electrical energy delivered at the pack terminals while discharging.
    public var dischargedOut_Wh: Double = 0
    /// Electrical energy taken at the terminals while charging.
    public var chargedIn_Wh: Double = 0
    /// Electrical energy drawn by the heaters.
    public var heater_Wh: Double = 0
    /// Heat dissipated in the cells' resistances (bulk, RC elements, reaction front, shorts) and
    /// OCV hysteresis loops (-I x the hysteresis voltage).
    public var joule_Wh: Double = 0
    /// Reversible (entropic) heat, -I T dOCV/dT (negative = absorbed).
    public var reversible_Wh: Double = 0
    /// Heat dissipated in the balancing resistors.
    public var balancing_Wh: Double = 0
    /// Heat lost through the insulation to ambient.
    public var insulationLoss_Wh: Double = 0
    /// Heat stored in the modules (cells and enclosures) since the start.
    public var stored_Wh: Double = 0

    /// Heat put into the modules.
    public var heatIn_Wh: Double { heater_Wh + joule_Wh + reversible_Wh + balancing_Wh }
}

/// Something that happened in the plant, for reports.
public struct PlantEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case cellShorted, cellFailedOpen, cellLeakageStarted, contactLost, inrush, openedUnderLoad, cycledWhileFrozen, froze, thawed
        /// A cell's electrolyte or seal fractured under thermal or freeze-thaw cycling (value: its
        /// damage); its failure follows.
        case fractured
        /// A cell's dendrite broke through (value: its damage); its failure follows.
        case dendritePenetrated
        /// A cell driven past its chemistry's survivable SoC (value: its SoC); its failure follows.
        case reserveExhausted
    }
    public var time_ms: Int64
    public var kind: Kind
    /// The cell or module concerned (-1 for the pack).
    public var index: Int
    /// A magnitude (peak current for inrush, current when opening, ...).
    public var value: Double
}
