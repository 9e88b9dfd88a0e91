import BMSCore
import Testing

/// A frame that does not move on (the link to the field device is gone, and the host steps the
/// core on the last frame it has) says nothing new about the relays: it must not build up a weld
/// (issue 16: each time the plant server was killed, the master latched a false contactorWelded,
/// a service-only fault, from the last frame's "closed" feedback against its own "open").
@Suite("Contactor feedback on stale frames")
struct StaleFeedbackTests {
    @Test func aFrozenLastFrameLatchesNoWeld() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        // Connected on fresh frames.
        var last = run(&c, steps: 100) { nominalFrame(time: $0) }
        #expect(c.contactorCommands.mainPositive && c.contactorCommands.mainNegative, "connected")
        // The link is lost: the host reports it and steps on the last frame, feedback closed, for
        // a minute (the core opens on communication loss).
        let frozen = nominalFrame(time: 100 + 99 * 100)
        c.reportCommunicationLoss()
        var faults = FaultFlags.clear
        for _ in 0..<600 {
            var f = frozen
            f.contactorClosed = true
            last = c.step(f)
            faults.insert(last.faults)
        }
        #expect(!last.contactors.mainPositive && !last.contactors.mainNegative, "the core commands open")
        #expect(faults.contains(.communicationLoss))
        #expect(!faults.contains(.contactorWelded), "a frozen frame is not evidence of a weld")
        #expect(!faults.contains(.contactorFeedback))
        // Fresh frames come back still reading closed: now it is a weld, found in its time.
        var welded = false
        for k in 0..<20 where !welded {
            var f = nominalFrame(time: 100 + Int64(100 + k) * 100)
            f.contactorClosed = true
            welded = c.step(f).faults.contains(.contactorWelded)
        }
        #expect(welded, "fresh frames that read closed against an open command are a weld")
    }
}
