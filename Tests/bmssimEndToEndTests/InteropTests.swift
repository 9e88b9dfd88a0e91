import Foundation
import Testing
import TestSupport

/// A child process (bmssim plant-server, controller, socat) that lives until `stop()`.
final class Background {
    let process = Process()
    let log: String

    init(_ executable: URL, _ arguments: [String], log: String) throws {
        self.log = log
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryPath("."))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Waits until the log contains `text` (true) or `limit` passes (false).
    func waitFor(_ text: String, within limit: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            usleep(20_000)
        }
        return false
    }

    var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Ctrl-C (bmssim unblocks it itself), or SIGKILL for tools that inherit the test runner's
    /// blocked SIGINT (socat); then waits for the exit.
    func stop() {
        if process.isRunning {
            if process.executableURL?.lastPathComponent == "bmssim" {
                process.interrupt()
            } else {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A TCP port nothing listens on right now.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var a = sockaddr_in()
    a.sin_family = sa_family_t(AF_INET)
    a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    _ = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: a.sin_port))
}

/// Runs mbpoll (the third-party Modbus master) once.
func mbpoll(_ arguments: [String]) throws -> CommandResult {
    try runProcess(URL(fileURLWithPath: "/usr/bin/mbpoll"), arguments)
}

/// A socat pty pair in `dir` (`plant` and `master`), ready for use.
func socatPair(in dir: String) throws -> Background {
    let socat = try Background(
        URL(fileURLWithPath: "/usr/bin/socat"),
        ["-d", "-d", "pty,raw,echo=0,link=\(dir)/plant", "pty,raw,echo=0,link=\(dir)/master"], log: dir + "/socat.log")
    #expect(socat.waitFor("starting data transfer loop"), "\(socat.output)")
    return socat
}

/// A 20-cell plant served over RTU on the `plant` end of a socat pair in `dir` (`master` is free).
func rtuPlant(in dir: String) throws -> (socat: Background, plant: Background) {
    let socat = try socatPair(in: dir)
    let plant = try Background(bmssimExecutable(), ["plant-server", "--cells", "20", "--rtu", dir + "/plant", "--out", dir + "/ps"], log: dir + "/plant.log")
    #expect(plant.waitFor("plant on rtu:"), "\(plant.output)")
    return (socat, plant)
}

/// The values mbpoll printed, by reference ("[40000]: \t21365").
func polledValues(_ output: String) -> [Int: Int] {
    var values: [Int: Int] = [:]
    for line in output.split(separator: "\n") where line.hasPrefix("[") {
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let ref = Int(parts[0].dropFirst().dropLast()) else { continue }
        let text = parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
        if let v = Int(text) { values[ref] = v }
    }
    return values
}

/// mbpoll, a third-party Modbus master, against bmssim's two Modbus faces, over TCP and over RTU
/// through a socat pty pair.
@Suite("Interop with mbpoll", .serialized)
struct InteropTests {
    @Test func mbpollReadsTheFieldMapAndWritesASetPointOverTCP() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = freePort()
        let plant = try Background(bmssimExecutable(), ["plant-server", "--cells", "20", "--listen", "127.0.0.1:\(port)", "--out", dir + "/ps"], log: dir + "/plant.log")
        defer { plant.stop() }
        #expect(plant.waitFor("plant on tcp://127.0.0.1:\(port)"), "\(plant.output)")
        let tcp = ["-m", "tcp", "-p", "\(port)", "-0", "-1"]

        let header = try mbpoll(tcp + ["-t", "3", "-r", "0", "-c", "3", "127.0.0.1"])
        #expect(header.status == 0, "\(header.output)")
        #expect(polledValues(header.output) == [0: 4, 1: 20, 2: 1], "map version 4, 20 cells, 1 module")
        let cells = polledValues(try mbpoll(tcp + ["-t", "3", "-r", "1000", "-c", "20", "127.0.0.1"]).output)
        #expect(cells.count == 20)
        #expect(cells.values.allSatisfy { (20_000...30_000).contains($0) }, "ZEBRA cells near 2.58 V in 0.1 mV: \(cells)")

