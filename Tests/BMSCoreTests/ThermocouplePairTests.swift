import BMSCore
import Testing
import BMSCoreTestSupport

/// Two thermocouples per module (issue 13): each module's centre reading is cross-checked against
/// its edge one, so a single sensor no longer decides whether a module is cold, hot or heated.
@Suite("Thermocouple pairs")
struct ThermocouplePairTests {
    /// A three-module ZEBRA string (setpoint 280 C, band 10 K) with an edge thermocouple per module.
    static func configuration(paired: Bool = true) -> CoreConfiguration {
        var c = zebraConfiguration(cells: 21, modules: 3)
        c.validation.edgeThermocouples = paired
        return c
    }

    /// Every module's centre at `centre`, its edge 6 K below (the gradient under the heater), then
    /// `edit` changes single readings.
    static func frame(_ t: Int64, centre: Float = 290, edit: (inout TestFrame) -> Void = { _ in }) -> TestFrame {
        var f = nominalFrame(time: t, cells: 21, modules: 3, temperature: centre)
        for m in 0..<3 { f.edgeTemperatures[m] = Celsius(centre - 6) }
        edit(&f)
        return f
    }

    /// A centre thermocouple come loose (reading the room) took its module for cold: the pack
    /// opened on the cold inhibit and served nothing for hours. With its edge partner reading the
    /// module, the pack keeps serving, the module's heater follows the edge reading, and the
    /// disagreement is reported within the pair time.
    @Test func aDetachedThermocoupleWithItsPartnerKeepsThePackServing() throws {
        let loose: (inout TestFrame) -> Void = { $0.moduleTemperatures[1] = Celsius(25) }
        var single = try TestController.requesting(configuration: Self.configuration(paired: false))
        var cmd = run(&single, steps: 400) { Self.frame($0, edit: loose) }
        #expect(cmd.faults.contains(.underTemperature), "one sensor per module: the loose one says cold")

        var paired = try TestController.requesting(configuration: Self.configuration())
        cmd = run(&paired, steps: 250) { Self.frame($0, edit: loose) }
        #expect(!cmd.warnings.contains(.temperatureSensorFault), "not before the pair time (30 s)")
        cmd = run(&paired, steps: 150, from: 25_100) { Self.frame($0, edit: loose) }
        #expect(cmd.warnings.contains(.temperatureSensorFault))
        #expect(!cmd.faults.contains(.underTemperature))
        #expect(cmd.contactors.mainPositive && cmd.contactors.mainNegative, "the pack serves on")
        #expect(cmd.heaterDuty[1] == 0, "its heater follows the edge (284 C: inside the band, was off)")
        cmd = run(&paired, steps: 10, from: 40_100) { Self.frame($0, centre: 270, edit: loose) }
        #expect(cmd.heaterDuty[1] == 1, "and heats when the edge reads cold (264 C)")
    }

    /// The over-temperature tiers see the hotter thermocouple of each pair, even while the two
    /// agree within the pair tolerance: an edge over the trip temperature trips.
    @Test func anEdgeOverTheTripTemperatureTrips() throws {
        let c = Self.configuration()
        let trip = c.protection.overTemperature.value
        var controller = try TestController.requesting(configuration: c)
        let cmd = run(&controller, steps: 20) { t in
            Self.frame(t, centre: trip - 10) { $0.edgeTemperatures[2] = Celsius(trip + 5) }
        }
        #expect(cmd.faults.contains(.overTemperature))
    }

    /// One thermocouple of a pair dead (NaN, or NaN every other frame; the centre one or the edge
    /// one): a warning once the pair time has passed, never a measurement trip, and the module
    /// reads its live sensor.
    @Test func aDeadThermocoupleOfAPairIsAWarningNotATrip() throws {
        let cases: [(String, (inout TestFrame, Int64) -> Void)] = [
            ("edge dead", { f, _ in f.edgeTemperatures[0] = Celsius(.nan) }),
            ("centre dead", { f, _ in f.moduleTemperatures[0] = Celsius(.nan) }),
            ("edge NaN every other frame", { f, t in if t % 200 == 0 { f.edgeTemperatures[0] = Celsius(.nan) } }),
        ]
        for (name, fault) in cases {
            var c = try TestController.requesting(configuration: Self.configuration())
            let cmd = run(&c, steps: 1200) { t in Self.frame(t) { fault(&$0, t) } }
            #expect(cmd.warnings.contains(.temperatureSensorFault), "\(name)")
            #expect(cmd.faults.isEmpty, "\(name): \(cmd.faults.rawValue)")
            #expect(cmd.contactors.mainPositive && cmd.contactors.mainNegative, "\(name)")
        }
    }

    /// Pairs that agree within the in-module gradient raise nothing over ten minutes, and the
    /// edge readings change nothing while they agree (the centre is the module's temperature).
    @Test func pairsThatAgreeRaiseNothing() throws {
        var paired = try TestController.requesting(configuration: Self.configuration())
        var single = try TestController.requesting(configuration: Self.configuration(paired: false))
        let a = run(&paired, steps: 6000) { Self.frame($0) { f in f.edgeTemperatures[1] = Celsius(290 - 15) } }
        let b = run(&single, steps: 6000) { Self.frame($0) }
        #expect(a.warnings.isEmpty && a.faults.isEmpty, "\(a.warnings.rawValue) \(a.faults.rawValue)")
        #expect(paired.status.soc == single.status.soc)
        #expect(a.heaterDuty[1] == b.heaterDuty[1])
    }

    /// A stuck centre thermocouple under load tripped the pack (`measurementInvalid`: a stuck
    /// channel). With its edge partner moving, the stuck one is found in half the stuck window
    /// and the module reads the edge: a warning, and the pack serves on.
    @Test func aStuckThermocoupleWithAMovingPartnerIsSetAside() throws {
        func frames(_ t: Int64) -> TestFrame {
            // Every module warming and cooling 2 K on a 20 s ramp under a 10 A load ...
            let swing = 2 * Float(t % 20_000) / 20_000
            var f = Self.frame(t, centre: 289 + swing)
            f.packCurrent = Amperes(t > 5000 ? 10 : 0)  // once connected
            // ... but module 1's centre thermocouple, stuck to the bit.
            f.moduleTemperatures[1] = Celsius(290)
            return f
        }
        for paired in [false, true] {
            var c = Self.configuration(paired: paired)
            c.validation.temperatureStuckSamples = 100
            var controller = try TestController.requesting(configuration: c)
            let cmd = run(&controller, steps: 700) { frames($0) }
            if paired {
                #expect(!cmd.faults.contains(.measurementInvalid), "\(cmd.faults.rawValue)")
                #expect(cmd.warnings.contains(.temperatureSensorFault))
                #expect(cmd.contactors.mainPositive && cmd.contactors.mainNegative, "\(cmd.faults.rawValue)")
            } else {
                #expect(cmd.faults.contains(.measurementInvalid), "one sensor per module: a stuck channel trips")
            }
        }
    }
}
