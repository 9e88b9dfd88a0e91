import BMSCore
import Testing
import BMSCoreTestSupport

@Suite("Quantities")
struct QuantitiesTests {
    @Test func millivoltsConvertToVolts() {
        #expect(Volts(millivolts: 2580) == Volts(2.58))
        #expect(Volts(2.58).millivolts == 2580)
        #expect(Amperes(milliamperes: -1500) == Amperes(-1.5))
    }

    @Test func unitArithmetic() {
        #expect(Volts(2) * Amperes(3) == Watts(6))
        #expect(abs((Amperes(10) * Ohms(milliohms: 9)).value - 0.09) < 1e-7)
        #expect(Volts(3) / Volts(2) == 1.5)
        #expect(Amperes(-4).magnitude == Amperes(4))
        #expect(Celsius(300).kelvin == 573.15)
        #expect(StateOfCharge(percent: 42).value == 0.42)
        #expect(Volts(5).clamped(to: Volts(0)...Volts(4)) == Volts(4))
    }

    @Test func timeIsIntegerMilliseconds() {
        var t = Milliseconds.zero
        for _ in 0..<1_000_000 { t = t + Milliseconds(100) }
        #expect(t == Milliseconds.seconds(100_000))
    }
}
