import BMSCore
import BatteryPlant
import Foundation
import Simulation
import Testing
import TestSupport

@Suite("Closed loop")
struct ClosedLoopTests {
    static let frequencyRegulation = Result { try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv")) }

    func scenario(cells: Int = 20, hours: Double, seed: UInt64 = 1, profile: DutyProfile? = nil, pack: PackDefinition? = nil) throws -> Scenario {
        let p = try profile ?? Self.frequencyRegulation.get()
        // 5 kW per 240 cells (the default duty), scaled to the string.
        return Scenario(
            pack: pack ?? .zebraString(cellCount: cells), profile: p, rating_W: 5_000 * Double(cells) / 240,
            duration_ms: Int64(hours * 3_600_000), seed: seed)
    }

    /// Near empty the firmware's own SoC window throttles the discharge to about C/100 (the
    /// emptiest cell sets it). That current is the EMS's request held back, not an idle
    /// converter's offset: taken for offset, the estimate of a NASICON string stood still at 5.8 %
    /// while its cells ran down to 3.5 % (a three-day mixed duty nobody had tuned to). Charge,
    /// rest, discharge into the window, then regulation around it, with a -50 mA sensor and the
    /// estimate starting 0.8 % high.
    @Test func aThrottledDischargeNearEmptyIsCountedNotTakenForOffset() throws {
        var times: [Int64] = []
        var values: [Double] = []
        var random = SeededRandom(seed: 11)
        var p = 0.0
        for k in 0..<(12 * 900) {
            let hour = Double(k) * 4 / 3600
            p = hour < 2 ? -0.6 : hour < 4 ? 0 : hour < 8 ? 0.6 : max(-1, min(1, 0.5 * p + 0.2 * random.gaussian()))
            times.append(Int64(k) * 4000)
            values.append(p)
        }
        let profile = try DutyProfile(quantity: .power_pu, times_ms: times, values: values, source: "throttled")
        var pack = PackDefinition.standard(.nasicon, cellsPerString: 20, initialSoC: 0.2)
        pack.sensors = .accuracyCheck(offsetSign: -1)
        let energy_Wh = 20 * pack.chemistry.capacity_Ah * pack.chemistry.ocv.voltage(atSoC: 0.5)
        var sc = Scenario(pack: pack, profile: profile, rating_W: 0.2 * energy_Wh, duration_ms: 12 * 3_600_000, seed: 1)
        sc.initialSoCError = 0.008
        var runner = try ClosedLoopRunner(scenario: sc)
        let s = try runner.run()
        #expect(s.soc_true_final < 0.08, "the string reached the window: \(s.soc_true_final)")
        #expect(s.soc_error_max_pct < 1, "max \(s.soc_error_max_pct) %")
        #expect(s.soc_error_rms_pct < 0.5, "RMS \(s.soc_error_rms_pct) %")
    }

    /// A 6 h run with the typical sensors: the pack cycles, the EMS is served, nothing trips, the
    /// heaters hold the window, and the SoC keeps the accuracy matrix's bounds with its error
    /// inside the firmware's 3 sigma. (Until 2026-12-07 this asked a max under 1 %, tighter than
    /// the matrix's 3 %, which the bundled regulation file of the time met; on the generator's
    /// day the ZEBRA plateau estimate wanders to +1.6 % at 1.3 of its sigma, docs/core.md.)
    @Test func frequencyRegulationRunsWithoutTrips() throws {
        var runner = try ClosedLoopRunner(scenario: scenario(hours: 6))
        let s = try runner.run()
        #expect(s.soc_error_rms_pct <= 1)
        #expect(s.soc_error_max_pct <= 3)
        #expect((s.soc_within_3sigma ?? 0) == 1, "\(String(describing: s.soc_within_3sigma))")
        #expect(s.protection_trips == 0)
        #expect(s.energy_out_Wh > 250 && s.energy_in_Wh > 250, "the pack really cycled")
        #expect(s.dispatch_fulfilment > 0.95)
        #expect(s.temperature_min_C > 270 && s.temperature_max_C < 300)
    }

    /// Resting on the ZEBRA plateau with the contactors closed, neither the voltage nor the
    /// reaction front reveals a current-sensor offset (no current steps). Without the rest's
    /// zero-current reading the estimate drifts like the coulomb counter, at offset / capacity
    /// per hour (the loop really integrates the measured current); with it (the default) the
    /// firmware takes the idle pack's reading as its offset and stops drifting.
    @Test(arguments: [false, true]) func restOnThePlateauRevealsTheOffset(_ restReadsOffset: Bool) throws {
        var pack = PackDefinition.zebraString(cellCount: 20)
        pack.sensors = .ideal
        pack.sensors.current.offset = 0.2
        pack.spread = .none
        let rest = try DutyProfile.parse("time_s,power_W\n0,0\n", source: "rest")
        var sc = try scenario(hours: 2, profile: rest, pack: pack)
        if !restReadsOffset { sc.firmwareOverride = { $0.estimator.restCurrentSigma = nil } }
        var runner = try ClosedLoopRunner(scenario: sc)
        var errorAt1h = 0.0
        while runner.time_ms < 2 * 3_600_000 {
            let r = runner.advance()
            if r.time_ms == 3_600_000 { errorAt1h = r.socEstimate - r.socTrue }
        }
        let s = runner.summary
        let secondHourDrift = errorAt1h - (s.soc_est_final - s.soc_true_final)
        let predicted = 0.2 * 1 / 38  // A x h / Ah
        if restReadsOffset {
            #expect(abs(secondHourDrift) < 0.05 * predicted, "drift \(secondHourDrift)")
            #expect(abs(Double(runner.controller.status.currentOffset.value) - 0.2) < 0.01)
        } else {
            #expect(abs(secondHourDrift - predicted) < 0.02 * predicted)
        }
    }

    /// The core precharges the DC link before closing the mains: no inrush in the plant.
    @Test func coreConnectsThroughPrecharge() throws {
        var runner = try ClosedLoopRunner(scenario: scenario(hours: 0.1))
        var sawPrecharge = false
        while runner.time_ms < 360_000 {
            _ = runner.advance()
            if runner.lastCommands.connection == .precharging { sawPrecharge = true }
        }
        #expect(sawPrecharge)
        #expect(runner.plant.contactors.isConnected)
        #expect(!runner.plant.events.contains { $0.kind == .inrush })
    }

    @Test func sameSeedGivesBitIdenticalRuns() throws {
        func run(seed: UInt64) throws -> (RunSummary, String) {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = dir + "/ts.csv"
            var runner = try ClosedLoopRunner(scenario: scenario(hours: 0.5, seed: seed))
            let summary = try runner.run(timeSeries: TimeSeriesWriter(path: path, columns: ClosedLoopRunner.columns))
            return (summary, try String(contentsOfFile: path, encoding: .utf8))
        }
        let a = try run(seed: 9)
        let b = try run(seed: 9)
        #expect(a.0 == b.0)
        #expect(a.1 == b.1)
        #expect(a.1.split(separator: "\n").count == 181, "header + one row per 10 s")
        #expect(try run(seed: 10).1 != a.1)
    }

    /// Below the minimum operating temperature the core keeps the contactors open and heats;
    /// once warm it closes them and serves the EMS.
    @Test func coldPackHeatsBeforeItConducts() throws {
        var pack = PackDefinition.zebraString(cellCount: 20)
        pack.initialTemperature_C = 245
        var runner = try ClosedLoopRunner(scenario: scenario(hours: 3, pack: pack))
        var firstClosed: Int64?
        while runner.time_ms < 3 * 3_600_000 {
            let r = runner.advance()
            if runner.lastCommands.closeContactors {
                if firstClosed == nil { firstClosed = r.time_ms }
            } else if runner.lastCommands.connection == .open {
                #expect(runner.plant.current_A == 0, "nothing connected, not even the precharge path")
            }
            if firstClosed == nil {
                #expect(runner.lastCommands.heaterDuty[0] == 1, "heater on while cold")
            }
        }
        let closedAt = try #require(firstClosed)
        #expect(closedAt > 30 * 60_000, "heating 20 K takes a while")
        #expect(runner.plant.moduleTemperature_C[0] > 265)
        #expect(runner.summary.protection_trips == 0)
    }
}

@Suite("Closed loop with plant faults")
struct ClosedLoopFaultTests {
    /// An open sense wire in the plant reaches the firmware as an open-wire flag, then a latched
    /// fault, and the pack disconnects current-first.
    @Test func openWireInThePlantDisconnectsThePack() throws {
        var pack = PackDefinition.zebraString(cellCount: 20)
        pack.sensors = .typicalBMS
        let rest = try DutyProfile.parse("time_s,power_W\n0,300\n", source: "load")
        var scenario = Scenario(pack: pack, profile: rest, rating_W: 1, duration_ms: 120_000, seed: 2)
        scenario.faults = [PlantFault(.cellVoltageOpenWire(cell: 9), at_ms: 60_000)]
        var runner = try ClosedLoopRunner(scenario: scenario)
        var sawFlag = false
        while runner.time_ms < 120_000 {
            _ = runner.advance()
            if runner.controller.status.measurement.contains(.openWire) { sawFlag = true }
        }
        #expect(sawFlag)
        #expect(runner.controller.status.faults.contains(.measurementInvalid))
        let events = runner.summary.protection_events
        #expect(events.contains { $0.fault == "measurementInvalid" && $0.time_s >= 60 && $0.time_s < 62 }, "\(events)")
        #expect(!runner.plant.contactors.isConnected)
        #expect(!runner.plant.events.contains { $0.kind == .openedUnderLoad })
    }
}

@Suite("The SoC estimate across a dead cell channel")
struct DeadChannelEstimateTests {
    /// A cell-voltage channel dies (reads 0 V, a plausible voltage for a cell that failed short)
    /// half an hour into frequency regulation on a ZEBRA string: the cells no longer add up to
    /// the pack voltage, the fault latches and the pack opens and rests. Which channel lies is
    /// unknown, so no cell reading is an SoC reading any more: the estimate holds what it
    /// counted. Before, the rest read took the 0 V channel into the mean cell and put the
    /// estimate 37 points low at a sigma of 0.9 % (the fault catalogue's `cell-voltage-dead`).
    @Test func aDeadChannelIsNoSoCReading() throws {
        var pack = PackDefinition.zebraString(cellCount: 20)
        pack.sensors = .typicalBMS
        let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        var scenario = Scenario(pack: pack, profile: profile, rating_W: 0.2 * 20 * 38 * 2.58, duration_ms: 3 * 3_600_000, seed: 4)
        scenario.faults = [PlantFault(.cellVoltageDead(cell: 12), at_ms: 1_800_000)]
        var runner = try ClosedLoopRunner(scenario: scenario)
        var worst = 0.0
        while runner.time_ms < 3 * 3_600_000 {
            let step = runner.advance()
            guard runner.time_ms > 1_800_000 else { continue }
            worst = max(worst, abs(step.socEstimate - step.socTrue) / Double(runner.controller.status.socSigma))
        }
        #expect(runner.controller.status.faults.contains(.measurementInvalid))
        #expect(!runner.plant.contactors.isConnected)
        #expect(abs(runner.summary.soc_est_final - runner.summary.soc_true_final) < 0.02)
        #expect(worst <= 3, "the error reached \(worst) sigma after the channel died")
    }
}

@Suite("Health estimation in the closed loop")
struct HealthClosedLoopTests {
    /// The firmware's ohmic resistance, normalised to its reference (300 C, full charge), against
    /// the plant's truth for a 100 ms step there: bulk plus the fast elements of each cell, with
    /// its spreads, averaged over the cells. Within 10 % after 6 h of frequency regulation with
    /// the typical sensors.
    @Test func ohmicResistanceWithinTenPercentOfTruth() throws {
        let pack = PackDefinition.zebraString(cellCount: 20)
        let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        var runner = try ClosedLoopRunner(scenario: Scenario(
            pack: pack, profile: profile, rating_W: 0.2 * 20 * 38 * 2.58, duration_ms: 6 * 3_600_000, seed: 4))
        _ = try runner.run()
        let estimate = Double(runner.controller.status.resistanceAtReference.value)
        let truth = (0..<20).reduce(0.0) { $0 + runner.plantResistanceAtReference(cell: $1) } / 20
        #expect(abs(estimate - truth) < 0.1 * truth, "estimate \(estimate), truth \(truth)")
    }
}

@Suite("CCD-aware derating")
struct CCDDeratingTests {
    /// An EMS that asks a NASICON string for a 1 C charge (2 mA/cm2, beyond the 0.85 mA/cm2 CCD at
    /// 30 C) shorts cells through dendrites when the firmware lets it; with CCD-aware derating the
    /// firmware holds the plating current at 70 % of the CCD and no cell shorts.
    @Test func derratingPreventsTheShortsItWouldOtherwiseCause() throws {
        func run(derating: Bool) throws -> (failed: Int, maxHazard: Double, margin: Float) {
            var pack = PackDefinition.standard(.nasicon, cellsPerString: 24, initialSoC: 0.3)
            pack.initialTemperature_C = 30
            let charge = try DutyProfile.parse("time_s,current_A\n0,-10\n", source: "1C charge")
            var scenario = Scenario(pack: pack, profile: charge, rating_W: 1, duration_ms: 3_600_000, seed: 11)
            scenario.ccdAwareDerating = derating
            var runner = try ClosedLoopRunner(scenario: scenario)
            var maxHazard = 0.0
            var minMargin = Float.infinity
            while runner.time_ms < 3_600_000 {
                _ = runner.advance()
                maxHazard = max(maxHazard, runner.plant.cellShortHazard_per_h.max() ?? 0)
                let m = runner.controller.status.ccdMargin
                if m.isFinite { minMargin = min(minMargin, m) }
            }
            return (runner.plant.cellFailure.filter(\.isFailed).count, maxHazard, minMargin)
        }
        let without = try run(derating: false)
        let with = try run(derating: true)
        #expect(without.failed > 0, "without derating the charge shorts cells")
        #expect(without.maxHazard > 0)
        #expect(with.failed == 0)
        #expect(with.maxHazard == 0)
        // 70 % of the CCD is a 0.30 margin on the true current; the margin is computed from the
        // measured one, whose 50 mA noise (4 sigma = 0.2 A = 5 % of the 4.25 A CCD current over an
        // hour of samples) and 0.2 % gain error eat into it.
        #expect(with.margin >= 0.2, "plating held at 70 % of the CCD: margin \(with.margin)")
    }

