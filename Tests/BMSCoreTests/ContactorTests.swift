import BMSCore
import Testing
import BMSCoreTestSupport

@Suite("Contactors and precharge")
struct ContactorTests {
    let step = Milliseconds(100)

    /// The sequencer with ideal relays (feedback = last command) and a link that follows.
    struct Rig {
        var s = ContactorSequencer(settings: ContactorSettings())
        var last = ContactorCommands.open
        var state: ConnectionState { s.state }
        var attempts: Int32 { s.attempts }

        /// Relays that closed at least once (main positive, main negative, precharge).
        var everClosed = ContactorCommands.open

        @discardableResult
        mutating func drive(
            steps: Int, connect: Bool = true,
            link: (ContactorCommands) -> Float = { $0.mainNegative && ($0.precharge || $0.mainPositive) ? 600 : 0 },
            current: Float = 0, weldedMains: Bool = false, weldedPositive: Bool = false, packConfirmed: Bool = true
        ) -> ContactorSequencer.Output? {
            var out: ContactorSequencer.Output?
            for _ in 0..<steps {
                var feedback = ContactorFeedback(following: last)
                if weldedMains {
                    feedback.mainPositive = true
                    feedback.mainNegative = true
                }
                if weldedPositive { feedback.mainPositive = true }
                let o = s.update(
                    connect: connect, feedback: feedback, feedbackFresh: true, packVoltage: Volts(600), packVoltageConfirmed: packConfirmed,
                    linkVoltage: Volts(link(last)), current: Amperes(current), step: Milliseconds(100))
                last = o.commands
                everClosed.mainPositive = everClosed.mainPositive || last.mainPositive
                everClosed.mainNegative = everClosed.mainNegative || last.mainNegative
                everClosed.precharge = everClosed.precharge || last.precharge
                out = o
            }
            return out
        }
    }

    /// Power-up onto a welded main positive, connect asked from the first step: weld detection
    /// needs the feedback's 500 ms, so nothing may close before the relays have read open that
    /// long. (It closed main negative and precharge on the first step.)
    @Test func aWeldAtPowerUpIsFoundBeforeAnyRelayCloses() {
        var s = Rig()
        var faults = FaultFlags.clear
        for _ in 0..<30 { faults.insert(s.drive(steps: 1, weldedPositive: true)!.faults) }
        #expect(s.everClosed == .open, "no relay commanded closed: \(s.everClosed)")
        #expect(faults.contains(.contactorWelded))
        // An operator's reset does not skip the check.
        s.s.reset()
        for _ in 0..<30 { s.drive(steps: 1, weldedPositive: true) }
        #expect(s.everClosed == .open)
    }

    /// With healthy relays the check costs the feedback time once: connected within a second.
    @Test func healthyRelaysConnectAfterTheOpenCheck() {
        var s = Rig()
        s.drive(steps: 4)
        #expect(s.state == .open, "400 ms: the relays have not yet read open for 500 ms")
        s.drive(steps: 6)
        #expect(s.state == .closed)
    }

    /// A pack-voltage reading the cells' sum does not confirm (a dead channel reading 0 V, with a
    /// dead link channel reading 0 V too): no precharge starts. (Both read 0 and the precharge
    /// check passed: |0 - 0| <= 2 % of 0.)
    @Test func anUnconfirmedPackVoltageStartsNoPrecharge() {
        var s = Rig()
        s.drive(steps: 100, link: { _ in 0 }, packConfirmed: false)
        #expect(s.everClosed == .open)
    }

    /// The link must rise as the precharge RC predicts: a precharge resistor gone open (the link
    /// stays at 0 V) fails the attempt within a few time constants, not at the 3 s timeout; a
    /// link that follows the RC passes.
    @Test func theLinkMustRiseLikeThePrechargeRC() {
        var settings = ContactorSettings()
        settings.prechargeTimeConstant = Milliseconds(200)
        var s = Rig(s: ContactorSequencer(settings: settings))
        s.drive(steps: 5)
        #expect(s.state == .precharging)
        var t = 0
        while s.state == .precharging && t < 30 {
            s.drive(steps: 1, link: { _ in 0 })
            t += 1
        }
        #expect(s.state == .open && t <= 10, "failed after \(t) steps")
        #expect(s.attempts == 1)
        // A link that follows the RC (600 V (1 - e^-t/tau)) closes.
        var good = Rig(s: ContactorSequencer(settings: settings))
        good.drive(steps: 5)
        var elapsed: Float = 0
        for _ in 0..<20 where good.state == .precharging {
            elapsed += 0.1
            good.drive(steps: 1, link: { _ in 600 * (1 - CoreMath.exp(-elapsed / 0.2)) })
        }
        good.drive(steps: 2)
        #expect(good.state == .closed)
    }

