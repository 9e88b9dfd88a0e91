import BMSCore
import BatteryPlant
import Foundation
import HIL
import Modbus

/// The firmware run against a field device over Modbus: each cycle polls the field-device map,
/// steps BMSCore on what it read, and writes the commands back (in lockstep, with the
/// `lockstep_advance` that moves the device's time by one step).
///
/// A failed poll or write (timeout, lost link, a map that does not decode) is a communication
/// loss: the core latches `communicationLoss` and steps on the last frame it has, which gives zero
/// current limits and open contactors in that same cycle; the commands are sent if the link
/// allows. The client reconnects with back-off; once polls succeed again the core runs on fresh
/// frames, with the fault latched until a reset (`resetFaults`, or AlmRst from the EMS).
public final class FieldBusController {
    public let client: ModbusClient
    /// The clock the loop is paced on, waits for fresh samples on, and times the EMS heartbeat
    /// with (the system clock, or a manual one in tests).
    public let clock: any HostClock
    public private(set) var controller: HostController
    /// Whether the device's time advances on our writes (lockstep) or runs by itself.
    public let lockstep: Bool
    /// The last commands the core gave (what the device was sent, or would have been).
    public private(set) var lastCommands: HostCommands
    /// Cycles run, and cycles that found the link down.
    public private(set) var cycles = 0
    public private(set) var failedCycles = 0
    /// The last communication error, if the last cycle failed.
    public private(set) var lastError: String?

    private var input: [UInt16]
    private var holding: [UInt16]
    private var readings: SensorReadings
    private var frame: HostFrame
    private var commands: FieldCommands
    private let cellCount: Int
    private let moduleCount: Int
    private var lastDeviceTime: Int64?
    private var lastFrameTime_ms: Int64 = 0
    private var timeOffset_ms: Int64 = 0
    /// How long a cycle against a real-time device may wait for a sample newer than the last
    /// (zero: step on whatever was read; the core then flags the repeated frame as stale).
    public var freshSampleWait: Duration = .zero
    /// Whether the last poll returned the same device time as the one before.
    private var repeatedSample = false
    /// Cycles that stepped the core on a repeated sample (stale frames).
    public private(set) var repeatedSamples = 0
    /// Times the device's clock went backwards (the device restarted).
    public private(set) var deviceRestarts = 0
    /// Samples a real-time device took that no cycle saw (its time moved on by more than one
    /// step between two polls: the controller fell behind).
    public private(set) var skippedSamples = 0
    /// Cycles that ended after their period was over (the loop could not keep the pace).
    public private(set) var overruns = 0

    /// The EMS face (SunSpec), when served.
    public let ems: ModbusServer<SunSpecService>?
    /// What the EMS asked for, read at the start of the last cycle.
    public private(set) var emsRequests = EMSRequests()
    /// Charge discharged through the pack, Ah (for the EMS's cycle count).
    private var dischargedAh = 0.0

    /// A controller for `configuration`, polling the device behind `client`, serving the EMS face
    /// on `ems` if given.
    public init(
        configuration: CoreConfiguration, client: ModbusClient, lockstep: Bool, ems: ModbusServer<SunSpecService>? = nil,
        clock: any HostClock = SystemClock()
    ) throws {
        self.ems = ems
        self.clock = clock
        do {
            controller = try HostController(configuration: configuration)
            // Without an EMS face, the host is the EMS and asks for normal operation; with one,
            // its SetOp decides each step.
            controller.modeRequest = .normal
        } catch {
            throw SimulationError.controllerRejected("\(error)")
        }
        self.client = client
        self.lockstep = lockstep
        cellCount = configuration.cellCount
        moduleCount = configuration.moduleCount
        input = Array(repeating: 0, count: FieldDeviceMap.inputRegisterCount(cellCount: cellCount))
        holding = Array(repeating: 0, count: FieldDeviceMap.holdingRegisterCount(cellCount: cellCount))
        readings = SensorReadings(cellCount: cellCount, moduleCount: moduleCount)
        frame = HostFrame(readings)
        commands = FieldCommands(cellCount: cellCount, moduleCount: moduleCount)
        lastCommands = .safe
    }

