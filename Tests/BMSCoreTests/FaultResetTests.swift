import BMSCore
import Testing
import BMSCoreTestSupport

/// Who may clear which fault (issue 13): an unauthenticated AlmRst from the EMS cleared every fault,
/// a weld and a failed precharge included, and granted three more precharge attempts each time,
/// without limit.
@Suite("Fault resets")
struct FaultResetTests {
    /// A main positive that reads closed whatever it was told (a weld).
    static func weld(_ f: inout TestFrame) { f.contactorFeedback.mainPositive = true }

    /// A weld is service-only: the EMS's reset leaves it latched; a service reset clears it.
    @Test func theEMSCannotClearAWeld() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var last = CommandFrame<32, 4>.safe
        for k in 0..<20 { last = step(&c, nominalFrame(time: 100 + Int64(k) * 100), after: last, tamper: Self.weld) }
        #expect(last.faults.contains(.contactorWelded))
        let left = c.resetFaults(by: .ems)
        #expect(left.contains(.contactorWelded))
        last = step(&c, nominalFrame(time: 2100), after: last, tamper: Self.weld)
        #expect(last.faults.contains(.contactorWelded))
        c.enterService()
        c.resetFaults(by: .service)
        c.leaveService()
        last = step(&c, nominalFrame(time: 2200), after: last)
        #expect(!last.faults.contains(.contactorWelded), "the relay was repaired before the service reset")
    }

    /// An over-voltage trip is EMS-resettable, but at most three times an hour: the fourth reset
    /// within the hour is refused, and after the hour one is accepted again.
    @Test func emsResetsAreRateLimited() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var t: Int64 = 100
        func trip() {
            run(&c, steps: 10, from: t) { time in
                var f = nominalFrame(time: time)
                f.cellVoltages[5] = Volts(2.9)
                return f
            }
            t += 1000
        }
        for k in 0..<3 {
            trip()
            #expect(c.status.faults.contains(.cellOverVoltage))
            #expect(!c.resetFaults(by: .ems).contains(.cellOverVoltage), "reset \(k + 1) accepted")
        }
        trip()
        #expect(c.resetFaults(by: .ems).contains(.cellOverVoltage), "the fourth within the hour is refused")
        t += 3_600_000
        run(&c, steps: 1, from: t) { nominalFrame(time: $0) }
        t += 100
        #expect(!c.resetFaults(by: .ems).contains(.cellOverVoltage), "a new hour, a new allowance")
    }

    /// A precharge that fails (the link never rises) is EMS-resettable once; when it fails
    /// again after that reset it is a repeated failure, which only service clears.
    @Test func aRepeatedPrechargeFailureNeedsService() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        var last = CommandFrame<32, 4>.safe
        var t: Int64 = 100
        func deadLink(_ steps: Int) {
            for _ in 0..<steps {
                last = step(&c, nominalFrame(time: t), after: last) { $0.linkVoltage = Volts(0) }
                t += 100
            }
        }
        deadLink(400)  // 3 x (3 s precharge) + 2 x 5 s waits
        #expect(last.faults.contains(.prechargeFailed))
        #expect(!c.resetFaults(by: .ems).contains(.prechargeFailed), "the first failure: the EMS may retry")
        deadLink(400)
        #expect(last.faults.contains(.prechargeFailed))
        #expect(c.resetFaults(by: .ems).contains(.prechargeFailed), "failed again: service only")
        c.enterService()
        #expect(!c.resetFaults(by: .service).contains(.prechargeFailed))
        c.leaveService()
    }
}
