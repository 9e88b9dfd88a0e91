// bmssim-bench: speed figures of the product (run with tools/bench.sh, release build).
//
//   bmssim-bench core             ns per BMSCore step for a 240-cell string (target <= 10 us)
//   bmssim-bench plant [--year]   plant cell-steps per second: 240-cell ZEBRA string and a 4 x 20
//                                 pack at 1 s steps; --year also runs one simulated year of the
//                                 240-cell string at 1 s steps and reports its wall time.
//   bmssim-bench modbus           the TCP server's isolation: a client's round-trip p99 alone and
//                                 beside a garbage flood and a half frame (rise <= 1 ms), and
//                                 100 clients at once (all answered).
import BMSCore
import BatteryPlant
import Foundation

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs `steps` plant steps of 1 s on `definition` with a square-wave current; returns wall seconds.
func runPlant(_ definition: PackDefinition, steps: Int, current: Double) -> (seconds: Double, soc: Double) {
    var pack = BatteryPack(definition: definition, seed: 1)
    pack.command(.closed)
    pack.step(current: 0, duration_ms: 1000)
    let t = seconds {
        for k in 0..<steps {
            // 30 min discharge, 30 min charge: keeps the pack in its window for any duration.
            let i = (k / 1800) % 2 == 0 ? current : -current
            pack.step(current: i, duration_ms: 1000)
        }
    }
    return (t, pack.stateOfCharge)
}

func report(_ name: String, cells: Int, steps: Int, seconds s: Double) {
    let cellSteps = Double(cells) * Double(steps)
    print(String(format: "%-34@ %8d steps  %7.3f s  %10.3e cell-steps/s  %7.1f ns/cell-step", name as NSString, steps, s, cellSteps / s, s / cellSteps * 1e9))
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "plant":
    let string = PackDefinition.zebraString()
    let pack = PackDefinition.zebra48V()
    _ = runPlant(string, steps: 3600, current: 10)  // warm-up
    let day = 86_400
    let a = runPlant(string, steps: day, current: 10)
    report("240-cell NaNiCl2 string, 1 day", cells: 240, steps: day, seconds: a.seconds)
    let b = runPlant(pack, steps: day, current: 30)
    report("4 x 20 NaNiCl2 pack, 1 day", cells: 80, steps: day, seconds: b.seconds)
    if arguments.contains("--year") {
        let year = 365 * day
        let y = runPlant(string, steps: year, current: 10)
        report("240-cell string, 1 year at 1 s", cells: 240, steps: year, seconds: y.seconds)
        print(String(format: "one simulated year of a 240-cell string at 1 s steps: %.1f s wall (target < 80 s)", y.seconds))
    } else {
        let extrapolated = a.seconds * 365
        print(String(format: "one year of the 240-cell string, extrapolated from 1 day: %.1f s wall (target < 80 s; --year runs it)", extrapolated))
    }
case "core":
    // A 240-cell ZEBRA string controller (12 modules, two thermocouples each, a blower, the
    // heaters' power supervised: every per-step check the simulator configures) fed changing
    // frames: ns per step.
    var configuration = CoreConfiguration.preset(
        .naNiCl2, cellCount: 240, moduleCount: 12, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(38))
    configuration.validation.edgeThermocouples = true
    configuration.cooling = CoolingSettings(onAbove: Celsius(330))
    configuration.heater.ratedPower = Watts(100)
    var controller = try! BMSController<240, 12>(configuration: configuration)
    controller.modeRequest = .normal
    var frame = MeasurementFrame<240, 12>(time: .zero)
    frame.packVoltage = Volts(619)
    for i in 0..<240 { frame.cellVoltages[i] = Volts(2.58 + Float(i % 7) * 0.001) }
    for m in 0..<12 {
        frame.moduleTemperatures[m] = Celsius(285)
        frame.edgeTemperatures[m] = Celsius(282)
        frame.heaterPower[m] = Watts(0)
    }
    frame.contactorClosed = true
    let steps = 1_000_000
    var sink: UInt32 = 0
    let t = seconds {
        for k in 1...steps {
            frame.time = Milliseconds(Int64(k) * 100)
            frame.packCurrent = Amperes(Float(k % 41) - 20)
            frame.cellVoltages[k % 240] = Volts(2.58 + Float(k % 5) * 0.001)
            sink |= controller.step(frame).faults.rawValue
        }
    }
    print(String(format: "BMSCore step, 240 cells / 12 modules: %.0f ns per step (%d steps, %.3f s; target <= 10000 ns)", t / Double(steps) * 1e9, steps, t))
    if sink == .max { print(sink) }
case "modbus":
    ModbusIsolationBench.run()
default:
    print("usage: bmssim-bench core | plant [--year] | modbus")
}
