import BMSCore
import BatteryPlant
import Foundation
@testable import Simulation
import Testing
import TestSupport

/// The regression suite machinery and the shipped suite (regress/).
@Suite("Regression suites")
struct RegressionTests {
    static let suitePath = repositoryPath("regress")
    /// The shipped suite, loaded once (a load took about 3 s; the shard cases loaded it five times).
    static let shipped = Result { try RegressionSuite(directory: suitePath) }
    /// The long suite (regress/long: a week's mix), which CI runs after `make test`.
    static let long = Result { try RegressionSuite(directory: repositoryPath("regress/long")) }

    @Test func shippedSuiteCoversEveryChemistryAndDutyCycle() throws {
        let suite = try Self.shipped.get()
        let long = try Self.long.get()
        let chemistries = Set(suite.scenarios.map(\.scenario.pack.chemistry.name))
        #expect(chemistries == Set(ChemistryPreset.allCases.map(\.chemistry.name)))
        let duty = try FileManager.default.contentsOfDirectory(atPath: repositoryPath("profiles/duty")).filter { $0.hasSuffix(".csv") }
        let used = Set((suite.scenarios + long.scenarios).map { URL(fileURLWithPath: $0.scenario.profile.source).lastPathComponent })
        for file in duty { #expect(used.contains(file), "no scenario runs \(file)") }
        for (owner, s) in suite.scenarios.map({ (suite, $0) }) + long.scenarios.map({ (long, $0) }) {
            #expect(FileManager.default.fileExists(atPath: owner.baselinePath(s.name)), "\(s.name) has no baseline")
            #expect(!s.expectations.isEmpty || !s.scenario.detections.isEmpty, "\(s.name) expects nothing")
        }
    }

    @Test(arguments: 1...5) func shardsCoverTheSuiteExactlyOnce(_ n: Int) throws {
        let names = try Self.shipped.get().scenarios.map(\.name)
        var seen: [String] = []
        for i in 1...n { seen += ShardAssignment(index: i, count: n, source: "test")!.part(names) }
        #expect(seen.sorted() == names.sorted())
        #expect(Set(seen).count == seen.count)
    }

    static func summary(rms: Double, trips: Int = 0, energy: Double = 1000) -> RunSummary {
        RunSummary(
            duration_h: 1, cells: 1, seed: 1, soc_error_rms_pct: rms, soc_error_max_pct: 1, soc_true_final: 0.5,
            soc_est_final: 0.5, protection_trips: trips, energy_out_Wh: energy, energy_in_Wh: 1000, heater_energy_Wh: 0,
            temperature_min_C: 25, temperature_max_C: 25, dispatch_fulfilment: 1, inverter_limited_s: 0, cell_soc_error_rms_pct: 0.5,
            cell_soc_error_max_pct: 1, time_to_converge_s: 0, resistance_error_pct: 1, round_trip_efficiency: 0.9,
            interface_error_pct: nil, shorts: 0, protection_events: [])
    }

    @Test func comparisonNamesDirectionAndRespectsTolerance() {
        let base = Self.summary(rms: 0.40)
        #expect(RegressionSuite.compare(Self.summary(rms: 0.405), with: base, tolerances: [:]).isEmpty, "within 0.01 + 3 %")
        let worse = RegressionSuite.compare(Self.summary(rms: 0.50), with: base, tolerances: [:])
        #expect(worse.map(\.metric) == ["soc_error_rms_pct"] && worse.first?.kind == .regressed)
        let better = RegressionSuite.compare(Self.summary(rms: 0.30), with: base, tolerances: [:])
        #expect(better.first?.kind == .improved)
        #expect(RegressionSuite.compare(Self.summary(rms: 0.40, trips: 1), with: base, tolerances: [:]).first?.metric == "protection_trips")
        let energy = RegressionSuite.compare(Self.summary(rms: 0.40, energy: 1100), with: base, tolerances: [:])
        #expect(energy.first?.kind == .changed, "no better direction: any change counts")
        #expect(RegressionSuite.compare(Self.summary(rms: 0.50), with: base, tolerances: ["soc_error_rms_pct": Tolerance(absolute: 0.2)]).isEmpty)
    }

    @Test func junitCountsFailuresAndEscapes() {
        let ok = RegressionSuite.Outcome(
            name: "a<b", summary: Self.summary(rms: 0.4), error: nil, wallSeconds: 1, expectationFailures: [], changes: [], baselineMissing: false)
        var bad = ok
        bad.name = "c"
        bad.expectationFailures = ["soc_error_rms_pct = 2 is above 1"]
        let xml = RegressionReport.junit([ok, bad], suiteName: "s&t")
        #expect(xml.contains("tests=\"2\" failures=\"1\" errors=\"0\""))
        #expect(xml.contains("name=\"a&lt;b\""))
        #expect(xml.contains("name=\"s&amp;t\""))
        #expect(xml.contains("<failure message=\"failed: expectation: soc_error_rms_pct = 2 is above 1\""))
    }

    /// The point of the suite: a changed control parameter does not go unnoticed. The SoC
    /// filter's voltage model error doubled (it trusts cell voltages half as much) must make at
    /// least one scenario regress or change. The whole suite runs once, in `make test`; here the
    /// scenarios run cheapest first, two at a time, until one catches the perturbation.
    @Test(.tags(.long)) func perturbedControlParameterIsCaught() throws {
        let suite = try Self.shipped.get()
        let cheapestFirst = suite.scenarios.sorted {
            Double($0.scenario.duration_ms) * Double($0.scenario.pack.cellCount)
                < Double($1.scenario.duration_ms) * Double($1.scenario.pack.cellCount)
        }
        var caught: [String] = []
        var ran = 0
        for start in stride(from: 0, to: cheapestFirst.count, by: 2) where caught.isEmpty {
            let batch = Array(cheapestFirst[start..<min(start + 2, cheapestFirst.count)])
            let outcomes = suite.run(batch, jobs: 2) { c in c.estimator.voltageModelError = c.estimator.voltageModelError * 2 }
            #expect(outcomes.allSatisfy { $0.error == nil })
            ran += outcomes.count
            caught += outcomes.filter(\.failed).map(\.name)
        }
        #expect(!caught.isEmpty, "the suite did not notice the perturbation")
        print("perturbation caught by \(caught.joined(separator: ", ")) after \(ran) of \(cheapestFirst.count) scenarios")
    }
}

@Suite("Scenario files and reproducibility")
struct ScenarioFileTests {
    @Test func shippedScenarioParses() throws {
        let file = try ScenarioFile.load(path: repositoryPath("regress/contact-loss-NASICON.json"))
        #expect(file.name == "contact-loss-NASICON")
        #expect(file.scenario.pack.cellCount == 20)
        #expect(file.scenario.duration_ms == 8 * 3_600_000)
        #expect(file.scenario.faults.count == 1)
        #expect(file.expectations.contains { $0.metric == "protection_trips" && $0.min == 0 && $0.max == 0 })
    }

