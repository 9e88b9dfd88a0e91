import BMSCore
import HIL
import Modbus
import Simulation
import Testing

/// A plant server, a controller polling it in lockstep, and the controller's SunSpec EMS face,
/// all on loopback; `ems` is the EMS's client.
final class EMSRig {
    var plant: PlantServer
    let face: ModbusServer<SunSpecService>
    let loop: FieldBusController
    let ems: ModbusClient
    let scenario: Scenario
    /// The time of the EMS face, the controller loop and its client: moved by hand.
    let clock = ManualClock()

    init(scenario: Scenario, heartbeatTimeout: Milliseconds = .seconds(10)) throws {
        self.scenario = scenario
        plant = try startPlantServer(scenario)
        let service = SunSpecService(nameplate: scenario.nameplate(options: "test"))
        face = try ModbusServer(
            endpoint: .tcp(host: "127.0.0.1", port: 0), layout: SunSpecService.layout, service: service, clock: clock)
        face.withService { s, t in s.publishNameplate(t) }
        face.start()
        let client = try ModbusClient(endpoint: plant.endpoint, reconnect: .init(initialDelay: .milliseconds(20)), clock: clock)
        var configuration = scenario.coreConfiguration
        configuration.emsLink.heartbeatTimeout = heartbeatTimeout
        loop = try FieldBusController(configuration: configuration, client: client, lockstep: true, ems: face, clock: clock)
        ems = try ModbusClient(endpoint: face.endpoint)
    }

    deinit {
        plant.stop()
        face.stop()
    }

    func run(_ cycles: Int) { for _ in 0..<cycles { loop.cycle() } }

    /// Model 802 point at `offset`.
    func point(_ offset: Int, count: Int = 1) throws -> [UInt16] {
        try ems.readHoldingRegisters(address: SunSpecMap.battery + offset, count: count)
    }
    func value(_ offset: Int) throws -> UInt16 { try point(offset)[0] }
    func signed(_ offset: Int) throws -> Int { Int(Int16(bitPattern: try value(offset))) }
}

typealias B = SunSpecMap.Battery

@Suite("SunSpec EMS face")
struct SunSpecTests {
    @Test func discoveryFindsSunSThenModels1And802ThenTheEndMarker() throws {
        let rig = try EMSRig(scenario: frequencyRegulationScenario(minutes: 1))
        #expect(try rig.ems.readHoldingRegisters(address: 40_000, count: 4) == [0x5375, 0x6E53, 1, 66])
        #expect(try rig.ems.readHoldingRegisters(address: SunSpecMap.batteryHeader, count: 2) == [802, 62])
        #expect(try rig.ems.readHoldingRegisters(address: SunSpecMap.end, count: 2) == [0xFFFF, 0])
        #expect(try rig.ems.readHoldingRegisters(address: SunSpecMap.eventLogHeader, count: 2) == [64210, 112])
        #expect(SunSpecMap.end == 40_248)
        let below = #expect(throws: ModbusError.self) { try rig.ems.readHoldingRegisters(address: 0, count: 2) }
        #expect(below?.exception == .illegalDataAddress, "probing 0 finds nothing")
        let mn = try rig.ems.readHoldingRegisters(address: SunSpecMap.common, count: 3)
        #expect(mn == [0x626D, 0x7373, 0x696D], "Mn starts with \"bmssim\"")
        #expect(try rig.value(B.Typ) == 99, "Na-NiCl2 is 'other'")
        #expect(try rig.value(B.SoC_SF) == UInt16(bitPattern: -1))
        #expect(try rig.value(B.DisChaRte_SF) == 0x8000, "unimplemented sunssf")

        var nas = try frequencyRegulationScenario(minutes: 1)
        nas.pack = try PackChoice.resolve("NaS", cellsPerString: 20).0
        let nasRig = try EMSRig(scenario: nas)
        #expect(try nasRig.value(B.Typ) == 9, "Na-S is 9")
    }

