import BatteryPlant
import Foundation
import Testing

@testable import Simulation

/// The summary is written whatever the run asked for, and its ratios mean something.
@Suite("Summary figures at their edges")
struct SummaryEdgeTests {
    func run(_ profile: String, hours: Double, initialSoC: Double = 0.5) throws -> RunSummary {
        let pack = PackDefinition.standard(.nasicon, cellsPerString: 4, initialSoC: initialSoC)
        let duty = try DutyProfile.parse(profile, source: "edge.csv")
        let duration = Int64(hours * 3_600_000)
        var runner = try ClosedLoopRunner(scenario: Scenario(pack: pack, profile: duty, rating_W: 100, duration_ms: duration, seed: 1))
        while runner.time_ms < duration { _ = runner.advance() }
        return runner.summary
    }

    /// A request of 1e-320 pu made the fulfilment infinite, and the summary could not be encoded
    /// after the run.
    @Test func aDenormalRequestKeepsTheSummary() throws {
        let summary = try run("time_s,power_pu\n0,1e-320\n", hours: 0.05)
        #expect(summary.dispatch_fulfilment == 1)
        let data = try summary.jsonData()
        let back = try RunSummary.decoder.decode(RunSummary.self, from: data)
        #expect(back.dispatch_fulfilment == 1)
    }

    @Test func fulfilmentNeverExceedsOne() throws {
        let summary = try run("time_s,power_pu\n0,0.5\n600,-0.5\n", hours: 0.3)
        #expect(summary.dispatch_fulfilment <= 1 && summary.dispatch_fulfilment > 0.5, "\(summary.dispatch_fulfilment)")
    }

    /// A few watt-hours in give no round-trip efficiency (it read 300 % and more).
    @Test func aRoundTripNeedsEnergyIn() throws {
        let little = try run("time_s,power_pu\n0,-0.2\n60,0.2\n", hours: 0.05)
        #expect(little.energy_in_Wh > 0 && little.round_trip_efficiency == nil, "\(little.energy_in_Wh) Wh in")
    }

    /// A figure that is not finite is written as a string and read back.
    @Test func nonFiniteFiguresRoundTrip() throws {
        var summary = try run("time_s,power_pu\n0,0\n", hours: 0.01)
        summary.resistance_error_pct = .infinity
        summary.soc_nees = .nan
        let back = try RunSummary.decoder.decode(RunSummary.self, from: try summary.jsonData())
        #expect(back.resistance_error_pct == .infinity)
        #expect(back.soc_nees?.isNaN == true)
    }
}
