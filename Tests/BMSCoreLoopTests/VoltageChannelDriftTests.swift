@testable import BMSCore
import Testing
import BMSCoreTestSupport

/// A cell-voltage (or pack-voltage) channel that drifts slowly stays inside every range and never
/// repeats: only Kirchhoff can tell, the pack voltage against the cells' sum, judged against what
/// that difference was when the channels were known good.
struct VoltageChannelDriftTests {
    /// A small deterministic noise source (uniform sum, about unit variance).
    struct Noise {
        var state: UInt64
        mutating func next() -> Float {
            var s: Float = 0
            for _ in 0..<4 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                s += Float(state >> 40) / Float(1 << 24) - 0.5
            }
            return s * 1.732
        }
    }

    /// Runs a 20-cell string through frequency-regulation-like current swings for `hours`:
    /// cells with 2 mV noise and a 4 mOhm resistance, a pack channel with 0.2 V noise, a gain error
    /// and 5 mOhm of interconnects, cell voltages moving `slope` V per hour with the SoC. Cell 7's
    /// channel drifts `drift` V/h from `driftStart` h. Returns the hour `measurementInvalid`
    /// latched, if it did, and the last measurement flags seen with it.
    static func run(
        hours: Float, drift: Float, driftStart: Float = 1, gain: Float = 0, slope: Float = 0, current: ((Int) -> Float)? = nil
    ) throws -> (hour: Float?, flags: MeasurementFlags) {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var noise = Noise(state: 42)
        let steps = Int(hours * 36_000)
        var latchedAt: Float? = nil
        var flags = MeasurementFlags.clear
        var last = CommandFrame<32, 4>.safe
        last.contactors = c.contactorCommands
        for k in 0..<steps {
            let t = Int64(100 + k * 100)
            let h = Float(k) / 36_000
            // Two incommensurate swings, so the current spends time everywhere in +-30 A.
            let i = current?(k) ?? 20 * Self.triangle(k, period: 597) + 10 * Self.triangle(k, period: 16_981)
            var f = nominalFrame(time: t, current: i)
            var sum: Float = 0
            for n in 0..<20 {
                let v = 2.58 + slope * h - 0.004 * i
                sum += v
                f.cellVoltages[n] = Volts(v + 0.002 * noise.next())
            }
            if h >= driftStart { f.cellVoltages[7] = Volts(f.cellVoltages[7].value + drift * (h - driftStart)) }
            f.secondCurrent = f.packCurrent
            for m in 0..<2 { f.moduleTemperatures[m] = Celsius(290 + 0.3 * noise.next()) }
            f.packVoltage = Volts((sum - 0.005 * i) * (1 + gain) + 0.2 * noise.next())
            last = step(&c, f, after: last)
            if latchedAt == nil, last.faults.contains(.measurementInvalid) {
                latchedAt = h
                flags = c.status.measurement
            }
        }
        return (latchedAt, flags)
    }

    /// A triangle wave between -1 and 1.
    static func triangle(_ k: Int, period: Int) -> Float {
        let x = Float(k % period) / Float(period)
        return x < 0.5 ? 4 * x - 1 : 3 - 4 * x
    }

    @Test func aDriftingCellChannelIsFound() throws {
        // 20 mV/h: 30 mV is reached 1.5 h after the fault starts.
        let r = try Self.run(hours: 4, drift: 0.02)
        let hour = try #require(r.hour, "a 20 mV/h drift went unnoticed for 3 h")
        #expect(hour > 1.5 && hour < 3, "latched at \(hour) h")
        #expect(r.flags.contains(.voltageChannelDrift), "\(r.flags)")
    }

    @Test func aDriftDownIsFoundToo() throws {
        let r = try Self.run(hours: 4, drift: -0.02)
        #expect(r.hour != nil)
    }

    @Test func healthyChannelsNeverTrip() throws {
        // Six hours of swings with interconnect drops, a pack channel reading 0.3 % high and the
        // cells' voltage moving 30 mV per hour: none of that is a drifting channel.
        let r = try Self.run(hours: 6, drift: 0, gain: 0.003, slope: 0.03)
        #expect(r.hour == nil, "latched at \(r.hour ?? -1) h: \(r.flags)")
    }

    @Test func aSteadyCurrentAfterAnIdleStartDoesNotTrip() throws {
        // Learnt at rest, then 30 A for hours: the interconnects' 150 mV drop is not a drift,
        // though the current never varied enough to measure their resistance.
        let r = try Self.run(hours: 4, drift: 0, slope: -0.03) { k in k < 36_000 ? 0 : 30 }
        #expect(r.hour == nil, "latched at \(r.hour ?? -1) h: \(r.flags)")
    }
}

/// The monitor's own state across a relearn, with short times so the steps can be counted.
struct VoltageDriftRelearnTests {
    /// A mismatch that had nearly confirmed before a cell was set aside must not carry its count
    /// into the new reference: after the relearn a new drift takes the full confirmation time.
    @Test func aRelearnStartsTheConfirmationAfresh() {
        var v = ValidationSettings()
        v.voltageDriftLearnTime = Milliseconds(1_000)
        v.voltageDriftConfirmation = Milliseconds(5_000)
        v.voltageDriftFilterTime = Seconds(1)
        let step = Milliseconds(100)
        var monitor = VoltageDriftMonitor(settings: v, step: step)
        func feed(_ mismatch: Float, cells: Int, steps: Int) -> Int? {
            for k in 0..<steps {
                monitor.update(cellSum: 52 + mismatch, cellsSummed: cells, packVoltage: 52, current: 0, settings: v, step: step)
                if monitor.drifting { return k }
            }
            return nil
        }
        #expect(feed(0, cells: 20, steps: 20) == nil)
        // Most of the 50 steps: not yet confirmed.
        var counting = 0
        while monitor.confirm.count < 45, counting < 200 {
            #expect(feed(1, cells: 20, steps: 1) == nil)
            counting += 1
        }
        #expect(monitor.confirm.count >= 45, "the mismatch was counting")
        // A cell set aside: learn the new reference (at 1 V), then a step beyond it.
        #expect(feed(1, cells: 19, steps: 30) == nil)
        let confirmedAfter = feed(1.1, cells: 19, steps: 100)
        #expect(confirmedAfter != nil)
        #expect((confirmedAfter ?? 0) >= 45, "confirmed \(confirmedAfter ?? -1) steps after the new drift; the debounce is 50")
    }
}
