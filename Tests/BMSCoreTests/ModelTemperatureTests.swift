@testable import BMSCore
import Testing
import BMSCoreTestSupport

/// The temperature the estimators' laws read: the mean module temperature, low-passed.
@Suite("Model temperature")
struct ModelTemperatureTests {
    /// The first valid frame sets it at once; a module's noise (here +-0.3 K alternating frame
    /// by frame) is averaged out; a real change arrives with the filter's time constant.
    @Test func noiseIsAveragedAndAChangeArrivesWithTheTimeConstant() {
        let c = zebraConfiguration()
        var validator = MeasurementValidator<32, 4>(configuration: c)
        #expect(validator.meanTemperature == c.cellModel.resistanceReference, "the reference until the first frame")
        var k: Int64 = 1
        func feed(_ t: Float) {
            _ = validator.validate(nominalFrame(time: k * 100, temperature: t), configuration: c)
            k += 1
        }
        feed(281)
        #expect(validator.meanTemperature.value == 281, "the first valid frame at once")
        for i in 0..<3000 { feed(281 + (i % 2 == 0 ? 0.3 : -0.3)) }
        #expect(abs(validator.meanTemperature.value - 281) < 0.01, "noise averaged: \(validator.meanTemperature.value)")
        // A 10 K step: after one time constant 1 - 1/e of it, after five all of it.
        let tau = Int(c.validation.temperatureFilterTime.value / c.step.seconds)
        for _ in 0..<tau { feed(291) }
        #expect(abs(validator.meanTemperature.value - (281 + 10 * 0.632)) < 0.1, "one time constant: \(validator.meanTemperature.value)")
        for _ in 0..<(4 * tau) { feed(291) }
        #expect(abs(validator.meanTemperature.value - 291) < 0.1)
    }
}
