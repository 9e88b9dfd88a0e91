import BMSCore
import Testing
import BMSCoreTestSupport

/// Heaters as a safety function (issue 13): no heater trusts one sensor blindly, and an
/// over-temperature trip switches every heater off.
@Suite("Heater safety")
struct HeaterSafetyTests {
    /// A three-module ZEBRA string (setpoint 280 C, band 10 K).
    static func configuration() -> CoreConfiguration { zebraConfiguration(cells: 21, modules: 3) }

    static func frame(_ t: Int64, _ temperatures: [Float]) -> TestFrame {
        var f = nominalFrame(time: t, cells: 21, modules: 3)
        for (m, x) in temperatures.enumerated() { f.moduleTemperatures[m] = Celsius(x) }
        return f
    }

    /// A module over its trip temperature latches `overTemperature`; every heater goes off, the
    /// cold one's included (its reading alone would keep it on).
    @Test func anOverTemperatureTripSwitchesEveryHeaterOff() throws {
        var c = try TestController.requesting(configuration: Self.configuration())
        var cmd = run(&c, steps: 3) { Self.frame($0, [270, 270, 270]) }
        #expect(cmd.heaterDuty[1] == 1)
        cmd = run(&c, steps: 10, from: 400) { Self.frame($0, [360, 270, 270]) }
        #expect(cmd.faults.contains(.overTemperature))
        for m in 0..<3 { #expect(cmd.heaterDuty[m] == 0, "module \(m)") }
        cmd = run(&c, steps: 10, from: 1400) { Self.frame($0, [270, 270, 270]) }
        for m in 0..<3 { #expect(cmd.heaterDuty[m] == 0, "latched: module \(m) stays off") }
    }

    /// A dead sensor (NaN) turned its heater off for good, and the module froze: its heater now
    /// follows the other modules' mean reading.
    @Test func aDeadSensorsHeaterFollowsTheOtherModules() throws {
        var c = try TestController.requesting(configuration: Self.configuration())
        var cmd = run(&c, steps: 3) { Self.frame($0, [270, .nan, 270]) }
        #expect(cmd.heaterDuty[1] == 1, "the others are cold: heat")
        cmd = run(&c, steps: 3, from: 400) { Self.frame($0, [290, .nan, 290]) }
        #expect(cmd.heaterDuty[1] == 0, "the others are warm: off")
    }

    /// A thermocouple come loose reads the ambient: its heater stayed on forever (only a
    /// warning). A reading far below the other modules' that does not rise while its heater runs
    /// the check time (30 min) is not believed: the heater follows the others, and the
    /// disagreement is reported. A module truly colder than the others, whose reading rises
    /// under its heater, keeps heating.
    @Test func aDetachedThermocoupleIsOutvoted() throws {
        var c = try TestController.requesting(configuration: Self.configuration())
        var cmd = run(&c, steps: 20) { Self.frame($0, [290, 25, 290]) }
        #expect(cmd.heaterDuty[1] == 1, "believed until its heater has run the check time")
        cmd = run(&c, steps: 18_100, from: 2100) { Self.frame($0, [290, 25, 290]) }
        #expect(cmd.heaterDuty[1] == 0, "its module is as warm as the others, as far as anyone can tell")
        #expect(cmd.warnings.contains(.temperatureSensorFault))

        var cold = try TestController.requesting(configuration: Self.configuration())
        var t: Float = 200
        cmd = run(&cold, steps: 1200) { time in
            t += 0.002  // warming under its heater: 0.02 K/s
            return Self.frame(time, [290, t, 290])
        }
        #expect(cmd.heaterDuty[1] == 1, "a cold module that warms is believed")
        #expect(!cmd.warnings.contains(.temperatureSensorFault))
    }
}

/// The heater against its metered power (issue 13): an open heater and one stuck on raised
/// nothing for hours (a module's temperature takes that long to show either).
@Suite("Heater power")
struct HeaterPowerTests {
    static func configuration() -> CoreConfiguration {
        var c = zebraConfiguration()
        c.heater.ratedPower = Watts(200)
        return c
    }

    /// Drives the controller with module 0 cold (its heater commanded on) and module 1 warm (off),
    /// the heaters drawing what `power` says for the last commands; returns the first step with a
    /// heater fault (nil: none in 30 s).
    static func firstFault(_ power: (_ commandedOn: Bool, _ module: Int) -> Float) throws -> Int? {
        var c = try TestController.requesting(configuration: configuration())
        var last = CommandFrame<32, 4>.safe
        for k in 0..<300 {
            var f = nominalFrame(time: 100 + Int64(k) * 100)
            f.moduleTemperatures[0] = Celsius(270)
            f.moduleTemperatures[1] = Celsius(290)
            for m in 0..<2 { f.heaterPower[m] = Watts(power(last.heaterDuty[m] > 0, m)) }
            last = step(&c, f, after: last)
            if last.warnings.contains(.heaterFault) { return k }
        }
        return nil
    }

    @Test func aHeaterThatDrawsWhatItIsToldIsFine() throws {
        #expect(try Self.firstFault { on, _ in on ? 200 : 0 } == nil)
    }

    @Test func anOpenHeaterIsFoundWithinTheCheckTime() throws {
        let k = try Self.firstFault { on, m in m == 0 ? 0 : (on ? 200 : 0) }
        #expect(k != nil && k! <= 105, "found after \(k ?? -1) steps")
    }

    @Test func aHeaterStuckOnIsFoundWithinTheCheckTime() throws {
        let k = try Self.firstFault { on, m in m == 1 ? 200 : (on ? 200 : 0) }
        #expect(k != nil && k! <= 105, "found after \(k ?? -1) steps")
    }
}

/// A thermocouple that drifts (issue 13: 20 K/h raised nothing): with three modules or more, a
/// module standing more than 15 K off the modules' median for 10 min is reported.
@Suite("Thermocouple drift")
struct ThermocoupleDriftTests {
    static func firstWarning(drift: Float, offset: Float = 0) throws -> Float? {
        var c = try TestController.requesting(configuration: HeaterSafetyTests.configuration())
        var last = CommandFrame<32, 4>.safe
        for k in 0..<36_000 {  // an hour at 10 Hz
            let hours = Float(k) / 36_000
            last = step(&c, HeaterSafetyTests.frame(100 + Int64(k) * 100, [282, 282 + offset + drift * hours, 282]), after: last)
            if last.warnings.contains(.temperatureSensorFault) { return hours * 60 }
        }
        return nil
    }

    @Test func aDriftingThermocoupleIsReportedWithinTheHour() throws {
        let minutes = try Self.firstWarning(drift: 20)
        #expect(minutes != nil && minutes! < 60, "reported after \(minutes ?? -1) min")
        #expect(minutes == nil || minutes! > 50, "not before it stood 15 K off for 10 min: \(minutes ?? -1)")
    }

    @Test func aModuleAFewKelvinOffIsNot() throws {
        #expect(try Self.firstWarning(drift: 0, offset: 8) == nil)
    }
}

/// Module temperatures against physics (issue 13): an insulated module changes by kelvins per
/// hour, so a reading that falls to the air in minutes is a thermocouple come loose, and one
/// that rises by tens of kelvins a minute is a thermal event.
@Suite("Temperature rates")
struct TemperatureRateTests {
    /// Two minutes at 290 C, then module 1's reading relaxes to 25 C with a two-minute time
    /// constant (a loose thermocouple). Returns the step its warning came and the last commands.
    static func detach() throws -> (warnedAfter: Int?, command: CommandFrame<32, 4>) {
        var c = try TestController.requesting(configuration: HeaterSafetyTests.configuration())
        var cmd = run(&c, steps: 1200) { HeaterSafetyTests.frame($0, [290, 290, 290]) }
        var warned: Int? = nil
        for k in 0..<1200 {
            let reading = 25 + 265 * Float(CoreMath.exp(Float(-k) / 1200))
            cmd = run(&c, steps: 1, from: 120_100 + Int64(k) * 100) { HeaterSafetyTests.frame($0, [288, reading, 288]) }
            if warned == nil, cmd.warnings.contains(.temperatureSensorFault) { warned = k }
        }
        return (warned, cmd)
    }

    @Test func aThermocoupleFallingToTheAirIsNotBelievedWithinAMinute() throws {
        let r = try Self.detach()
        let k = try #require(r.warnedAfter, "no warning in 2 min (it took the 10 min check time)")
        #expect(k <= 600, "after \(k) steps")
        #expect(r.command.heaterDuty[1] == 0, "its heater follows the others (288 C, above the band): off")
    }

    @Test func aModuleRisingTensOfKelvinsAMinuteIsAThermalEvent() throws {
        var c = try TestController.requesting(configuration: HeaterSafetyTests.configuration())
        var cmd = run(&c, steps: 1200) { HeaterSafetyTests.frame($0, [265, 265, 265]) }
        #expect(cmd.heaterDuty[2] == 1, "cold: heating")
        var t: Float = 265
        cmd = run(&c, steps: 600, from: 120_100) { time in
            t += 0.03  // 18 K/min
            return HeaterSafetyTests.frame(time, [265, 265, t])
        }
        #expect(cmd.warnings.contains(.temperatureRising))
        #expect(cmd.heaterDuty[2] == 0, "its heater is off while it rises")
        #expect(cmd.heaterDuty[0] == 1, "the others heat on")
    }

    @Test func aModuleWarmingUnderItsHeaterIsNeither() throws {
        var c = try TestController.requesting(configuration: HeaterSafetyTests.configuration())
        var t: Float = 200
        let cmd = run(&c, steps: 36_000) { time in
            t += 0.0005  // 18 K/h: a strong heater
            return HeaterSafetyTests.frame(time, [t, t + 1, t - 1])
        }
        #expect(cmd.warnings.isEmpty, "\(cmd.warnings)")
    }

    /// A module cooling through the freeze guard (an outage that outlasted the pack) raises
    /// `freezeRisk` once, not with every sample's noise: it is held until the module is the
    /// temperature hysteresis above the guard. (Cooling 0.4 K/h through it with 0.3 K of noise
    /// raised it thousands of times in one outage.)
    @Test func freezeRiskIsRaisedOnceThroughTheGuardsNoise() throws {
        let cfg = HeaterSafetyTests.configuration()
        let guardT = try #require(cfg.heater.freezeGuard).value
        var c = try TestController.requesting(.off, configuration: cfg)
        var last = CommandFrame<32, 4>.safe
        let noise: [Float] = [0.3, -0.2, 0.1, -0.3, 0.25, -0.1, 0.05, -0.25]
        var raised = 0, wasRaised = false
        for k in 0..<36_000 {  // an hour, cooling 1 K through the guard
            let t = guardT + 0.5 - Float(k) / 36_000 + noise[k % noise.count]
            last = step(&c, HeaterSafetyTests.frame(100 + Int64(k) * 100, [t, t, t]), after: last)
            let now = last.warnings.contains(.freezeRisk)
            if now && !wasRaised { raised += 1 }
            wasRaised = now
        }
        #expect(raised == 1, "raised \(raised) times")
        #expect(wasRaised, "still held at the end")
        // Warmed past the guard plus the hysteresis, it clears.
        for k in 0..<10 {
            let t = guardT + cfg.protection.temperatureHysteresis.value + 1
            last = step(&c, HeaterSafetyTests.frame(3_600_100 + Int64(k) * 100, [t, t, t]), after: last)
        }
        #expect(!last.warnings.contains(.freezeRisk))
    }
}
