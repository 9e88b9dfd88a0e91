/// The plant: a series string of cells in thermal modules, with contactor, heaters and sensors.
///
/// State is kept as arrays per cell (structure of arrays) so a step over hundreds of cells is a
/// few tight loops. `step` holds the current constant over the step and integrates every state
/// exactly for that constant input (zero-order hold), so it is stable for any step length.
public struct BatteryPack: Sendable {
    /// What the plant was built from.
    public let definition: PackDefinition
    /// Simulated time, in milliseconds.
    public private(set) var time_ms: Int64 = 0

    /// True state of charge of each cell.
    public private(set) var cellSoC: [Double]
    /// True capacity of each cell, Ah.
    public private(set) var cellCapacity_Ah: [Double]
    /// Resistance multiplier of each cell (seeded spread around 1).
    public private(set) var cellResistanceScale: [Double]
    /// Voltage across each cell's RC element, V (positive on discharge).
    public private(set) var cellRCVoltage_V: [Double]
    /// Terminal voltage of each cell at the last applied current, V.
    public private(set) var cellVoltage_V: [Double]
    /// Temperature of each module, C.
    public private(set) var moduleTemperature_C: [Double]
    /// First cell index of each module, plus the cell count at the end.
    public let moduleBounds: [Int]

    /// Heater duty per module, 0...1 (actuator input; clamped when applied).
    public var heaterDuty: [Double]
    /// Contactor command; the (ideal) contactor follows it at the next step or at
    /// `applyContactorCommand()`.
    public var contactorCommand: Bool = false
    /// Contactor state: when open no current flows.
    public private(set) var contactorClosed: Bool = false

    /// Current applied in the last step, A (positive = discharge).
    public private(set) var current_A: Double = 0
    /// String terminal voltage at the last applied current, V.
    public private(set) var terminalVoltage_V: Double = 0
    /// Running energy totals.
    public private(set) var energy = EnergyLedger()

    private var sumOpenCircuitMinusRC_V: Double = 0
    private var sumR0_ohm: Double = 0
    private var sensors: PackSensors

    /// Builds the plant, drawing cell-to-cell spread and sensor offsets from `seed`.
    public init(definition d: PackDefinition, seed: UInt64) {
        definition = d
        let root = SeededRandom(seed: seed)
        var spread = root.derived(1)
        let n = d.cellCount
        cellCapacity_Ah = (0..<n).map { _ in
            d.chemistry.capacity_Ah * max(0.5, 1 + d.capacitySpread * spread.gaussian())
        }
        cellResistanceScale = (0..<n).map { _ in max(0.5, 1 + d.resistanceSpread * spread.gaussian()) }
        cellSoC = (0..<n).map { _ in min(1, max(0, d.initialSoC + d.initialSoCSpread * spread.gaussian())) }
        cellRCVoltage_V = Array(repeating: 0, count: n)
        cellVoltage_V = Array(repeating: 0, count: n)
        moduleTemperature_C = Array(repeating: d.initialTemperature_C, count: d.moduleCount)
        moduleBounds = (0...d.moduleCount).map { $0 * n / d.moduleCount }
        heaterDuty = Array(repeating: 0, count: d.moduleCount)
        sensors = PackSensors(specification: d.sensors, cellCount: n, moduleCount: d.moduleCount, random: root.derived(2))
        updateTerminal(current: 0)
    }

    /// Capacity-weighted pack state of charge: remaining charge / total capacity.
    public var stateOfCharge: Double {
        var q = 0.0
        var total = 0.0
        for i in cellSoC.indices {
            q += cellSoC[i] * cellCapacity_Ah[i]
            total += cellCapacity_Ah[i]
        }
        return q / total
    }

    /// The current that draws `power_W` (positive = discharge) at the present state, solving
    /// P = I (E - I R). Returns the maximum-power current when the power is not deliverable, and 0
    /// with the contactor open.
    public func current(forPower power_W: Double) -> Double {
        guard contactorClosed else { return 0 }
        let e = sumOpenCircuitMinusRC_V
        let r = sumR0_ohm
        let discriminant = e * e - 4 * r * power_W
        guard discriminant > 0 else { return e / (2 * r) }
        return (e - discriminant.squareRoot()) / (2 * r)
    }

    /// Moves the contactor to its commanded state now (an ideal contactor: no delay, no weld).
    public mutating func applyContactorCommand() {
        contactorClosed = contactorCommand
    }