    @Test func everyDeclaredFixedPointIsServedWithItsCode() throws {
        let rig = try EMSRig(scenario: frequencyRegulationScenario(minutes: 1))
        rig.run(10)
        // In reads of 125 registers at most (what one Modbus read carries).
        var image: [UInt16] = []
        while image.count < SunSpecMap.count {
            image += try rig.ems.readHoldingRegisters(address: SunSpecMap.base + image.count, count: min(125, SunSpecMap.count - image.count))
        }
        let fixed = SunSpecMap.registers.filter { $0.fixed != nil }
        #expect(fixed.count >= 20)
        for point in fixed {
            #expect(point.raw(image, base: SunSpecMap.base) == point.fixed, "\(point.name) at \(point.address)")
        }
        #expect(SunSpecMap.Point.SN.raw(image, base: SunSpecMap.base) >> 48 == 0x626D, "SN starts with \"bm\"")
    }

    @Test func liveValuesFollowTheFirmwareWithSunSpecSigns() throws {
        let rig = try EMSRig(scenario: frequencyRegulationScenario(minutes: 2))
        rig.run(900)
        let status = rig.loop.controller.status
        let c = rig.loop.lastCommands
        #expect(try rig.value(B.SoC) == UInt16((Double(status.soc.value) * 1000).rounded()))
        #expect(try rig.value(B.State) == SunSpecMap.State.connected.rawValue)
        let a = try rig.signed(B.A)
        #expect(a == -Int((Double(status.current.value) * 10).rounded()), "SunSpec A is charge-positive")
        #expect(try rig.value(B.AChaMax) == UInt16((Double(c.chargeCurrentLimit.value) * 10).rounded()))
        #expect(try rig.value(B.ADisChaMax) == UInt16((Double(c.dischargeCurrentLimit.value) * 10).rounded()))
        let chaSt = try rig.value(B.ChaSt)
        let threshold = rig.scenario.pack.chemistry.capacity_Ah / 100
        let expected: SunSpecMap.ChargeStatus = Double(status.current.value) > threshold ? .discharging : Double(status.current.value) < -threshold ? .charging : .holding
        #expect(chaSt == expected.rawValue)
        let cellMax = Double(try rig.value(B.CellVMax)) / 1000, cellMin = Double(try rig.value(B.CellVMin)) / 1000
        #expect(cellMax >= cellMin && cellMin > 2 && cellMax < 3.2)
        #expect(try rig.point(B.Evt1, count: 2) == [0, 0])
    }

    @Test func writesToReadOnlyOrOutOfRangePointsAreRefusedAndStoreNothing() throws {
        let rig = try EMSRig(scenario: frequencyRegulationScenario(minutes: 1))
        rig.run(5)
        let before = rig.face.withRegisters { Array($0.holdingRegisters) }
        let cases: [(offset: Int, values: [UInt16], exception: ModbusException, why: String)] = [
            (B.SoC, [500], .illegalDataAddress, "SoC is read-only"),
            (B.AChaMax, [10], .illegalDataAddress, "AChaMax is read-only"),
            (B.SocRsvMax, [1001], .illegalDataValue, "a reserve above 100 %"),
            (B.SoCRsvMin, [0, 0, 1], .illegalDataAddress, "a block running into SoC"),
            (B.AlmRst, [2], .illegalDataValue, "AlmRst takes 0 or 1"),
            (B.SetOp, [3], .illegalDataValue, "SetOp takes 1 or 2"),
            (B.SetInvState, [0], .illegalDataValue, "SetInvState takes 1...3"),
            (B.SocRsvMax, [400, 500], .illegalDataValue, "minimum reserve above the maximum"),
        ]
        for c in cases {
            let error = #expect(throws: ModbusError.self, "\(c.why)") { try rig.ems.writeRegisters(address: SunSpecMap.battery + c.offset, values: c.values) }
            #expect(error?.exception == c.exception, "\(c.why)")
        }
        let header = #expect(throws: ModbusError.self) { try rig.ems.writeRegister(address: 40_000, value: 0) }
        #expect(header?.exception == .illegalDataAddress)
        #expect(rig.face.withRegisters { Array($0.holdingRegisters) } == before, "nothing was stored")
        try rig.ems.writeRegisters(address: SunSpecMap.battery + B.SocRsvMax, values: [900, 100])
        #expect(try rig.point(B.SocRsvMax, count: 2) == [900, 100])
    }

