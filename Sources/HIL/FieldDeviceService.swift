import BatteryPlant
import Modbus

/// The plant served as a Modbus field device (`FieldDeviceMap`): admits only writes a real I/O
/// gateway would take, applies the commands, and advances simulated time in lockstep (on
/// `lockstep_advance`) or in real time (times an acceleration factor).
///
/// The controlling master holds a lease on the holding registers (the command words and the
/// lockstep advance): the first TCP client whose write is accepted takes it, and while it holds
/// it another client's writes get exception 6 (server device busy). The lease ends when its
/// holder's connection closes or it has written nothing for `leaseTimeout`.
public struct FieldDeviceService<Plant: FieldDevicePlant>: ModbusService {
    public private(set) var plant: Plant
    public let mode: FieldDeviceMap.RunMode
    /// Simulated seconds per wall-clock second in real-time mode.
    public let acceleration: Double
    /// The commands in force (decoded at each step from the holding registers).
    public private(set) var commands: FieldCommands
    /// Steps simulated since start.
    public private(set) var stepsDone: UInt64 = 0
    /// Real-time steps that were due but skipped because the host could not keep up.
    public private(set) var overruns: UInt64 = 0
    private var nextStep: ContinuousClock.Instant?
    private var published = false
    /// Real time only: the gateway's command watchdog. With no write to the command block for
    /// this long, the device holds its outputs safe (contactors open, no load current; heaters
    /// keep their duty) until the next command write. Nil: no watchdog.
    public let commandTimeout: Duration?
    private var lastCommandWrite: ContinuousClock.Instant?
    /// Whether the watchdog holds the outputs now (status bit 8).
    public private(set) var watchdogExpired = false
    /// The master holding the command words (its "ip:port"), nil when none does.
    public private(set) var leaseHolder: String?
    private var leaseRenewed: ContinuousClock.Instant?
    /// A lease lapses after this long without a write from its holder.
    public let leaseTimeout = Duration.seconds(5)
    /// Writes refused because another master held the lease.
    public private(set) var leaseRefusals = 0
    /// Lockstep: whether the lease holder advanced the device's time.
    private var holderAdvanced = false
    /// Lockstep: when the master that drove the device's time disconnected (nil while one
    /// drives it, or none has yet): its session is over.
    public private(set) var lockstepMasterLeftAt: ContinuousClock.Instant?

    public init(plant: Plant, mode: FieldDeviceMap.RunMode = .lockstep, acceleration: Double = 1, commandTimeout: Duration? = nil) {
        self.plant = plant
        self.mode = mode
        self.acceleration = acceleration > 0 && acceleration.isFinite ? acceleration : 1
        self.commandTimeout = mode == .realTime ? commandTimeout : nil
        commands = FieldCommands(cellCount: plant.cellCount, moduleCount: plant.moduleCount)
    }

    /// Runs `body` on the plant (the host's own bookkeeping: a truth log drained; never a
    /// change to the physics behind the device's back).
    public mutating func withPlant<R>(_ body: (inout Plant) -> R) -> R { body(&plant) }

    /// The register layout this device needs.
    public var layout: RegisterLayout {
        RegisterLayout(
            holdingRegisters: FieldDeviceMap.holdingRegisterCount(cellCount: plant.cellCount),
            inputRegisters: FieldDeviceMap.inputRegisterCount(cellCount: plant.cellCount))
    }

    /// Writes the plant's present readings and the device state into the input registers.
    public mutating func publish(_ tables: RegisterTables) {
        var input = tables.inputRegisters
        FieldDeviceMap.encode(plant.readings, into: &input)
        typealias P = FieldDeviceMap.Point
        if watchdogExpired { input[P.status.address] |= FieldDeviceMap.watchdogBit }
        P.stepLength.put(raw: UInt64(UInt16(clamping: plant.step_ms)), into: &input)
        P.runMode.put(raw: UInt64(mode.rawValue), into: &input)
        P.stepsDone.put(raw: UInt64(UInt32(truncatingIfNeeded: stepsDone)), into: &input)
        let power = plant.heaterPower_W
        for m in 0..<plant.moduleCount { P.heaterPower.encode(power[m], into: &input, instance: m) }
        if !published {
            var holding = tables.holdingRegisters
            FieldDeviceMap.encode(commands, into: &holding)
            published = true
        }
    }