    /// The same charge on a population with Weibull-spread CCDs (`production`, k = 10): the
    /// weakest of 24 cells sits near 0.7 of the median CCD, where a 70 % derating of the
    /// datasheet's typical value would not keep it clear. The firmware's CCD is the
    /// characterisation's lower bound (the Weibull B1 of destructive tests on sample cells), and
    /// with it no cell is driven past its CCD.
    @Test func deratingOnAWeibullPopulationProtectsTheWeakestCell() throws {
        var pack = PackDefinition.standard(.nasicon, cellsPerString: 24, initialSoC: 0.3)
        pack.initialTemperature_C = 30
        pack.spread = .production
        let charge = try DutyProfile.parse("time_s,current_A\n0,-10\n", source: "1C charge")
        let scenario = Scenario(pack: pack, profile: charge, rating_W: 1, duration_ms: 3_600_000, seed: 11)
        var runner = try ClosedLoopRunner(scenario: scenario)
        var maxHazard = 0.0
        while runner.time_ms < 3_600_000 {
            _ = runner.advance()
            maxHazard = max(maxHazard, runner.plant.cellShortHazard_per_h.max() ?? 0)
        }
        let weakest = (0..<24).map { runner.plant.cell($0).criticalCurrentFactor }.min()!
        #expect(weakest < 0.8, "the population has a weak cell: \(weakest)")
        #expect(maxHazard == 0, "the weakest cell (CCD factor \(weakest)) was driven past its CCD: hazard \(maxHazard) per hour")
    }
}

@Suite("Failed-short cells in the closed loop")
struct FailedShortClosedLoopTests {
    /// A ZEBRA cell shorts in the plant: the firmware finds it, keeps the string running one cell
    /// down (no trip, still connected), derates it, and keeps estimating.
    @Test func zebraStringKeepsRunning() throws {
        let pack = PackDefinition.zebraString(cellCount: 24)
        let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        var scenario = Scenario(pack: pack, profile: profile, rating_W: 0.2 * 24 * 38 * 2.58, duration_ms: 2 * 3_600_000, seed: 5)
        scenario.faults = [PlantFault(.cellShort(cell: 11, resistance_ohm: nil), at_ms: 1_800_000)]
        var runner = try ClosedLoopRunner(scenario: scenario)
        let s = try runner.run()
        #expect(runner.plant.cellFailure[11] == .failedShort)
        #expect(runner.controller.status.failedShortCells == 1)
        #expect(runner.controller.status.warnings.contains(.cellFailedShort))
        #expect(s.protection_trips == 0)
        #expect(runner.plant.contactors.isConnected)
        #expect(s.soc_error_max_pct < 1)
    }
}

@Suite("Cell balancing in the closed loop")
struct BalancingClosedLoopTests {
    /// A sulfide string (sloped OCV: the resting reads tell the cells apart) whose cells start
    /// 3 points of SoC apart (one sigma), resting for 10 h: with balancing the spread narrows to
    /// under 40 % of what it was, without it stays; the firmware's per-cell SoC follows the bleed.
    @Test(.tags(.long)) func bleedingNarrowsTheSpread() throws {
        func run(balancing: Bool) throws -> (before: Double, after: Double, bled: Int, worstCellError: Double) {
            var pack = PackDefinition.standard(.sulfide, cellsPerString: 12, initialSoC: 0.6)
            pack.spread = CellSpread(capacity: 0, resistance: 0, initialSoC: 0.03, selfDischarge: 0)
            let rest = try DutyProfile.parse("time_s,power_W\n0,0\n", source: "rest")
            var scenario = Scenario(pack: pack, profile: rest, rating_W: 1, duration_ms: 10 * 3_600_000, seed: 5)
            scenario.cellBalancing = balancing
            var runner = try ClosedLoopRunner(scenario: scenario)
            func spread() -> Double { (runner.plant.cellSoC.max() ?? 0) - (runner.plant.cellSoC.min() ?? 0) }
            let before = spread()
            var bled = 0
            while runner.time_ms < scenario.duration_ms {
                _ = runner.advance()
                bled = max(bled, (0..<12).filter { runner.lastCommands.balance[$0] }.count)
            }
            let worst = (0..<12).map { abs(Double(runner.controller.cellSoC($0).value) - runner.plant.cellSoC[$0]) }.max() ?? 1
            return (before, spread(), bled, worst)
        }
        let with = try run(balancing: true)
        let without = try run(balancing: false)
        #expect(with.before > 0.05, "a real spread to begin with")
        #expect(with.bled > 0)
        #expect(with.after < 0.4 * with.before)
        #expect(without.bled == 0)
        #expect(without.after > 0.95 * without.before)
        #expect(with.worstCellError < 0.02, "the per-cell estimates followed the bleed")
    }

