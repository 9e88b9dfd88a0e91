import Foundation
import Simulation
import Testing

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
        #expect(p.value(at: 99_000, cursor: &cursor) == 0, "the last value holds")
        #expect(p.value(at: 5_000, cursor: &cursor) == 1000, "going back in time restarts the search")
        #expect(try DutyProfile.parse("time_s,current_A\n0,5\n", source: "c").quantity == .current_A)
        #expect(try DutyProfile.parse("time_s,power_pu\n0,-1\n", source: "n").quantity == .power_pu)
    }

    @Test(arguments: [
        ("time_s,voltage_V\n0,1\n", 1, "header must be one of"),
        ("time_s,power_W\n0,1\n5,abc\n", 3, "'abc' is not a finite number"),
        ("time_s,power_W\n0,1\n5,1\n5,2\n", 4, "increase strictly"),
        ("time_s,power_W\n0,1\n-1,2\n", 3, "not a time"),
        ("time_s,power_W\n0,1,2\n", 2, "expected 2 fields"),
        ("time_s,power_pu\n0,1.5\n", 2, "outside -1 ... 1"),
        ("time_s,power_W\n0,nan\n", 2, "not a finite number"),
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

    @Test func missingFileIsAnError() {
        let error = #expect(throws: ProfileError.self) { try DutyProfile.load(path: "/nonexistent/profile.csv") }
        #expect(error?.description.hasPrefix("/nonexistent/profile.csv") == true)
    }

    @Test func bundledFrequencyRegulationProfileIsEnergyNeutralPerHalfHour() throws {
        let p = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
        #expect(p.quantity == .power_pu)
        #expect(p.lastRowTime_ms == 86_398_000)
        #expect(p.values.allSatisfy { abs($0) <= 1 })
        for block in 0..<48 {
            let sum = p.values[(block * 900)..<((block + 1) * 900)].reduce(0, +)
            #expect(abs(sum) < 1e-6, "block \(block)")
        }
    }
}
