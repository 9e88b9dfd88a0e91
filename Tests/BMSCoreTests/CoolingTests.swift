import BMSCore
import Testing
import BMSCoreTestSupport

/// The cooling blower (issue 13): run from the hottest believed module, forced on by an
/// over-temperature trip, and supervised by its airflow switch.
@Suite("Cooling blower")
struct CoolingTests {
    /// A three-module ZEBRA string (heater 280 C, band 10 K) with a blower from 330 C, off at 320 C.
    static func configuration() -> CoreConfiguration {
        var c = zebraConfiguration(cells: 21, modules: 3)
        c.cooling = CoolingSettings(onAbove: Celsius(330))
        return c
    }

    static func frame(_ t: Int64, _ hottest: Float, airflow: Bool) -> TestFrame {
        var f = nominalFrame(time: t, cells: 21, modules: 3, temperature: 300)
        f.moduleTemperatures[2] = Celsius(hottest)
        f.blowerAirflow = airflow
        return f
    }

    /// On above its threshold, held through the band, off below it; never without a blower.
    @Test func theBlowerRunsFromTheHottestModuleWithHysteresis() throws {
        var c = try TestController.requesting(configuration: Self.configuration())
        var last = false
        func drive(_ t: Int64, _ hottest: Float) -> CommandFrame<32, 4> {
            let cmd = c.step(Self.frame(t, hottest, airflow: last))
            last = cmd.blower
            return cmd
        }
        #expect(!drive(100, 325).blower)
        #expect(drive(200, 331).blower)
        #expect(drive(300, 325).blower, "held inside the band")
        #expect(!drive(400, 319).blower)
        #expect(c.status.warnings.isEmpty, "the airflow followed: \(c.status.warnings.rawValue)")

        var none = try TestController.requesting(configuration: zebraConfiguration(cells: 21, modules: 3))
        #expect(!none.step(Self.frame(100, 345, airflow: false)).blower, "no blower configured")
    }

    /// An over-temperature trip runs the blower whatever the readings (the trip's hottest module
    /// may have gone invalid since).
    @Test func anOverTemperatureTripRunsTheBlower() throws {
        var c = try TestController.requesting(configuration: Self.configuration())
        let trip = c.configuration.protection.overTemperature.value
        var cmd = run(&c, steps: 10) { Self.frame($0, trip + 5, airflow: true) }
        #expect(cmd.faults.contains(.overTemperature) && cmd.blower)
        cmd = run(&c, steps: 10, from: 2000) { Self.frame($0, 300, airflow: true) }
        #expect(cmd.blower, "latched: still blowing at 300 C")
        #expect(cmd.heaterDuty[0] == 0)
    }

    /// A failed fan (no air while commanded on) and a relay stuck closed (air while commanded
    /// off) raise `coolingFault` after the 10 s check, not before.
    @Test func theAirflowSwitchFindsAFailedOrStuckBlower() throws {
        for (name, hottest, airflow) in [("failed", Float(335), false), ("stuck on", Float(300), true)] {
            var c = try TestController.requesting(configuration: Self.configuration())
            var cmd = run(&c, steps: 95) { Self.frame($0, hottest, airflow: airflow) }
            #expect(!cmd.warnings.contains(.coolingFault), "\(name): not before 10 s")
            cmd = run(&c, steps: 10, from: 9600) { Self.frame($0, hottest, airflow: airflow) }
            #expect(cmd.warnings.contains(.coolingFault), "\(name)")
            #expect(cmd.faults.intersection(.latching).isEmpty, "\(name): a warning, the pack runs on")
        }
    }

    /// The blower must stop before the heaters start: a configuration where they overlap is refused.
    @Test func aBlowerThatWouldFightTheHeatersIsRefused() {
        var c = zebraConfiguration(cells: 21, modules: 3)
        c.cooling = CoolingSettings(onAbove: Celsius(290))
        #expect(throws: ConfigurationError.self) { try TestController(configuration: c) }
    }
}