        let write = try mbpoll(tcp + ["-t", "4", "-r", "100", "127.0.0.1", "500"])
        #expect(write.status == 0 && write.output.contains("Written 1 references"), "\(write.output)")
        #expect(polledValues(try mbpoll(tcp + ["-t", "4", "-r", "100", "127.0.0.1"]).output) == [100: 500])
        let refused = try mbpoll(tcp + ["-t", "4", "-r", "100", "127.0.0.1", "1001"])
        #expect(refused.status != 0 && refused.output.lowercased().contains("illegal data value"), "\(refused.output)")
        #expect(polledValues(try mbpoll(tcp + ["-t", "4", "-r", "100", "127.0.0.1"]).output) == [100: 500], "nothing stored")
    }

    @Test func mbpollReadsTheSunSpecFaceAndWritesAReserve() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plantPort = freePort(), emsPort = freePort()
        let plant = try Background(
            bmssimExecutable(), ["plant-server", "--cells", "20", "--listen", "127.0.0.1:\(plantPort)", "--realtime", "10", "--out", dir + "/ps"], log: dir + "/plant.log")
        defer { plant.stop() }
        #expect(plant.waitFor("plant on"), "\(plant.output)")
        let controller = try Background(
            bmssimExecutable(),
            ["controller", "--cells", "20", "--plant", "tcp://127.0.0.1:\(plantPort)", "--realtime", "10", "--ems", "127.0.0.1:\(emsPort)", "--out", dir],
            log: dir + "/controller.log")
        defer { controller.stop() }
        #expect(controller.waitFor("EMS face"), "\(controller.output)")
        usleep(500_000)
        let tcp = ["-m", "tcp", "-p", "\(emsPort)", "-0", "-1"]

        let marker = try mbpoll(tcp + ["-r", "40000", "-c", "4", "127.0.0.1"])
        #expect(polledValues(marker.output) == [40_000: 0x5375, 40_001: 0x6E53, 40_002: 1, 40_003: 66], "\(marker.output)")
        let model = polledValues(try mbpoll(tcp + ["-r", "40070", "-c", "2", "127.0.0.1"]).output)
        #expect(model == [40_070: 802, 40_071: 62])
        let soc = polledValues(try mbpoll(tcp + ["-r", "40081", "127.0.0.1"]).output)[40_081] ?? -1
        #expect((500...700).contains(soc), "SoC near 60 % in 0.1 %: \(soc)")

        let write = try mbpoll(tcp + ["-r", "40080", "127.0.0.1", "100"])
        #expect(write.status == 0, "\(write.output)")
        #expect(polledValues(try mbpoll(tcp + ["-r", "40080", "127.0.0.1"]).output) == [40_080: 100], "SoCRsvMin set to 10 %")
        let readOnly = try mbpoll(tcp + ["-r", "40081", "127.0.0.1", "100"])
        #expect(readOnly.status != 0 && readOnly.output.lowercased().contains("illegal data address"), "\(readOnly.output)")
    }

    @Test func mbpollReadsAndWritesTheFieldMapOverRTUThroughSocat() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (socat, plant) = try rtuPlant(in: dir)
        defer { plant.stop(); socat.stop() }
        let rtu = ["-m", "rtu", "-b", "19200", "-P", "even", "-a", "1", "-0", "-1", "-o", "2"]

        let header = try mbpoll(rtu + ["-t", "3", "-r", "0", "-c", "3", dir + "/master"])
        #expect(polledValues(header.output) == [0: 4, 1: 20, 2: 1], "\(header.output)")
        let write = try mbpoll(rtu + ["-t", "4", "-r", "100", dir + "/master", "250"])
        #expect(write.status == 0, "\(write.output)")
        #expect(polledValues(try mbpoll(rtu + ["-t", "4", "-r", "100", dir + "/master"]).output) == [100: 250])
        let refused = try mbpoll(rtu + ["-t", "4", "-r", "7", dir + "/master", "1"])
        #expect(refused.status != 0 && refused.output.lowercased().contains("illegal data address"), "\(refused.output)")
    }

    /// The controller drives a plant over RTU (socat pty pair) in lockstep for a simulated minute.
    @Test func controllerRunsAPlantOverRTU() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (socat, plant) = try rtuPlant(in: dir)
        defer { plant.stop(); socat.stop() }
        let run = try runBMSSim(["controller", "--cells", "20", "--plant", "rtu:\(dir)/master", "--days", "0.000695", "--ems", "none", "--out", dir])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("cycles 600, failed 0"), "\(run.output)")
        let rows = try String(contentsOfFile: dir + "/controller.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 6, "a header and a row every 10 s")
    }
}

