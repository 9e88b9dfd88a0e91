import BatteryPlant
import Foundation
import Testing

@testable import Simulation
import TestSupport

@Suite("Health faults in runs and sweeps")
struct HealthSweepTests {
    /// A flag on the injected cell at or after its fault is a detection; a flag on a healthy cell,
    /// before the fault, or of the other kind is a false alarm; a fault never flagged is missed.
    @Test func flagsAreSortedIntoDetectionsMissesAndFalseAlarms() {
        let faults = [
            PlantFault(.contactLoss(cell: 2, fraction: 0.5), at_ms: 3_600_000),
            PlantFault(.cellShort(cell: 5, resistance_ohm: 20), at_ms: 7_200_000),
        ]
        var t = HealthFaultTracker(faults: faults, cellCount: 8)
        func flags(_ cells: [Int]) -> [Bool] { (0..<8).map { cells.contains($0) } }
        let start = t.figures(always: false)
        #expect(start.missed == 2 && start.falseAlarms == 0 && start.contactLoss_s == nil)
        // Cell 2 flagged before its contact loss: false; cleared, then flagged after it: detected.
        t.record(time_ms: 1_000_000, contactLoss: flags([2]))
        t.record(time_ms: 2_000_000, contactLoss: flags([]))
        t.record(time_ms: 4_200_000, contactLoss: flags([2]))
        #expect(t.figures(always: false).falseAlarms == 1)
        #expect(t.figures(always: false).contactLoss_s == 600)
        // A healthy cell, and the shorted cell read as a contact loss: two more false alarms.
        t.record(time_ms: 8_000_000, contactLoss: flags([2, 4, 5]))
        #expect(t.figures(always: false).falseAlarms == 3)
        // The short, flagged as a short: detected; still flagged later: not counted twice.
        t.record(time_ms: 9_000_000, softShort: flags([5]))
        t.record(time_ms: 9_500_000, softShort: flags([5]))
        #expect(t.figures(always: false).softShort_s == 1800)
        let end = t.figures(always: false)
        #expect(end.missed == 0 && end.falseAlarms == 3)
    }

    /// A soft short on a cell the plant itself made leak (a dendrite's breach) is right and was
    /// not injected: neither a detection nor a false alarm. A contact loss on it is still false.
    @Test func aShortOnACellThePlantMadeLeakIsNoFalseAlarm() {
        var t = HealthFaultTracker(faults: [PlantFault(.contactLoss(cell: 1, fraction: 0.4), at_ms: 1_000)], cellCount: 4)
        t.record(time_ms: 5_000, softShort: [false, false, true, false], leaking: [2])
        #expect(t.figures(always: false).falseAlarms == 0)
        #expect(t.figures(always: false).softShort_s == nil)
        t.record(time_ms: 6_000, softShort: [false, false, true, true], leaking: [2])
        #expect(t.figures(always: false).falseAlarms == 1, "cell 3 does not leak")
        t.record(time_ms: 7_000, contactLoss: [false, false, true, false], leaking: [2])
        #expect(t.figures(always: false).falseAlarms == 2)
    }

    /// A contact loss's throughput is the charge its own cell carried, either way, in the
    /// deadline after the loss (not before it, not after the deadline), over that cell's
    /// capacity: what a passive BMS had to see it by.
    @Test func aContactLossesThroughputIsTheChargeItsCellCarriedInTheDeadline() throws {
        var t = HealthFaultTracker(faults: [PlantFault(.contactLoss(cell: 1, fraction: 0.4), at_ms: 1_000)], cellCount: 4)
        #expect(t.figures(always: false).contactLossThroughput_pct == 0)
        var ms: Int64 = 0
        while ms < 1_000 + HealthFaultTracker.exposureWindow_ms + 60_000 {
            ms += 100
            if t.watchesThroughput(at: ms) {
                // Cell 1 charges at 2 A (a 10 Ah cell); the others carry more.
                t.recordThroughput(time_ms: ms, step_ms: 100) { k in (k == 1 ? -2 : 9, 10) }
            }
        }
        // 2 A for 2 h on 10 Ah: 40 % of its capacity.
        let carried = try #require(t.figures(always: false).contactLossThroughput_pct)
        #expect(abs(carried - 40) < 1e-6, "\(carried)")
    }

    /// A scenario without a contact loss or soft short (a hard short is not one) reports no
    /// health figures, unless asked to (a sweep's runs: a flag there is a false alarm).
    @Test func aRunWithoutInjectionsReportsHealthFiguresOnlyWhenAsked() {
        var t = HealthFaultTracker(faults: [PlantFault(.currentStuck, at_ms: 0), PlantFault(.cellShort(cell: 1, resistance_ohm: nil), at_ms: 0)], cellCount: 4)
        #expect(t.figures(always: false).missed == nil && t.figures(always: false).falseAlarms == nil)
        t.record(time_ms: 1000, softShort: [false, true, false, false])
        #expect(t.figures(always: true).missed == 0 && t.figures(always: true).falseAlarms == 1)
    }

