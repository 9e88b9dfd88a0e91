import BMSCore
import BatteryPlant
import Foundation

private func ln(_ x: Double) -> Double { Foundation.log(x) }
private func exponential(_ x: Double) -> Double { Foundation.exp(x) }

/// Characterising sample cells the way a battery lab does, through the plant and its sensors
/// only (never its parameters): the firmware's parameters come from here, and its accuracy is
/// then measured on other cells.
///
/// So far the slow-rate test (docs/characterisation.md): each sample cell, drawn from the
/// `production` population, is charged at C/20 to the datasheet's maximum voltage and held there
/// until the current falls below C/1000 (full), rested, discharged at C/20 to the datasheet's
/// minimum voltage and held there to C/1000, rested, and charged at C/20 again. Its capacity is
/// the charge of that discharge; its OCV at each SoC is the mean of the discharge and the charge
/// voltage there (the IR drops of the two directions cancel). The firmware's table is the mean
/// over the samples.
public enum Characterisation {
    /// What the test needs to know and may choose.
    public struct Options: Sendable {
        /// Sample cells drawn (each its own seed): 8, so that the table's standard error (the
        /// production spread of about 1.5 mV over the square root of 8) stays near 0.5 mV, half
        /// a percent of SoC on the NVP plateau's 0.1 V per unit.
        public var samples = 8
        /// Seed of the draws (another than any scenario's: the firmware is measured on other cells).
        public var seed: UInt64 = 90_210
        /// Test rate as a fraction of the rated capacity per hour.
        public var rate = 0.05
        /// Where every constant-voltage hold at a cut-off ends, as a fraction of the rated
        /// capacity per hour: C/1000. The SoC scale's 0 and 100 % are the equilibria these holds
        /// reach; at C/100 a Na-S cell's hold at 1.78 V stopped 4.7 mV of IR drop and polarisation
        /// short of it, 0.55 % of charge up its 0.8 V per unit foot, which the firmware then read
        /// as a steady 0.4 ... 0.55 % SoC error down the whole slope (docs/characterisation.md).
        public var holdEndRate = 0.001
        /// A lab's cycler: 0.2 mV cell-voltage noise, 2 mA current noise, 0.02 % gain, no offset.
        public var sensors = SensorSpecification(
            cellVoltage: ChannelErrors(noise: 0.0002, quantum: 0.0001), packVoltage: .ideal,
            current: ChannelErrors(noise: 0.002, gainError: 0.0002, quantum: 0.001), temperature: ChannelErrors(noise: 0.1, quantum: 0.1))
        public init() {}
    }


    /// Sample cell `index` (seed `options.seed + index`) of `chemistry` drawn from the
    /// `production` population, alone and isothermal at `temperature_C`, at `soc`, with the lab's
    /// sensors (and its interface degradation on for destructive tests); `ageing` gives a worn
    /// sample (a cell returned from service, or aged in the lab's ovens).
    static func sample(
        _ chemistry: CellChemistry, index: Int, soc: Double, temperature_C t: Double, options: Options, degradation: Bool = false,
        ageing: AgeingState = .new
    ) -> BatteryPack {
        var d = PackDefinition(
            chemistry: chemistry, topology: PackTopology(cellsPerString: 1), spread: .production, initialSoC: soc,
            initialTemperature_C: t, thermal: .isothermal(ambient_C: t), electrics: .directConnection, sensors: options.sensors,
            degradationEnabled: degradation)
        d.spread.initialSoC = 0
        d.ageing = ageing
        return BatteryPack(definition: d, seed: options.seed &+ UInt64(index))
    }