    /// ZEBRA strings are not balanced (the cells take the overcharge reaction instead).
    @Test func zebraIsNotBalanced() throws {
        var pack = PackDefinition.zebraString(cellCount: 12)
        pack.spread = CellSpread(capacity: 0, resistance: 0, initialSoC: 0.03, selfDischarge: 0)
        let rest = try DutyProfile.parse("time_s,power_W\n0,0\n", source: "rest")
        var runner = try ClosedLoopRunner(scenario: Scenario(pack: pack, profile: rest, rating_W: 1, duration_ms: 3_600_000, seed: 5))
        while runner.time_ms < 3_600_000 {
            _ = runner.advance()
            #expect(!(0..<12).contains { runner.lastCommands.balance[$0] })
        }
    }
}

@Suite("Interface health in the closed loop")
struct InterfaceHealthClosedLoopTests {
    /// A NASICON cell delaminates to 20 % contact (its interface, about 1 mOhm of its 7, rises
    /// five-fold: +55 % resistance) six hours into frequency regulation: the firmware flags that
    /// cell, and only it, within two hours, reads a contact fraction near the truth, and holds
    /// the charge current to the CCD at that cell's local density.
    @Test func delaminationIsCaughtAndDerated() throws {
        var pack = PackDefinition.standard(.nasicon, cellsPerString: 20, initialSoC: 0.6)
        pack.sensors = .accuracyCheck()
        let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        var scenario = Scenario(pack: pack, profile: profile, rating_W: 0.2 * 20 * 10 * 3.39, duration_ms: 9 * 3_600_000, seed: 3)
        scenario.faults = [PlantFault(.contactLoss(cell: 7, fraction: 0.2), at_ms: 6 * 3_600_000)]
        var runner = try ClosedLoopRunner(scenario: scenario)
        var flaggedBefore = false
        var chargeCapBefore: Float = 0
        var chargeCapAfter: Float = 0
        var healthyContact: Float = 1
        while runner.time_ms < scenario.duration_ms {
            let r = runner.advance()
            if r.time_ms < 6 * 3_600_000 {
                flaggedBefore = flaggedBefore || runner.controller.status.contactLossCells > 0
                if r.time_ms > 5 * 3_600_000 { chargeCapBefore = max(chargeCapBefore, runner.lastCommands.chargeCurrentLimit.value) }
                if r.time_ms > 3 * 3_600_000 {
                    healthyContact = min(healthyContact, runner.controller.interfaceHealth.smallestContactFraction(count: 20, excluded: .init(repeating: false)))
                }
            } else if r.time_ms > 8 * 3_600_000 {
                chargeCapAfter = max(chargeCapAfter, runner.lastCommands.chargeCurrentLimit.value)
            }
        }
        let health = runner.controller.interfaceHealth
        #expect(!flaggedBefore, "no false alarm in six hours of healthy cycling")
        #expect(healthyContact > 0.8, "healthy cells keep (nearly) all their CCD")
        #expect(health.contactLoss[7])
        #expect(health.contactLossCount == 1)
        #expect(runner.controller.status.warnings.contains(.contactLoss))
        #expect(health.contactFraction[7] < 0.35, "the rise is charged to the interface (truth 0.2)")
        #expect(health.contactFraction[3] > 0.8)
        #expect(chargeCapAfter < 0.5 * chargeCapBefore, "CCD derating at the delaminated cell's local density")
        #expect(chargeCapAfter > 0)
    }
}

@Suite("Capacity state of health in the closed loop")
struct CapacityClosedLoopTests {
    /// A sulfide string whose cells hold 9 Ah while the firmware was told 10 Ah: rest, 1 h at
    /// 5 A, rest, 3 h back at 1.5 A (under the CCD cap), rest. The rests on the sloped OCV anchor
    /// the SoC; the charge between them gives the capacity: SoH 0.90 within 0.03, after the
    /// first swing already, and each cell's own capacity.
    @Test func capacityFromChargeBetweenRests() throws {
        var pack = PackDefinition.standard(.sulfide, cellsPerString: 12, initialSoC: 0.8)
        pack.chemistry.capacity_Ah = 9
        pack.spread = CellSpread(capacity: 0.04, resistance: 0.03, initialSoC: 0.005, selfDischarge: 0)
        let profile = try DutyProfile.parse(
            "time_s,current_A\n0,0\n1200,5\n4800,0\n6600,-1.5\n17400,0\n", source: "swing")
        var runner = try ClosedLoopRunner(scenario: Scenario(pack: pack, profile: profile, rating_W: 1, duration_ms: 19_200_000, seed: 2))
        var afterFirst = Float.nan
        while runner.time_ms < 19_200_000 {
            let r = runner.advance()
            if r.time_ms == 6_500_000 { afterFirst = runner.controller.status.capacitySoH }
        }
        #expect(abs(afterFirst - 0.9) < 0.03, "\(afterFirst)")
        #expect(abs(runner.controller.status.capacitySoH - 0.9) < 0.03, "\(runner.controller.status.capacitySoH)")
        #expect(runner.controller.capacityEstimator.samples == 2)
        // Each cell's capacity (4 % spread) within 2.5 % of its own.
        let cells = runner.controller.capacityEstimator.cellCapacity
        let worst = (0..<12).map { abs(Double(cells[$0]) - runner.plant.cellCapacity_Ah($0)) / runner.plant.cellCapacity_Ah($0) }.max() ?? 1
        let spread = (runner.plant.cellInitialCapacity_Ah.max() ?? 0) - (runner.plant.cellInitialCapacity_Ah.min() ?? 0)
        #expect(spread > 0.5, "cells really differ")
        #expect(worst < 0.025, "worst cell \(worst * 100) %")
    }
}

@Suite("Charge-balance plausibility in the closed loop")
struct ChargeBalanceTests {
    /// A current sensor 1 A off (10 % of C on 10 Ah sulfide cells) cannot be reconciled with what
    /// the cells show: `chargeBalance` within two hours of frequency regulation; the typical
    /// sensor (+10 mA) never raises it.
    @Test func offsetBeyondPlausibleIsFlagged() throws {
        func flagged(offset: Double) throws -> Bool {
            var pack = PackDefinition.standard(.sulfide, cellsPerString: 12, initialSoC: 0.6)
            pack.sensors.current.offset = offset
            let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
            var runner = try ClosedLoopRunner(scenario: Scenario(pack: pack, profile: profile, rating_W: 0.2 * 12 * 10 * 3.05, duration_ms: 2 * 3_600_000, seed: 8))
            var seen = false
            while runner.time_ms < 2 * 3_600_000 {
                _ = runner.advance()
                seen = seen || runner.controller.status.measurement.contains(.chargeBalance)
            }
            return seen
        }
        #expect(try flagged(offset: 1.0))
        #expect(try !flagged(offset: 0.01))
    }
}

@Suite("Heater energy in the closed loop")
struct HeaterEnergyTests {
    /// A 20-cell ZEBRA string standing idle for 24 h: held at 270 C instead of 280 C after the
    /// first hour, it spends less heater energy, never drops below its minimum operating
    /// temperature, and serves the EMS again at once.
    @Test(.tags(.long)) func idleSetbackSavesHeat() throws {
        func run(setback: Bool) throws -> (heater_Wh: Double, minimum: Double) {
            let idle = try DutyProfile.parse("time_s,power_W\n0,0\n", source: "idle")
            var scenario = Scenario(
                pack: .zebraString(cellCount: 20), profile: idle, rating_W: 1, duration_ms: 24 * 3_600_000, seed: 6)
            scenario.heaterSetback = setback
            var runner = try ClosedLoopRunner(scenario: scenario)
            let s = try runner.run()
            return (s.heater_energy_Wh, s.temperature_min_C)
        }
        let with = try run(setback: true)
        let without = try run(setback: false)
        #expect(with.heater_Wh < 0.97 * without.heater_Wh, "with \(with.heater_Wh) Wh, without \(without.heater_Wh) Wh")
        #expect(with.minimum > 262)
    }
}

@Suite("Run summary")
struct RunSummaryTests {
    /// summary.json carries exactly the declared metrics besides the run's identity (seed, cell
    /// count), its events and its detections: a new field without a `RunMetric` would be neither compared with a
    /// baseline nor accepted in an `expect` block.
    @Test func summaryJSONKeysAreTheDeclaredMetrics() throws {
        var scenario = try ScenarioFile.load(path: repositoryPath("regress/fr-NaS.json")).scenario
        scenario.duration_ms = 60_000
        var runner = try ClosedLoopRunner(scenario: scenario)
        let summary = try runner.run()
        let json = try JSONSerialization.jsonObject(with: summary.jsonData()) as? [String: Any] ?? [:]
        let identity: Set<String> = ["seed", "cells", "protection_events", "warning_events", "detections", "outcome", "provenance"]
        // (A metric the run does not have, such as an interface error before any estimate, is
        // left out of the JSON.)
        let present = RunMetric.allCases.filter { $0.value(in: summary) != nil }
        #expect(Set(json.keys).subtracting(identity) == Set(present.map(\.key)))
        for m in present {
            let written = (json[m.key] as? NSNumber)?.doubleValue ?? .nan
            let value = m.value(in: summary)!
            #expect(abs(written - value) <= 1e-12 * max(1, abs(value)), "\(m.key): \(written) vs \(value)")
        }
    }