/// The user's view of the lockstep guarantee: `bmssim controller` against `bmssim plant-server`
/// writes the same SoC estimates as `bmssim simulate` of the same scenario, row for row.
@Suite("Lockstep over Modbus from the command line")
struct LockstepCommandTests {
    @Test func controllerAgainstPlantServerMatchesSimulate() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = freePort()
        let scenario = ["--cells", "20", "--days", "0.00347"]  // 5 simulated minutes
        let plant = try Background(bmssimExecutable(), ["plant-server", "--listen", "127.0.0.1:\(port)", "--out", dir + "/ps"] + scenario, log: dir + "/plant.log")
        defer { plant.stop() }
        #expect(plant.waitFor("plant on"), "\(plant.output)")
        let remote = try runBMSSim(["controller", "--plant", "tcp://127.0.0.1:\(port)", "--ems", "none", "--out", dir + "/hil"] + scenario)
        #expect(remote.status == 0, "\(remote.output)")
        let local = try runBMSSim(["simulate", "--quiet", "--out", dir + "/local"] + scenario)
        #expect(local.status == 0, "\(local.output)")

        func column(_ path: String, _ name: String) throws -> [String: String] {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let time = lines[0].firstIndex(of: "time_s")!, value = lines[0].firstIndex(of: name)!
            return Dictionary(uniqueKeysWithValues: lines.dropFirst().map { ($0[time], $0[value]) })
        }
        let overModbus = try column(dir + "/hil/controller.csv", "soc_est")
        let inProcess = try column(dir + "/local/timeseries.csv", "soc_est")
        #expect(overModbus.count == 29 && inProcess.count == 29, "a row every 10 s of 299.8 s")
        #expect(overModbus == inProcess)
        let limitsOverModbus = try column(dir + "/hil/controller.csv", "discharge_limit_A")
        let limitsInProcess = try column(dir + "/local/timeseries.csv", "discharge_limit_A")
        #expect(limitsOverModbus == limitsInProcess)
        // The limits' reasons and the warnings by name, the same over Modbus as in process.
        #expect(try column(dir + "/hil/controller.csv", "discharge_limit_reasons") == column(dir + "/local/timeseries.csv", "discharge_limit_reasons"))
        #expect(try column(dir + "/hil/controller.csv", "warnings") == column(dir + "/local/timeseries.csv", "warnings"))
        // The controller's folder is drawn and reported like any other.
        let plot = try runBMSSim(["plot", dir + "/hil"])
        #expect(plot.status == 0, "\(plot.output)")
        let svg = try String(contentsOfFile: dir + "/hil/plot.svg", encoding: .utf8)
        #expect(svg.contains("what the firmware measured") && svg.contains("State of charge: the firmware") && svg.contains("Current against"))
        #expect(try runBMSSim(["report", dir + "/hil"]).status == 0)
        // The lockstep session ended with its controller: the plant server stops by itself.
        #expect(plant.waitFor("session over", within: 10), "\(plant.output)")
        plant.process.waitUntilExit()
        // Every write the field device took is in its log, one row per register, by point.
        plant.stop()
        let writes = try String(contentsOfFile: dir + "/ps/field-writes.csv", encoding: .utf8).split(separator: "\n")
        #expect(writes.first == "wall_utc,peer,function,address,point,old,new,outcome")
        #expect(writes.contains { $0.contains(",contactor_command,") && $0.hasSuffix(",accepted") }, "\(writes.prefix(5))")
        #expect(writes.contains { $0.contains(",lockstep_advance,0,1,accepted") }, "the lockstep advances, as written")

