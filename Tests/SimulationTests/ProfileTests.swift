import Foundation
import Simulation
import Testing
import TestSupport

@Suite("Duty-cycle profiles")
struct ProfileTests {
    @Test func parsesAllThreeKindsAndHoldsValues() throws {
        let p = try DutyProfile.parse("# comment\ntime_s,power_W\n0,1000\n10,-500\n\n25.5,0\n", source: "p.csv")
        #expect(p.quantity == .power_W)
        #expect(p.times_ms == [0, 10_000, 25_500])
        var cursor = 0
        #expect(p.value(at: 0, cursor: &cursor) == 1000)
        #expect(p.value(at: 9_999, cursor: &cursor) == 1000)
        #expect(p.value(at: 10_000, cursor: &cursor) == -500)
        #expect(p.value(at: 99_000, cursor: &cursor) == 0, "the last value holds to the end of the day")
        #expect(p.value(at: 5_000, cursor: &cursor) == 1000, "going back in time restarts the search")
        #expect(try DutyProfile.parse("time_s,current_A\n0,5\n", source: "c").quantity == .current_A)
        #expect(try DutyProfile.parse("time_s,power_pu\n0,-1\n", source: "n").quantity == .power_pu)
    }

    @Test(arguments: [
        ("time_s,voltage_V\n0,1\n", 1, "header must be one of"),
        ("time_s,power_W\n0,1\n5,abc\n", 3, "'abc' is not a number within -1e+09 ... 1e+09"),
        ("time_s,power_W\n0,1\n5,1\n5,2\n", 4, "increase strictly"),
        ("time_s,power_W\n0,1\n-1,2\n", 3, "not a time"),
        ("time_s,power_W\n0,1,2\n", 2, "expected 2 fields"),
        ("time_s,power_pu\n0,1.5\n", 2, "power_pu '1.5' is not a number within -1 ... 1"),
        ("time_s,power_W\n0,nan\n", 2, "not a number"),
        ("time_s,power_kW\n0,2e6\n", 2, "power_kW '2e6' is not a number within -1e+06 ... 1e+06"),
        ("time_s,current_A\n0,1\n1e11,2\n", 3, "not a time within 0 ... 315360000 s"),
        ("time_s,power_W\r\n0,1\r\n5,abc\r\n", 3, "'abc'"),
        ("time_s,voltage_V\n" + String(repeating: "0,1\n", count: 1000), 1, "found 'time_s,voltage_V'"),
        ("time_s,power_W\n", 0, "no data rows"),
        ("", 0, "empty file"),
        ("time_s,power_W\n3,1\n", 0, "first row must be at time_s = 0"),
    ])
    func malformedFilesNameTheLineAndProblem(text: String, line: Int, problem: String) {
        let error = #expect(throws: ProfileError.self) { try DutyProfile.parse(text, source: "bad.csv") }
        #expect(error?.file == "bad.csv")
        #expect(error?.line == line)
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }

    /// What spreadsheets write: CRLF line ends (a "\r\n" is one Swift Character, so the whole
    /// file was one line and the error quoted all of it) and a byte-order mark.
    @Test func crlfAndAByteOrderMarkAreRead() throws {
        let crlf = try DutyProfile.parse("time_s,power_W\r\n0,100\r\n60,-50\r\n", source: "w.csv")
        #expect(crlf.times_ms == [0, 60_000] && crlf.values == [100, -50])
        let bom = try DutyProfile.parse("\u{FEFF}time_s,current_A\n0,2\n", source: "b.csv")
        #expect(bom.quantity == .current_A && bom.values == [2])
    }

    @Test func kilowattsAreReadAsWatts() throws {
        let p = try DutyProfile.parse("time_s,power_kW\n0,1.5\n10,-0.25\n", source: "k.csv")
        #expect(p.quantity == .power_W && p.values == [1500, -250])
    }

    /// A run longer than its profile repeats it (whole days covering the last row): `--days 30`
    /// on a 24 h profile charged for 29 days on the last row's value and delivered 8 %.
    @Test func aProfileRepeatsEveryWholeDayThatCoversIt() throws {
        let day: Int64 = 86_400_000
        let p = try DutyProfile.parse("time_s,power_W\n0,100\n43200,-100\n86340,-5\n", source: "d.csv")
        #expect(p.period_ms == day)
        var cursor = 0
        for d in [0, 1, 29] as [Int64] {
            #expect(p.value(at: d * day, cursor: &cursor) == 100, "day \(d) starts over")
            #expect(p.value(at: d * day + 50_000_000, cursor: &cursor) == -100, "day \(d) afternoon")
            #expect(p.value(at: d * day + 86_399_999, cursor: &cursor) == -5, "day \(d) last row")
        }
        let week = try DutyProfile.parse("time_s,power_W\n0,1\n560000,2\n", source: "w.csv")
        #expect(week.period_ms == 7 * day)
        #expect(try DutyProfile.parse("time_s,power_W\n0,1\n86400,2\n", source: "e.csv").period_ms == day, "a row at 24 h ends the day")
        #expect(try DutyProfile.parse("time_s,power_W\n0,1\n", source: "c.csv").period_ms == day)
    }

