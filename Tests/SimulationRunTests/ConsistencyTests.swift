import BMSCore
import BatteryPlant
import Simulation
import Testing
import TestSupport

/// The filter's sigma as a bound where the voltage reads the SoC (issue 14, item 2): a Na-S string
/// of a production population the firmware does not know, ten hours at rest on its plateau with a
/// start 4 % off, then a three-hour discharge down its slope to about 17 % and an hour's rest.
/// On the slope the voltage corrects the estimate; what it cannot correct is the firmware's
/// table's own error there (its slow-rate table sits about 2 mV below the cells' rested OCV), and
/// the sigma must own that: from the end of the discharge's first hour the error must stay within
/// 3 sigma at every step.
///
/// With the table's uncertainty at the samples' spread alone (0.2 mV) the worst was 11.7 sigma;
/// with the rested test's disagreement added (1.07 mV) it is 3.8 sigma: the estimate runs a steady
/// 0.55 % below the plant over the whole slope at a sigma near 0.15 %. That offset is the SoC
/// scale's zero: the firmware's 0 % is the slow-rate discharge's cut-off, 0.55 % of the charge
/// above the plant's physical empty, and nothing in the firmware's sigma stands for it yet
/// (docs/core.md "Not yet"). Marked as a known issue: the test reports when it stops failing.
@Suite("SoC sigma on a sloped OCV")
struct SlopeConsistencyTests {
    static func run(ocvUncertainty: Volts? = nil) throws -> (worstInSigmas: Double, finalError: Double, trips: Int) {
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
        if let u = ocvUncertainty { scenario.firmwareOverride = { $0.cellModel.ocvUncertainty = u } }
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst = 0.0
        var last = 0.0
        while runner.time_ms < scenario.duration_ms {
            let r = runner.advance()
            last = r.socEstimate - r.socTrue
            guard r.time_ms >= rest_ms + 3_600_000 else { continue }
            worst = max(worst, abs(last) / Double(runner.controller.status.socSigma))
        }
        return (worst, last, runner.summary.protection_trips)
    }

    /// One run with the committed preset, and one with the table's uncertainty at the cycler's
    /// 0.2 mV floor (which Na-S's samples' spread hits: the table as the slow-rate test alone
    /// would give it): the rested test's disagreement is what narrowed the gap.
    @Test(.tags(.long)) func theSigmaCoversTheErrorDownTheSlope() throws {
        let r = try Self.run()
        withKnownIssue("the SoC scale's zero is not in the sigma (docs/core.md \"Not yet\")") {
            #expect(r.worstInSigmas <= 3, "worst \(r.worstInSigmas) sigma (error at the end \(r.finalError * 100) %)")
        }
        #expect(r.trips == 0)
        #expect(abs(r.finalError) < 0.03, "the slope corrected the start's 4 %")
        let spreadAlone = try Self.run(ocvUncertainty: Volts(0.0002))
        #expect(spreadAlone.worstInSigmas > 2 * r.worstInSigmas, "\(spreadAlone.worstInSigmas) against \(r.worstInSigmas) sigma")
    }
}
