import BMSCore
import BatteryPlant
import Simulation
import Testing
import TestSupport

/// The filter's sigma as a bound where the voltage reads the SoC (issue 14, item 2): a Na-S string
/// of a production population the firmware does not know, ten hours at rest on its plateau with a
/// start 4 % off, then a three-hour discharge down its slope to about 17 % and an hour's rest.
/// On the slope the voltage corrects the estimate; what it cannot correct is the firmware's
/// table's own error there, and the sigma must own that: from the end of the discharge's first
/// hour the error must stay within 3 sigma at every step.
///
/// The table's error down the slope was the SoC scale's zero: the lab's holds at the cut-offs
/// ended at C/100, 0.5 % of charge short of the equilibrium on Na-S's 0.8 V per unit foot, and
/// the estimate ran a steady 0.55 % below the plant (3.8 sigma with the rested test's then
/// 1.07 mV of disagreement in the table's uncertainty). With the holds to C/1000 the error is
/// 0.1 ... 0.3 %: about 0.1 % is the scale's 100 % (the hold at 2.14 V ends 0.19 % of charge
/// past the plant's 1.0, a convention the lab cannot see) and the rest the loaded voltage's
/// model error, at a sigma of 0.05 ... 0.13 % while the filter took that error for white noise at
/// 10 Hz (4.2 sigma). Taken as correlated over the polarisation element's time constant
/// (docs/core.md "Correlated model error") the worst is 1.2 sigma, on an error of 0.25 %
/// (1.0 sigma, 0.26 %, with the element's drop in the IR drop's uncertainty as well).
@Suite("SoC sigma on a sloped OCV")
struct SlopeConsistencyTests {
    static func run() throws -> (worstInSigmas: Double, worstError: Double, finalError: Double, trips: Int) {
        let rest_ms: Int64 = 10 * 3_600_000
        let discharge_ms: Int64 = 3 * 3_600_000
        var pack = PackDefinition.standard(.naS, cellsPerString: 20, initialSoC: 0.55)
        pack.spread = .production
        pack.sensors = .accuracyCheck(offsetSign: 1)
        // 38 % of the cells' capacity in three hours.
        let current = 0.38 * pack.chemistry.capacity_Ah / 3
        let profile = try DutyProfile(
            quantity: .current_A, times_ms: [0, rest_ms, rest_ms + discharge_ms], values: [0, current, 0], source: "rest-then-down-the-slope")
        var scenario = Scenario(pack: pack, profile: profile, rating_W: 1, duration_ms: rest_ms + discharge_ms + 3_600_000, seed: 77)
        scenario.initialSoCError = 0.04
        scenario.initialSoCSigma = 0.04
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst = 0.0
        var worstError = 0.0
        var last = 0.0
        while runner.time_ms < scenario.duration_ms {
            let r = runner.advance()
            last = r.socEstimate - r.socTrue
            guard r.time_ms >= rest_ms + 3_600_000 else { continue }
            worst = max(worst, abs(last) / Double(runner.controller.status.socSigma))
            // The error once the slope has corrected the start (two hours into the discharge).
            if r.time_ms >= rest_ms + 2 * 3_600_000 { worstError = max(worstError, abs(last)) }
        }
        return (worst, worstError, last, runner.summary.protection_trips)
    }

    /// One run with the committed preset: from two hours into the discharge, down the slope and
    /// at the rest after it, the estimate stays within 0.35 % of the plant (0.55 % with the holds
    /// to C/100).
    @Test(.tags(.long)) func theSigmaCoversTheErrorDownTheSlope() throws {
        let r = try Self.run()
        #expect(r.worstInSigmas <= 3, "worst \(r.worstInSigmas) sigma (error at the end \(r.finalError * 100) %)")
        #expect(r.trips == 0)
        #expect(abs(r.finalError) < 0.03, "the slope corrected the start's 4 %")
        #expect(r.worstError < 0.0035, "worst error down the slope \(r.worstError * 100) %")
    }
}