    @Test func aMinimumReserveAboveTheSoCBlocksDischarge() throws {
        let rig = try EMSRig(scenario: frequencyRegulationScenario(minutes: 2))
        rig.run(700)
        #expect(rig.loop.lastCommands.dischargeCurrentLimit.value > 0)
        try rig.ems.writeRegister(address: SunSpecMap.battery + B.SoCRsvMin, value: 950)
        rig.run(2)
        #expect(rig.loop.lastCommands.dischargeCurrentLimit.value == 0)
        #expect(rig.loop.lastCommands.chargeCurrentLimit.value > 0, "charging is still allowed")
        #expect(try rig.value(B.State) == SunSpecMap.State.socProtection.rawValue)
        #expect(try rig.value(B.ChaSt) == SunSpecMap.ChargeStatus.empty.rawValue)
        #expect(try rig.value(B.ADisChaMax) == 0)
    }

    /// On the controller's frame clock (lockstep: 100 ms a cycle): supervised from the first
    /// CtrlHb write, standby exactly when the heartbeat has stood still longer than its timeout,
    /// back on the next change. The host's own clock plays no part.
    @Test func aMissingEMSHeartbeatDropsThePackToStandbyUntilItBeatsAgain() throws {
        let rig = try EMSRig(scenario: frequencyRegulationScenario(minutes: 2), heartbeatTimeout: Milliseconds(300))
        rig.run(700)
        #expect(try rig.value(B.State) == SunSpecMap.State.connected.rawValue, "no heartbeat written yet: not supervised")
        try rig.ems.writeRegister(address: SunSpecMap.battery + B.CtrlHb, value: 1)
        rig.run(1)
        #expect(try rig.value(B.State) == SunSpecMap.State.connected.rawValue)
        rig.clock.advance(by: .seconds(60))
        rig.run(2)
        #expect(try rig.value(B.State) == SunSpecMap.State.connected.rawValue, "300 ms of frames still: not yet beyond the timeout")
        try rig.ems.writeRegister(address: SunSpecMap.battery + B.CtrlHb, value: 1)
        rig.run(1)
        #expect(try rig.value(B.State) == SunSpecMap.State.standby.rawValue, "the same value again is no heartbeat")
        #expect(rig.loop.lastCommands.chargeCurrentLimit.value == 0 && rig.loop.lastCommands.dischargeCurrentLimit.value == 0)
        #expect(rig.loop.lastCommands.warnings.contains(.emsLinkLost))
        #expect(rig.loop.lastCommands.closeContactors, "the contactors stay closed: the pack resumes at once")
        #expect(try rig.value(B.AChaMax) == 0 && rig.value(B.ADisChaMax) == 0)
        try rig.ems.writeRegister(address: SunSpecMap.battery + B.CtrlHb, value: 2)
        rig.run(2)
        #expect(try rig.value(B.State) == SunSpecMap.State.connected.rawValue)
        #expect(rig.loop.lastCommands.dischargeCurrentLimit.value > 0)
    }

