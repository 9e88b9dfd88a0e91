import ArgumentParser
import Logging
import Foundation
import HIL
import Modbus
import Simulation

/// `bmssim plant-server`: the scenario's plant served as a Modbus field device.
struct PlantServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plant-server",
        abstract: "Serve the scenario's plant as a Modbus field device (hil/field-device-map.md).",
        discussion: """
            Lockstep by default: simulated time moves only when a client writes lockstep_advance, so \
            a run over Modbus is deterministic and bit-identical to the in-process run. With \
            --realtime X the plant runs by itself at X times wall-clock speed. TCP on loopback by \
            default; --rtu serves a serial line instead (e.g. one end of a socat pty pair). Ctrl-C stops.
            """
    )

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var serverOptions: ServerOptions

    @Option(help: "TCP address to listen on (HOST:PORT).")
    var listen = "127.0.0.1:1502"

    @Option(help: "Serve Modbus RTU on this serial device instead of TCP.")
    var rtu: String?

    @Option(help: "RTU baud rate.")
    var baud = 19_200

    @Option(help: "RTU parity (8 data bits, 1 stop bit).")
    var parity = ParityChoice.even

    @Option(help: "RTU unit (slave) ID, 1...247.")
    var unit: Int = 1

    @Flag(help: "Lockstep: keep serving after the controller that drove the plant's time disconnects (by default the server stops 2 s later, its session over).")
    var keepServing = false

    @Option(help: "Output folder: field-writes.csv, every write received (peer, register, point, old and new value, accepted or refused); plant-truth.csv, the plant's own state; plant-final.json, its end figures (bmssim hil-summary joins them with the controller's log).")
    var out: String = "out/plant-server"

    @Option(name: .customLong("truth-interval-s"), help: "Simulated seconds between rows of plant-truth.csv (a multiple of the step; 0: no truth log).")
    var truthInterval: Double = 1

    @Option(help: "Run in real time at this many simulated seconds per wall-clock second (default: lockstep).")
    var realtime: Double?

    @Option(name: [.customLong("command-timeout-s"), .customLong("command-timeout")], help: "Real time: seconds without a command write before the device opens its contactors and stops the load, like a gateway's watchdog (0 = none).")
    var commandTimeout: Double = 2

    func validate() throws {
        try OptionCheck.within(commandTimeout, 0...3600, "command-timeout-s", "s (0: none)")
        try OptionCheck.within(realtime, 1e-3...10_000, "realtime", "simulated s per s")
        try OptionCheck.within(truthInterval, 0...86_400, "truth-interval-s", "s (0: none)")
        guard (1...247).contains(unit) else { throw ValidationError("--unit must be 1...247") }
    }

    func run() throws {
        let logger = logging.logger("bmssim.plant-server")
        let (scenario, name) = try scenarioOptions.buildScenario()
        let endpoint: ModbusEndpoint =
            if let device = rtu { .rtu(.init(device: device, baud: baud, parity: parity.parity)) } else { try ModbusEndpoint(parsing: listen) }
        let mode: FieldDeviceMap.RunMode = realtime == nil ? .lockstep : .realTime
        let watchdog: Duration? = commandTimeout > 0 ? .milliseconds(Int64(commandTimeout * 1000)) : nil
        var plant = try ScenarioPlant(scenario: scenario)
        let step_ms = plant.step_ms
        let truth_ms = Int64((truthInterval * 1000).rounded())
        if truth_ms > 0 {
            guard truth_ms % step_ms == 0 else { throw InputError(message: "--truth-interval-s \(Format.compact(truthInterval)) is not a multiple of the \(step_ms) ms step") }
            plant.truthInterval_ms = truth_ms
        }
        let service = FieldDeviceService(plant: plant, mode: mode, acceleration: realtime ?? 1, commandTimeout: watchdog)
        let server = try ModbusServer(endpoint: endpoint, unitID: UInt8(unit), layout: service.layout, service: service, limits: try serverOptions.limits())
        server.withService { s, t in s.publish(t) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let audit = try WriteAudit(path: out + "/field-writes.csv", points: FieldDeviceMap.registers)
        let truthLog = truth_ms > 0 ? try TimeSeriesWriter(path: out + "/plant-truth.csv", columns: PlantTruthSample.columns, flushEveryRows: 100) : nil
        func drainTruth() throws {
            guard let truthLog else { return }
            for sample in server.withService({ s, _ in s.withPlant { $0.drainTruth() } }) { try truthLog.append(PlantTruthSample.columns.fields(sample)) }
            try truthLog.flush()
        }
        server.recordsWrites = true
        Interrupt.install()
        server.start()
        let how = realtime.map { "real time x\(Format.compact($0))" } ?? "lockstep"
        logger.notice("bmssim plant-server \(name): \(scenario.pack.cellCount)-cell \(scenario.pack.chemistry.name) plant on \(server.endpoint), \(how), step \(scenario.coreConfiguration.step.count) ms")
        while !Interrupt.requested {
            SystemClock().sleep(for: .milliseconds(50))
            try audit.drain(server)
            try drainTruth()
            // A lockstep session ends with its controller: nobody else moves the plant's time.
            if mode == .lockstep, !keepServing, let left = server.withService({ s, _ in s.lockstepMasterLeftAt }), server.clock.now - left > .seconds(2) {
                logger.notice("the lockstep controller disconnected 2 s ago: session over, stopping (--keep-serving stays)")
                break
            }
        }
        server.stop()
        try audit.drain(server)
        try drainTruth()
        if truthLog != nil {
            let plant = server.withService { s, _ in s.plant }
            try plant.finalJSON(name: name).write(to: URL(fileURLWithPath: out + "/plant-final.json"))
            print("truth: \(out)/plant-truth.csv every \(Format.compact(truthInterval)) s, \(out)/plant-final.json")
        }
        let (steps, overruns, t, busy) = server.withService { s, _ in (s.stepsDone, s.overruns, s.plant.time_ms, s.leaseRefusals) }
        print("writes: \(audit.rows) registers logged to \(out)/field-writes.csv, \(audit.refused) writes refused (\(busy) because another master held the command words)")
        let link = server.port == 0
            ? "\(server.connectionsDropped) garbled frames dropped"
            : "\(server.connectionsDropped) connections dropped (not Modbus), \(server.connectionsTimedOut) closed idle or mid-frame, \(server.connectionsRefused) refused"
        print("stopped: \(steps) steps (\(Format.compact(Double(t) / 1000)) s simulated), \(server.requestsAnswered) requests answered, \(link), \(overruns) real-time overruns")
    }
}
