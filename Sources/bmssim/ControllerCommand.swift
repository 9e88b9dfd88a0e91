import ArgumentParser
import Logging
import BMSCore
import Foundation
import HIL
import Modbus
import Simulation

/// `bmssim controller`: the firmware against a field device over Modbus.
struct ControllerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Run the BMS core against a Modbus field device: poll, step, command (hil/README.md).",
        discussion: """
            The firmware is configured from the scenario options (pack, chemistry, cells, ...), the \
            same way `simulate` configures it; the device must serve that many cells and modules. \
            Against a lockstep device (bmssim plant-server without --realtime) the controller drives \
            time and runs the scenario's duration as fast as the link allows; against a real-time \
            device it runs one cycle per control step (divided by --realtime). A poll that times out \
            latches communicationLoss: zero current limits and open contactors in the same cycle; \
            the link is retried with back-off. Writes controller.csv (what the firmware saw and did).
            """
    )

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var serverOptions: ServerOptions

    @Option(help: "The field device: tcp://HOST:PORT, HOST:PORT, or rtu:DEVICE[?baud=N&parity=E].")
    var plant = "tcp://127.0.0.1:1502"

    @Option(help: "RTU unit (slave) ID of the device.")
    var unit: Int = 1

    @Option(name: .customLong("timeout-ms"), help: "Response timeout per request, ms, at least 5 (default: 40 % of the control step, at least 10 ms, plus an RTU line's time to carry the longest reply; never scaled by --realtime).")
    var timeoutMs: Int?

    @Option(help: "Pace of a real-time device, simulated seconds per wall-clock second (must match its --realtime).")
    var realtime: Double = 1

    @Option(name: [.customLong("connect-wait-s"), .customLong("connect-wait")], help: "Seconds to wait for the device at start.")
    var connectWait: Double = 10

    @Option(help: "Serve the SunSpec EMS face (models 1 + 802 at 40000) on HOST:PORT, or 'none'.")
    var ems = "127.0.0.1:1503"

    @Option(name: [.customLong("ems-heartbeat-timeout-s"), .customLong("ems-heartbeat-timeout")], help: "Seconds the EMS heartbeat (CtrlHb) may stand still, once written, before the pack drops to standby.")
    var emsHeartbeatTimeout: Double = 10

    @Option(help: "Output folder (controller.csv).")
    var out: String = "out/controller"

    func validate() throws {
        guard (1...247).contains(unit) else { throw ValidationError("--unit must be 1...247") }
        if let t = timeoutMs {
            guard (5...60_000).contains(t) else {
                throw ValidationError("--timeout-ms must be 5...60000 (below 5 ms a loaded host misses answers that are on their way: a false communication loss)")
            }
        }
        try OptionCheck.within(realtime, 1e-3...10_000, "realtime", "simulated s per s")
        try OptionCheck.within(connectWait, 0...3600, "connect-wait-s", "s")
        guard emsHeartbeatTimeout.isFinite, emsHeartbeatTimeout >= 0.1, emsHeartbeatTimeout <= 3600 else {
            throw ValidationError("--ems-heartbeat-timeout-s must be within 0.1 ... 3600")
        }
    }

    /// 40 % of the control step, at least 10 ms (a host under load answers late, not never),
    /// plus on RTU the time the line takes to carry the longest reply (256 bytes of 11 bits):
    /// wall time, whatever the device's --realtime.
    static func defaultTimeout(step: Duration, endpoint: ModbusEndpoint) -> Duration {
        var t = max(step * 0.4, .milliseconds(10))
        if case .rtu(let settings) = endpoint { t += .microseconds(Int64(256 * 11 * 1_000_000 / max(1, settings.baud))) }
        return t
    }

    func run() throws {
        let logger = logging.logger("bmssim.controller")
        let (scenario, name) = try scenarioOptions.buildScenario()
        try scenario.firmwareFit()
        // The commissioning impedance test reads the in-process plant's cells; over the field
        // bus there are none to read (the device serves voltages, not spectra).
        guard scenario.commissioningImpedanceCells == 0 else {
            throw InputError(message: "firmware.commissioning_impedance_cells needs the in-process plant (bmssim simulate); over Modbus the firmware uses its datasheet's interface part")
        }
        var configuration = scenario.coreConfiguration
        scenario.firmwareOverride?(&configuration)
        configuration.emsLink.heartbeatTimeout = Milliseconds(Int64((emsHeartbeatTimeout * 1000).rounded()))
        let step = Duration.milliseconds(configuration.step.count)
        let endpoint = try ModbusEndpoint(parsing: plant)
        let timeout = timeoutMs.map { Duration.milliseconds($0) } ?? Self.defaultTimeout(step: step, endpoint: endpoint)
        let client = try ModbusClient(endpoint: endpoint, unitID: UInt8(unit), responseTimeout: timeout)
        Interrupt.install()

        // The device says whether it runs in lockstep.
        let runMode: FieldDeviceMap.RunMode
        do {
            runMode = try FieldBusController.waitForDevice(
                client, within: .milliseconds(Int64(connectWait * 1000)), clock: SystemClock(), shouldStop: { Interrupt.requested })
        } catch { throw InputError(message: "no field device at \(endpoint) within \(Format.compact(connectWait)) s: \(error)") }
        let lockstep = runMode == .lockstep
        var emsServer: ModbusServer<SunSpecService>?
        if ems != "none" {
            do {
                let emsEndpoint = try ModbusEndpoint(parsing: ems)
                var kind = "tcp"
                if case .rtu = endpoint { kind = "rtu" }
                let service = SunSpecService(nameplate: scenario.nameplate(options: "field bus \(kind)"))
                let server = try ModbusServer(endpoint: emsEndpoint, layout: SunSpecService.layout, service: service, limits: try serverOptions.limits())
                server.withService { s, t in s.publishNameplate(t) }
                server.start()
                emsServer = server
            } catch { throw InputError(message: "EMS face: \(error)") }
        }
        defer { emsServer?.stop() }
        let loop = try FieldBusController(configuration: configuration, client: client, lockstep: lockstep, ems: emsServer)
        loop.freshSampleWait = step / realtime / 2
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let log = try TimeSeriesWriter(path: out + "/controller.csv", columns: FieldBusController.columns)
        // Every write the EMS face receives, as it comes.
        let audit = try emsServer.map { server in
            server.recordsWrites = true
            return try WriteAudit(path: out + "/ems-writes.csv", points: SunSpecMap.registers)
        }
        let steps = Int(scenario.duration_ms / configuration.step.count)
        let every = max(1, Int(scenario.outputInterval_ms / configuration.step.count))
        logger.notice("bmssim controller \(name): \(configuration.cellCount) cells against \(endpoint) (\(lockstep ? "lockstep" : "real time")), \(steps) cycles")
        if let e = emsServer {
            logger.notice("EMS face (SunSpec 1 + 802 at 40000) on \(e.endpoint)")
            // The firmware judges the EMS heartbeat on its frame clock: simulated time. Say what
            // that asks of an EMS that beats by the wall clock.
            let timeout = Format.compact(emsHeartbeatTimeout)
            if lockstep {
                logger.notice("EMS heartbeat: judged in simulated time (\(timeout) s), which runs as fast as the loop here; an EMS that writes CtrlHb must beat per simulated second (on each change of Hb, 40000 + \(SunSpecMap.battery - SunSpecMap.base + SunSpecMap.Battery.Hb)), not per wall second")
            } else if realtime > 1 {
                logger.notice("EMS heartbeat: judged in simulated time (\(timeout) s) = \(Format.compact(emsHeartbeatTimeout / realtime)) s of wall time at x\(Format.compact(realtime))")
            }
        }

        let elapsed = try loop.run(cycles: steps, period: step / realtime, shouldStop: { Interrupt.requested }) { report in
            if report.linkChanged {
                if loop.linkDown {
                    logger.warning("link lost at cycle \(report.count - 1): \(loop.lastError ?? "") -> communicationLoss, safe state")
                } else {
                    logger.notice("link back at cycle \(report.count - 1)")
                }
            }
            if report.count % every == 0 || report.linkChanged { try log.append(loop.logRow()) }
            if let audit, let e = emsServer, report.count % 10 == 0 { try audit.drain(e) }
        }
        try log.flush()
        if let audit, let e = emsServer { try audit.drain(e) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let s = loop.controller.status
        print("\(loop.cycles) cycles in \(Format.compact(seconds)) s: \(Format.compact((Double(loop.cycles) / max(seconds, 1e-9)).rounded())) cycles/s")
        print("cycles \(loop.cycles), failed \(loop.failedCycles), stale samples \(loop.repeatedSamples), skipped samples \(loop.skippedSamples), overruns \(loop.overruns), reconnections \(client.reconnections), device restarts \(loop.deviceRestarts)")
        print("SoC estimate \(Format.compact(Double(s.soc.value) * 100)) % (sigma \(Format.compact(Double(s.socSigma) * 100)) %), faults \(s.faults.name)")
        print("wrote \(out)/controller.csv" + (audit.map { ", \(out)/ems-writes.csv (\($0.rows) registers written, \($0.refused) writes refused)" } ?? ""))
        if Interrupt.requested { throw ExitCode(130) }
    }
}
