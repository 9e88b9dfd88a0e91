import BMSCore
import Testing
import BMSCoreTestSupport

/// The system modes (issue 13): nothing connects at power-up without a request; charge-only and
/// discharge-only hold the other direction; a latched fault is the fault mode whatever was
/// asked; service is local and the only door to a service reset.
struct SystemModeTests {
    @Test func nothingConnectsAtPowerUpWithoutARequest() throws {
        var c = try TestController(configuration: zebraConfiguration())
        var cmd = run(&c, steps: 50) { nominalFrame(time: $0) }
        #expect(cmd.mode == .standby)
        #expect(!cmd.contactors.mainNegative && !cmd.contactors.precharge && !cmd.closeContactors)
        c.modeRequest = .normal
        cmd = run(&c, steps: 50, from: 5100) { nominalFrame(time: $0) }
        #expect(cmd.mode == .normal)
        #expect(cmd.closeContactors, "connected once asked")
    }

    @Test func chargeOnlyAndDischargeOnlyHoldTheOtherDirection() throws {
        var c = try TestController.requesting(.chargeOnly, configuration: zebraConfiguration())
        var cmd = run(&c, steps: 50) { nominalFrame(time: $0) }
        #expect(cmd.closeContactors)
        #expect(cmd.chargeCurrentLimit.value > 0 && cmd.dischargeCurrentLimit.value == 0)
        c.modeRequest = .dischargeOnly
        cmd = run(&c, steps: 5, from: 5100) { nominalFrame(time: $0) }
        #expect(cmd.mode == .dischargeOnly)
        #expect(cmd.chargeCurrentLimit.value == 0 && cmd.dischargeCurrentLimit.value > 0)
    }

    @Test func offSwitchesTheHeatersOffStandbyHoldsThem() throws {
        var c = try TestController.requesting(.standby, configuration: zebraConfiguration())
        var cmd = run(&c, steps: 5) { nominalFrame(time: $0, temperature: 265) }
        #expect(cmd.heaterDuty[0] == 1, "standby holds the melt")
        c.modeRequest = .off
        cmd = run(&c, steps: 5, from: 600) { nominalFrame(time: $0, temperature: 265) }
        #expect(cmd.mode == .off)
        #expect(cmd.heaterDuty[0] == 0 && !cmd.closeContactors)
    }

    @Test func aLatchedFaultIsTheFaultModeAndOnlyServiceClearsAWeld() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var last = CommandFrame<32, 4>.safe
        for k in 0..<20 {
            last = step(&c, nominalFrame(time: 100 + Int64(k) * 100), after: last) { f in f.contactorFeedback.mainPositive = true }
        }
        #expect(last.faults.contains(.contactorWelded))
        #expect(last.mode == .fault)
        #expect(c.resetFaults(by: .service).contains(.contactorWelded), "refused outside service mode")
        c.enterService()
        last = step(&c, nominalFrame(time: 2100), after: last)
        #expect(last.mode == .service)
        #expect(!c.resetFaults(by: .service).contains(.contactorWelded))
        last = step(&c, nominalFrame(time: 2200), after: last)
        #expect(last.mode == .service && !last.closeContactors, "service holds the pack open")
        c.leaveService()
        last = run(&c, steps: 30, from: 2300) { nominalFrame(time: $0) }
        #expect(last.mode == .normal && last.closeContactors, "back to the request, through the open check and a precharge")
    }
}
