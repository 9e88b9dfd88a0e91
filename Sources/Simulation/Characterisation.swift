import BMSCore
import BatteryPlant

/// Characterising sample cells the way a battery lab does, through the plant and its sensors
/// only (never its parameters): the firmware's parameters come from here, and its accuracy is
/// then measured on other cells.
///
/// So far the slow-rate test (docs/characterisation.md): each sample cell, drawn from the
/// `production` population, is charged at C/20 to the datasheet's maximum voltage and held there
/// until the current falls below C/100 (full), rested, discharged at C/20 to the datasheet's
/// minimum voltage, rested, and charged at C/20 again. Its capacity is the charge of that
/// discharge; its OCV at each SoC is the mean of the discharge and the charge voltage there (the
/// IR drops of the two directions cancel). The firmware's table is the mean over the samples.
public enum Characterisation {
    /// What the test needs to know and may choose.
    public struct Options: Sendable {
        /// Sample cells drawn (each its own seed).
        public var samples = 4
        /// Seed of the draws (another than any scenario's: the firmware is measured on other cells).
        public var seed: UInt64 = 90_210
        /// Test rate as a fraction of the rated capacity per hour.
        public var rate = 0.05
        /// A lab's cycler: 0.2 mV cell-voltage noise, 2 mA current noise, 0.02 % gain, no offset.
        public var sensors = SensorSpecification(
            cellVoltage: ChannelErrors(noise: 0.0002, quantum: 0.0001), packVoltage: .ideal,
            current: ChannelErrors(noise: 0.002, gainError: 0.0002, quantum: 0.001), temperature: ChannelErrors(noise: 0.1, quantum: 0.1))
        public init() {}
    }

    /// The firmware's SoC break points (16, the table's capacity; denser at the ends).
    public static let tableSoC: [Double] = [0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1]

    /// What the slow-rate test found.
    public struct SlowRateResult: Sendable {
        /// Each sample's capacity at the test rate, Ah.
        public var capacities_Ah: [Double]
        /// The OCV table at `tableSoC`, mean over the samples, V.
        public var ocv_V: [Double]
        /// Half the gap between the charge and the discharge curve at each point, mean over the
        /// samples, V (the IR drop and hysteresis the mean cancels; a measure of the read's spread).
        public var halfGap_V: [Double]
        /// Spread of the samples' OCV at each point (standard deviation), V.
        public var sampleSpread_V: [Double]
        /// The temperature of the test, C.
        public var temperature_C: Double
    }

