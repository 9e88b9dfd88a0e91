import BMSCore
import Testing
import BMSCoreTestSupport

@Suite("Protection")
struct ProtectionTests {
    @Test func nominalFrameKeepsContactorsClosedWithoutFaults() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        let cmd = run(&c, steps: 50) { nominalFrame(time: $0) }
        #expect(cmd.closeContactors)
        #expect(cmd.faults.isEmpty)
        #expect(cmd.dischargeCurrentLimit == Amperes(38))
    }

    /// 500 ms debounce at 100 ms = 5 steps: 4 steps over the limit do not trip, the 5th does.
    @Test func overVoltageTripsAfterDebounceAndLatches() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        run(&c, steps: 10) { nominalFrame(time: $0) }
        var cmd = run(&c, steps: 4, from: 1100) { t in
            var f = nominalFrame(time: t)
            f.cellVoltages[7] = Volts(2.81)
            return f
        }
        #expect(!cmd.faults.contains(.cellOverVoltage))
        #expect(cmd.closeContactors)
        cmd = run(&c, steps: 1, from: 1500) { t in
            var f = nominalFrame(time: t)
            f.cellVoltages[7] = Volts(2.81)
            return f
        }
        #expect(cmd.faults.contains(.cellOverVoltage))
        #expect(cmd.chargeCurrentLimit == .zero && cmd.dischargeCurrentLimit == .zero)
        #expect(cmd.connection == .opening, "zero current first, then open")
        cmd = run(&c, steps: 1, from: 1600) { nominalFrame(time: $0) }
        #expect(!cmd.closeContactors, "no current flows: the mains open at the next step")
        // The condition is gone, but the fault stays latched until a reset.
        cmd = run(&c, steps: 20, from: 1700) { nominalFrame(time: $0) }
        #expect(cmd.faults.contains(.cellOverVoltage))
        #expect(!cmd.closeContactors)
        c.enterService()
        c.resetFaults(by: .service)
        c.leaveService()
        cmd = run(&c, steps: 10, from: 3700) { nominalFrame(time: $0) }
        #expect(cmd.faults.isEmpty)
        #expect(cmd.closeContactors, "reconnected through a fresh precharge")
    }

    @Test func voltageJustInsideLimitsNeverTrips() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        let cmd = run(&c, steps: 100) { t in
            var f = nominalFrame(time: t)
            f.cellVoltages[0] = Volts(2.799)
            f.cellVoltages[1] = Volts(1.801)
            return f
        }
        #expect(!cmd.faults.contains(.cellOverVoltage))
        #expect(!cmd.faults.contains(.cellUnderVoltage))
    }

    @Test func underVoltageTrips() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        let cmd = run(&c, steps: 5) { t in
            var f = nominalFrame(time: t)
            f.cellVoltages[19] = Volts(1.79)
            return f
        }
        #expect(cmd.faults.contains(.cellUnderVoltage))
        #expect(cmd.dischargeCurrentLimit == .zero)
        #expect(cmd.connection == .opening || cmd.connection == .open)
    }

    @Test func overTemperatureTripsAndOverCurrentTrips() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var cmd = run(&c, steps: 5) { nominalFrame(time: $0, temperature: 351) }
        #expect(cmd.faults.contains(.overTemperature))
        var d = try TestController.requesting(configuration: zebraConfiguration())
        cmd = run(&d, steps: 5) { nominalFrame(time: $0, current: 76.5) }
        #expect(cmd.faults.contains(.dischargeOverCurrent))
        var e = try TestController.requesting(configuration: zebraConfiguration())
        cmd = run(&e, steps: 5) { nominalFrame(time: $0, current: -76.5) }
        #expect(cmd.faults.contains(.chargeOverCurrent))
        #expect(!cmd.faults.contains(.dischargeOverCurrent))
    }

    /// A current reading beyond the sensor's range (a sensor at its rail) is a current at least
    /// that large: the over-current trip fires on it and the contactors open at once. (It was
    /// taken for a bad reading: the tiers froze on the last valid current, and the opening then
    /// waited about 2.5 s for a current that did not fall.) With a rating above 1000 A the preset's
    /// sensor range holds the trips (they fell outside a fixed +-2000 A and could never fire).
    @Test(arguments: [Float(38), 1500]) func aCurrentBeyondTheSensorRangeTripsAndOpensAtOnce(_ rated: Float) throws {
        var configuration = CoreConfiguration.preset(
            .naNiCl2, cellCount: 20, moduleCount: 2, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(rated))
        configuration.ratedCapacity = AmpereHours(38)
        var c = try TestController.requesting(configuration: configuration)
        var cmd = run(&c, steps: 20) { nominalFrame(time: $0) }
        #expect(cmd.connection == .closed)
        let rail = configuration.plausibility.current.upperBound.value * 1.01
        var opened: Int? = nil
        for k in 0..<20 {
            cmd = run(&c, steps: 1, from: 2100 + Int64(k) * 100) { nominalFrame(time: $0, current: rail) }
            if opened == nil, !cmd.contactors.mainPositive { opened = k + 1 }
        }
        #expect(cmd.faults.contains(.dischargeOverCurrent))
        #expect((opened ?? 99) <= 6, "opened after \(opened ?? -1) steps: the debounce, not a wait for the current to fall")
    }

    /// A configuration whose over-current trip lies beyond the current sensor's range is refused.
    @Test func anOverCurrentTripBeyondTheSensorRangeIsRefused() {
        var configuration = zebraConfiguration()
        configuration.plausibility.current = Amperes(-50)...Amperes(50)
        #expect(throws: ConfigurationError.self) { _ = try TestController.requesting(configuration: configuration) }
    }

    /// Power-up onto a welded main positive with a connection wanted from the first frame: no relay
    /// closes, the weld latches, and a fault reset does not skip the check.
    @Test func aWeldAtPowerUpClosesNothing() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var closedAny = false
        var faults = FaultFlags.clear
        var last = CommandFrame<32, 4>.safe
        for k in 0..<60 {
            if k == 30 {
                c.enterService()
                c.resetFaults(by: .service)
                c.leaveService()
            }
            last = step(&c, nominalFrame(time: 100 + Int64(k) * 100), after: last) { f in
                f.contactorFeedback.mainPositive = true
                f.linkVoltage = f.packVoltage
            }
            closedAny = closedAny || last.contactors.mainNegative || last.contactors.precharge
            faults.insert(last.faults)
        }
        #expect(!closedAny)
        #expect(faults.contains(.contactorWelded))
        #expect(last.faults.contains(.contactorWelded), "latched again after the reset")
    }

    /// Dead pack- and link-voltage channels (both 0 V): the precharge check |pack - link| passed on
    /// them. Now the pack voltage must agree with the cells' sum: nothing closes, and the mismatch
    /// latches `measurementInvalid`.
    @Test func deadPackAndLinkVoltageChannelsCloseNothing() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var closedMain = false
        var faults = FaultFlags.clear
        var last = CommandFrame<32, 4>.safe
        for k in 0..<100 {
            last = step(&c, nominalFrame(time: 100 + Int64(k) * 100), after: last) { f in
                f.packVoltage = Volts(0)
                f.linkVoltage = Volts(0)
            }
            closedMain = closedMain || last.contactors.mainPositive || last.contactors.precharge
            faults.insert(last.faults)
        }
        #expect(!closedMain)
        #expect(faults.contains(.measurementInvalid))
    }

    /// Too cold to cycle is an inhibit, not a latch: it clears 5 K above the limit.
    @Test func underTemperatureInhibitsWithHysteresis() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var cmd = run(&c, steps: 3) { nominalFrame(time: $0, temperature: 250) }
        #expect(cmd.faults.contains(.underTemperature))
        #expect(!cmd.closeContactors)
        cmd = run(&c, steps: 3, from: 400) { nominalFrame(time: $0, temperature: 262) }
        #expect(cmd.faults.contains(.underTemperature), "still inside the hysteresis band")
        cmd = run(&c, steps: 3, from: 700) { nominalFrame(time: $0, temperature: 266) }
        #expect(!cmd.faults.contains(.underTemperature))
        #expect(cmd.closeContactors)
    }

    /// A single NaN frame is held over; a persisting one latches `measurementInvalid`.
    @Test func nanReadingsAreDebouncedThenLatched() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        run(&c, steps: 10) { nominalFrame(time: $0) }
        var cmd = run(&c, steps: 1, from: 1100) { t in
            var f = nominalFrame(time: t)
            f.packCurrent = Amperes(.nan)
            return f
        }
        #expect(!cmd.faults.contains(.measurementInvalid))
        #expect(cmd.chargeCurrentLimit == .zero && cmd.dischargeCurrentLimit == .zero, "no current while a reading is invalid")
        #expect(cmd.closeContactors, "but one bad frame does not open the contactors")
        cmd = run(&c, steps: 1, from: 1200) { nominalFrame(time: $0) }
        #expect(cmd.closeContactors)
        #expect(cmd.dischargeCurrentLimit == .zero, "held at zero until the bad frame has decayed (two good frames)")
        cmd = run(&c, steps: 1, from: 1300) { nominalFrame(time: $0) }
        #expect(cmd.dischargeCurrentLimit == Amperes(38))
        cmd = run(&c, steps: 5, from: 1400) { t in
            var f = nominalFrame(time: t)
            f.cellVoltages[3] = Volts(.nan)
            return f
        }
        #expect(cmd.faults.contains(.measurementInvalid))
        #expect(c.status.soc.isFinite)
    }

    @Test func staleFrameIsFlagged() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        _ = c.step(nominalFrame(time: 100))
        let cmd = c.step(nominalFrame(time: 100))
        #expect(cmd.faults.contains(.staleFrame))
        #expect(!cmd.closeContactors)
    }

    @Test func configurationIsValidated() {
        #expect(throws: ConfigurationError.cellCountOutOfRange(count: 33, capacity: 32)) {
            _ = try TestController.requesting(configuration: zebraConfiguration(cells: 33))
        }
        #expect(throws: ConfigurationError.moduleCountOutOfRange(count: 5, capacity: 4)) {
            _ = try TestController.requesting(configuration: zebraConfiguration(modules: 5))
        }
        var inverted = zebraConfiguration()
        inverted.protection.cellUnderVoltage = Volts(3)
        #expect(throws: ConfigurationError.inconsistentLimits(.cellVoltage)) {
            _ = try TestController.requesting(configuration: inverted)
        }
    }
}