    /// What the slow-rate test found.
    public struct SlowRateResult: Sendable {
        /// Each sample's capacity between the cut-offs, Ah.
        public var capacities_Ah: [Double]
        /// The table's SoC break points (`tablePoints` of them, where the measured curve bends).
        public var soc: [Double]
        /// The OCV table at `soc`, mean over the samples, V.
        public var ocv_V: [Double]
        /// Half the gap between the charge and the discharge curve at each point, mean over the
        /// samples, V (the IR drop and hysteresis the mean cancels; a measure of the read's spread).
        public var halfGap_V: [Double]
        /// Spread of the samples' OCV at each point (standard deviation), V.
        public var sampleSpread_V: [Double]
        /// The table's uncertainty for a string's mean cell from this test alone: the samples'
        /// spread on 10 ... 90 % (RMS) over the square root of their number, and at least the
        /// cycler's 0.2 mV, V (the firmware's widens it by the rested test's disagreement:
        /// `firmware(_:slowRate:hysteresis:)`).
        public var uncertainty_V: Double
        /// The largest SoC error of reading the dense measured curve through the table, %.
        public var tableError_pct: Double
        /// The temperature of the test, C.
        public var temperature_C: Double
    }

    /// The measured curve's SoC grid (0.25 % steps) and the firmware table's size.
    static let denseSoC: [Double] = (0...400).map { Double($0) / 400 }
    public static let tablePoints = 16