    /// Every fault bit the core defines has a name in the summaries (a new bit without one
    /// would show as "bitN").
    @Test func everyFaultBitIsNamed() {
        for bit in 0...22 {
            let name = FaultFlags(rawValue: 1 << UInt32(bit)).name
            #expect(!name.hasPrefix("bit"), "bit \(bit)")
        }
        #expect(FaultFlags(rawValue: 1 << 23).name == "bit23")
        #expect(FaultFlags(rawValue: FaultFlags.cellOverVoltage.rawValue | 1 << 23).name == "cellOverVoltage+bit23")
    }

    /// The per-cell, convergence, resistance and efficiency figures of a short run are filled in
    /// and sensible.
    @Test func extendedMetrics() throws {
        let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        var scenario = Scenario(pack: .zebraString(cellCount: 20), profile: profile, rating_W: 400, duration_ms: 6 * 3_600_000, seed: 4)
        scenario.initialSoCError = 0.05
        scenario.initialSoCSigma = 0.3
        var runner = try ClosedLoopRunner(scenario: scenario)
        let s = try runner.run()
        #expect(s.cell_soc_error_max_pct >= s.soc_error_max_pct - 1, "cells are at least about as far off as the mean")
        #expect(s.cell_soc_error_rms_pct > 0)
        let converged = try #require(s.time_to_converge_s)
        #expect(converged > 0 && converged < 3600, "started 5 % off, commissioned: converged within the hour")
        let r = try #require(s.resistance_error_pct)
        #expect(abs(r) < 10)
        let efficiency = try #require(s.round_trip_efficiency)
        #expect(efficiency > 0.85 && efficiency < 0.99, "a real loss")
        #expect(s.shorts == 0)
        #expect(s.protection_events.isEmpty)
    }
}
