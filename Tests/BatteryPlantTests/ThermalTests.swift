import Testing

@testable import BatteryPlant

@Suite("Thermal")
struct ThermalTests {
    /// Heat in (heaters + Joule + reversible + balancing) = heat stored + heat lost, within 0.1 %.
    @Test func energyBalanceClosesWithinAPermille() {
        var pack = BatteryPack(definition: idealZebra(cells: 20), seed: 3)
        pack.command(.closed)
        pack.balancing[4] = true
        for k in 0..<7200 {
            pack.heaterDuty[0] = k < 3600 ? 1 : 0.3
            pack.step(current: k % 3 == 0 ? 40 : -20, duration_ms: 1000)
        }
        let e = pack.energy
        #expect(e.heater_Wh > 0 && e.joule_Wh > 0 && e.balancing_Wh > 0 && e.reversible_Wh != 0)
        #expect(abs(e.heatIn_Wh - e.stored_Wh - e.insulationLoss_Wh) < 1e-3 * e.heatIn_Wh)
        // The stored heat is what the temperatures say.
        let d = pack.definition
        let stored = (20 * d.chemistry.heatCapacity_J_per_K * (pack.moduleTemperature_C[0] - 285)
            + d.thermal.enclosureHeatCapacity_J_per_K * (pack.enclosureTemperature_C[0] - 285)) / 3600
        #expect(abs(stored - e.stored_Wh) < 1e-6 * max(1, abs(stored)))
    }

    /// The cooling blower (issue 13): running, it takes heat from the cells to the room (the
    /// balance still closes); failed, it moves no air whatever the command; stuck on, it runs
    /// commanded off. Its airflow switch reads what it does.
    @Test func theBlowerCoolsAndFailsOnItsOwn() {
        func run(blower: Bool, faults: [PlantFault] = []) -> BatteryPack {
            var d = idealZebra(cells: 20)
            d.initialTemperature_C = 330
            d.thermal.blowerConductance_W_per_K = 2
            var pack = BatteryPack(definition: d, seed: 3)
            pack.inject(faults)
            pack.blowerCommand = blower
            for _ in 0..<1800 { pack.step(current: 0, duration_ms: 1000) }
            return pack
        }
        let still = run(blower: false)
        let blown = run(blower: true)
        #expect(still.moduleTemperature_C[0] - blown.moduleTemperature_C[0] > 5, "\(still.moduleTemperature_C[0]) vs \(blown.moduleTemperature_C[0])")
        let e = blown.energy
        #expect(abs(e.heatIn_Wh - e.stored_Wh - e.insulationLoss_Wh) < 1e-3 * max(1, abs(e.stored_Wh)))
        var probe = blown
        #expect(probe.sample().blowerAirflow)
        var failed = run(blower: true, faults: [PlantFault(.blowerFailed, at_ms: 0)])
        #expect(!failed.sample().blowerAirflow)
        #expect(abs(failed.moduleTemperature_C[0] - still.moduleTemperature_C[0]) < 1e-9, "a failed blower cools nothing")
        var stuck = run(blower: false, faults: [PlantFault(.blowerStuckOn, at_ms: 0)])
        #expect(stuck.sample().blowerAirflow)
        #expect(abs(stuck.moduleTemperature_C[0] - blown.moduleTemperature_C[0]) < 1e-9, "stuck on: it blows")
    }

    /// Discharge with dOCV/dT < 0 releases reversible heat; charge absorbs it.
    @Test func reversibleHeatHasTheRightSign() {
        var discharge = BatteryPack(definition: idealZebra(cells: 2), seed: 1)
        discharge.command(.closed)
        discharge.step(current: 20, duration_ms: 60_000)
        #expect(discharge.energy.reversible_Wh > 0)
        var charge = BatteryPack(definition: idealZebra(cells: 2), seed: 1)
        charge.command(.closed)
        charge.step(current: -20, duration_ms: 60_000)
        #expect(charge.energy.reversible_Wh < 0)
        // -I T dE/dT: 20 A x 558.15 K (285 C) x 1e-4 V/K x 2 cells = 2.23 W for a minute.
        let expected_Wh = 20 * 558.15 * 1e-4 * 2 / 60
        #expect(abs(discharge.energy.reversible_Wh - expected_Wh) < 0.01 * expected_Wh)
    }