    /// Runs the slow-rate test on `options.samples` cells of `chemistry` at the datasheet's OCV
    /// reference temperature, between its maximum-operating voltages, at its rated capacity's rate.
    public static func slowRate(_ chemistry: CellChemistry, datasheet: FirmwareDefinition, options: Options = Options()) -> SlowRateResult {
        let t = Double(datasheet.model.ocvReference.value)
        var capacities: [Double] = []
        var tables: [[Double]] = []
        var gaps: [[Double]] = []
        for k in 0..<options.samples {
            var cell = sample(chemistry, index: k, soc: 0.5, temperature_C: t, options: options)
            let curves = run(&cell, datasheet: datasheet, rate: options.rate, holdEndRate: options.holdEndRate)
            capacities.append(curves.capacity_Ah)
            var table: [Double] = []
            var gap: [Double] = []
            for soc in denseSoC {
                let down = interpolate(curves.discharge, at: soc)
                let up = interpolate(curves.charge, at: soc)
                gap.append((up - down) / 2)
                // The ends are the rested voltages at full and at empty: there the loaded curves
                // stop at the cut-offs and their mean is not an OCV.
                table.append(soc == 0 ? curves.restedEmpty_V : soc == 1 ? curves.restedFull_V : (down + up) / 2)
            }
            tables.append(table)
            gaps.append(gap)
        }
        let n = Double(options.samples)
        var mean = denseSoC.indices.map { i in tables.reduce(0) { $0 + $1[i] } / n }
        // The voltage must not fall with SoC (noise at a flat plateau may nudge it).
        for i in 1..<mean.count where mean[i] < mean[i - 1] { mean[i] = mean[i - 1] }
        let spread = denseSoC.indices.map { i in
            (tables.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[i] - mean[i]) } / max(1, n - 1)).squareRoot()
        }
        let knots = breakPoints(mean, count: tablePoints)
        let middle = denseSoC.indices.filter { (0.1...0.9).contains(denseSoC[$0]) }
        let rmsSpread = (middle.reduce(0) { $0 + spread[$1] * spread[$1] } / Double(middle.count)).squareRoot()
        return SlowRateResult(
            capacities_Ah: capacities, soc: knots.indices.map { denseSoC[$0] }, ocv_V: knots.indices.map { mean[$0] },
            halfGap_V: knots.indices.map { i in gaps.reduce(0) { $0 + $1[i] } / n }, sampleSpread_V: knots.indices.map { spread[$0] },
            uncertainty_V: max(rmsSpread / n.squareRoot(), 0.0002), tableError_pct: knots.error * 100, temperature_C: t)
    }

    /// Where the table's `count` break points go on the dense curve `v` (over `denseSoC`): both
    /// ends, then one at a time where reading the curve through the table errs most in SoC (the
    /// voltage error over the local slope, at least 0.05 V per unit): a lab places its points
    /// where the curve bends, not on a fixed grid that cuts a bend's corner (the NVP cell's rise
    /// above 92 % read through 90 and 95 % points is 1.5 % SoC off).
    static func breakPoints(_ v: [Double], count: Int) -> (indices: [Int], error: Double) {
        let n = v.count
        let slope = (0..<n).map { i -> Double in
            let a = max(0, i - 4)
            let b = min(n - 1, i + 4)
            return max(0.05, (v[b] - v[a]) / (denseSoC[b] - denseSoC[a]))
        }
        var knots = [0, n - 1]
        func worst() -> (index: Int, error: Double) {
            var best = (index: -1, error: 0.0)
            var k = 0
            for i in 0..<n {
                while knots[k + 1] < i { k += 1 }
                let a = knots[k]
                let b = knots[k + 1]
                let line = b == a ? v[a] : v[a] + (v[b] - v[a]) * Double(i - a) / Double(b - a)
                let e = abs(line - v[i]) / slope[i]
                if e > best.error { best = (i, e) }
            }
            return best
        }
        while knots.count < count {
            let w = worst()
            guard w.index >= 0, w.error > 0 else { break }
            knots.append(w.index)
            knots.sort()
        }
        return (knots, worst().error)
    }

    /// Curves of measured voltage against SoC (by counted charge over the measured capacity).
    struct Curves {
        var capacity_Ah: Double
        /// Voltages after the two-hour rests at full (after the CV hold) and at empty.
        var restedFull_V: Double
        var restedEmpty_V: Double
        var discharge: [(soc: Double, voltage: Double)]
        var charge: [(soc: Double, voltage: Double)]
    }

    /// The test sequence on one cell, by its sensors: CC-CV to full, rest, C/20 CC-CV down, rest,
    /// C/20 up.
    static func run(_ cell: inout BatteryPack, datasheet: FirmwareDefinition, rate: Double, holdEndRate: Double) -> Curves {
        let current = rate * Double(datasheet.model.capacity.value)
        let holdEnd = holdEndRate * Double(datasheet.model.capacity.value)
        let vMin = Double(datasheet.limits.operatingVoltage.0)
        let vMax = Double(datasheet.limits.operatingVoltage.1)
        let step: Int64 = 10_000
        let dt_h = Double(step) / 3_600_000
        cell.command(.closed)
        var r = cell.sample()
        // Constant current to the maximum voltage, then constant voltage until C/1000.
        var guardSteps = 0
        while r.cellVoltages_V[0] < vMax, guardSteps < 100_000 {
            cell.step(current: -current, duration_ms: step)
            r = cell.sample()
            guardSteps += 1
        }
        var uncounted = 0.0
        constantVoltage(&cell, at: vMax, charging: true, current: current, until: holdEnd, step: step, counting: false, into: &uncounted)
        for _ in 0..<720 { cell.step(current: 0, duration_ms: step) }
        let restedFull = cell.sample().cellVoltages_V[0]
        // Down at the test rate to the minimum voltage.
        var discharged = 0.0
        var down: [(Double, Double)] = []
        r = cell.sample()
        guardSteps = 0
        var downInterrupts: [(soc: Double, voltage: Double)] = []
        while r.cellVoltages_V[0] > vMin, guardSteps < 200_000 {
            cell.step(current: current, duration_ms: step)
            r = cell.sample()
            discharged += r.current_A * dt_h
            down.append((discharged, r.cellVoltages_V[0]))
            guardSteps += 1
            if guardSteps % interruptSteps == 0, let ohmic = interrupt(&cell, loaded: r) { downInterrupts.append((discharged, ohmic)) }
        }
        // Then constant voltage at the minimum until C/1000, as at the top: the capacity is the
        // charge between the two equilibria at the cut-offs, not a C/20 capacity that the IR
        // drop would cut short at one end only.
        constantVoltage(&cell, at: vMin, charging: false, current: current, until: holdEnd, step: step, counting: true, into: &discharged)
        for _ in 0..<720 { cell.step(current: 0, duration_ms: step) }
        let restedEmpty = cell.sample().cellVoltages_V[0]
        // Up at the test rate to the maximum voltage.
        var charged = 0.0
        var up: [(Double, Double)] = []
        r = cell.sample()
        guardSteps = 0
        var upInterrupts: [(soc: Double, voltage: Double)] = []
        while r.cellVoltages_V[0] < vMax, guardSteps < 200_000 {
            cell.step(current: -current, duration_ms: step)
            r = cell.sample()
            charged -= r.current_A * dt_h
            up.append((charged, r.cellVoltages_V[0]))
            guardSteps += 1
            if guardSteps % interruptSteps == 0, let ohmic = interrupt(&cell, loaded: r) { upInterrupts.append((charged, ohmic)) }
        }
        // Each curve less its own IR drop: the charge and the discharge follow different
        // resistances (a ZEBRA charge reacts next to the separator), and the plain mean of the
        // two curves would be off by half the difference (on a flat plateau, tens of % of SoC).
        let downOhmic = smoothed(downInterrupts)
        let upOhmic = smoothed(upInterrupts)
        let capacity = max(discharged, 1e-9)
        return Curves(
            capacity_Ah: capacity, restedFull_V: restedFull, restedEmpty_V: restedEmpty,
            discharge: down.map { (1 - $0.0 / capacity, $0.1 + current * interpolate(downOhmic, at: $0.0)) }.reversed(),
            charge: up.map { ($0.0 / capacity, $0.1 - current * interpolate(upOhmic, at: $0.0)) })
    }

    /// Steps between the slow-rate test's current interruptions (one per 12 minutes: 1 % of
    /// capacity at C/20).
    static let interruptSteps = 72

    /// A current interruption: 1 s at no current; the jump of the voltage over the current is
    /// the ohmic resistance with the fast arcs (a cycler's current-interrupt method). Nil when the
    /// current was too small to read.
    static func interrupt(_ cell: inout BatteryPack, loaded: SensorReadings) -> Double? {
        let i = loaded.current_A
        guard abs(i) > 1e-3 else { return nil }
        cell.step(current: 0, duration_ms: 1000)
        return (cell.sample().cellVoltages_V[0] - loaded.cellVoltages_V[0]) / i
    }

    /// A running mean over five interruptions (one reading's noise is about the cycler's
    /// voltage noise over the current), as a curve of resistance against counted charge.
    static func smoothed(_ points: [(soc: Double, voltage: Double)]) -> [(soc: Double, voltage: Double)] {
        points.indices.map { k in
            let window = points[max(0, k - 2)...min(points.count - 1, k + 2)]
            return (points[k].soc, window.reduce(0) { $0 + $1.voltage } / Double(window.count))
        }
    }

    /// A cycler's constant-voltage phase: the current (at most `current`) that holds the
    /// terminal at `voltage` from the charging or the discharging side, until it has tapered
    /// below `end` (A). With `counting`, each step's measured current is read and the charge it
    /// moved added to `total`, Ah (positive = discharged); without, no reading is taken.
    static func constantVoltage(
        _ cell: inout BatteryPack, at voltage: Double, charging: Bool, current: Double, until end: Double, step: Int64,
        counting: Bool, into total: inout Double
    ) {
        let sign: Double = charging ? -1 : 1
        for _ in 0..<100_000 {
            let range = cell.currentRange(keepingTerminalVoltageWithin: charging ? -1e9...voltage : voltage...1e9)
            let i = sign * min(current, sign * (charging ? range.lowerBound : range.upperBound))
            if sign * i < end { break }
            cell.step(current: i, duration_ms: step)
            if counting { total += cell.sample().current_A * Double(step) / 3_600_000 }
        }
    }

    /// Least-squares line y = a + b x (b = 0 when every x is the same), its RMS residual and the
    /// means of x and y: the pulse test's resistance lines and relaxation, the Weibull fit and
    /// the partial-cycle test share it.
    static func lineFit(_ x: [Double], _ y: [Double]) -> (a: Double, b: Double, rms: Double, meanX: Double, meanY: Double) {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let b = sxx > 0 ? sxy / sxx : 0
        let a = my - b * mx
        let squares = zip(x, y).reduce(0) { $0 + ($1.1 - a - b * $1.0) * ($1.1 - a - b * $1.0) }
        return (a, b, (squares / n).squareRoot(), mx, my)
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

    /// What the pulse test found (means over the samples, at the reference temperature).
    public struct PulseResult: Sendable {
        /// Ohmic resistance seen by a 100 ms step at each pulse SoC, ohms.
        public var pulseSoC: [Double]
        public var ohmic_ohm: [Double]
        /// The polarisation element from the 1 C relaxations: resistance and time constant (means).
        public var polarisation_ohm: Double
        public var timeConstant_s: Double
        /// The polarisation resistance from a C/5 pulse at 50 % (a minute long), ohms.
        public var lowCurrentPolarisation_ohm: Double = .nan
        /// The pulses' currents (1 C, C/5), A.
        public var pulseCurrents_A: (high: Double, low: Double) = (.nan, .nan)
        /// The Butler-Volmer exchange current the two pulses' resistances give (nil: the
        /// polarisation does not fall with current: linear), A.
        public var exchangeCurrent_A: Double?
        /// The small-signal polarisation resistance (the 1 C one over asinh(x) / x), ohms.
        public var smallSignalPolarisation_ohm: Double {
            guard let i0 = exchangeCurrent_A else { return polarisation_ohm }
            return polarisation_ohm / Characterisation.asinhRatio(pulseCurrents_A.high / (2 * i0))
        }
        /// The ohmic resistance at 50 % SoC, `warmer_K` above the reference, ohms; and the
        /// activation energy it gives, eV (with a reaction front: that of the resistance at full,
        /// from the two temperatures' fits, and the front's own).
        public var warmerOhmic_ohm: Double
        public var warmer_K: Double
        public var activationEnergy_eV: Double
        public var frontActivationEnergy_eV: Double?
        /// Linear fit of the ohmic resistance against depth of discharge: at full, and its rise per unit DoD.
        public var ohmicAtFull_ohm: Double
        public var risePerDepth_ohm: Double
        /// dOCV/dT from the rested voltage before the 50 % pulse at both temperatures (with a
        /// reaction front, before every pulse), V/K.
        public var ocvTemperatureCoefficient_V_per_K: Double
    }

    /// SoCs of the pulses (HPPC-style: rest, then a 10 s discharge pulse at 1 C, then relaxation).
    public static let pulseSoC: [Double] = [0.9, 0.7, 0.5, 0.3, 0.15]

    /// Runs the pulse test on the samples at the datasheet's reference temperature (and at 50 %
    /// SoC 20 K warmer), at 1 C of the rated capacity.
    public static func pulses(_ chemistry: CellChemistry, datasheet: FirmwareDefinition, options: Options = Options()) -> PulseResult {
        let t = Double(datasheet.model.resistanceReference.value)
        let rated = Double(datasheet.model.capacity.value)
        let warmer = 20.0
        var ohmic = Array(repeating: 0.0, count: pulseSoC.count)
        // With a reaction front the warmer run pulses at every SoC too: the front and the
        // ceramic have activation energies of their own.
        let hasFront = datasheet.model.resistancePerDepthOfDischarge.value > 0
        var warmOhmic = Array(repeating: 0.0, count: pulseSoC.count)
        var rp = 0.0
        var rpLow = 0.0
        var tau = 0.0
        var warm = 0.0
        var rested = [0.0, 0.0]
        for k in 0..<options.samples {
            for (index, temperature) in [t, t + warmer].enumerated() {
                var cell = sample(chemistry, index: k, soc: 1, temperature_C: temperature, options: options)
                // The same cell, measured again: its readings' noise must not repeat the first
                // run's draw for draw (a difference of two runs would cancel it exactly).
                if index == 1 { for _ in 0..<7 { _ = cell.sample() } }
                cell.command(.closed)
                let targets = index == 0 || hasFront ? pulseSoC : [0.5]
                var soc = 1.0
                for (j, target) in targets.enumerated() {
                    // Down to the target at C/5 by counted charge, then an hour's rest.
                    while soc > target {
                        cell.step(current: rated / 5, duration_ms: 10_000)
                        soc -= cell.sample().current_A * 10 / 3600 / rated
                    }
                    let p = pulse(&cell, current: rated)
                    soc -= 10.0 / 3600  // 10 s at 1 C
                    // dOCV/dT from the rested voltages at every SoC both runs pulse at.
                    if target == 0.5 || hasFront { rested[index] += p.rested }
                    if index == 0 {
                        ohmic[j] += p.ohmic
                        if target == 0.5 {
                            rp += p.polarisation
                            tau += p.timeConstant
                            // The same SoC at a fifth of the current, held until the element has
                            // settled (five time constants): how the polarisation depends on the
                            // current.
                            let low = settledPulse(&cell, current: rated / 5, timeConstant_s: p.timeConstant, ohmic_ohm: p.ohmic)
                            rpLow += low.polarisation
                            soc -= low.duration_s / 5 / 3600
                        }
                    } else {
                        if target == 0.5 { warm += p.ohmic }
                        if hasFront { warmOhmic[j] += p.ohmic }
                    }
                }
            }
        }
        let n = Double(options.samples)
        ohmic = ohmic.map { $0 / n }
        let mid = ohmic[pulseSoC.firstIndex(of: 0.5)!]
        let t1 = t + kelvinOffset
        let t2 = t1 + warmer
        let ea = boltzmannEV * ln(mid / (warm / n)) / (1 / t1 - 1 / t2)
        // Least squares R = a + k (1 - soc), at each temperature.
        let x = pulseSoC.map { 1 - $0 }
        let line = lineFit(x, ohmic)
        var ohmicEa = ea
        var frontEa: Double? = nil
        if hasFront {
            let warmLine = lineFit(x, warmOhmic.map { $0 / n })
            if line.a > 0, warmLine.a > 0 { ohmicEa = boltzmannEV * ln(line.a / warmLine.a) / (1 / t1 - 1 / t2) }
            if line.b > 0, warmLine.b > 0 { frontEa = boltzmannEV * ln(line.b / warmLine.b) / (1 / t1 - 1 / t2) }
        }
        return PulseResult(
            pulseSoC: pulseSoC, ohmic_ohm: ohmic, polarisation_ohm: rp / n, timeConstant_s: tau / n, lowCurrentPolarisation_ohm: rpLow / n,
            pulseCurrents_A: (rated, rated / 5), exchangeCurrent_A: exchangeCurrent(high: (rated, rp / n), low: (rated / 5, rpLow / n)),
            warmerOhmic_ohm: warm / n, warmer_K: warmer, activationEnergy_eV: ohmicEa, frontActivationEnergy_eV: frontEa,
            ohmicAtFull_ohm: line.a, risePerDepth_ohm: line.b,
            ocvTemperatureCoefficient_V_per_K: (rested[1] - rested[0]) / n / warmer / Double(hasFront ? pulseSoC.count : 1))
    }

    /// asinh(x) / x (1 at 0).
    static func asinhRatio(_ x: Double) -> Double { abs(x) < 1e-9 ? 1 : Foundation.asinh(x) / x }

    /// The exchange current I0 for which a symmetric Butler-Volmer element's resistance,
    /// R0 asinh(x) / x with x = I / 2 I0, falls from the `low` pulse's to the `high` one's (nil
    /// when it does not fall: the element is linear).
    static func exchangeCurrent(high: (current: Double, resistance: Double), low: (current: Double, resistance: Double)) -> Double? {
        let ratio = high.resistance / low.resistance
        guard ratio.isFinite, ratio > 0, ratio < 1, high.current > low.current, low.current > 0 else { return nil }
        // The ratio rises from low / high (I0 -> 0) to 1 (I0 -> infinity): bisect on ln I0.
        func ratioAt(_ i0: Double) -> Double { asinhRatio(high.current / (2 * i0)) / asinhRatio(low.current / (2 * i0)) }
        var lo = Foundation.log(high.current * 1e-4)
        var hi = Foundation.log(high.current * 1e4)
        guard ratio > ratioAt(Foundation.exp(lo)), ratio < ratioAt(Foundation.exp(hi)) else { return nil }
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if ratioAt(Foundation.exp(mid)) < ratio { lo = mid } else { hi = mid }
        }
        return Foundation.exp((lo + hi) / 2)
    }

    /// One pulse on a rested cell: 10 s at `current` in 100 ms steps, then two minutes of
    /// relaxation in 1 s steps and a 30-minute rest. The ohmic resistance is the first 100 ms
    /// step's drop over the current; the polarisation element comes from a log-linear fit of the
    /// relaxation (1 ... 60 s) against the rested voltage.
    static func pulse(
        _ cell: inout BatteryPack, current: Double, duration_s: Int = 10
    ) -> (ohmic: Double, polarisation: Double, timeConstant: Double, rested: Double) {
        for _ in 0..<360 { cell.step(current: 0, duration_ms: 10_000) }
        // Ten readings averaged: the rested voltage before the pulse.
        var before = 0.0
        for _ in 0..<10 {
            cell.step(current: 0, duration_ms: 100)
            before += cell.sample().cellVoltages_V[0] / 10
        }
        cell.step(current: current, duration_ms: 100)
        let first = cell.sample()
        let ohmic = (before - first.cellVoltages_V[0]) / first.current_A
        for _ in 1..<(duration_s * 10) { cell.step(current: current, duration_ms: 100) }
        var relaxation: [(Double, Double)] = []
        for s in 1...120 {
            cell.step(current: 0, duration_ms: 1000)
            relaxation.append((Double(s), cell.sample().cellVoltages_V[0]))
        }
        for _ in 0..<180 { cell.step(current: 0, duration_ms: 10_000) }
        let rested = cell.sample().cellVoltages_V[0]
        // ln(rested - v(t)) = ln A - t / tau over 1 ... 60 s, where the gap is well above the noise.
        let points = relaxation.filter { $0.0 <= 60 && rested - $0.1 > 0.0005 }.map { ($0.0, ln(rested - $0.1)) }
        guard points.count >= 5 else { return (ohmic, 0, 1, before) }
        let fit = lineFit(points.map(\.0), points.map(\.1))
        let decay = -fit.b
        guard decay > 0 else { return (ohmic, 0, 1, before) }
        let timeConstant = 1 / decay
        let amplitude = exponential(fit.a)
        let polarisation = amplitude / (current * (1 - exponential(-Double(duration_s) / timeConstant)))
        return (ohmic, polarisation, timeConstant, before)
    }

    /// A long pulse on a rested cell at `current`, for five of the polarisation's time constants
    /// (at least a minute) in 100 ms steps: its settled drop, the rested voltage half an hour
    /// after it (the OCV at the pulse's end, with whatever charge and hysteresis it moved) less
    /// the last second's mean reading, over the current, less `ohmic_ohm`, is the polarisation
    /// resistance at that current. No relaxation fit: at a small current the relaxation's tail
    /// sinks into the readings' noise within a few time constants.
    static func settledPulse(
        _ cell: inout BatteryPack, current: Double, timeConstant_s: Double, ohmic_ohm: Double
    ) -> (polarisation: Double, duration_s: Double) {
        for _ in 0..<360 { cell.step(current: 0, duration_ms: 10_000) }
        let steps = Int(max(60, min(1800, 5 * timeConstant_s)) * 10)
        var settled = 0.0
        for k in 0..<steps {
            cell.step(current: current, duration_ms: 100)
            if k >= steps - 10 { settled += cell.sample().cellVoltages_V[0] / 10 }
        }
        for _ in 0..<180 { cell.step(current: 0, duration_ms: 10_000) }
        var rested = 0.0
        for _ in 0..<10 {
            cell.step(current: 0, duration_ms: 100)
            rested += cell.sample().cellVoltages_V[0] / 10
        }
        return ((rested - settled) / current - ohmic_ohm, Double(steps) / 10)
    }

    /// `base` with the slow-rate test's capacity (the samples' mean) and OCV table.
    public static func firmware(_ base: FirmwareDefinition, slowRate s: SlowRateResult) throws -> FirmwareDefinition {
        var f = base
        let capacity = s.capacities_Ah.reduce(0, +) / Double(s.capacities_Ah.count)
        f.model.capacity = AmpereHours(Float(capacity))
        f.model.ocv = try OCVTable(count: s.soc.count) { (Float(s.soc[$0]), Float(s.ocv_V[$0])) }
        f.model.ocvReference = Celsius(Float(s.temperature_C))
        f.model.ocvUncertainty = Volts(Float(s.uncertainty_V))
        return f
    }

    /// `base` with the pulse test's resistances, time constant and activation energy. The
    /// model's structure stays the base's: a base without a reaction front keeps none.
    public static func firmware(_ base: FirmwareDefinition, pulses p: PulseResult, temperature_C: Double) -> FirmwareDefinition {
        var f = base
        let hasFront = base.model.resistancePerDepthOfDischarge.value > 0
        f.model.ohmicResistance = Ohms(Float(hasFront ? p.ohmicAtFull_ohm : p.ohmic_ohm.reduce(0, +) / Double(p.ohmic_ohm.count)))
        f.model.resistancePerDepthOfDischarge = Ohms(Float(hasFront ? max(0, p.risePerDepth_ohm) : 0))
        f.model.interfaceResistance = Ohms(min(f.model.interfaceResistance.value, f.model.ohmicResistance.value))
        f.model.ocvTemperatureCoefficient = Float(p.ocvTemperatureCoefficient_V_per_K)
        f.model.polarisationResistance = Ohms(Float(p.smallSignalPolarisation_ohm))
        f.model.polarisationExchangeCurrent = p.exchangeCurrent_A.map { Amperes(Float($0)) }
        f.model.polarisationTimeConstant = Seconds(Float(p.timeConstant_s))
        f.model.resistanceActivationEnergy_eV = Float(max(0, p.activationEnergy_eV))
        f.model.frontActivationEnergy_eV = hasFront ? p.frontActivationEnergy_eV.map { Float(max(0, $0)) } : nil
        f.model.resistanceReference = Celsius(Float(temperature_C))
        return f
    }

    /// `base` with the impedance test's interface share (at most the ohmic resistance).
    public static func firmware(_ base: FirmwareDefinition, impedance z: ImpedanceResult) -> FirmwareDefinition {
        var f = base
        f.model.interfaceResistance = Ohms(min(Float(z.interface_ohm), f.model.ohmicResistance.value))
        return f
    }

    /// Every test's findings and the firmware definition they make.
    public struct Report: Sendable {
        public var slowRate: SlowRateResult
        public var pulses: PulseResult
        public var impedance: ImpedanceResult
        /// Nil for cells without a CCD (the datasheet has none).
        public var criticalCurrent: CriticalCurrentResult?
        /// Nil for cells without a reaction front (the datasheet has none).
        public var reactionZone: ReactionZoneResult?
        /// The rested-voltage and reversal tests' hysteresis (transition charge nil: none measurable).
        public var hysteresis: HysteresisResult
        public var firmware: FirmwareDefinition
    }

    /// Runs the slow-rate, rested-voltage (hysteresis), pulse, impedance and (where the
    /// datasheet has them) CCD and partial-cycle tests on sample cells of `chemistry` and writes
    /// what they measured over `datasheet` (whose limits, rated capacity and reference
    /// temperatures set the tests; every measured parameter is replaced).
    public static func characterise(_ chemistry: CellChemistry, datasheet: FirmwareDefinition, options: Options = Options()) throws -> Report {
        let s = slowRate(chemistry, datasheet: datasheet, options: options)
        let h = hysteresis(chemistry, datasheet: datasheet, slowRate: s, options: options)
        let p = pulses(chemistry, datasheet: datasheet, options: options)
        let z = impedance(chemistry, datasheet: datasheet, options: options)
        let c = criticalCurrent(chemistry, datasheet: datasheet, options: options)
        var f = firmware(firmware(try firmware(try firmware(datasheet, slowRate: s), slowRate: s, hysteresis: h), pulses: p, temperature_C: Double(datasheet.model.resistanceReference.value)), impedance: z)
        if let c { f = firmware(f, criticalCurrent: c) }
        let r = reactionZone(chemistry, datasheet: datasheet, options: options)
        if let r { f = firmware(f, reactionZone: r) }
        return Report(slowRate: s, pulses: p, impedance: z, criticalCurrent: c, reactionZone: r, hysteresis: h, firmware: f)
    }
}