    /// The controller's time: the last frame's, ms (carried on across device restarts).
    public var time_ms: Int64 { lastFrameTime_ms }

    /// Whether the last cycle lost the link.
    public var linkDown: Bool { lastError != nil }

    /// Runs one control cycle: poll, step, command. Returns false when the link was lost.
    @discardableResult
    public func cycle() -> Bool {
        cycles += 1
        do {
            try poll()
            // A real-time device samples on its own clock: wait (a little) for a new sample
            // rather than step twice on one.
            if !lockstep, repeatedSample, freshSampleWait > .zero {
                let deadline = clock.now + freshSampleWait
                let pause = max(.microseconds(200), freshSampleWait / 20)
                while repeatedSample, clock.now < deadline {
                    clock.sleep(for: pause)
                    try poll()
                }
            }
            if repeatedSample { repeatedSamples += 1 }
        } catch {
            return lose(error)
        }
        frame.refresh(from: readings)
        if let ems {
            emsRequests = ems.withService { service, tables in service.requests(tables: tables) }
            if let beat = emsRequests.heartbeat { controller.emsHeartbeat(beat) }
            // AlmRst comes over an unauthenticated network: the EMS class of reset, rate-limited.
            if emsRequests.resetFaults { controller.resetFaults(by: .ems) }
            controller.connectionRequested = emsRequests.connect
        }
        lastCommands = controller.step(frame)
        let held = applyEMSHolds()
        commands.update(from: lastCommands)
        do {
            try send(advance: lockstep)
        } catch {
            return lose(error)
        }
        lastError = nil
        publishToEMS(held)
        return true
    }

    /// Asks the device behind `client` for its run mode until it answers, for at most `within`
    /// on `clock` (a retry every 100 ms); throws the last error if it never does.
    public static func waitForDevice(
        _ client: ModbusClient, within limit: Duration, clock: any HostClock, shouldStop: () -> Bool = { false }
    ) throws -> FieldDeviceMap.RunMode {
        let deadline = clock.now + limit
        var lastError: any Error = FieldBusError.noAnswer
        repeat {
            do {
                let raw = try client.readInputRegisters(address: FieldDeviceMap.Input.runMode, count: 1)
                guard let mode = raw.first.flatMap(FieldDeviceMap.RunMode.init(rawValue:)) else { throw FieldBusError.noAnswer }
                return mode
            } catch {
                lastError = error
                clock.sleep(for: .milliseconds(100))
            }
        } while clock.now < deadline && !shouldStop()
        throw lastError
    }

    /// What `run` reports after each cycle.
    public struct CycleReport {
        /// Cycles run so far in this `run` (1 after the first).
        public var count: Int
        /// The link went down or came back in this cycle.
        public var linkChanged: Bool
    }

    /// Runs up to `cycles` control cycles, calling `after` once each has run, until `shouldStop`
    /// says so. Against a real-time device (and while the link is down, so a dead link is not
    /// hammered) the cycles are paced at `period` on `clock`; a lockstep device sets the pace
    /// itself. Returns the time the run took on `clock`.
    @discardableResult
    public func run(
        cycles: Int, period: Duration, shouldStop: () -> Bool = { false }, after: (CycleReport) throws -> Void = { _ in }
    ) rethrows -> Duration {
        let started = clock.now
        var next = started
        var k = 0
        while k < cycles, !shouldStop() {
            let wasDown = linkDown
            cycle()
            k += 1
            try after(CycleReport(count: k, linkChanged: linkDown != wasDown))
            if !lockstep || linkDown {
                next += period
                let now = clock.now
                if next > now {
                    clock.sleep(for: next - now)
                } else {
                    if now - next >= period / 10 { overruns += 1 }  // not a rounding hair: a late cycle
                    next = now
                }
            }
        }
        return clock.now - started
    }