        // The session's summary and time series from both sides' logs (the plant's truth joined
        // with the controller's log): in lockstep, simulate's own rows, column for column.
        let joined = try runBMSSim(["hil-summary", dir + "/hil", "--plant", dir + "/ps"])
        #expect(joined.status == 0 && joined.output.contains("joined 29 controller rows"), "\(joined.output)")
        let inProcessTable = try table(dir + "/local/timeseries.csv"), session = try table(dir + "/hil/timeseries.csv")
        let shared = inProcessTable.header.filter { session.header.contains($0) }
        #expect(shared.count >= 25, "\(shared)")
        for name in shared {
            #expect(try column(dir + "/hil/timeseries.csv", name) == column(dir + "/local/timeseries.csv", name), "\(name)")
        }
        func summary(_ path: String) throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }
        let s = try summary(dir + "/hil/summary.json"), l = try summary(dir + "/local/summary.json")
        // What only the plant knows, from its end figures: the in-process run's, exactly.
        for key in ["energy_out_Wh", "energy_in_Wh", "heater_energy_Wh", "dispatch_fulfilment", "cell_voltage_max_V", "capacity_soh_true", "shorts",
            "protection_trips", "contactors_closed_s", "cells", "seed"]
        {
            #expect((s[key] as? NSNumber) == (l[key] as? NSNumber) && s[key] != nil, "\(key): \(s[key] ?? "none") against \(l[key] ?? "none")")
        }
        // Over the logged rows, not every step: close to simulate's, not the same.
        let rms = try #require(s["soc_error_rms_pct"] as? Double), localRMS = try #require(l["soc_error_rms_pct"] as? Double)
        #expect(abs(rms - localRMS) < 0.1, "\(rms) against \(localRMS)")
        #expect(s["cell_soc_error_rms_pct"] as? String == "nan", "no per-cell estimates over the bus")
        #expect(try runBMSSim(["plot", dir + "/hil"]).status == 0)
    }

    func table(_ path: String) throws -> (header: [String], rows: Int) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return (lines[0].split(separator: ",").map(String.init), lines.count - 1)
    }
}

@Suite("HIL commands: bad input")
struct HILBadInputTests {
    @Test func badEndpointsAndAMissingDeviceGiveClearErrors() throws {
        let bad = try runBMSSim(["controller", "--plant", "tcp://127.0.0.1", "--ems", "none"])
        #expect(bad.status != 0 && bad.output.contains("expected HOST:PORT"), "\(bad.output)")
        let badPort = try runBMSSim(["plant-server", "--listen", "127.0.0.1:70000"])
        #expect(badPort.status != 0 && badPort.output.contains("port must be an integer in 0...65535"), "\(badPort.output)")
        let badSerial = try runBMSSim(["plant-server", "--rtu", "/nonexistent/tty"])
        #expect(badSerial.status != 0 && badSerial.output.contains("/nonexistent/tty"), "\(badSerial.output)")
        let absent = try runBMSSim(["controller", "--plant", "tcp://127.0.0.1:\(freePort())", "--connect-wait", "0.5", "--ems", "none"])
        #expect(absent.status != 0 && absent.output.contains("no field device at"), "\(absent.output)")
        let tooShort = try runBMSSim(["controller", "--plant", "tcp://127.0.0.1:1", "--timeout-ms", "1"])
        #expect(tooShort.status != 0 && tooShort.output.contains("--timeout-ms must be 5...60000"), "\(tooShort.output)")
        let badWriters = try runBMSSim(["plant-server", "--writers", "127.0.0.1,example.com"])
        #expect(badWriters.status != 0 && badWriters.output.contains("'example.com' is not an IPv4 address"), "\(badWriters.output)")
        let mismatch = try runBMSSim(["controller", "--plant", "tcp://127.0.0.1:1", "--unit", "300"])
        #expect(mismatch.status != 0 && mismatch.output.contains("--unit must be 1...247"), "\(mismatch.output)")
        // A commissioning impedance test needs the plant's cells, which the field bus does not serve.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scenario = dir + "/commissioned.json"
        try #"{"pack": "NASICON", "cells_per_string": 4, "duration_h": 0.1, "duty": {"generator": "standby", "seed": 1}, "firmware": {"commissioning_impedance_cells": 2}}"#
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        let commissioned = try runBMSSim(["controller", "--plant", "tcp://127.0.0.1:\(freePort())", "--scenario", scenario, "--ems", "none"])
        #expect(commissioned.status != 0 && commissioned.output.contains("commissioning_impedance_cells needs the in-process plant"), "\(commissioned.output)")
    }
}
