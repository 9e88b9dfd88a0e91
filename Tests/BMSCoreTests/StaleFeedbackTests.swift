import BMSCore
import Testing
import BMSCoreTestSupport

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

/// A precharge judges the link only on fresh frames: a link that delivers the same frame again
/// (a lost or late reply) neither aborts it as "not following the RC" nor counts an attempt.
@Suite("Precharge on stale frames")
struct StalePrechargeTests {
    @Test func staleFramesDuringAPrechargeAreNoFailure() {
        var settings = ContactorSettings()
        settings.prechargeTimeConstant = Milliseconds(200)
        var s = ContactorSequencer(settings: settings)
        let step = Milliseconds(100)
        func update(_ feedback: ContactorFeedback, link: Float, fresh: Bool) -> ContactorSequencer.Output {
            s.update(
                connect: true, feedback: feedback, feedbackFresh: fresh, packVoltage: Volts(600), packVoltageConfirmed: true,
                linkVoltage: Volts(link), current: .zero, step: step)
        }
        // Relays confirmed open, then the precharge starts.
        var out = update(.open, link: 0, fresh: true)
        for _ in 0..<20 where s.state == .open { out = update(.open, link: 0, fresh: true) }
        #expect(s.state == .precharging)
        // The link's frames stop coming: the last one (precharge relay still reading open, link
        // at 0 V) is stepped again for 1 s, far past the RC's time constant.
        let last = ContactorFeedback(following: out.commands)
        var faults = FaultFlags.clear
        for _ in 0..<10 { faults.insert(update(.open, link: 0, fresh: false).faults) }
        #expect(s.state == .precharging, "no judgement on stale frames")
        #expect(s.attempts == 0 && faults.isEmpty)
        // Fresh frames again, the link charged: the sequence goes on to close.
        for _ in 0..<5 where s.state == .precharging { _ = update(last, link: 599, fresh: true) }
        #expect(s.state == .closing || s.state == .closed)
    }
}
