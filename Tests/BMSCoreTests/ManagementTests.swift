import BMSCore
import Testing
import BMSCoreTestSupport

@Suite("Heaters and current limits")
struct ManagementTests {
    @Test func heaterHysteresis() {
        var h = HeaterControl(settings: HeaterSettings(setpoint: Celsius(280), band: .kelvin(10)))
        func feed(_ t: Celsius?) -> Bool { h.update(temperature: t) }
        #expect(feed(Celsius(274.9)))
        #expect(feed(Celsius(280)), "stays on inside the band")
        #expect(!feed(Celsius(285.1)))
        #expect(!feed(Celsius(280)), "stays off inside the band")
        #expect(feed(Celsius(270)))
        #expect(!feed(nil), "no valid reading: heater off")
    }

    @Test func controllerHeatsOnlyColdModules() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var f = nominalFrame(time: 100)
        f.moduleTemperatures[0] = Celsius(270)
        f.moduleTemperatures[1] = Celsius(290)
        let cmd = c.step(f)
        #expect(cmd.heaterDuty[0] == 1)
        #expect(cmd.heaterDuty[1] == 0)
    }

    @Test func limitsDerateNearTheEndsOfTheWindow() {
        let s = zebraConfiguration().currentLimits
        let mid = CurrentLimits(settings: s, soc: StateOfCharge(0.5), minimumCell: Volts(2.5), maximumCell: Volts(2.6))
        #expect(mid == CurrentLimits(charge: Amperes(38), discharge: Amperes(38)))
        // Halfway down the discharge SoC ramp (0.15 -> 0.05).
        let low = CurrentLimits(settings: s, soc: StateOfCharge(0.10), minimumCell: Volts(2.5), maximumCell: Volts(2.6))
        #expect(abs(low.discharge.value - 19) < 1e-3)
        #expect(low.charge == Amperes(38))
        // At the charge end voltage no charge is accepted.
        let full = CurrentLimits(settings: s, soc: StateOfCharge(0.5), minimumCell: Volts(2.5), maximumCell: Volts(2.75))
        #expect(full.charge == .zero)
        #expect(full.discharge == Amperes(38))
    }
}

@Suite("Heater management")
struct HeaterManagementTests {
    /// Idle, the pack is held 10 K lower (less heat through the insulation); at work, at its
    /// setpoint.
    @Test func idleSetback() {
        var h = HeaterControl(settings: HeaterSettings(setpoint: Celsius(280), band: .kelvin(10), standbySetpoint: Celsius(270)))
        let atWork = h.update(temperature: Celsius(274), idle: false)
        #expect(atWork, "at work: below 275, on")
        var idle = HeaterControl(settings: HeaterSettings(setpoint: Celsius(280), band: .kelvin(10), standbySetpoint: Celsius(270)))
        let idleAt274 = idle.update(temperature: Celsius(274), idle: true)
        #expect(!idleAt274, "idle: 274 is inside 265 ... 275")
        let idleAt265 = idle.update(temperature: Celsius(264.9), idle: true)
        #expect(idleAt265)
    }

    /// A heater on for its check time without warming its module is flagged; warming clears it.
    @Test func heaterThatDoesNotHeatIsFlagged() {
        var h = HeaterControl(settings: HeaterSettings(setpoint: Celsius(280), band: .kelvin(10), heaterCheckTime: Milliseconds(60_000)))
        for _ in 0..<599 { _ = h.update(temperature: Celsius(270)) }
        #expect(!h.notHeating)
        for _ in 0..<2 { _ = h.update(temperature: Celsius(270)) }
        #expect(h.notHeating)
        _ = h.update(temperature: Celsius(270.6))
        #expect(!h.notHeating)
    }

    /// Through the controller: a ZEBRA module at 200 C (freeze guard 207 C) raises freezeRisk
    /// and keeps its heater on; a healthy one does not.
    @Test func freezeRiskWarning() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        let cmd = run(&c, steps: 20) { t in
            var f = nominalFrame(time: t)
            f.moduleTemperatures[1] = Celsius(200)
            return f
        }
        #expect(cmd.warnings.contains(.freezeRisk))
        #expect(cmd.heaterDuty[1] == 1)
        var healthy = try TestController.requesting(configuration: zebraConfiguration())
        let healthyCommand = run(&healthy, steps: 20) { nominalFrame(time: $0) }
        #expect(!healthyCommand.warnings.contains(.freezeRisk))
    }
}
