import Foundation
import Testing
import TestSupport

/// Every option of every command, given each of a set of hostile values, ends the command with a
/// message or a run: never a trap (a Double that does not fit an Int64, a division by zero), never
/// a hang. The options come from the command's own `--experimental-dump-help`, so an option added
/// later is tried too.
@Suite("bmssim: hostile option values")
struct OptionFuzzTests {
    /// Values that have trapped or hung a command before, and their neighbours: not a number,
    /// infinite, past Int64 (and far past it, both signs), denormal, zero, negative.
    static let hostile = ["nan", "inf", "1e300", "-1e300", "1e19", "1e-320", "0", "-1"]

    /// A command whose options are tried, with the options of a quick, valid run of it.
    struct Command: Sendable, CustomTestStringConvertible {
        var name: String
        /// Arguments before the options (a suite, a run folder).
        var positional: [String] = []
        /// Option name (without dashes) -> value, in order; dropped for the option under test.
        var base: [(String, String)]
        /// Options that exclude one another (giving one drops the other from the base).
        var exclusive: [Set<String>] = []
        /// A server: still running after `aliveAfter` seconds is a run, stopped with SIGINT.
        var server = false
        var testDescription: String { name }
    }

    static func commands(scratch: String) -> [Command] {
        let profile = repositoryPath("profiles/duty/frequency-regulation-24h.csv")
        let pack = repositoryPath("profiles/packs/nas-string-64.json")
        let quick = [("chemistry", "NASICON"), ("cells", "4"), ("hours", "0.005")]
        return [
            Command(name: "simulate", base: quick + [("out", scratch + "/sim")], exclusive: [["days", "hours"]]),
            Command(name: "plant", base: [("pack", pack), ("profile", profile), ("hours", "0.005"), ("rating-kw", "20"), ("out", scratch + "/plant")]),
            Command(
                name: "impedance",
                base: [("definition", repositoryPath("profiles/cells/nasicon-cell.json")), ("per-decade", "2"), ("out", scratch + "/z.csv")]),
            Command(name: "duty", base: [("days", "1"), ("out", scratch + "/duty.csv")]),
            Command(
                name: "controller",
                base: quick + [("plant", "tcp://127.0.0.1:9"), ("connect-wait-s", "0.2"), ("ems", "none"), ("out", scratch + "/ctl")],
                exclusive: [["days", "hours"]]),
            Command(
                name: "plant-server", base: quick + [("listen", "127.0.0.1:0"), ("out", scratch + "/ps")], exclusive: [["days", "hours"], ["listen", "rtu"]],
                server: true),
            Command(name: "firmware-trace", base: quick + [("steps", "5"), ("out", scratch + "/fwt")], exclusive: [["days", "hours"]]),
            Command(name: "cell-file", base: [("preset", "NaS")]),
            Command(name: "firmware-file", base: [("preset", "NaS")]),
            Command(name: "characterise", base: [("preset", "NASICON"), ("samples", "3"), ("out", scratch + "/fw.json")], exclusive: [["preset", "chemistry"]]),
            Command(name: "regress", positional: [scratch + "/suite"], base: [("jobs", "1"), ("out", scratch + "/regress")]),
            Command(name: "sweep", positional: [scratch + "/sweep.json"], base: [("jobs", "1"), ("out", scratch + "/sweep")]),
            Command(name: "merge", positional: [scratch + "/regress"], base: [("suite", scratch + "/suite"), ("out", scratch + "/merged")], exclusive: [["suite", "sweep"]]),
            Command(name: "plot", positional: [scratch + "/run"], base: [("output", scratch + "/run.svg")]),
            Command(name: "report", positional: [scratch + "/run"], base: [("output", scratch + "/report.html")]),
            Command(name: "compare", positional: [scratch + "/run", scratch + "/regress/one.json"], base: [("output", scratch + "/compare.svg")]),
            // A simulate folder has no controller.csv or plant truth: a message, never a trap.
            Command(name: "hil-summary", positional: [scratch + "/run"], base: [("plant", scratch + "/run")]),
        ]
    }

    /// Every command the tool has is in the list above (a new command's options get tried).
    @Test func everyCommandIsTried() throws {
        let result = try runBMSSim(["--experimental-dump-help"])
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let subcommands = ((json?["command"] as? [String: Any])?["subcommands"] as? [[String: Any]] ?? []).compactMap { $0["commandName"] as? String }
        let tried = Set(Self.commands(scratch: "x").map(\.name))
        // hil-map writes documentation only, and help is ArgumentParser's own.
        let untried = Set(subcommands).subtracting(tried).subtracting(["hil-map", "help"])
        #expect(subcommands.count > 10, "dump-help lists the subcommands")
        #expect(untried.isEmpty, "commands whose options are not tried: \(untried.sorted())")
    }