    /// REFERENCE 4: a 20 kWh pack loses about 100 W at 270 K above ambient; a 23.5 kWh ZEBRA string in
    /// standby at about 280 C draws heater power of that order and holds its window.
    @Test func zebraStandbyLossAndHeaterDutyAreOfTheRightOrder() {
        var d = PackDefinition.zebraString()
        d.sensors = .ideal
        var pack = BatteryPack(definition: d, seed: 1)
        var heater_J = 0.0
        let day = 86_400
        for _ in 0..<(day / 60) {
            // A plain two-point controller at 275/285 C.
            let t = pack.moduleTemperature_C[0]
            if t < 275 { pack.heaterDuty[0] = 1 } else if t > 285 { pack.heaterDuty[0] = 0 }
            pack.step(current: 0, duration_ms: 60_000)
            heater_J += pack.heaterPower_W[0] * 60
        }
        let meanHeater_W = heater_J / Double(day)
        let expectedLoss_W = d.thermal.insulation_W_per_K * (280 - 25)
        #expect(expectedLoss_W > 80 && expectedLoss_W < 130)
        #expect(abs(meanHeater_W - expectedLoss_W) < 0.25 * expectedLoss_W)
        #expect(pack.moduleTemperature_C[0] > 270 && pack.moduleTemperature_C[0] < 290)
    }

    /// The thermal time constant is days: switched off, a ZEBRA pack cools slowly, then freezes.
    @Test func unheatedZebraCoolsOverDaysAndFreezes() {
        var d = idealZebra(cells: 240)
        d.thermal = PackDefinition.zebraString().thermal
        var pack = BatteryPack(definition: d, seed: 1)
        for _ in 0..<24 { pack.step(current: 0, duration_ms: 3_600_000) }
        #expect(pack.moduleTemperature_C[0] > 230, "less than 60 K lost in a day")
        for _ in 0..<(24 * 20) { pack.step(current: 0, duration_ms: 3_600_000) }
        #expect(pack.moduleTemperature_C[0] < 157)
        #expect(pack.events.contains { $0.kind == .froze })
    }

    /// Below the melt's freezing point a ZEBRA cell must not be cycled: it is extremely resistive,
    /// and forcing current through it is recorded and costs contact.
    @Test func cyclingAFrozenZebraCellIsRecordedAndDamaging() {
        var d = idealZebra(cells: 4)
        d.initialTemperature_C = 140
        d.degradationEnabled = true
        var pack = BatteryPack(definition: d, seed: 1)
        pack.command(.closed)
        #expect(pack.impedance(ofCell: 0).dc_ohm > 10, "frozen: ohms instead of milliohms")
        pack.step(current: 1, duration_ms: 1000)
        #expect(pack.events.contains { $0.kind == .cycledWhileFrozen })
        #expect(pack.cellContactFraction.allSatisfy { abs($0 - 0.9) < 1e-12 })
        pack.step(current: 1, duration_ms: 1000)
        #expect(pack.events.filter { $0.kind == .cycledWhileFrozen }.count == 1, "once per freeze episode")
    }

    @Test func heaterFaults() {
        var d = idealZebra(cells: 20)
        d.topology.moduleCount = 2
        var pack = BatteryPack(definition: d, seed: 1)
        pack.inject([PlantFault(.heaterOpen(module: 0), at_ms: 0), PlantFault(.heaterStuckOn(module: 1), at_ms: 0)])
        pack.heaterDuty = [1, 0]
        pack.step(current: 0, duration_ms: 1000)
        #expect(pack.heaterPower_W[0] == 0)
        #expect(pack.heaterPower_W[1] == d.thermal.heaterPower_W)
    }

    @Test func thermalCycleTrackerCountsSwings() {
        var tracker = HalfCycleTracker(start: 280)
        var swings: [Double] = []
        for t in [285.0, 300, 310, 290, 280, 275, 300, 320, 300] {
            if let s = tracker.update(t, threshold: 10) { swings.append(s) }
        }
        #expect(swings == [30, 35, 45])
    }
}
