import BMSCore
import Testing

@Suite("Heaters and current limits")
struct ManagementTests {
    @Test func heaterHysteresis() {
        var h = HeaterControl(settings: HeaterSettings(setpoint: Celsius(280), band: 10))
        func feed(_ t: Celsius?) -> Bool { h.update(temperature: t) }
        #expect(feed(Celsius(274.9)))
        #expect(feed(Celsius(280)), "stays on inside the band")
        #expect(!feed(Celsius(285.1)))
        #expect(!feed(Celsius(280)), "stays off inside the band")
        #expect(feed(Celsius(270)))
        #expect(!feed(nil), "no valid reading: heater off")
    }

    @Test func controllerHeatsOnlyColdModules() throws {
        var c = try TestController(configuration: zebraConfiguration())
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
