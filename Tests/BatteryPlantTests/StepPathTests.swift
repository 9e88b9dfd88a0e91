import Testing

@testable import BatteryPlant

/// The plant's two integrations of a cell agree: the fast path (cells that carry their string's
/// current, heat and equivalents summed per run of cells) and the general one (`advance`, every
/// cell on its own), which algebraically give the same exact zero-order-hold results.
@Suite("Plant step paths")
struct StepPathTests {
    /// Runs `definition` twice on the same seeded current profile, once with every cell forced
    /// through the general path, and compares everything the plant reports.
    static func compare(_ definition: PackDefinition, steps: Int, step_ms: Int64, amplitude: Double) {
        var fast = BatteryPack(definition: definition, seed: 7)
        var general = BatteryPack(definition: definition, seed: 7)
        general.generalPathOnly = true
        fast.command(.closed)
        general.command(.closed)
        var random = SeededRandom(seed: 11)
        func close(_ a: Double, _ b: Double, _ what: String) {
            #expect(abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)), "\(what): fast \(a), general \(b)")
        }
        for k in 0..<steps {
            let current = amplitude * (random.uniform() * 2 - 1)
            fast.step(current: current, duration_ms: step_ms)
            general.step(current: current, duration_ms: step_ms)
            if k % 97 == 0 || k == steps - 1 {
                close(fast.terminalVoltage_V, general.terminalVoltage_V, "terminal voltage at step \(k)")
                for i in 0..<definition.cellCount {
                    close(fast.cellVoltage_V[i], general.cellVoltage_V[i], "cell \(i) voltage at step \(k)")
                    close(fast.cellSoC[i], general.cellSoC[i], "cell \(i) SoC at step \(k)")
                }
                for m in 0..<definition.moduleCount {
                    close(fast.moduleTemperature_C[m], general.moduleTemperature_C[m], "module \(m) temperature at step \(k)")
                }
                for s in fast.stringCurrent_A.indices {
                    close(fast.stringCurrent_A[s], general.stringCurrent_A[s], "string \(s) current at step \(k)")
                }
            }
        }
        close(fast.energy.joule_Wh, general.energy.joule_Wh, "Joule heat")
        close(fast.energy.reversible_Wh, general.energy.reversible_Wh, "reversible heat")
        close(fast.energy.dischargedOut_Wh, general.energy.dischargedOut_Wh, "energy out")
        #expect(fast.energy.joule_Wh > 0)
    }

    @Test(arguments: [100 as Int64, 1000])
    func aZebraStringAgrees(step_ms: Int64) {
        var d = PackDefinition.zebraString(cellCount: 24, initialSoC: 0.6)
        d.degradationEnabled = false
        Self.compare(d, steps: 3000, step_ms: step_ms, amplitude: 40)
    }

    @Test func parallelStringsWithSpreadAndDegradationAgree() {
        var d = PackDefinition.standard(.nasicon, cellsPerString: 8, initialSoC: 0.5)
        d.topology = PackTopology(stringsInParallel: 2, cellsPerString: 8, moduleCount: 2)
        Self.compare(d, steps: 3000, step_ms: 1000, amplitude: 10)
    }
}

/// The Joule heat the plant books equals the electrical loss at the cells' terminals: the
/// integral of I (OCV - V) over a run that ends at rest (nothing left in the RC elements).
@Suite("Joule heat against the electrical loss")
struct JouleHeatTests {
    @Test(arguments: [false, true]) func jouleHeatIsTheElectricalLoss(generalPath: Bool) {
        // RC elements of 10 s, sampled at 1 ms: the rectangle rule is good to about 5e-5.
        let chemistry = theveninChemistry(rc: [(0.005, 2000), (0.002, 5000)])
        var pack = BatteryPack(definition: idealPack(chemistry, cells: 3, soc: 0.6), seed: 1)
        pack.generalPathOnly = generalPath
        pack.command(.closed)
        var loss_J = 0.0
        var random = SeededRandom(seed: 5)
        var current = 0.0
        let active = 600_000  // 10 min of 1 ms steps, the current changing every 5 s
        for k in 0..<(2 * active) {
            if k < active, k % 5000 == 0 { current = 60 * (random.uniform() * 2 - 1) }
            if k == active { current = 0 }  // then 10 min at rest
            pack.step(current: current, duration_ms: 1)
            for i in 0..<pack.cellCount {
                let ocv = pack.cells[i].ocv + pack.modules[pack.module(ofCell: i)].ocvShift_V
                loss_J += pack.cellCurrent_A[i] * (ocv - pack.cellVoltage_V[i]) * 0.001
            }
        }
        let heat_J = pack.energy.joule_Wh * 3600
        #expect(heat_J > 100, "the run made heat (\(heat_J) J)")
        #expect(abs(heat_J - loss_J) <= 1e-3 * heat_J, "Joule \(heat_J) J, electrical loss \(loss_J) J")
    }
}
