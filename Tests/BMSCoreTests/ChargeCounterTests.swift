import BMSCore
import Testing
import BMSCoreTestSupport

@Suite("Coulomb counter")
struct ChargeCounterTests {
    @Test func oneHourAtTenAmperesRemovesTenAmpereHours() {
        var counter = ChargeCounter(capacity: AmpereHours(38), initialSoC: StateOfCharge(0.8))
        for _ in 0..<36_000 { counter.integrate(Amperes(10), over: Milliseconds(100)) }
        #expect(abs(counter.stateOfCharge.value - (0.8 - 10.0 / 38.0)) < 1e-6)
    }

    /// A measured capacity replaces the assumed one: the SoC stays where it is, and what is
    /// counted from then on is divided by the new capacity.
    @Test func rescalingKeepsTheSoCAndCountsAgainstTheNewCapacity() {
        var counter = ChargeCounter(capacity: AmpereHours(38), initialSoC: StateOfCharge(0.8))
        for _ in 0..<36_000 { counter.integrate(Amperes(10), over: Milliseconds(100)) }
        let before = counter.stateOfCharge.value
        counter.rescale(to: AmpereHours(30))
        #expect(abs(counter.stateOfCharge.value - before) < 1e-6)
        for _ in 0..<36_000 { counter.integrate(Amperes(10), over: Milliseconds(100)) }
        #expect(abs(counter.stateOfCharge.value - (before - 10.0 / 30.0)) < 1e-5)
        // Not a capacity: nothing changes.
        counter.rescale(to: AmpereHours(.nan))
        counter.rescale(to: AmpereHours(0))
        #expect(counter.capacity == AmpereHours(30))
    }

    @Test func chargingRaisesSoC() {
        var counter = ChargeCounter(capacity: AmpereHours(38), initialSoC: StateOfCharge(0.2))
        for _ in 0..<3_600 { counter.integrate(Amperes(-38), over: Milliseconds(1000)) }
        #expect(abs(counter.stateOfCharge.value - 1.2) < 1e-6)
    }

    /// A Float accumulator would drift by several percent over a day of small increments;
    /// the integer accumulator stays exact to rounding of each step.
    @Test func noDriftOverADayOfSmallSteps() {
        var counter = ChargeCounter(capacity: AmpereHours(38), initialSoC: StateOfCharge(0.5))
        var naive: Float = 0.5
        for _ in 0..<864_000 {
            counter.integrate(Amperes(0.123), over: Milliseconds(100))
            naive -= 0.123 * 0.1 / (3600 * 38)
        }
        let exact = 0.5 - 0.123 * 86_400.0 / (3600 * 38)
        #expect(abs(Double(counter.stateOfCharge.value) - exact) < 2e-7)
        #expect(abs(Double(naive) - exact) > 1e-4, "the test must be sensitive to float accumulation")
    }

    @Test func resetReanchors() {
        var counter = ChargeCounter(capacity: AmpereHours(38), initialSoC: StateOfCharge(0.5))
        counter.integrate(Amperes(38), over: Milliseconds(360_000))
        counter.reset(to: StateOfCharge(1))
        #expect(counter.stateOfCharge == StateOfCharge(1))
        #expect(counter.dischargedMicrocoulombs == 0)
    }
}
