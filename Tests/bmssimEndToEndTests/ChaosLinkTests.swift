import Foundation
import Testing
import TestSupport

/// The controller behind tools/chaos-link.py (issue 16, item 4), over TCP and over a serial
/// line: a slow, jittery, lossy, corrupting or cut link gives no latched fault; a link really lost latches communicationLoss,
/// and the controller reconnects and carries on when it returns.
@Suite("Controller over a chaos link")
struct ChaosLinkTests {
    struct Run {
        var controller: String
        var rows: [[Substring]]
        var header: [Substring]
        func column(_ name: String) -> [Substring] {
            let i = header.firstIndex(of: Substring(name))!
            return rows.map { $0[i] }
        }
        /// Every fault name in the rows but staleFrame (the flag of a step on a repeated frame:
        /// a cycle whose poll failed; it latches nothing).
        var faultsBeyondStale: Set<Substring> {
            Set(column("faults").flatMap { $0.split(separator: "+") }).subtracting(["clear", "staleFrame"])
        }
        /// The faults of the controller's closing status line ("... faults NAME+NAME") but
        /// staleFrame: a lossy link's last poll may fail, and its step then runs on the
        /// repeated frame, which latches nothing.
        var finalFaultsBeyondStale: Set<Substring>? {
            guard let line = controller.split(separator: "\n").last(where: { $0.hasPrefix("SoC estimate ") }),
                let names = line.split(separator: "faults ").last
            else { return nil }
            return Set(names.split(separator: "+")).subtracting(["clear", "staleFrame"])
        }
    }

    /// A 20-cell plant in real time, the controller through the chaos link with `chaos`, over
    /// TCP or (`serial`) Modbus RTU between two pseudo-terminals the link makes.
    func run(_ chaos: [String], serial: Bool = false, seconds: Double = 14.4) throws -> Run {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plantPort = freePort(), linkPort = freePort()
        let linkArguments = serial ? ["--serial", dir + "/line"] : ["--listen", "127.0.0.1:\(linkPort)", "--upstream", "127.0.0.1:\(plantPort)"]
        let link = try Background(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", repositoryPath("tools/chaos-link.py")] + linkArguments + chaos, log: dir + "/link.log")
        // SIGKILL: a child of the test runner inherits its blocked SIGINT and SIGTERM.
        defer { link.stop() }
        #expect(link.waitFor("chaos link"))
        let served = serial ? ["--rtu", dir + "/line/plant"] : ["--listen", "127.0.0.1:\(plantPort)"]
        let plant = try Background(
            bmssimExecutable(), ["plant-server", "--cells", "20", "--realtime", "1", "--out", dir] + served, log: dir + "/plant.log")
        defer { plant.stop() }
        #expect(plant.waitFor("plant on"))
        let controller = try runBMSSim([
            "controller", "--cells", "20", "--realtime", "1", "--plant", serial ? "rtu:\(dir)/line/controller" : "tcp://127.0.0.1:\(linkPort)",
            "--ems", "none", "--hours", "\(seconds / 3600)", "--output-interval-s", "1", "--out", dir,
        ])
        #expect(controller.status == 0, "\(controller.output)")
        let lines = try String(contentsOfFile: dir + "/controller.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        return Run(controller: controller.output, rows: Array(lines.dropFirst()), header: lines[0])
    }

    @Test func aSlowLossyCorruptingLinkLatchesNothing() throws {
        let r = try run(["--delay-ms", "2", "--jitter-ms", "2", "--loss", "0.01", "--corrupt", "0.002", "--seed", "3"])
        #expect(r.finalFaultsBeyondStale == [], "\(r.controller)")
        #expect(r.faultsBeyondStale.isEmpty, "no fault latched: \(Set(r.column("faults")))")
        #expect(r.controller.contains("link lost"), "the link did lose frames (single cycles)")
    }

    @Test func connectionsCutEveryTwoSecondsLatchNothing() throws {
        let r = try run(["--disconnect-every", "2", "--seed", "4"])
        #expect(r.faultsBeyondStale.isEmpty, "\(Set(r.column("faults")))")
        let reconnections = r.controller.split(separator: "reconnections ").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        #expect(reconnections >= 5, "\(r.controller)")
    }

    /// A link cut for 2 s (TCP: nothing through, connections refused; serial: the line dead):
    /// communicationLoss latches, no relay fault, and the controller carries on once it is back.
    @Test(arguments: [false, true])
    func aLinkReallyLostLatchesCommunicationLossAndTheControllerCarriesOn(serial: Bool) throws {
        let r = try run(["--blackout", "5:2", "--seed", serial ? "7" : "5"] + (serial ? ["--frame-gap-ms", "2"] : []), serial: serial)
        let faults = r.column("faults")
        #expect(faults.contains { $0.contains("communicationLoss") }, "\(Set(faults))")
        #expect(!faults.contains { $0.contains("contactorWelded") || $0.contains("prechargeFailed") || $0.contains("contactorFeedback") },
            "no false relay fault from the outage: \(Set(faults))")
        // Back after the outage: the last rows have the link up, the fault latched until a reset.
        #expect(r.column("link_up").suffix(3).allSatisfy { $0 == "1" }, "\(r.column("link_up"))")
        #expect(r.controller.contains("link back"), "\(r.controller)")
    }

    /// A serial line that loses and corrupts frames (the CRC catches the corruption), with
    /// 1 ms more latency each way: nothing latched.
    @Test func aLossyCorruptingSerialLineLatchesNothing() throws {
        let r = try run(["--delay-ms", "1", "--loss", "0.01", "--corrupt", "0.002", "--frame-gap-ms", "2", "--seed", "6"], serial: true)
        #expect(r.finalFaultsBeyondStale == [], "\(r.controller)")
        #expect(r.faultsBeyondStale.isEmpty, "no fault latched: \(Set(r.column("faults")))")
        #expect(r.controller.contains("link lost"), "the line did lose frames")
    }
}
