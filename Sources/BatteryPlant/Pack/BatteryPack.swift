/// The plant: strings of cells in parallel, in thermal modules, with contactors, heaters, balancing,
/// sensors and injected faults. The truth side of every simulation.
///
/// State is kept as arrays per cell (structure of arrays) so a step over hundreds of cells is a few
/// tight loops. `step` holds the pack current constant over the step and integrates every state
/// exactly (zero-order hold) for that input, so it is stable for any step length.
public struct BatteryPack: Sendable {
    /// What the plant was built from.
    public let definition: PackDefinition
    /// Simulated time, ms.
    public internal(set) var time_ms: Int64 = 0

    // MARK: Cells (index = string * cellsPerString + position)

    /// True state of charge of each cell.
    public internal(set) var cellSoC: [Double]
    /// Initial (as-built) capacity of each cell, Ah.
    public internal(set) var cellInitialCapacity_Ah: [Double]
    /// Fraction of each cell's initial capacity lost so far.
    public internal(set) var cellCapacityFade: [Double]
    /// Resistance multiplier of each cell (seeded spread around 1).
    public internal(set) var cellResistanceScale: [Double]
    /// Self-discharge of each cell, fraction of capacity per second.
    public internal(set) var cellSelfDischarge_per_s: [Double]
    /// Voltage of RC element k of cell i at `rcVoltage_V[k * cellCount + i]`, V.
    public internal(set) var rcVoltage_V: [Double]
    /// Fraction of the anode/electrolyte interface still in contact (1 = intact).
    public internal(set) var cellContactFraction: [Double]
    /// Thickness of the grown interphase, cm.
    public internal(set) var cellInterphaseThickness_cm: [Double]
    /// Failure state of each cell.
    public internal(set) var cellFailure: [CellFailure]
    /// Dendrite short hazard of each cell in the last step, per hour (0 below the CCD).
    public internal(set) var cellShortHazard_per_h: [Double]
    /// Terminal voltage of each cell at the end of the last step, V.
    public internal(set) var cellVoltage_V: [Double]
    /// Current through each cell's electrochemistry in the last step, A (positive = discharge).
    public internal(set) var cellCurrent_A: [Double]
    /// Balancing resistor of each cell switched on.
    public var balancing: [Bool]

    // MARK: Strings and modules