    /// What the EMS face holds back on top of the firmware's limits (which are zero while the
    /// EMS heartbeat is lost: standby), discharge at or below the minimum reserve, charge at or above
    /// the maximum reserve.
    private func applyEMSHolds() -> (standby: Bool, empty: Bool, full: Bool) {
        guard ems != nil else { return (false, false, false) }
        let soc = Double(controller.status.soc.value)
        let standby = controller.status.warnings.contains(.emsLinkLost)
        let empty = soc <= emsRequests.socReserveMin
        let full = soc >= emsRequests.socReserveMax
        if empty { lastCommands.dischargeCurrentLimit = .zero }
        if full { lastCommands.chargeCurrentLimit = .zero }
        return (standby, empty, full)
    }

    /// Publishes the battery's state on the EMS face.
    private func publishToEMS(_ held: (standby: Bool, empty: Bool, full: Bool)) {
        guard let ems else { return }
        let status = controller.status
        let step_h = Double(controller.configuration.step.count) / 3_600_000
        if lastError == nil { dischargedAh += max(0, Double(status.current.value)) * step_h }
        var s = BatterySnapshot()
        s.time_ms = time_ms
        s.soc = Double(status.soc.value)
        s.soh = Double(status.capacitySoH)
        s.cycles = dischargedAh / Double(controller.configuration.ratedCapacity.value)
        s.current_A = Double(status.current.value)
        s.voltage_V = readings.packVoltage_V
        var sum = 0.0, n = 0
        var hi = -Double.infinity, lo = Double.infinity
        for (i, v) in readings.cellVoltages_V.enumerated() where v.isFinite {
            sum += v
            n += 1
            if v > hi { hi = v; s.cellMaxIndex = i }
            if v < lo { lo = v; s.cellMinIndex = i }
        }
        s.cellMax_V = n > 0 ? hi : .nan
        s.cellMin_V = n > 0 ? lo : .nan
        s.cellMean_V = n > 0 ? sum / Double(n) : .nan
        s.cellSpread_V = n > 0 ? hi - lo : 0
        let temps = readings.moduleTemperatures_C.filter(\.isFinite)
        s.temperatureSpread_C = (temps.max() ?? 0) - (temps.min() ?? 0)
        s.chargeLimit_A = Double(lastCommands.chargeCurrentLimit.value)
        s.dischargeLimit_A = Double(lastCommands.dischargeCurrentLimit.value)
        s.connection = lastCommands.connection
        s.faults = lastCommands.faults
        s.warnings = lastCommands.warnings
        s.alarms = lastCommands.alarms
        s.standby = held.standby
        s.empty = held.empty
        s.full = held.full
        s.socProtection = held.empty || held.full
        let log = controller.eventLog
        s.eventsRecorded = log.recorded
        s.eventsHeld = log.count
        var number = log.recorded
        while number >= 1, s.recentEvents.count < SunSpecMap.eventLogEntries, let e = log.event(number: number) {
            s.recentEvents.append((number, e))
            number -= 1
        }
        ems.withService { service, tables in service.publish(s, tables: tables) }
    }

    /// Clears latched faults as far as `authority` may (`BMSController.resetFaults(by:)`): an
    /// operator on site is `.service`; the EMS's AlmRst arrives as `.ems` on its own.
    @discardableResult
    public func resetFaults(by authority: HostController.ResetAuthority) -> FaultFlags {
        controller.resetFaults(by: authority)
    }

    /// The local service switch of the host running the firmware (`BMSController.enterService()`):
    /// never reachable from the EMS face.
    public func enterService() { controller.enterService() }
    /// Turns the service switch off again.
    public func leaveService() { controller.leaveService() }

