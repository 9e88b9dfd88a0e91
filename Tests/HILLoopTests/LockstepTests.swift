import BMSCore
import BatteryPlant
import HIL
import Modbus
import Simulation
import Testing

@Suite("Closed loop over Modbus")
struct LockstepTests {
    /// Ten simulated minutes of frequency regulation, once in process and once with the plant
    /// behind a Modbus TCP server and the firmware polling it in lockstep: every step's estimates
    /// and commands are bit-identical, and so is the plant at the end.
    @Test func lockstepRunOverModbusMatchesTheInProcessRunBitForBit() throws {
        let scenario = try frequencyRegulationScenario(minutes: 10)
        var local = try ClosedLoopRunner(scenario: scenario)
        let server = try startPlantServer(scenario)
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        let remote = try FieldBusController(configuration: scenario.coreConfiguration, client: client, lockstep: true)

        let steps = Int(scenario.duration_ms / scenario.coreConfiguration.step.count)
        var firstDifference: Int?
        var contactorSteps = 0
        for k in 0..<steps {
            _ = local.advance()
            #expect(remote.cycle(), "cycle \(k): \(remote.lastError ?? "")")
            let a = local.controller.status, b = remote.controller.status
            let same = a.soc.value.bitPattern == b.soc.value.bitPattern && a.socSigma.bitPattern == b.socSigma.bitPattern
                && a.resistanceAtReference.value.bitPattern == b.resistanceAtReference.value.bitPattern
                && local.lastCommands.chargeCurrentLimit.value.bitPattern == remote.lastCommands.chargeCurrentLimit.value.bitPattern
                && local.lastCommands.contactors == remote.lastCommands.contactors && a.faults == b.faults
            if !same, firstDifference == nil { firstDifference = k }
            if local.lastCommands.closeContactors { contactorSteps += 1 }
        }
        #expect(firstDifference == nil, "first difference at step \(firstDifference ?? -1)")
        #expect(contactorSteps > steps / 2, "the pack was connected and cycling")
        let plantOverModbus = server.withService { s, _ in s.plant.pack.stateOfCharge }
        #expect(plantOverModbus.bitPattern == local.plant.stateOfCharge.bitPattern)
        #expect(server.withService { s, _ in s.stepsDone } == UInt64(steps))
        for k in 0..<scenario.pack.cellCount {
            #expect(local.controller.cellSoC(k).value.bitPattern == remote.controller.cellSoC(k).value.bitPattern)
        }
    }

    /// The processor-in-the-loop reference (`FirmwareTrace.processorInTheLoop`, what the firmware
    /// image's digests must equal, hil/run-pil.sh) is what a lockstep run over Modbus decides with
    /// the image's configuration: three simulated minutes, every step's digest bit for bit.
    @Test func processorInTheLoopReferenceIsALockstepRunOverModbus() throws {
        let scenario = try frequencyRegulationScenario(minutes: 3)
        let steps = Int(scenario.duration_ms / scenario.coreConfiguration.step.count)
        let (headerBytes, reference) = try FirmwareTrace.processorInTheLoop(scenario: scenario, steps: steps)
        let header = try #require(headerBytes.withUnsafeBytes { ReplayTraceHeader(reading: $0.baseAddress!, maxCells: 240, maxModules: 12) })
        #expect(header.steps == steps && header.cells == 20 && header.chemistry == .naNiCl2)
        #expect(reference.count == steps * 4 * StepDigest.count)
        let server = try startPlantServer(scenario)
        defer { server.stop() }
        let remote = try FieldBusController(configuration: header.configuration, client: try ModbusClient(endpoint: server.endpoint), lockstep: true)
        var digests = [UInt8](repeating: 0, count: reference.count)
        var connected = 0
        for k in 0..<steps {
            #expect(remote.cycle(), "cycle \(k): \(remote.lastError ?? "")")
            let digest = StepDigest(
                commands: remote.lastCommands, status: remote.controller.status, time: Milliseconds(remote.time_ms), cellCount: header.cells, moduleCount: header.modules)
            digests.withUnsafeMutableBytes { digest.write(to: $0.baseAddress! + k * 4 * StepDigest.count) }
            if remote.lastCommands.closeContactors { connected += 1 }
        }
        let first = zip(digests, reference).enumerated().first { $0.element.0 != $0.element.1 }.map { $0.offset / (4 * StepDigest.count) }
        #expect(first == nil, "first different step: \(first ?? -1)")
        #expect(connected > steps / 2, "the pack was connected and cycling")
    }

