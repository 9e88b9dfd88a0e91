import BMSCore
import Testing

@Suite("Contactors and precharge")
struct ContactorTests {
    let step = Milliseconds(100)

    /// The sequencer with ideal relays (feedback = last command) and a link that follows.
    struct Rig {
        var s = ContactorSequencer(settings: ContactorSettings())
        var last = ContactorCommands.open
        var state: ConnectionState { s.state }
        var attempts: Int32 { s.attempts }

        @discardableResult
        mutating func drive(
            steps: Int, connect: Bool = true,
            link: (ContactorCommands) -> Float = { $0.mainNegative && ($0.precharge || $0.mainPositive) ? 600 : 0 },
            current: Float = 0, weldedMains: Bool = false
        ) -> ContactorSequencer.Output? {
            var out: ContactorSequencer.Output?
            for _ in 0..<steps {
                var feedback = ContactorFeedback(following: last)
                if weldedMains {
                    feedback.mainPositive = true
                    feedback.mainNegative = true
                }
                let o = s.update(
                    connect: connect, feedback: feedback, packVoltage: Volts(600), linkVoltage: Volts(link(last)),
                    current: Amperes(current), step: Milliseconds(100))
                last = o.commands
                out = o
            }
            return out
        }
    }

    @Test func prechargeThenCloseThenConnected() {
        var s = Rig()
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
        s.drive(steps: 5)
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
        s.drive(steps: 5)
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
        for _ in 0..<10 {
            // Feedback stuck open: the precharge relay never confirms.
            faults.insert(s.update(connect: true, feedback: .open, packVoltage: Volts(600), linkVoltage: Volts(0), current: .zero, step: step).faults)
        }
        #expect(faults.contains(.contactorFeedback))
        #expect(!faults.contains(.contactorWelded))
    }
}