    /// A cycle without a fresh sample: step the core on the last frame (stale: zero current
    /// limits at once), try to send its commands. The core's own frame timeout
    /// (`ValidationSettings.frameTimeout`) latches `communicationLoss` and opens the contactors
    /// once the gap lasts; a single failed poll does not open the pack under load.
    private func lose(_ error: any Error) -> Bool {
        failedCycles += 1
        lastError = "\(error)"
        lastCommands = controller.step(frame)
        commands.update(from: lastCommands)
        try? send(advance: false)
        publishToEMS((false, false, false))
        return false
    }

    private func poll() throws {
        let header = FieldDeviceMap.Input.headerCount
        try client.readInputRegisters(address: 0, count: header, into: &input, at: 0)
        let cells = Int(input[FieldDeviceMap.Input.cellCount])
        let modules = Int(input[FieldDeviceMap.Input.moduleCount])
        guard input[FieldDeviceMap.Input.mapVersion] == FieldDeviceMap.version, cells == cellCount, modules == moduleCount else {
            throw FieldBusError.deviceMismatch(
                "device serves map version \(input[0]) with \(cells) cells / \(modules) modules; the controller expects version \(FieldDeviceMap.version) with \(cellCount) / \(moduleCount)")
        }
        try read(FieldDeviceMap.Input.moduleTemperature, modules)
        try read(FieldDeviceMap.Input.edgeTemperature, modules)
        // The heaters' metered power: the core supervises each heater against its command.
        try read(FieldDeviceMap.Input.heaterPower, modules)
        try read(FieldDeviceMap.Input.cellVoltage, cells)
        try FieldDeviceMap.decode(input, into: &readings)
        // A device that restarted counts its time from zero again: carry on from our last time
        // (a clock that merely stands still stays stale, as the core must see it).
        let deviceTime = readings.time_ms
        repeatedSample = lastDeviceTime == deviceTime
        let step = controller.configuration.step.count
        if let last = lastDeviceTime, step > 0, deviceTime > last + step {
            skippedSamples += Int((deviceTime - last) / step) - 1
        }
        if let last = lastDeviceTime, deviceTime < last {
            timeOffset_ms = lastFrameTime_ms + controller.configuration.step.count - deviceTime
            deviceRestarts += 1
        }
        lastDeviceTime = deviceTime
        readings.time_ms = deviceTime + timeOffset_ms
        lastFrameTime_ms = max(lastFrameTime_ms, readings.time_ms)
    }

    private func read(_ address: Int, _ count: Int) throws(ModbusError) {
        var done = 0
        while done < count {
            let n = min(125, count - done)
            try client.readInputRegisters(address: address + done, count: n, into: &input, at: address + done)
            done += n
        }
    }

    private func send(advance: Bool) throws(ModbusError) {
        FieldDeviceMap.encode(commands, into: &holding)
        let heaters = FieldDeviceMap.Holding.heaterDuty
        if moduleCount > 0 { try client.writeRegisters(address: heaters, values: holding[heaters..<heaters + moduleCount]) }
        let balancing = FieldDeviceMap.Holding.balancing
        let words = FieldDeviceMap.balancingWords(cellCount: cellCount)
        if words > 0 { try client.writeRegisters(address: balancing, values: holding[balancing..<balancing + words]) }
        // The command block last: in lockstep its final word moves the device's time.
        holding[FieldDeviceMap.Holding.lockstepAdvance] = 1
        let block = advance ? FieldDeviceMap.Holding.commandCount : FieldDeviceMap.Holding.lockstepAdvance
        try client.writeRegisters(address: 0, values: holding[0..<block])
    }
}

/// A field device that does not serve what the controller was configured for.
public enum FieldBusError: Error, CustomStringConvertible {
    case deviceMismatch(String)
    /// The device answered nothing a field device would (no run mode).
    case noAnswer
    public var description: String {
        switch self {
        case .deviceMismatch(let why): why
        case .noAnswer: "no run mode in the answer"
        }
    }
}
