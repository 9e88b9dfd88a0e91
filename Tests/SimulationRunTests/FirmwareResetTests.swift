import BMSCore
import Foundation
@testable import Simulation
import Testing
import TestSupport

/// Scheduled firmware resets and power cuts during a record write (scenario `resets`): the
/// runner rebuilds the controller, which powers up from its persistent record.
@Suite("Firmware resets")
struct FirmwareResetTests {
    /// A scenario file in a temporary folder, on the fault catalogue's pack and profile.
    static func scenario(_ resets: String, key: String = "resets", pack: String = "zebra-20x4") throws(InputFileError) -> ScenarioFile {
        let text = """
            {"pack": "\(repositoryPath("regress/faults/packs/\(pack).json"))",
             "profile": "\(repositoryPath("profiles/duty/frequency-regulation-24h.csv"))",
             "duration_h": 0.5, "\(key)": \(resets)}
            """
        let path = NSTemporaryDirectory() + "reset-test-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ScenarioFile.load(path: path)
    }

    @Test func aResetRestartsFromTheRecordAndReconnects() throws {
        let file = try Self.scenario(#"[{"at_s": 600}]"#)
        var runner = try ClosedLoopRunner(scenario: file.scenario)
        let summary = try runner.run()
        #expect(runner.restarts == 1)
        let powerUps = runner.firmwareEvents.filter { $0.kind == .powerUp }
        #expect(powerUps.count == 2)
        #expect(powerUps.last?.time == Milliseconds(600_000))
        #expect(powerUps.last.map { $0.detail & 1 != 0 && $0.detail & 2 == 0 } == true, "restored, unclean")
        #expect(runner.lastCommands.closeContactors, "reconnected after the reset")
        #expect(summary.protection_trips == 0)
        #expect(runner.controller.status.socSigma > 0)
    }

    @Test func aPowerCutDuringAWriteRefusesThatCopy() throws {
        let file = try Self.scenario(#"[{"at_s": 600, "power_cut_during_write": true}]"#)
        var runner = try ClosedLoopRunner(scenario: file.scenario)
        _ = try runner.run()
        #expect(runner.restarts == 1)
        let last = runner.firmwareEvents.last { $0.kind == .powerUp }
        #expect(last.map { $0.detail & 4 != 0 && $0.detail & 1 != 0 } == true, "a copy refused, the other restored")
        // The old firmware's last event, the failed write, is in the run's events too.
        #expect(runner.firmwareEvents.contains { $0.kind == .recordWriteFailed && $0.detail == UInt32(StorageError.powerLost.rawValue) })
        #expect(runner.lastCommands.closeContactors)
    }

    @Test(arguments: [
        (#"[{"at_s": -1}]"#, "resets[0].at_s"),
        (#"[{"at_s": 1e300}]"#, "resets[0].at_s"),
        (#"[{"at_s": 60, "power_cut": true}]"#, "unknown key"),
    ])
    func badResetsAreRefused(_ resets: String, _ message: String) {
        #expect {
            _ = try Self.scenario(resets)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    /// The simulated EMS's heartbeat silenced for 5 min: the pack stops its current but stays
    /// connected, and delivers again once the heartbeat returns.
    @Test func anEMSHeartbeatLossStopsTheCurrentUntilItReturns() throws {
        let file = try Self.scenario(#"[{"at_s": 600, "until_s": 900}]"#, key: "ems_heartbeat_loss")
        var runner = try ClosedLoopRunner(scenario: file.scenario)
        var silentCurrent = 0.0, silentOpen = 0, afterCurrent = 0.0
        while runner.time_ms < 1_200_000 {
            _ = runner.advance()
            let t = runner.time_ms
            let amps = abs(Double(runner.controller.status.current.value))
            if t > 615_000 && t <= 900_000 {
                silentCurrent = max(silentCurrent, amps)
                if !runner.lastCommands.closeContactors { silentOpen += 1 }
            }
            if t > 905_000 { afterCurrent = max(afterCurrent, amps) }
        }
        #expect(silentCurrent < 0.5, "no current while the EMS is silent")
        #expect(silentOpen == 0, "connected throughout")
        #expect(afterCurrent > 5, "frequency regulation resumes with the heartbeat")
        #expect(!runner.lastCommands.warnings.contains(.emsLinkLost))
    }

    @Test func badSilencesAreRefused() {
        for (text, message) in [(#"[{"at_s": -1}]"#, "at_s"), (#"[{"at_s": 60, "until_s": 30}]"#, "until_s"), (#"[{"at": 60}]"#, "at_s")] {
            #expect {
                _ = try Self.scenario(text, key: "ems_heartbeat_loss")
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }

    /// The simulated EMS's scheduled requests: standby opens the pack, normal closes it again,
    /// and a firmware reset keeps what the EMS asks for.
    @Test func scheduledModeRequestsOpenAndCloseThePack() throws {
        let file = try Self.scenario(
            #"[{"at_s": 300, "mode": "standby"}, {"at_s": 900, "mode": "normal"}]"#, key: "mode_requests")
        var runner = try ClosedLoopRunner(scenario: file.scenario)
        var openAt600 = false, closedAt1200 = false
        while runner.time_ms < 1_200_000 {
            _ = runner.advance()
            if runner.time_ms == 600_000 { openAt600 = !runner.lastCommands.closeContactors && runner.lastCommands.mode == .standby }
        }
        closedAt1200 = runner.lastCommands.closeContactors && runner.lastCommands.mode == .normal
        #expect(openAt600, "standby opens the pack")
        #expect(closedAt1200, "normal closes it again")
        #expect(runner.firmwareEvents.filter { $0.kind == .modeRequested }.count >= 3, "normal, standby, normal in the log")
    }

    @Test func badModeRequestsAreRefused() {
        for (text, message) in [
            (#"[{"at_s": 60, "mode": "sleep"}]"#, "mode 'sleep'"), (#"[{"at_s": 60, "mode": "normal"}, {"at_s": 30, "mode": "off"}]"#, "after the one before"),
            (#"[{"at_s": -5, "mode": "off"}]"#, "at_s"),
        ] {
            #expect {
                _ = try Self.scenario(text, key: "mode_requests")
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }

    /// A grid outage: the inverter stops, the heaters draw their power from the pack (the only
    /// current), and once the contactors are open nothing reaches them.
    @Test func aGridOutageFeedsTheHeatersFromThePack() throws {
        let file = try Self.scenario(#"[{"at_s": 60}]"#, key: "grid_outages", pack: "zebra-20x4-cool")
        var runner = try ClosedLoopRunner(scenario: file.scenario)
        var heaterSteps = 0, mismatch = 0.0
        while runner.time_ms < 1_800_000 {
            _ = runner.advance()
            guard runner.time_ms > 61_000 else { continue }
            #expect(runner.device.lastRequest_W == 0, "no grid power in the outage")
            let heaters = runner.device.heaterPower_W.reduce(0, +)
            let drawn = runner.plant.current_A * runner.plant.terminalVoltage_V
            if heaters > 0 {
                heaterSteps += 1
                mismatch = max(mismatch, abs(drawn - heaters) / heaters)
            } else {
                #expect(abs(runner.plant.current_A) < 1e-6, "no load but the heaters")
            }
        }
        #expect(heaterSteps > 0, "the heaters ran in the half hour")
        #expect(mismatch < 0.1, "the pack carried the heaters' power (within a step's lag): \(mismatch)")
    }
}