    /// Current of each string in the last step, A.
    public internal(set) var stringCurrent_A: [Double]
    /// Terminal voltage of each string, V.
    public internal(set) var stringVoltage_V: [Double]
    /// Temperature of each module's cells, C.
    public internal(set) var moduleTemperature_C: [Double]
    /// Temperature of each module's enclosure, C.
    public internal(set) var enclosureTemperature_C: [Double]
    /// Heater duty per module, 0...1 (actuator input; clamped when applied).
    public var heaterDuty: [Double]
    /// Heater power actually delivered per module in the last step, W.
    public internal(set) var heaterPower_W: [Double]
    /// First cell of each module, then the cell count.
    public let moduleBounds: [Int]
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
    var degradationRandom: SeededRandom
    var thermalTrackers: [ThermalCycleTracker]
    /// Instantaneous Thevenin equivalent of the pack (for `current(forPower:)`).
    var packOpenCircuit_V: Double = 0
    var packResistance_ohm: Double = 0
    var scratch: StepScratch

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
        cellInitialCapacity_Ah = (0..<n).map { _ in c.capacity_Ah * (1 + draw(d.spread.capacity)) }
        cellResistanceScale = (0..<n).map { _ in 1 + draw(d.spread.resistance) }
        cellSoC = (0..<n).map { _ in min(1, max(0, d.initialSoC + draw(d.spread.initialSoC))) }
        cellSelfDischarge_per_s = (0..<n).map { _ in max(0, c.selfDischarge_per_day * (1 + draw(d.spread.selfDischarge)) / 86_400) }
        cellCapacityFade = Array(repeating: 0, count: n)
        rcVoltage_V = Array(repeating: 0, count: n * c.elements.count)
        cellContactFraction = Array(repeating: 1, count: n)
        cellInterphaseThickness_cm = Array(repeating: 0, count: n)
        cellFailure = Array(repeating: .healthy, count: n)
        cellShortHazard_per_h = Array(repeating: 0, count: n)
        cellVoltage_V = Array(repeating: 0, count: n)
        cellCurrent_A = Array(repeating: 0, count: n)
        balancing = Array(repeating: false, count: n)
        let strings = d.topology.stringsInParallel
        stringCurrent_A = Array(repeating: 0, count: strings)
        stringVoltage_V = Array(repeating: 0, count: strings)
        let m = d.moduleCount
        moduleTemperature_C = Array(repeating: d.initialTemperature_C, count: m)
        enclosureTemperature_C = Array(repeating: d.initialTemperature_C, count: m)
        heaterDuty = Array(repeating: 0, count: m)
        heaterPower_W = Array(repeating: 0, count: m)
        moduleBounds = (0...m).map { $0 * n / m }
        thermalCycles = Array(repeating: 0, count: m)
        freezeThawCycles = Array(repeating: 0, count: m)
        thermalTrackers = Array(repeating: ThermalCycleTracker(start_C: d.initialTemperature_C), count: m)
        let frozenAtStart = d.chemistry.freezing.map { d.initialTemperature_C < $0.point_C } ?? false
        freezeState = Array(repeating: frozenAtStart, count: m)
        frozenCyclingReported = Array(repeating: false, count: m)
        sensors = PackSensors(specification: d.sensors, cellCount: n, moduleCount: m, stringCount: strings, random: root.derived(2))
        degradationRandom = root.derived(3)
        scratch = StepScratch(cellCount: n, moduleCount: m, elementCount: c.elements.count)
        prepareModules(dt: 0.1)
        for i in 0..<n { cellVoltage_V[i] = openCircuitVoltage(i) }
        refreshTerminal()
    }

    /// Number of cells.
    public var cellCount: Int { definition.cellCount }

    /// Present capacity of cell `i`, Ah.
    public func cellCapacity_Ah(_ i: Int) -> Double { cellInitialCapacity_Ah[i] * (1 - cellCapacityFade[i]) }

    /// Capacity-weighted pack state of charge: remaining charge over total present capacity.
    /// For parallel strings, the strings' charges add up.
    public var stateOfCharge: Double {
        var q = 0.0
        var total = 0.0
        for i in 0..<cellCount where cellFailure[i] == .healthy || isLeaking(i) {
            let cap = cellCapacity_Ah(i)
            q += cellSoC[i] * cap
            total += cap
        }
        return total > 0 ? q / total : 0
    }

    func isLeaking(_ i: Int) -> Bool {
        if case .leakage = cellFailure[i] { return true }
        return false
    }

    /// Module that holds cell `i`.
    public func module(ofCell i: Int) -> Int {
        // moduleBounds is sorted; modules are few, a linear scan is fine.
        var m = 0
        while moduleBounds[m + 1] <= i { m += 1 }
        return m
    }

    /// The current that draws `power_W` (positive = discharge) at the present state, solving
    /// P = I (E - I R) on the pack's instantaneous Thevenin equivalent. Returns the maximum-power
    /// current when the power is not deliverable, and 0 when the pack is disconnected.
    public func current(forPower power_W: Double) -> Double {
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

    /// Samples every sensor at the present state (bus silence leaves `r` as it was).
    public mutating func sample(into r: inout SensorReadings) {
        var s = sensors
        s.sample(pack: self, faults: faults, into: &r)
        sensors = s
    }

    /// A new sample of every sensor.
    public mutating func sample() -> SensorReadings {
        var r = SensorReadings(cellCount: cellCount, moduleCount: definition.moduleCount, stringCount: definition.topology.stringsInParallel)
        sample(into: &r)
        return r
    }
}

/// Running energy totals of a plant, Wh.
public struct EnergyLedger: Sendable, Equatable {
    /// Electrical energy delivered at the pack terminals while discharging.
    public var dischargedOut_Wh: Double = 0
    /// Electrical energy taken at the terminals while charging.
    public var chargedIn_Wh: Double = 0
    /// Electrical energy drawn by the heaters.
    public var heater_Wh: Double = 0
    /// Heat dissipated in the cells' resistances (bulk, RC elements, reaction front, shorts).
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
        case cellShorted, cellFailedOpen, cellLeakageStarted, inrush, openedUnderLoad, cycledWhileFrozen, froze, thawed
    }
    public var time_ms: Int64
    public var kind: Kind
    /// The cell or module concerned (-1 for the pack).
    public var index: Int
    /// A magnitude (peak current for inrush, current when opening, ...).
    public var value: Double
}
