import BMSCore
import BatteryPlant
import Foundation
import Testing

@testable import Simulation

/// Every current-limit derating carries its reason, in the core's status and the time series.
@Suite("Current-limit reasons")
struct LimitReasonTests {
    /// Before the contactors close nothing may flow; a nearly full string then charges under
    /// its SoC ramp, and a limit at the rated current names no reason.
    @Test func reasonsFollowWhatReducedTheLimit() throws {
        let pack = PackDefinition.standard(.nasicon, cellsPerString: 8, initialSoC: 0.97)
        let duty = try DutyProfile.parse("time_s,current_A\n0,0\n", source: "idle")
        var runner = try ClosedLoopRunner(scenario: Scenario(pack: pack, profile: duty, rating_W: 100, duration_ms: 120_000, seed: 1))
        _ = runner.advance()
        let first = runner.controller.status.limitReasons
        #expect(first.charge.contains(.noConduction) && first.discharge.contains(.noConduction), "\(first.charge.name) / \(first.discharge.name)")
        while runner.time_ms < 120_000 { _ = runner.advance() }
        let s = runner.controller.status
        #expect(s.limits.charge < s.limits.discharge, "the full string's charge is derated")
        #expect(s.limitReasons.charge.contains(.soc), "\(s.limitReasons.charge.name)")
        #expect(!s.limitReasons.charge.contains(.noConduction))
        #expect(s.limitReasons.discharge.isEmpty == (s.limits.discharge.value >= runner.controller.configuration.currentLimits.ratedDischargeCurrent.value))
    }

    @Test func namesAreReadable() {
        #expect(LimitReasons().name == "rated")
        #expect(LimitReasons.ccd.union(.contactLoss).name == "ccd+contactLoss")
        #expect(LimitReasons(rawValue: 1 << 15).name == "bits32768")
    }
}