    /// Admits a write only to writable points, with values their declarations accept (exception 2
    /// for an address that is not a writable point of this device, 3 for a value out of range);
    /// `lockstep_advance` only in lockstep mode, balancing bits only for cells that exist.
    public mutating func admit(_ request: ModbusRequest, tables: RegisterTables) -> ModbusException? {
        typealias P = FieldDeviceMap.Point
        guard request.isWrite else { return nil }
        if let peer = request.peer, let holder = leaseHolder, holder != peer {
            leaseRefusals += 1
            return .serverDeviceBusy
        }
        guard request.table == .holdingRegisters, request.count > 0 else { return .illegalDataAddress }
        let holding = tables.holdingRegisters
        for i in 0..<request.count {
            let a = request.address + i
            let v = request.registerValue(i, current: a < holding.count ? holding[a] : 0)
            guard let point = writablePoint(at: a) else { return .illegalDataAddress }
            if point == P.lockstepAdvance, mode != .lockstep { return .illegalDataAddress }
            if let range = point.writeRange, point.encoding.words == 1, !range.contains(UInt32(v)) { return .illegalDataValue }
            if point == P.balancing {
                let cellsInWord = min(16, plant.cellCount - 16 * (a - P.balancing.address))
                if cellsInWord < 16, v >> UInt16(cellsInWord) != 0 { return .illegalDataValue }
            }
        }
        return nil
    }

    /// The writable point whose registers include `address`, among the instances this device has.
    func writablePoint(at address: Int) -> RegisterPoint? {
        typealias P = FieldDeviceMap.Point
        for point in FieldDeviceMap.registers where point.writable {
            let instances = point == P.heaterDuty ? plant.moduleCount
                : point == P.balancing ? FieldDeviceMap.balancingWords(cellCount: plant.cellCount) : point.count
            if address >= point.address, address < point.address + instances * point.encoding.words { return point }
        }
        return nil
    }

    public mutating func answered(_ request: ModbusRequest, tables: RegisterTables, now: ContinuousClock.Instant) {
        if request.isWrite, let peer = request.peer {
            if leaseHolder != peer { holderAdvanced = false }
            leaseHolder = peer
            leaseRenewed = now
            lockstepMasterLeftAt = nil
        }
        if request.isWrite, request.touches(0..<FieldDeviceMap.Holding.commandCount) {
            lastCommandWrite = now
            if watchdogExpired {
                watchdogExpired = false
                publish(tables)
            }
        }
        guard mode == .lockstep, request.isWrite, request.touches(FieldDeviceMap.Holding.lockstepAdvance..<FieldDeviceMap.Holding.lockstepAdvance + 1)
        else { return }
        let holding = tables.holdingRegisters
        let steps = Int(holding[FieldDeviceMap.Holding.lockstepAdvance])
        holding[FieldDeviceMap.Holding.lockstepAdvance] = 0
        if steps > 0, request.peer != nil { holderAdvanced = true }
        step(steps, tables)
    }

    public mutating func disconnected(peer: String, now: ContinuousClock.Instant) {
        guard peer == leaseHolder else { return }
        leaseHolder = nil
        if mode == .lockstep, holderAdvanced {
            lockstepMasterLeftAt = now
            holderAdvanced = false
        }
    }

    public mutating func tick(now: ContinuousClock.Instant, tables: RegisterTables) -> ContinuousClock.Instant? {
        if !published { publish(tables) }
        if let renewed = leaseRenewed, now - renewed > leaseTimeout { leaseHolder = nil }
        guard mode == .realTime else { return nil }
        let period = Duration.milliseconds(plant.step_ms) / acceleration
        if let timeout = commandTimeout, !watchdogExpired, now - (lastCommandWrite ?? now) > timeout {
            watchdogExpired = true
        }
        if lastCommandWrite == nil { lastCommandWrite = now }
        guard let due = nextStep else {
            nextStep = now + period
            return nextStep
        }
        guard now >= due else { return due }
        // Catch up at most 10 steps at once; beyond that, count the rest as overruns.
        var next = due
        var n = 0
        while next <= now, n < 10 {
            n += 1
            next += period
        }
        if next <= now {
            let behind = (now - next) / period
            overruns += UInt64(max(0, behind.rounded(.down))) + 1
            next = now + period
        }
        step(n, tables)
        nextStep = next
        return next
    }

    private mutating func step(_ n: Int, _ tables: RegisterTables) {
        FieldDeviceMap.decodeCommands(tables.holdingRegisters, cellCount: plant.cellCount, moduleCount: plant.moduleCount, into: &commands)
        if watchdogExpired {
            commands.contactors = .open
            commands.chargeLimit_A = 0
            commands.dischargeLimit_A = 0
        }
        for _ in 0..<n { plant.advance(commands) }
        stepsDone += UInt64(n)
        publish(tables)
    }
}