    /// A precharge interrupted because the connection was withdrawn (a transient invalid frame)
    /// is not a failed attempt: three of them locked the sequencer with no fault bit.
    @Test func interruptedPrechargesDoNotLockTheSequencer() {
        var s = Rig()
        s.drive(steps: 5)
        for _ in 0..<5 {
            s.drive(steps: 1, link: { _ in 0 })
            #expect(s.state == .precharging)
            s.drive(steps: 1, connect: false)
            #expect(s.state == .open)
            s.drive(steps: 5, connect: true, link: { _ in 0 }, packConfirmed: false)
        }
        let out = s.drive(steps: 10)!
        #expect(s.state == .closed, "connects once the request stays")
        #expect(!out.faults.contains(.prechargeFailed))
    }

    @Test func prechargeThenCloseThenConnected() {
        var s = Rig()
        s.drive(steps: 4)  // the relays read open for 500 ms first
        #expect(s.state == .open)
        var out = s.drive(steps: 1)!
        #expect(out.commands == .precharge)
        #expect(out.currentInhibited)
        out = s.drive(steps: 1)!
        #expect(s.state == .closing || s.state == .closed)
        out = s.drive(steps: 3)!
        #expect(s.state == .closed)
        #expect(out.commands == .closed)
        #expect(!out.currentInhibited)
    }

    /// A link that does not come up: each attempt times out, three attempts latch the fault.
    @Test func prechargeTimeoutRetriesThenLatches() {
        var s = Rig()
        var faults = FaultFlags.clear
        for _ in 0..<400 {  // 40 s: 3 x (3 s precharge) + 2 x 5 s waits
            faults.insert(s.drive(steps: 1, link: { _ in 300 })!.faults)
        }
        #expect(faults.contains(.prechargeFailed))
        #expect(s.state == .open)
        #expect(s.attempts == 3)
    }

    /// Precharge current still too high (a short on the link): no closing.
    @Test func prechargeNeedsLowCurrentToo() {
        var s = Rig()
        s.drive(steps: 10, current: 20)
        #expect(s.state == .precharging)
    }

    @Test func openingWaitsForZeroCurrentThenTimesOut() {
        var s = Rig()
        s.drive(steps: 10)
        #expect(s.state == .closed)
        var out = s.drive(steps: 1, connect: false, current: 50)!
        #expect(s.state == .opening)
        #expect(out.commands == .closed, "mains stay closed while the current is asked down")
        #expect(out.currentInhibited)
        out = s.drive(steps: 15, connect: false, current: 50)!
        #expect(s.state == .opening, "1.6 s: still waiting")
        out = s.drive(steps: 5, connect: false, current: 50)!
        #expect(s.state == .open, "opened on the 2 s timeout")
        #expect(out.commands == .open)
    }

    @Test func openingIsImmediateWhenTheCurrentIsDown() {
        var s = Rig()
        s.drive(steps: 10)
        s.drive(steps: 1, connect: false, current: 0.5)
        #expect(s.state == .opening, "one step to ask for zero current")
        s.drive(steps: 1, connect: false, current: 0.5)
        #expect(s.state == .open, "already below 1 A: open at once")
    }

    @Test func weldedMainsAreDetected() {
        var s = Rig()
        let out = s.drive(steps: 6, connect: false, weldedMains: true)!
        #expect(out.faults.contains(.contactorWelded))
    }

    @Test func relayThatDoesNotFollowIsAFeedbackFault() {
        var s = ContactorSequencer(settings: ContactorSettings())
        var faults = FaultFlags.clear
        for _ in 0..<20 {
            // Feedback stuck open: the precharge relay never confirms.
            faults.insert(
                s.update(
                    connect: true, feedback: .open, feedbackFresh: true, packVoltage: Volts(600), packVoltageConfirmed: true, linkVoltage: Volts(0), current: .zero,
                    step: step
                ).faults)
        }
        #expect(faults.contains(.contactorFeedback))
        #expect(!faults.contains(.contactorWelded))
    }
}
