import BMSCore
import Foundation
@testable import Simulation
import Testing

/// Scheduled firmware resets and power cuts during a record write (scenario `resets`): the
/// runner rebuilds the controller, which powers up from its persistent record.
@Suite("Firmware resets")
struct FirmwareResetTests {
    /// A scenario file in a temporary folder, on the fault catalogue's pack and profile.
    static func scenario(_ resets: String) throws(InputFileError) -> ScenarioFile {
        let text = """
            {"pack": "\(repositoryPath("regress/faults/packs/zebra-20x4.json"))",
             "profile": "\(repositoryPath("profiles/duty/frequency-regulation-24h.csv"))",
             "duration_h": 0.5, "resets": \(resets)}
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
}
