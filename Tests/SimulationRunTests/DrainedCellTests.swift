import BatteryPlant
import Foundation
import Testing

@testable import BMSCore
@testable import Simulation

/// A cell drained by a short to below its table is one cell of the string: the mean cell's SoC
/// it leaves is the others' less its share, not what the string's mean voltage reads.
@Suite("A cell drained below its table")
struct DrainedCellTests {
    /// A polymer string standing at half charge, one cell shorted through 2 ohm (about 17 % of
    /// its charge an hour): it empties in about three hours, its voltage falls off the table's
    /// foot and under-voltage protection opens the pack (physics, not the firmware's belief).
    /// The string's mean voltage then stands 0.1 ... 0.2 V under the others' OCV, on a plateau
    /// whose whole width is a few tenths of a volt. Read through the table, that mean put the
    /// health sweep's polymer run 62 (seed 314) at 14 % for a true 47 % at a sigma of 0.5 %,
    /// and a capacity sample from that read at 43 % of the rated capacity.
    @Test func aDrainedCellLeavesTheMeanCellItsShare() throws {
        let json = """
            {
              "pack": "polymer", "cells_per_string": 20, "duration_h": 9, "seed": 3,
              "duty": {"generator": "standby", "seed": 5}, "initial_soc": 0.5,
              "faults": [{"kind": "cell_short", "at_s": 1800, "cell": 6, "resistance_ohm": 2}]
            }
            """
        let scenario = try ScenarioFile.parse(Data(json.utf8), path: "/tmp/drained-cell.json").scenario
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst: Double = 0
        var worstAt_h: Double = 0
        var drained = false
        while runner.time_ms < scenario.duration_ms {
            let r = runner.advance()
            if runner.plant.cell(6).soc < 0.001 { drained = true }
            let sigma = max(Double(runner.controller.status.socSigma), 0.005)
            let z = abs(r.socEstimate - r.socTrue) / sigma
            if z > worst { worst = z; worstAt_h = Double(r.time_ms) / 3.6e6 }
        }
        #expect(drained, "the shorted cell never emptied: this tests nothing")
        #expect(runner.controller.status.faults.contains(.cellUnderVoltage), "the empty cell did not trip the pack")
        #expect(worst <= 3, "pack SoC \(worst) sigmas off at \(worstAt_h) h")
        let soh = runner.controller.status.capacitySoH
        #expect(!(soh < 0.9), "capacity SoH \(soh) from a drained cell's read")
    }
}