    @Test func missingFileIsAnError() {
        let error = #expect(throws: ProfileError.self) { try DutyProfile.load(path: "/nonexistent/profile.csv") }
        #expect(error?.description.hasPrefix("/nonexistent/profile.csv") == true)
    }

    /// The bundled regulation day is the generator's: 2 s steps over 24 h (a row where the value
    /// changes) within +-1 pu, each half hour's mean its drawn drift (N(0, 0.02 pu): none past five
    /// sigmas) and its peak about the mean 0.6 ... 1.0 pu (the drift and the clip at +-1 move it by
    /// at most the drift).
    @Test func bundledFrequencyRegulationProfileHoldsItsBlocksMeans() throws {
        let p = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        #expect(p.quantity == .power_pu)
        #expect(p.lastRowTime_ms == 86_400_000)
        #expect(p.times_ms.allSatisfy { $0 % 2000 == 0 })
        #expect(p.values.allSatisfy { abs($0) <= 1 })
        var cursor = 0
        for block in 0..<48 {
            let values = (0..<900).map { p.value(at: Int64(block * 1_800_000 + $0 * 2000), cursor: &cursor) }
            let mean = values.reduce(0, +) / 900
            let peak = values.reduce(0) { max($0, abs($1 - mean)) }
            #expect(abs(mean) <= 0.1, "block \(block): mean \(mean) pu")
            #expect(peak >= 0.6 - abs(mean) - 0.001 && peak <= 1 + abs(mean) + 0.001, "block \(block): peak \(peak) pu")
        }
    }

    /// Every shipped duty cycle is a sample of a generator: its second comment line names the
    /// `bmssim duty` command that wrote it, and that generator's draw is the file, row for row
    /// (`make duty-profiles` rewrites them). A file edited by hand, or a generator changed
    /// without its files, fails here.
    @Test(arguments: ["daily-arbitrage-24h.csv", "frequency-regulation-24h.csv", "multi-day-mix-7d.csv",
                      "peak-shaving-24h.csv", "pv-firming-24h.csv", "standby-thermal-hold-24h.csv"])
    func everyShippedDutyCycleIsItsGeneratorsDraw(_ name: String) throws {
        let path = repositoryPath("profiles/duty/" + name)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let stamp = try #require(lines.first { $0.hasPrefix("# generated by `bmssim duty ") })
        let words = stamp.split(separator: "`")[1].split(separator: " ")
        try #require(words.count == 7 && words[3] == "--seed" && words[5] == "--days", "\(stamp)")
        let service = try #require(DutyGenerator.Service(rawValue: String(words[2])))
        let seed = try #require(UInt64(words[4]))
        let days = try #require(Int(words[6]))
        let sample = DutyGenerator(service: service, seed: seed).sample(days: days)
        #expect(sample.gridOutages.isEmpty)
        let drawn = sample.profile.csv(comments: []).split(separator: "\n", omittingEmptySubsequences: false)
        let shipped = lines.filter { !$0.hasPrefix("#") }
        #expect(shipped.count == drawn.count, "\(name): \(shipped.count) lines, the draw \(drawn.count)")
        let first = shipped.indices.first { $0 >= drawn.count || shipped[$0] != drawn[$0] }
        #expect(first == nil, "\(name) is not the draw of `\(stamp)` from its line \(first.map { String(shipped[$0]) } ?? ""): make duty-profiles")
    }

    /// No other duty cycle is shipped than the generators' draws (each file there is in the
    /// accuracy matrix, and each is checked above).
    @Test func theDutyDirectoryHoldsOnlyTheDraws() throws {
        let all = try FileManager.default.contentsOfDirectory(atPath: repositoryPath("profiles/duty")).filter { $0.hasSuffix(".csv") }
        #expect(all.sorted() == ["daily-arbitrage-24h.csv", "frequency-regulation-24h.csv", "multi-day-mix-7d.csv",
                                 "peak-shaving-24h.csv", "pv-firming-24h.csv", "standby-thermal-hold-24h.csv"])
    }
}
