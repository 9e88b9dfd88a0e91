import Foundation
import Testing
import TestSupport

/// A bounded run of tools/modbus-fuzz.py against both servers while a controller is in control
/// (issue 16, item 3): no crash, no hang, no invalid or changed point, no write accepted from the
/// fuzzer's address, and at the controlling master no lost link and no fault. (The long run, a
/// million frames, is in hil/README.md "Fuzzing".)
@Suite("Network fuzz while a controller is in control")
struct NetworkFuzzTests {
    @Test func theControllingMasterNoticesNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plantPort = freePort(), emsPort = freePort()
        let scenario = ["--cells", "20", "--realtime", "10"]
        let plant = try Background(
            bmssimExecutable(), ["plant-server", "--listen", "127.0.0.1:\(plantPort)", "--out", dir] + scenario, log: dir + "/plant.log")
        defer { plant.stop() }
        #expect(plant.waitFor("plant on"), "\(plant.output)")
        // 0.02 h at 10x: 7.2 s of wall time, longer than the fuzz.
        let controller = try Background(
            bmssimExecutable(),
            ["controller", "--plant", "tcp://127.0.0.1:\(plantPort)", "--ems", "127.0.0.1:\(emsPort)", "--hours", "0.02", "--out", dir] + scenario,
            log: dir + "/controller.log")
        defer { controller.stop() }
        #expect(controller.waitFor("EMS face"), "\(controller.output)")
        let fuzz = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", repositoryPath("tools/modbus-fuzz.py"), "--bmssim", bmssimExecutable().path, "--field", "127.0.0.1:\(plantPort)",
                "--ems", "127.0.0.1:\(emsPort)", "--frames", "40000", "--batch", "2000", "--seed", "7",
            ])
        #expect(fuzz.status == 0, "\(fuzz.output)")
        #expect(fuzz.output.contains("crashes 0, hangs 0, invalid or changed points 0"), "\(fuzz.output)")
        #expect(controller.waitFor("wrote ", within: 30), "\(controller.output)")
        plant.stop()
        #expect(!controller.output.contains("link lost"), "\(controller.output)")
        #expect(controller.output.contains("faults clear"), "\(controller.output)")
        // Every write came from 127.0.0.2, which may not write: all refused, all logged.
        for log in ["field-writes.csv", "ems-writes.csv"] {
            let rows = try String(contentsOfFile: dir + "/" + log, encoding: .utf8).split(separator: "\n").dropFirst()
            let fromFuzzer = rows.filter { $0.split(separator: ",")[1].hasPrefix("127.0.0.2:") }
            #expect(fromFuzzer.count > 1000, "\(log): the fuzzer's writes are logged")
            #expect(!fromFuzzer.contains { $0.hasSuffix(",accepted") }, "\(log): none accepted")
        }
    }
}
