import BMSCore
import Testing
import BMSCoreTestSupport

@Suite("Measurement validation")
struct MeasurementTests {
    @Test func openWireIsToldFromAFailedShortCell() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        run(&c, steps: 10) { nominalFrame(time: $0) }
        // A failed-short ZEBRA cell reads about 0 V; its neighbours are normal: not a sensor fault.
        var cmd = run(&c, steps: 10, from: 1100) { t in
            var f = nominalFrame(time: t)
            f.cellVoltages[3] = Volts(0.001)
            return f
        }
        #expect(!c.status.measurement.contains(.openWire))
        #expect(!cmd.faults.contains(.measurementInvalid))
        // An open tap: one cell reads 0 V, its neighbour two cells.
        cmd = run(&c, steps: 5, from: 2100) { t in
            var f = nominalFrame(time: t)
            f.cellVoltages[3] = Volts(0)
            f.cellVoltages[4] = Volts(5.16)
            return f
        }
        #expect(c.status.measurement.contains(.openWire))
        #expect(cmd.faults.contains(.measurementInvalid), "latched after the debounce: protection would be blind")
    }

    @Test func stuckCellChannelUnderAChangingLoad() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var cmd = run(&c, steps: 60, from: 100) { t in
            let i: Float = (t / 100) % 2 == 0 ? 10 : -10
            var f = nominalFrame(time: t, current: i)
            for k in 0..<20 { f.cellVoltages[k] = Volts(2.58 - 0.009 * i + Float(k) * 0.0001) }
            f.cellVoltages[7] = Volts(2.5812)  // never moves
            return f
        }
        #expect(c.status.measurement.contains(.stuck))
        cmd = run(&c, steps: 5, from: 6100) { t in
            var f = nominalFrame(time: t, current: (t / 100) % 2 == 0 ? 10 : -10)
            f.cellVoltages[7] = Volts(2.5812)
            return f
        }
        #expect(cmd.faults.contains(.measurementInvalid))
    }

    /// A stuck verdict holds until the channel moves: the frame it invalidates stops the current,
    /// and a verdict that needed the current flowing would clear on the next frame and return on
    /// the one after (a polymer string on ideal temperature sensors at its setpoint had its charge
    /// limit switch between 1.8 A and 0 every 100 ms from minute 10).
    @Test func aStuckTemperatureStaysStuckWhenTheCurrentStops() throws {
        var config = zebraConfiguration()
        config.validation.temperatureStuckSamples = 50
        var c = try TestController.requesting(configuration: config)
        func frame(_ t: Int64, current: Float, temperature: Float = 285.0) -> TestFrame {
            var f = nominalFrame(time: t, current: current)
            // Live cell channels (their noise moves them); only the temperatures repeat.
            for k in 0..<20 { f.cellVoltages[k] = Volts(2.58 + 0.0001 * Float((t / 100 + Int64(k)) % 3)) }
            f.packVoltage = Volts((0..<20).reduce(0) { $0 + f.cellVoltages[$1].value })
            for m in 0..<2 { f.moduleTemperatures[m] = Celsius(temperature + Float(m)) }
            return f
        }
        run(&c, steps: 60, from: 100) { frame($0, current: 5) }
        #expect(c.status.measurement.contains(.stuck), "a loaded pack's temperature that never moves")
        let stopped = run(&c, steps: 1, from: 6200) { frame($0, current: 0) }
        #expect(c.status.measurement.contains(.stuck), "the current its own reaction stopped does not clear it")
        #expect(stopped.chargeCurrentLimit == .zero)
        run(&c, steps: 1, from: 6300) { frame($0, current: 0, temperature: 285.1) }
        #expect(!c.status.measurement.contains(.stuck), "the channel moved")
    }

    @Test func aRestingPackIsNotStuck() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        let cmd = run(&c, steps: 200) { nominalFrame(time: $0) }
        #expect(!c.status.measurement.contains(.stuck), "identical readings at rest are normal")
        #expect(cmd.faults.isEmpty)
    }

    @Test func cellsMustAddUpToThePackVoltage() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        run(&c, steps: 10) { t in
            var f = nominalFrame(time: t)
            f.packVoltage = Volts(2.58 * 20 + 5)
            return f
        }
        #expect(c.status.measurement.contains(.cellSumMismatch))
        #expect(c.status.faults.isEmpty, "a warning, not a trip")
    }

    @Test func nanAndOutOfRangeAreNamed() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        _ = c.step({ var f = nominalFrame(time: 100); f.packCurrent = Amperes(.nan); f.moduleTemperatures[0] = Celsius(900); return f }())
        #expect(c.status.measurement.contains(.notANumber))
        #expect(c.status.measurement.contains(.outOfRange))
    }
}