    /// Advances the plant by `duration_ms` with `current` held constant (zeroed if the contactor is
    /// open) and the heater duties applied.
    public mutating func step(current requested_A: Double, duration_ms: Int64) {
        precondition(duration_ms > 0, "plant step must be positive")
        contactorClosed = contactorCommand
        let current = contactorClosed && requested_A.isFinite ? requested_A : 0
        let dt = Double(duration_ms) / 1000
        let chemistry = definition.chemistry
        let rc = chemistry.rc
        let decay = PlantMath.exp(-dt / rc.tau_s)
        var heatTotal_J = 0.0
        for m in 0..<definition.moduleCount {
            let r0Module = chemistry.r0(atTemperature_C: moduleTemperature_C[m])
            var joule_J = 0.0
            for i in moduleBounds[m]..<moduleBounds[m + 1] {
                let scale = cellResistanceScale[i]
                let r1 = rc.r_ohm * scale
                let v0 = cellRCVoltage_V[i]
                let vInf = current * r1
                let v1 = vInf + (v0 - vInf) * decay
                // Exact energy dissipated in R1 over the step for v(t) = vInf + (v0 - vInf) e^(-t/tau).
                let d = v0 - vInf
                let rcHeat = (vInf * vInf * dt + 2 * vInf * d * rc.tau_s * (1 - decay)
                    + d * d * rc.tau_s / 2 * (1 - decay * decay)) / r1
                joule_J += current * current * r0Module * scale * dt + rcHeat
                cellRCVoltage_V[i] = v1
                cellSoC[i] -= current * dt / (3600 * cellCapacity_Ah[i])
            }
            heatTotal_J += joule_J
            stepThermal(module: m, internalHeat_J: joule_J, dt: dt)
        }
        energy.joule_Wh += heatTotal_J / 3600
        time_ms += duration_ms
        updateTerminal(current: current)
        let power = current * terminalVoltage_V * dt / 3600
        if power > 0 { energy.dischargedOut_Wh += power } else { energy.chargedIn_Wh -= power }
    }

    /// Samples every sensor at the present state.
    public mutating func sample(into r: inout SensorReadings) {
        r.time_ms = time_ms
        sensors.sample(pack: self, into: &r)
    }

    /// A new sample of every sensor.
    public mutating func sample() -> SensorReadings {
        var r = SensorReadings(cellCount: definition.cellCount, moduleCount: definition.moduleCount)
        sample(into: &r)
        return r
    }

    private mutating func stepThermal(module m: Int, internalHeat_J: Double, dt: Double) {
        let t = definition.thermal
        let cells = Double(moduleBounds[m + 1] - moduleBounds[m])
        let heatCapacity = cells * definition.chemistry.cellHeatCapacity_JperK + t.enclosureHeatCapacity_JperK
        let duty = min(1, max(0, heaterDuty[m].isFinite ? heaterDuty[m] : 0))
        let heater_W = duty * t.heaterPower_W
        let power_W = internalHeat_J / dt + heater_W
        let t0 = moduleTemperature_C[m]
        // Exact solution of C dT/dt = P - UA (T - Ta) for constant P over the step.
        let tInf = t.ambient_C + power_W / t.insulationConductance_WperK
        let t1 = tInf + (t0 - tInf) * PlantMath.exp(-dt * t.insulationConductance_WperK / heatCapacity)
        moduleTemperature_C[m] = t1
        energy.heater_Wh += heater_W * dt / 3600
        energy.insulationLoss_Wh += (power_W * dt - heatCapacity * (t1 - t0)) / 3600
    }

    private mutating func updateTerminal(current: Double) {
        let chemistry = definition.chemistry
        var eSum = 0.0
        var rSum = 0.0
        var vSum = 0.0
        for m in 0..<definition.moduleCount {
            let r0Module = chemistry.r0(atTemperature_C: moduleTemperature_C[m])
            for i in moduleBounds[m]..<moduleBounds[m + 1] {
                let e = chemistry.ocv.voltage(atSoC: cellSoC[i]) - cellRCVoltage_V[i]
                let r0 = r0Module * cellResistanceScale[i]
                let v = e - current * r0
                cellVoltage_V[i] = v
                eSum += e
                rSum += r0
                vSum += v
            }
        }
        sumOpenCircuitMinusRC_V = eSum
        sumR0_ohm = rSum
        current_A = current
        terminalVoltage_V = vSum
    }
}

/// Running energy totals of a plant, Wh.
public struct EnergyLedger: Sendable, Equatable {
    /// Electrical energy delivered at the terminals while discharging.
    public var dischargedOut_Wh: Double = 0
    /// Electrical energy taken at the terminals while charging.
    public var chargedIn_Wh: Double = 0
    /// Electrical energy drawn by the heaters.
    public var heater_Wh: Double = 0
    /// Heat dissipated in the cells' resistances.
    public var joule_Wh: Double = 0
    /// Heat lost through the insulation to ambient.
    public var insulationLoss_Wh: Double = 0
}