    /// The link dies mid-run: the first cycle that finds it dead offers no current (a stale
    /// frame) but keeps the contactors closed (one failed poll must not open the pack under
    /// load); once the core's frame timeout (500 ms) has passed, communicationLoss latches and
    /// the contactors open. The client backs off on the manual clock, and once the device is
    /// back and the back-off has passed the controller reconnects and runs on fresh frames.
    @Test func lostLinkReachesTheSafeStateWithinTheFrameTimeoutAndReconnects() throws {
        let scenario = try frequencyRegulationScenario(minutes: 2)
        var server: PlantServer? = try startPlantServer(scenario)
        let port = server!.port
        let period = Duration.milliseconds(scenario.coreConfiguration.step.count)
        let clock = ManualClock()
        let client = try ModbusClient(
            endpoint: .tcp(host: "127.0.0.1", port: port), responseTimeout: period * 0.4,
            reconnect: .init(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(200)), clock: clock)
        let remote = try FieldBusController(configuration: scenario.coreConfiguration, client: client, lockstep: true, clock: clock)
        for _ in 0..<600 { remote.cycle() }  // a minute: precharged, closed, cycling
        #expect(remote.lastCommands.closeContactors)
        #expect(remote.lastCommands.dischargeCurrentLimit.value > 0)

        server!.stop()
        server = nil
        remote.cycle()
        #expect(remote.linkDown)
        #expect(remote.lastCommands.closeContactors, "one failed cycle: still connected")
        #expect(remote.lastCommands.chargeCurrentLimit.value == 0 && remote.lastCommands.dischargeCurrentLimit.value == 0)
        #expect(!remote.controller.status.faults.contains(.communicationLoss))
        var cycles = 1
        while !remote.controller.status.faults.contains(.communicationLoss) && cycles < 20 {
            remote.cycle()  // the first of these is the immediate reconnect attempt: refused, the back-off starts
            cycles += 1
        }
        #expect(cycles <= 6, "latched after \(cycles) failed cycles")
        #expect(!remote.lastCommands.closeContactors && !remote.lastCommands.contactors.precharge, "safe once the timeout passed")

        // The device comes back on the same port (restarted: its clock starts at zero again).
        // Within the back-off the client does not even try; after it, it reconnects and the
        // controller carries its own time on.
        let back = try startPlantServer(scenario, port: port)
        defer { back.stop() }
        #expect(!remote.cycle(), "the back-off has not passed on the manual clock")
        clock.advance(by: .milliseconds(50))
        #expect(remote.cycle(), "reconnected: \(remote.lastError ?? "")")
        #expect(client.reconnections == 1)
        #expect(remote.deviceRestarts == 1)
        #expect(remote.controller.status.faults.contains(.communicationLoss), "latched until a reset")
        #expect(!remote.lastCommands.closeContactors)
        remote.enterService()
        remote.resetFaults(by: .service)
        remote.leaveService()
        for _ in 0..<5 { remote.cycle() }
        #expect(!remote.controller.status.faults.contains(.communicationLoss))
        #expect(remote.controller.status.faults.contains(.staleFrame) == false)
    }

    /// A device in real-time mode on a manual clock: 300 ms at 100x is exactly 300 steps (30 s),
    /// and a lockstep write is refused there.
    @Test func realTimeModeAdvancesWithTheAccelerationFactor() throws {
        let scenario = try frequencyRegulationScenario(minutes: 1)
        let clock = ManualClock()
        let server = try startPlantServer(scenario, mode: .realTime, acceleration: 100, clock: clock)
        defer { server.stop() }
        server.tickNow()  // the first tick schedules the first step
        let client = try ModbusClient(endpoint: server.endpoint)
        func ms(_ r: [UInt16]) -> Int { r.reduce(0) { $0 << 16 | Int($1) } }
        let t0 = ms(try client.readInputRegisters(address: FieldDeviceMap.Input.time, count: 4))
        for _ in 0..<30 {
            clock.advance(by: .milliseconds(10))
            server.tickNow()
        }
        let t1 = ms(try client.readInputRegisters(address: FieldDeviceMap.Input.time, count: 4))
        #expect(t1 - t0 == 30_000, "300 ms at 100x is 30 s; got \(t1 - t0) ms")
        #expect(server.withService { s, _ in s.overruns } == 0)
        #expect(try client.readInputRegisters(address: FieldDeviceMap.Input.runMode, count: 1) == [1])
        let refused = #expect(throws: ModbusError.self) { try client.writeRegister(address: FieldDeviceMap.Holding.lockstepAdvance, value: 1) }
        #expect(refused?.exception == .illegalDataAddress)
    }

    /// A real-time device whose controller stops writing opens its contactors and stops the load
    /// once more than its command timeout has passed since the last command write (a gateway's
    /// watchdog: exactly at the boundary on a manual clock), and resumes on the next write.
    @Test func commandWatchdogOpensTheContactorsWhenTheWritesStop() throws {
        let scenario = try frequencyRegulationScenario(minutes: 5)
        let clock = ManualClock()
        let server = try startPlantServer(scenario, mode: .realTime, acceleration: 10, commandTimeout: .milliseconds(300), clock: clock)
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        func run(_ d: Duration) {
            var left = d
            while left > .zero {
                let dt = min(left, .milliseconds(50))
                clock.advance(by: dt)
                server.tickNow()
                left -= dt
            }
        }
        // Close the mains and allow 10 A both ways, writing the command block every 50 ms.
        for _ in 0..<10 {
            try client.writeRegisters(address: 0, values: [3, 0, 10_000, 0, 10_000])
            run(.milliseconds(50))
        }
        #expect(server.withService { s, _ in s.plant.pack.contactors.isConnected })
        let status = try client.readInputRegisters(address: FieldDeviceMap.Input.status, count: 1)[0]
        #expect(status & FieldDeviceMap.watchdogBit == 0)
        try client.writeRegisters(address: 0, values: [3, 0, 10_000, 0, 10_000])
        run(.milliseconds(300))
        #expect(!server.withService { s, _ in s.watchdogExpired }, "300 ms since the last write: not beyond the timeout")
        run(.milliseconds(1))
        #expect(server.withService { s, _ in s.watchdogExpired })
        run(.milliseconds(20))
        #expect(!server.withService { s, _ in s.plant.pack.contactors.isConnected }, "opened by the watchdog")
        #expect(server.withService { s, _ in s.plant.pack.current_A } == 0)
        let held = try client.readInputRegisters(address: FieldDeviceMap.Input.status, count: 1)[0]
        #expect(held & FieldDeviceMap.watchdogBit != 0 && held & 3 == 0)
        try client.writeRegisters(address: 0, values: [3, 0, 10_000, 0, 10_000])
        #expect(!server.withService { s, _ in s.watchdogExpired }, "cleared by the write itself")
        run(.milliseconds(50))
        #expect(server.withService { s, _ in s.plant.pack.contactors.isConnected }, "back on the next command write")
    }
}