    /// Runs the slow-rate test on `options.samples` cells of `chemistry` at its reference temperature.
    public static func slowRate(_ chemistry: CellChemistry, options: Options = Options()) -> SlowRateResult {
        let t = chemistry.ocvReferenceTemperature_C
        var capacities: [Double] = []
        var tables: [[Double]] = []
        var gaps: [[Double]] = []
        for k in 0..<options.samples {
            var d = PackDefinition(
                chemistry: chemistry, topology: PackTopology(cellsPerString: 1), spread: .production, initialSoC: 0.5,
                initialTemperature_C: t, thermal: .isothermal(ambient_C: t), electrics: .directConnection, sensors: options.sensors,
                degradationEnabled: false)
            d.spread.initialSoC = 0
            var cell = BatteryPack(definition: d, seed: options.seed &+ UInt64(k))
            let curves = run(&cell, chemistry: chemistry, rate: options.rate)
            capacities.append(curves.capacity_Ah)
            var table: [Double] = []
            var gap: [Double] = []
            for soc in tableSoC {
                let down = interpolate(curves.discharge, at: soc)
                let up = interpolate(curves.charge, at: soc)
                table.append((down + up) / 2)
                gap.append((up - down) / 2)
            }
            tables.append(table)
            gaps.append(gap)
        }
        let n = Double(options.samples)
        let mean = tableSoC.indices.map { i in tables.reduce(0) { $0 + $1[i] } / n }
        let spread = tableSoC.indices.map { i in
            (tables.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[i] - mean[i]) } / max(1, n - 1)).squareRoot()
        }
        return SlowRateResult(
            capacities_Ah: capacities, ocv_V: mean, halfGap_V: tableSoC.indices.map { i in gaps.reduce(0) { $0 + $1[i] } / n },
            sampleSpread_V: spread, temperature_C: t)
    }

    /// Curves of measured voltage against SoC (by counted charge over the measured capacity).
    struct Curves {
        var capacity_Ah: Double
        var discharge: [(soc: Double, voltage: Double)]
        var charge: [(soc: Double, voltage: Double)]
    }

    /// The test sequence on one cell, by its sensors: CC-CV to full, rest, C/20 down, rest, C/20 up.
    static func run(_ cell: inout BatteryPack, chemistry: CellChemistry, rate: Double) -> Curves {
        let current = rate * chemistry.capacity_Ah
        let vMax = chemistry.limits.maximumVoltage_V
        let vMin = chemistry.limits.minimumVoltage_V
        let step: Int64 = 10_000
        let dt_h = Double(step) / 3_600_000
        cell.command(.closed)
        var r = cell.sample()
        // Constant current to the maximum voltage, then constant voltage until C/100.
        var guardSteps = 0
        while r.cellVoltages_V[0] < vMax, guardSteps < 100_000 {
            cell.step(current: -current, duration_ms: step)
            r = cell.sample()
            guardSteps += 1
        }
        guardSteps = 0
        while guardSteps < 100_000 {
            let hold = cell.currentRange(keepingTerminalVoltageWithin: -1e9...vMax).lowerBound
            let i = max(-current, hold)
            if -i < current / 5 { break }
            cell.step(current: i, duration_ms: step)
            guardSteps += 1
        }
        for _ in 0..<720 { cell.step(current: 0, duration_ms: step) }
        // Down at the test rate to the minimum voltage.
        var discharged = 0.0
        var down: [(Double, Double)] = []
        r = cell.sample()
        guardSteps = 0
        while r.cellVoltages_V[0] > vMin, guardSteps < 200_000 {
            cell.step(current: current, duration_ms: step)
            r = cell.sample()
            discharged += r.current_A * dt_h
            down.append((discharged, r.cellVoltages_V[0]))
            guardSteps += 1
        }
        for _ in 0..<720 { cell.step(current: 0, duration_ms: step) }
        // Up at the test rate to the maximum voltage.
        var charged = 0.0
        var up: [(Double, Double)] = []
        r = cell.sample()
        guardSteps = 0
        while r.cellVoltages_V[0] < vMax, guardSteps < 200_000 {
            cell.step(current: -current, duration_ms: step)
            r = cell.sample()
            charged -= r.current_A * dt_h
            up.append((charged, r.cellVoltages_V[0]))
            guardSteps += 1
        }
        let capacity = max(discharged, 1e-9)
        return Curves(
            capacity_Ah: capacity, discharge: down.map { (1 - $0.0 / capacity, $0.1) }.reversed(),
            charge: up.map { ($0.0 / capacity, $0.1) })
    }

    /// Linear interpolation of a curve sorted by SoC, held at its ends.
    static func interpolate(_ curve: [(soc: Double, voltage: Double)], at x: Double) -> Double {
        guard let first = curve.first, let last = curve.last else { return .nan }
        if x <= first.soc { return first.voltage }
        if x >= last.soc { return last.voltage }
        var lo = 0
        var hi = curve.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if curve[mid].soc <= x { lo = mid } else { hi = mid }
        }
        let a = curve[lo]
        let b = curve[hi]
        return b.soc > a.soc ? a.voltage + (x - a.soc) / (b.soc - a.soc) * (b.voltage - a.voltage) : a.voltage
    }

    /// `base` with the slow-rate test's capacity (the samples' mean) and OCV table.
    public static func firmware(_ base: FirmwareDefinition, slowRate s: SlowRateResult) throws -> FirmwareDefinition {
        var f = base
        let capacity = s.capacities_Ah.reduce(0, +) / Double(s.capacities_Ah.count)
        f.model.capacity = AmpereHours(Float(capacity))
        // The voltage must not fall with SoC in the table (noise at a flat plateau may nudge it).
        var volts = s.ocv_V
        for i in 1..<volts.count where volts[i] < volts[i - 1] { volts[i] = volts[i - 1] }
        f.model.ocv = try OCVTable(count: tableSoC.count) { (Float(tableSoC[$0]), Float(volts[$0])) }
        f.model.ocvReference = Celsius(Float(s.temperature_C))
        return f
    }
}
