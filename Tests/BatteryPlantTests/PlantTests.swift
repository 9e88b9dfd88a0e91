import Testing

@testable import BatteryPlant

/// A 10-cell ZEBRA string with ideal sensors and no spread, at 300 C.
func idealString(cells: Int = 10, soc: Double = 0.5) -> PackDefinition {
    var d = PackDefinition.zebraString(cellCount: cells, initialSoC: soc)
    d.capacitySpread = 0
    d.resistanceSpread = 0
    d.initialSoCSpread = 0
    d.initialTemperature_C = 300
    d.sensors = .ideal
    return d
}

@Suite("OCV and impedance")
struct ImpedanceTests {
    @Test func ocvInterpolatesAndClamps() throws {
        let ocv = try OCVCurve(soc: [0, 0.5, 1], voltage_V: [2.0, 2.5, 2.6])
        #expect(ocv.voltage(atSoC: 0.25) == 2.25)
        #expect(abs(ocv.voltage(atSoC: 0.75) - 2.55) < 1e-12)
        #expect(ocv.voltage(atSoC: -0.1) == 2.0)
        #expect(ocv.voltage(atSoC: 1.2) == 2.6)
        #expect(throws: OCVCurve.Problem.notIncreasing(index: 2)) {
            _ = try OCVCurve(soc: [0, 0.5, 0.5], voltage_V: [1, 2, 3])
        }
    }

    @Test func zebraPlateauIsFlatAt2_58V() {
        let ocv = CellChemistry.naNiCl2.ocv
        for soc in stride(from: 0.15, through: 0.9, by: 0.05) {
            #expect(abs(ocv.voltage(atSoC: soc) - 2.58) < 0.006)
        }
        #expect(abs(ocv.voltage(atSoC: 0.05) - 2.35) < 0.02, "Fe step near the end of discharge")
    }

    /// ln R against 1/T is a line whose slope is Ea / kB.
    @Test func arrheniusSlopeRecoversActivationEnergy() {
        let chemistry = CellChemistry.naNiCl2
        let temperatures = [270.0, 290, 310, 330, 350]
        let xs = temperatures.map { 1 / ($0 + kelvinOffset) }
        let ys = temperatures.map { PlantMath.log(chemistry.r0(atTemperature_C: $0)) }
        let mx = xs.reduce(0, +) / 5
        let my = ys.reduce(0, +) / 5
        var sxy = 0.0
        var sxx = 0.0
        for (x, y) in zip(xs, ys) {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
        }
        let slope = sxy / sxx
        #expect(abs(slope * boltzmannEV - chemistry.r0ActivationEnergy_eV) < 1e-9)
        #expect(chemistry.r0(atTemperature_C: 270) > chemistry.r0(atTemperature_C: 330), "colder is more resistive")
    }

    /// A current step: v(t) = OCV - I R0 - I R1 (1 - exp(-t/tau)), for any step length.
    @Test(arguments: [1 as Int64, 100, 1000, 60_000])
    func rcStepResponseMatchesAnalyticSolution(step_ms: Int64) throws {
        var isothermal = idealString(cells: 1)
        isothermal.thermal.enclosureHeatCapacity_JperK = 1e15  // hold 300 C: R0 must not drift
        var pack = BatteryPack(definition: isothermal, seed: 1)
        pack.contactorCommand = true
        let c = pack.definition.chemistry
        let i = 20.0
        let r0 = c.r0(atTemperature_C: 300)
        var t_ms: Int64 = 0
        while t_ms < 120_000 {
            pack.step(current: i, duration_ms: step_ms)
            t_ms += step_ms
            let t = Double(t_ms) / 1000
            let soc = 0.5 - i * t / (3600 * c.capacity_Ah)
            let expected = c.ocv.voltage(atSoC: soc) - i * r0 - i * c.rc.r_ohm * (1 - PlantMath.exp(-t / c.rc.tau_s))
            try #require(abs(pack.terminalVoltage_V - expected) < 1e-9, "at t = \(t) s")
        }
    }
}