    /// The firmware's event log over Modbus (issue 13): the vendor model serves the newest 12
    /// events in one read, newest first, each as the firmware recorded it; a fault latched by the EMS's own
    /// link and its reset appear as they happen.
    @Test func theEMSReadsTheFirmwaresEventLog() throws {
        let rig = try EMSRig(scenario: frequencyRegulationScenario(minutes: 3))
        rig.run(50)
        func entries() throws -> [(number: UInt32, time: UInt64, kind: UInt16, detail: UInt32)] {
            let block = try rig.ems.readHoldingRegisters(address: SunSpecMap.eventLog, count: SunSpecMap.eventLogLength)
            let P = SunSpecMap.Point.self
            let shown = Int(P.EvtShown.raw(block, base: SunSpecMap.eventLog))
            return (0..<shown).map { i in
                (UInt32(P.EvtNum.raw(block, instance: i, base: SunSpecMap.eventLog)), P.EvtTms.raw(block, instance: i, base: SunSpecMap.eventLog),
                 UInt16(P.EvtKind.raw(block, instance: i, base: SunSpecMap.eventLog)), UInt32(P.EvtDtl.raw(block, instance: i, base: SunSpecMap.eventLog)))
            }
        }
        let log = rig.loop.controller.eventLog
        var served = try entries()
        #expect(served.count == min(log.count, SunSpecMap.eventLogEntries) && served.count >= 2, "\(served)")
        for (i, e) in served.enumerated() {
            let number = log.recorded - UInt32(i)
            let truth = try #require(log.event(number: number))
            #expect(e.number == number && e.time == UInt64(truth.time.count) && e.kind == UInt16(truth.kind.rawValue) && e.detail == truth.detail)
        }
        #expect(served.last?.number == 1 && served.last?.kind == UInt16(BMSCore.Event.Kind.modeRequested.rawValue), "the first event: the request")

        // The field bus drops: communicationLoss latches; the EMS resets it.
        let port = rig.plant.port
        rig.plant.stop()
        rig.run(6)
        rig.plant = try startPlantServer(rig.scenario, port: port)
        for _ in 0..<50 where !rig.loop.cycle() { rig.clock.advance(by: .milliseconds(20)) }
        try rig.ems.writeRegister(address: SunSpecMap.battery + B.AlmRst, value: 1)
        rig.run(3)
        served = try entries()
        let kinds = served.map(\.kind)
        let latched = try #require(served.first { $0.kind == UInt16(BMSCore.Event.Kind.faultLatched.rawValue) })
        #expect(FaultFlags(rawValue: latched.detail).contains(.communicationLoss))
        #expect(kinds.first == UInt16(BMSCore.Event.Kind.modeChanged.rawValue) || kinds.contains(UInt16(BMSCore.Event.Kind.faultsReset.rawValue)), "\(kinds)")
        #expect(try rig.ems.readHoldingRegisters(address: SunSpecMap.Point.EvtRec.address, count: 2).last == UInt16(rig.loop.controller.eventLog.recorded))
        let write = #expect(throws: ModbusError.self) { try rig.ems.writeRegister(address: SunSpecMap.Point.EvtRec.address, value: 0) }
        #expect(write?.exception == .illegalDataAddress, "the log is read only")
    }

    @Test func setOpDisconnectsAndAlarmResetClearsALatchedFault() throws {
        let rig = try EMSRig(scenario: frequencyRegulationScenario(minutes: 3))
        rig.run(700)
        #expect(rig.loop.lastCommands.closeContactors)
        try rig.ems.writeRegister(address: SunSpecMap.battery + B.SetOp, value: 2)
        rig.run(40)
        #expect(!rig.loop.lastCommands.closeContactors, "disconnected on the EMS's request")
        #expect(try rig.value(B.State) == SunSpecMap.State.disconnected.rawValue)
        #expect(try rig.value(B.ChaSt) == SunSpecMap.ChargeStatus.off.rawValue)
        try rig.ems.writeRegister(address: SunSpecMap.battery + B.SetOp, value: 1)
        rig.run(100)
        #expect(rig.loop.lastCommands.closeContactors, "connected again")

        // A latched fault: the field bus drops (communicationLoss once the core's frame timeout has
        // passed: 500 ms of failed polls), FAULT with Evt1 bit 0; the device comes back; the
        // fault stays until the EMS writes AlmRst.
        let port = rig.plant.port
        rig.plant.stop()
        rig.run(6)
        #expect(try rig.value(B.State) == SunSpecMap.State.fault.rawValue)
        #expect(try rig.point(B.Evt1, count: 2)[1] & 1 != 0, "communication error in Evt1")
        rig.plant = try startPlantServer(rig.scenario, port: port)
        for _ in 0..<50 where !rig.loop.cycle() { rig.clock.advance(by: .milliseconds(20)) }
        rig.run(2)
        #expect(!rig.loop.linkDown)
        #expect(try rig.value(B.State) == SunSpecMap.State.fault.rawValue, "latched until reset")
        try rig.ems.writeRegister(address: SunSpecMap.battery + B.AlmRst, value: 1)
        rig.run(2)
        #expect(try rig.value(B.AlmRst) == 0, "AlmRst reads 0 once done")
        #expect(rig.loop.controller.status.faults.intersection(.latching).isEmpty)
        #expect(try rig.value(B.State) != SunSpecMap.State.fault.rawValue)
    }
}
