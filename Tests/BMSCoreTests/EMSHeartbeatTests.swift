import BMSCore
import Testing
import BMSCoreTestSupport

/// The EMS heartbeat supervision (issue 13, "EMS heartbeat loss"): on the core's frame clock,
/// from the first beat on; a heartbeat that stands still stops the current, not the pack.
struct EMSHeartbeatTests {
    /// Steps 100 ms frames from `start` for `steps` steps, beating `beat(t)` before each step
    /// where it gives a value.
    func run(
        _ c: inout TestController, steps: Int, from start: Int64, last: inout CommandFrame<32, 4>, beat: (Int64) -> UInt16?
    ) {
        for k in 0..<steps {
            let t = start + Int64(k) * 100
            if let v = beat(t) { c.emsHeartbeat(v) }
            last = step(&c, nominalFrame(time: t), after: last)
        }
    }

    @Test func aPackWithoutAHeartbeatIsNotSupervised() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        let cmd = BMSCoreTestSupport.run(&c, steps: 600) { nominalFrame(time: $0) }
        #expect(!cmd.warnings.contains(.emsLinkLost))
        #expect(cmd.dischargeCurrentLimit.value > 0 && cmd.chargeCurrentLimit.value > 0)
    }

    @Test func aStillHeartbeatStopsTheCurrentAfterTheTimeoutAndABeatResumesIt() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var last = CommandFrame<32, 4>.safe
        // Beating every second for a minute: connected, limits open.
        run(&c, steps: 600, from: 100, last: &last) { $0 % 1000 == 0 ? UInt16($0 / 1000) : nil }
        #expect(last.closeContactors && !last.warnings.contains(.emsLinkLost))
        #expect(last.dischargeCurrentLimit.value > 0)
        // The last beat came before the frame of 60.0 s, so it is stamped with the frame before
        // (59.9 s): a beat is dated by the newest frame the core has seen. Silent from here on.
        run(&c, steps: 99, from: 60_100, last: &last) { _ in nil }
        #expect(!last.warnings.contains(.emsLinkLost), "10 s still (59.9 s to 69.9 s) is within the timeout")
        run(&c, steps: 2, from: 70_000, last: &last) { _ in nil }
        #expect(last.warnings.contains(.emsLinkLost), "lost once it stood still longer than 10 s")
        #expect(last.chargeCurrentLimit.value == 0 && last.dischargeCurrentLimit.value == 0)
        #expect(last.closeContactors && last.mode == .normal, "the pack stays connected, ready to resume")
        #expect(last.faults.isEmpty, "a warning, nothing latched")
        run(&c, steps: 1, from: 70_200, last: &last) { _ in 7 }
        #expect(!last.warnings.contains(.emsLinkLost))
        #expect(last.dischargeCurrentLimit.value > 0 && last.chargeCurrentLimit.value > 0, "resumes on the next beat")
        let raised = (1...c.eventLog.recorded).compactMap { c.eventLog.event(number: $0) }
            .filter { $0.kind == .warningRaised && $0.detail & FaultFlags.emsLinkLost.rawValue != 0 }
        #expect(raised.count == 1, "the loss is in the event log")
    }

    @Test func theSameValueAgainIsNoHeartbeat() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var last = CommandFrame<32, 4>.safe
        run(&c, steps: 200, from: 100, last: &last) { _ in 42 }
        #expect(last.warnings.contains(.emsLinkLost), "an EMS stuck writing one value is lost")
        #expect(last.dischargeCurrentLimit.value == 0)
    }

    @Test func theTimeoutIsRangeChecked() {
        var c = zebraConfiguration()
        c.emsLink.heartbeatTimeout = Milliseconds(50)
        #expect(throws: ConfigurationError.self) { try TestController(configuration: c) }
        c.emsLink.heartbeatTimeout = .seconds(7200)
        #expect(throws: ConfigurationError.self) { try TestController(configuration: c) }
    }
}