    /// The fault catalogue's soft short (a 20 ohm path in a sulfide cell on standby): the health
    /// figures time its flag from the fault, as the scenario's own `detect` entry does, and the
    /// cell flagged is the shorted one.
    @Test func aClosedLoopRunTimesTheFlagOfAnInjectedShort() throws {
        let scenario = try ScenarioFile.load(path: repositoryPath("regress/faults/soft-short.json")).scenario
        var runner = try ClosedLoopRunner(scenario: scenario)
        let s = try runner.run()
        let detected = try #require(s.soft_short_detection_s, "short not flagged on its cell")
        let flag = try #require(s.detections?.first?.detected_after_s, "softShort not raised")
        #expect(abs(detected - flag) <= 0.1, "the cell's flag and the warning are one event")
        #expect(s.health_missed == 0 && s.health_false_alarms == 0)
        #expect(s.contact_loss_detection_s == nil)
    }

    static let health = """
        {
          "runs": 40, "seed": 9, "pack": ["NASICON", "NaS"], "cells_per_string": 6, "duration_h": 10,
          "contact_loss": {"share": 0.5, "contact": {"min": 0.2, "max": 0.5}, "at_h": {"min": 2, "max": 8}},
          "soft_short": {"share": 0.25, "discharge_pct_per_h": 2, "at_h": 3}
        }
        """

    @Test func aSweepInjectsHealthFaultsIntoItsShareOfRunsAndLeavesOtherDrawsAlone() throws {
        let spec = try SweepTests.spec(Self.health)
        let plain = try SweepTests.spec(
            Self.health.replacingOccurrences(of: #""contact_loss": {"share": 0.5, "contact": {"min": 0.2, "max": 0.5}, "at_h": {"min": 2, "max": 8}},"#, with: "")
                .replacingOccurrences(of: #"  "soft_short": {"share": 0.25, "discharge_pct_per_h": 2, "at_h": 3}"#, with: #"  "seed": 9"#)
                .replacingOccurrences(of: #""runs": 40, "seed": 9,"#, with: #""runs": 40,"#))
        var contacts = 0
        var shorts = 0
        for k in 0..<spec.runs {
            let (scenario, draw) = try spec.scenario(run: k)
            let (_, bare) = try plain.scenario(run: k)
            #expect(bare.contact_loss == nil && bare.soft_short == nil)
            #expect(draw.seed == bare.seed && draw.pack == bare.pack && draw.duty_seed == bare.duty_seed && draw.initial_soc == bare.initial_soc)
            if let c = draw.contact_loss {
                contacts += 1
                #expect((0.2...0.5).contains(c.value) && (2...8).contains(c.at_h) && (0..<6).contains(c.cell))
                #expect(scenario.faults.contains(PlantFault(.contactLoss(cell: c.cell, fraction: c.value), at_ms: SweepSpec.milliseconds(c.at_h))))
            }
            if let s = draw.soft_short {
                shorts += 1
                // 2 % of the nameplate an hour through the path at the mid-SoC OCV.
                let chemistry = scenario.pack.chemistry
                let current = chemistry.ocv.voltage(atSoC: 0.5) / s.value
                #expect(abs(current / chemistry.capacity_Ah - 0.02) < 1e-12)
                #expect(scenario.faults.contains(PlantFault(.cellShort(cell: s.cell, resistance_ohm: s.value), at_ms: 10_800_000)))
            }
        }
        #expect((10...30).contains(contacts) && (3...18).contains(shorts), "\(contacts) contact losses, \(shorts) shorts in 40 runs")
    }

    @Test(arguments: [
        (#"{"runs": 2, "pack": "NaS", "contact_loss": {"share": 0.5, "contact": 0.5, "at_h": 1, "cell": 3}}"#, "unknown key"),
        (#"{"runs": 2, "pack": "NaS", "contact_loss": {"share": 1.5, "contact": 0.5, "at_h": 1}}"#, "share"),
        (#"{"runs": 2, "pack": "NaS", "duration_h": 4, "contact_loss": {"share": 1, "contact": 0.5, "at_h": 5}}"#, "at_h"),
        (#"{"runs": 2, "pack": "NaS", "contact_loss": {"share": 1, "contact": 0, "at_h": 1}}"#, "contact"),
        (#"{"runs": 2, "pack": "NaS", "soft_short": {"share": 1, "discharge_pct_per_h": 1, "resistance_ohm": 20, "at_h": 1}}"#, "unknown key"),
        (#"{"runs": 2, "pack": "NaS", "soft_short": {"share": 1, "discharge_pct_per_h": 1e300, "at_h": 1}}"#, "discharge_pct_per_h"),
        (#"{"runs": 2, "pack": "NaS", "c_rate": {"min": 0.2, "max": 50}}"#, "c_rate"),
        (#"{"runs": 2, "pack": "NaS", "ccd_derating_comparison": "yes"}"#, "ccd_derating_comparison"),
    ])
    func badHealthKeysAreRefused(text: String, problem: String) {
        let error = #expect(throws: InputFileError.self) { try SweepTests.spec(text) }
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }
}
