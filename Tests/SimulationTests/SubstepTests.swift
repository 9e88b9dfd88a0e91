import BMSCore
import BatteryPlant
import Foundation
import Simulation
import Testing

/// Plant sub-stepping: the plant runs n steps per control step with the EMS request re-served
/// on each; results converge with n, and a count that does not divide the step is refused.
@Suite("Plant sub-stepping")
struct SubstepTests {
    static func run(substeps: Int) throws -> RunSummary {
        var file = try ScenarioFile.load(path: repositoryPath("regress/fr-NASICON.json"))
        file.scenario.duration_ms = 2 * 3_600_000
        file.scenario.plantSubsteps = substeps
        var runner = try ClosedLoopRunner(scenario: file.scenario)
        return try runner.run()
    }

    @Test func resultsAgreeAcrossSubsteps() throws {
        let one = try Self.run(substeps: 1)
        let ten = try Self.run(substeps: 10)
        #expect(one != ten, "sub-stepping really changes the integration")
        #expect(abs(one.energy_out_Wh - ten.energy_out_Wh) < 0.002 * one.energy_out_Wh)
        #expect(abs(one.soc_true_final - ten.soc_true_final) < 0.001)
        #expect(abs(one.soc_error_rms_pct - ten.soc_error_rms_pct) < 0.05)
        #expect(ten.dispatch_fulfilment > 0.99)
    }

    @Test func aCountThatDoesNotDivideTheStepIsRefused() throws {
        var file = try ScenarioFile.load(path: repositoryPath("regress/fr-NASICON.json"))
        file.scenario.plantSubsteps = 3
        #expect(throws: SimulationError.self) { _ = try ClosedLoopRunner(scenario: file.scenario) }
    }
}