    @Test func badValueNamesItsLine() throws {
        let text = "{\n  \"pack\": \"NaS\",\n  \"profile\": \"../profiles/duty/standby-thermal-hold-24h.csv\",\n  \"ambient_C\": 500\n}\n"
        #expect(throws: InputFileError.self) { try ScenarioFile.parse(Data(text.utf8), path: repositoryPath("regress/x.json")) }
        do {
            _ = try ScenarioFile.parse(Data(text.utf8), path: repositoryPath("regress/x.json"))
        } catch {
            #expect(error.line == 4)
            #expect(error.problem.contains("ambient_C"))
        }
    }

    /// Two runs of one scenario and seed: the same summary and the same time series, bit for bit.
    @Test func oneSeedGivesBitIdenticalRuns() throws {
        var file = try ScenarioFile.load(path: repositoryPath("regress/fr-NASICON.json"))
        file.scenario.duration_ms = 2 * 3_600_000
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var outputs: [(RunSummary, Data)] = []
        for k in 0..<2 {
            let path = dir + "/run\(k).csv"
            var runner = try ClosedLoopRunner(scenario: file.scenario)
            let summary = try runner.run(timeSeries: try TimeSeriesWriter(path: path, columns: ClosedLoopRunner.columns))
            outputs.append((summary, try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        #expect(outputs[0].0 == outputs[1].0)
        #expect(outputs[0].1 == outputs[1].1)
        #expect(outputs[0].1.count > 10_000)
        // And a different seed really is different.
        file.scenario.seed += 1
        var other = try ClosedLoopRunner(scenario: file.scenario)
        #expect(try other.run() != outputs[0].0)
    }
}