    /// The options of `command` that take a value, from its dump-help.
    static func options(of command: String) throws -> [String] {
        let result = try runBMSSim([command, "--experimental-dump-help"])
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let arguments = (json?["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
        return arguments.compactMap { a in
            guard a["kind"] as? String == "option", let names = a["names"] as? [[String: Any]] else { return nil }
            return names.first { $0["kind"] as? String == "long" }?["name"] as? String
        }
    }

    enum Outcome: Equatable {
        case ended(Int32)
        case signalled(Int32)
        case hung
    }

    /// Runs bmssim with `arguments` in `folder`, killing it after `limit` seconds (a server
    /// alive after `aliveAfter` is interrupted with SIGINT, as a user stops it).
    static func run(_ arguments: [String], in folder: String, server: Bool) throws -> (Outcome, String) {
        let process = Process()
        process.executableURL = bmssimExecutable()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let log = folder + "/log-\(UUID().uuidString).txt"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let limit: Double = server ? 1 : 30
        let start = Date()
        while process.isRunning && Date().timeIntervalSince(start) < limit { Thread.sleep(forTimeInterval: 0.02) }
        var outcome: Outcome?
        if process.isRunning {
            if server {
                kill(process.processIdentifier, SIGINT)
                let stop = Date()
                while process.isRunning && Date().timeIntervalSince(stop) < 10 { Thread.sleep(forTimeInterval: 0.02) }
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                outcome = .hung
            }
        }
        process.waitUntilExit()
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: log)
        if let o = outcome { return (o, text) }
        return (process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .ended(process.terminationStatus), text)
    }

    @Test(arguments: commands(scratch: "SCRATCH"))
    func everyOptionSurvivesHostileValues(_ template: Command) throws {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let command = Self.commands(scratch: scratch).first { $0.name == template.name }!
        // What the positional arguments name: a one-scenario suite, a two-run sweep, a run.
        try FileManager.default.createDirectory(atPath: scratch + "/suite", withIntermediateDirectories: true)
        try #"{"pack": "NASICON", "cells_per_string": 4, "duration_h": 0.005, "duty": {"generator": "standby"}}"#.write(
            toFile: scratch + "/suite/one.json", atomically: true, encoding: .utf8)
        try #"{"runs": 2, "seed": 1, "pack": ["NASICON"], "cells_per_string": 4, "duration_h": 0.1, "duty": ["standby"]}"#.write(
            toFile: scratch + "/sweep.json", atomically: true, encoding: .utf8)
        for setup in [["regress", scratch + "/suite", "--out", scratch + "/regress"], ["simulate", "--cells", "4", "--hours", "0.005", "--out", scratch + "/run"]] {
            let made = try runBMSSim(setup)
            #expect(made.status == 0, "\(made.output)")
        }
        let options = try Self.options(of: command.name)
        #expect(!options.isEmpty, "dump-help lists \(command.name)'s options")
        let cases: [[String]] = options.flatMap { option in
            let dropped = command.exclusive.filter { $0.contains(option) }.reduce(Set([option])) { $0.union($1) }
            let base = command.base.filter { !dropped.contains($0.0) }.flatMap { ["--" + $0.0, $0.1] }
            let head: [String] = [command.name] + command.positional + base
            return Self.hostile.map { (value: String) -> [String] in head + ["--" + option, value] }
        }
        // A few at a time: most end at once with a message. A server that takes its value waits
        // out its second alive, so servers run more at once (they sleep, not compute).
        let failures = Failures()
        @Sendable func check(_ k: Int) {
            let arguments = cases[k]
            let failure: String?
            do {
                let (outcome, text) = try Self.run(arguments, in: scratch, server: command.server)
                switch outcome {
                case .ended(let status) where status != 0:
                    // A refusal says what was wrong, in a line, without a backtrace.
                    failure = text.contains("Error") || text.contains("error") ? nil : "exit \(status) without a message: \(text.prefix(300))"
                case .ended:
                    failure = nil
                case .signalled(let signal):
                    failure = "killed by signal \(signal): \(text.suffix(300))"
                case .hung:
                    failure = "did not end"
                }
            } catch {
                failure = "could not run: \(error)"
            }
            if let f = failure { failures.append("bmssim \(arguments.joined(separator: " ")): \(f)") }
        }
        let width = command.server ? 8 : ProcessInfo.processInfo.activeProcessorCount
        let slots = DispatchSemaphore(value: width)
        let group = DispatchGroup()
        for k in cases.indices {
            slots.wait()
            DispatchQueue.global().async(group: group) {
                defer { slots.signal() }
                check(k)
            }
        }
        group.wait()
        let found = failures.list.sorted()
        #expect(found.isEmpty, "\(found.count) of \(cases.count) failed:\n\(found.joined(separator: "\n"))")
    }
}

/// Messages gathered from concurrent cases.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ s: String) { lock.withLock { items.append(s) } }
    var list: [String] { lock.withLock { items } }
}