@Suite("Charge, heat and determinism")
struct ConservationTests {
    @Test func chargeIsConserved() {
        var pack = BatteryPack(definition: idealString(), seed: 3)
        pack.contactorCommand = true
        var charge_Ah = 0.0
        for k in 0..<3600 {
            let i = k % 2 == 0 ? 30.0 : -12.5
            pack.step(current: i, duration_ms: 1000)
            charge_Ah += i / 3600
        }
        #expect(abs((0.5 - pack.stateOfCharge) * 38 - charge_Ah) < 1e-9)
    }

    @Test func openContactorCarriesNoCurrent() {
        var pack = BatteryPack(definition: idealString(), seed: 3)
        pack.step(current: 50, duration_ms: 1000)
        #expect(pack.current_A == 0)
        #expect(pack.stateOfCharge == 0.5)
        #expect(pack.current(forPower: 1000) == 0)
    }

    /// Heat in (heater + Joule) = stored + lost through the insulation.
    @Test func thermalEnergyBalanceCloses() {
        var pack = BatteryPack(definition: idealString(), seed: 3)
        pack.contactorCommand = true
        let t0 = pack.moduleTemperature_C[0]
        for k in 0..<7200 {
            pack.heaterDuty[0] = k < 3600 ? 1 : 0.3
            pack.step(current: k % 3 == 0 ? 25 : -25, duration_ms: 1000)
        }
        let d = pack.definition
        let heatCapacity = Double(d.cellCount) * d.chemistry.cellHeatCapacity_JperK + d.thermal.enclosureHeatCapacity_JperK
        let stored_Wh = heatCapacity * (pack.moduleTemperature_C[0] - t0) / 3600
        let e = pack.energy
        let heatIn = e.heater_Wh + e.joule_Wh
        #expect(abs(heatIn - stored_Wh - e.insulationLoss_Wh) < 1e-3 * heatIn)
        #expect(e.joule_Wh > 0 && e.heater_Wh > 0)
    }

    /// Joule heat from the resistances equals the electrical loss I (OCV - V).
    @Test func jouleHeatMatchesElectricalLoss() {
        var pack = BatteryPack(definition: idealString(), seed: 3)
        pack.contactorCommand = true
        for _ in 0..<600 { pack.step(current: 30, duration_ms: 100) }
        for _ in 0..<600 { pack.step(current: 0, duration_ms: 100) }
        // After the RC relaxes, all electrical loss has become heat: delivered + heat = OCV energy drawn.
        let chemistry = pack.definition.chemistry
        // Plateau: OCV is 2.58 V +/- a few mV; 30 A for 60 s per cell.
        let drawn_Wh = 10 * 30 * 60 / 3600 * chemistry.ocv.voltage(atSoC: pack.stateOfCharge)
        #expect(abs(pack.energy.dischargedOut_Wh + pack.energy.joule_Wh - drawn_Wh) < 2e-3 * drawn_Wh)
    }

    @Test func sameSeedGivesBitIdenticalOutput() {
        func trace(seed: UInt64) -> [Double] {
            var pack = BatteryPack(definition: .zebraString(cellCount: 24), seed: seed)
            pack.contactorCommand = true
            var out: [Double] = []
            for k in 0..<500 {
                pack.step(current: Double(k % 7) - 3, duration_ms: 100)
                let r = pack.sample()
                out.append(r.current_A)
                out.append(contentsOf: r.cellVoltages_V)
                out.append(contentsOf: r.moduleTemperatures_C)
            }
            return out
        }
        let a = trace(seed: 42)
        #expect(a == trace(seed: 42))
        #expect(a != trace(seed: 43))
    }

    @Test func sensorsApplyOffsetGainAndQuantisation() {
        var d = idealString(cells: 2)
        d.sensors.current = ChannelErrors(offset: 0.05, gainError: 0.005, quantum: 0.01)
        var pack = BatteryPack(definition: d, seed: 1)
        pack.contactorCommand = true
        pack.step(current: 20, duration_ms: 100)
        let r = pack.sample()
        #expect(abs(r.current_A - 20.15) < 1e-9)  // 20 x 1.005 + 0.05 = 20.15
        #expect(r.cellVoltages_V == pack.cellVoltage_V, "ideal cell channels read the truth")
    }
}
