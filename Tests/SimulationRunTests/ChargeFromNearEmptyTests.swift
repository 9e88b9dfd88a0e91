import BatteryPlant
import Testing

@testable import Simulation

/// Below the SoC span where the lab's pulses measured the resistance law, the firmware does not
/// read its loaded voltage through that law as if it held there.
@Suite("Charge from near empty")
struct ChargeFromNearEmptyTests {
    /// An end-of-life Na-S string on peak shaving (run 61 of targets-200-per-chemistry.json
    /// drawn with seed 11003): discharged to 6 %, it rests and is charged at C/11 from 20 h. Near
    /// empty the cells' resistance rises (the polysulphide's end, half again at 6 %), which the
    /// firmware's law, measured by pulses at 15 ... 90 %, does not have: read through it, the
    /// charge's higher voltage put the estimate 1.0 point high at a sigma of 0.3 % (3.3
    /// sigma) before the string reached 15 %. Outside that span the IR drop is allowed its own
    /// size as error (`SoCEstimator.unmeasuredEndAllowance`).
    @Test func aChargeFromNearEmptyIsNotReadThroughTheMiddlesLaw() throws {
        let (scenario, draw) = try SweepSpec.targetsRun(61, seed: 11003)
        #expect(draw.pack == "NaS" && draw.ageing == "end-of-life" && draw.duty == "peak-shaving")
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst = (z: 0.0, error: 0.0, at: Int64(0))
        var charged = false
        while runner.time_ms < scenario.duration_ms {
            let step = runner.advance()
            let sigma = Double(runner.controller.status.socSigma)
            if runner.time_ms >= 19 * 3_600_000, runner.controller.status.current.value < -1 { charged = true }
            guard charged, step.socEstimate < 0.15 else { continue }
            let z = abs(step.socEstimate - step.socTrue) / sigma
            if z > worst.z { worst = (z, step.socEstimate - step.socTrue, runner.time_ms) }
        }
        #expect(charged, "no charge from 19 h on")
        #expect(worst.z <= 3, "\(worst.error * 100) points off, \(worst.z) sigma, at \(Double(worst.at) / 3.6e6) h")
    }
}
