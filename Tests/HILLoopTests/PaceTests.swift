import Foundation
import HIL
import Modbus
import Simulation
import Testing

/// A controller that falls behind a real-time device says so: samples the device took that no
/// cycle saw are counted as skipped, and cycles that end after their period as overruns.
@Suite("Controller pace against a real-time device")
struct PaceTests {
    @Test func skippedSamplesAndOverrunsAreCounted() throws {
        let scenario = try frequencyRegulationScenario(minutes: 5)
        let clock = ManualClock()
        let server = try startPlantServer(scenario, mode: .realTime, acceleration: 1, clock: clock)
        defer { server.stop() }
        server.tickNow()
        let client = try ModbusClient(endpoint: server.endpoint, clock: clock)
        let loop = try FieldBusController(configuration: scenario.coreConfiguration, client: client, lockstep: false, clock: clock)
        func device(_ d: Duration) {
            var left = d
            while left > .zero {
                clock.advance(by: min(left, .milliseconds(100)))
                server.tickNow()
                left -= min(left, .milliseconds(100))
            }
        }
        device(.milliseconds(100))
        #expect(loop.cycle())
        device(.milliseconds(100))
        #expect(loop.cycle())
        #expect(loop.skippedSamples == 0, "one step between polls")
        device(.milliseconds(400))
        #expect(loop.cycle())
        #expect(loop.skippedSamples == 3, "four steps between polls: three samples no cycle saw")

        // Cycles that take 250 ms of a 100 ms period: each ends late.
        _ = loop.run(cycles: 3, period: .milliseconds(100), after: { _ in device(.milliseconds(250)) })
        #expect(loop.overruns == 3)
        #expect(loop.skippedSamples > 3, "falling behind skips samples too")
    }
}
