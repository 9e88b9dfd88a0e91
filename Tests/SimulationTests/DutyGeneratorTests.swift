import BatteryPlant
import Foundation
import Simulation
import Testing

@Suite("Duty-cycle generators")
struct DutyGeneratorTests {
    /// The value held over each second of `days` days.
    static func seconds(_ p: DutyProfile, days: Int) -> [Double] {
        var out = [Double](repeating: 0, count: days * 86_400)
        var cursor = 0
        for s in out.indices { out[s] = p.value(at: Int64(s) * 1000, cursor: &cursor) }
        return out
    }

    @Test(arguments: DutyGenerator.Service.allCases)
    func oneSeedIsOneDrawAndItsCSVReadsBackEqual(service: DutyGenerator.Service) throws {
        let a = DutyGenerator(service: service, seed: 11, gridOutagesPerDay: 1).sample(days: 3)
        let b = DutyGenerator(service: service, seed: 11, gridOutagesPerDay: 1).sample(days: 3)
        #expect(a.profile == b.profile)
        #expect(a.gridOutages == b.gridOutages)
        let back = try DutyProfile.parse(a.profile.csv(comments: ["a comment"]), source: a.profile.source)
        #expect(back == a.profile, "the CSV holds every value exactly")
        #expect(a.profile.values.allSatisfy { abs($0) <= 1 })
        if service != .standby {
            let c = DutyGenerator(service: service, seed: 12).sample(days: 3)
            #expect(c.profile.values != a.profile.values, "another seed, another draw")
        }
    }

    @Test func regulationBlocksCarryOnlyTheirDrift() {
        let days = 10
        let p = DutyGenerator(service: .frequencyRegulation, seed: 5).sample(days: days).profile
        let v = Self.seconds(p, days: days)
        #expect(p.times_ms.allSatisfy { $0 % 2000 == 0 }, "2 s updates")
        var means: [Double] = []
        for block in 0..<(days * 48) {
            let slice = v[(block * 1800)..<((block + 1) * 1800)]
            means.append(slice.reduce(0, +) / 1800)
            #expect(slice.map(abs).max()! >= 0.55, "each block peaks at 0.6 ... 1.0 pu")
        }
        let meanSquare: Double = means.map { (m: Double) -> Double in m * m }.reduce(0, +) / Double(means.count)
        let sd = meanSquare.squareRoot()
        #expect(sd > 0.016 && sd < 0.024, "block means spread as the drift, N(0, 0.02 pu): \(sd)")
        let largest: Double = means.map { (m: Double) -> Double in Swift.abs(m) }.max()!
        #expect(largest < 5 * 0.02)
    }

    @Test func arbitrageKeepsItsOwnAccountWithinTheStore() {
        let days = 60
        let p = DutyGenerator(service: .arbitrage, seed: 3).sample(days: days).profile
        let v = Self.seconds(p, days: days)
        var stored = 2.5
        var low = stored
        var high = stored
        var cycles = 0.0
        for x in v {
            stored -= (x > 0 ? x / 0.95 : x * 0.95) / 3600
            low = min(low, stored)
            high = max(high, stored)
            if x > 0 { cycles += x / 3600 / 5 }
        }
        // The ramps add a little to the account (levels are scheduled per hour): 0.05 pu-h slack.
        #expect(low >= 0.5 - 0.05 && high <= 4.5 + 0.05, "within 10 ... 90 % of 5 pu-h: \(low) ... \(high)")
        #expect(cycles / Double(days) > 0.2, "it trades: \(cycles / Double(days)) full cycles a day")
    }

    @Test func pvFirmingIsQuietAtNightAndReleasesAfterSunset() {
        for seed in UInt64(1)...20 {
            let v = Self.seconds(DutyGenerator(service: .pvFirming, seed: seed).sample(days: 1).profile, days: 1)
            // At 45 deg N the sun rises after 4:00 and sets before 20:00 (solar time); the release
            // ends three hours after sunset.
            #expect(v[0..<(4 * 3600)].allSatisfy { $0 == 0 }, "seed \(seed)")
            #expect(v[(23 * 3600)...].allSatisfy { $0 == 0 }, "seed \(seed)")
            #expect(v.allSatisfy { $0 >= -1 && $0 <= 1 })
        }
    }

    @Test func peakShavingDischargesByDayAndRechargesAtNinetyPercent() {
        for seed in UInt64(1)...10 {
            let v = Self.seconds(DutyGenerator(service: .peakShaving, seed: seed).sample(days: 1).profile, days: 1)
            #expect(v[..<(20 * 3600)].allSatisfy { $0 >= 0 }, "seed \(seed)")
            let out = v[..<(20 * 3600)].reduce(0, +)
            let back = -v[(20 * 3600)...].reduce(0, +)
            #expect(out / 3600 <= 3.0 + 0.01, "seed \(seed): at most 60 % of the 5 pu-h store shaved")
            if out > 0 {
                #expect(abs(back * 0.9 - out) <= 0.0006 * 4 * 3600 + 0.01 * out, "seed \(seed): out \(out), in \(back)")
            }
        }
    }

    @Test func gridOutagesArePoissonAndNeverOverlap() {
        let days = 365
        let outages = DutyGenerator(service: .standby, seed: 9, gridOutagesPerDay: 1).sample(days: days).gridOutages
        #expect(abs(outages.count - days) < 3 * Int(Double(days).squareRoot()), "\(outages.count) outages")
        for (k, o) in outages.enumerated() {
            let length = (o.until_ms ?? 0) - o.at_ms
            #expect(length >= 299_000 && length <= 14_401_000)
            if k > 0 { #expect(o.at_ms >= outages[k - 1].until_ms ?? .max) }
            #expect(o.at_ms < Int64(days) * 86_400_000)
        }
        #expect(DutyGenerator(service: .standby, seed: 9).sample(days: days).gridOutages.isEmpty)
    }

    @Test func aMixDayIsThatServicesDay() {
        // The mix draws each day's service; the day itself comes from the same stream as the
        // service's own generator (regulation and PV firming carry no state from day to day).
        let days = 20
        let mix = Self.seconds(DutyGenerator(service: .mix, seed: 4).sample(days: days).profile, days: days)
        let fr = Self.seconds(DutyGenerator(service: .frequencyRegulation, seed: 4).sample(days: days).profile, days: days)
        let pv = Self.seconds(DutyGenerator(service: .pvFirming, seed: 4).sample(days: days).profile, days: days)
        var matched = 0
        for d in 0..<days {
            let r = (d * 86_400)..<((d + 1) * 86_400)
            if Array(mix[r]) == Array(fr[r]) || Array(mix[r]) == Array(pv[r]) { matched += 1 }
        }
        #expect(matched >= 4 && matched < days, "\(matched) of \(days) days are regulation or PV firming")
    }
}

@Suite("Scenario duty blocks")
struct ScenarioDutyTests {
    static func parse(_ body: String) throws(InputFileError) -> ScenarioFile {
        try ScenarioFile.parse(Data(("{\n  \"pack\": \"NASICON\",\n  \"cells_per_string\": 4,\n" + body + "\n}\n").utf8), path: "/tmp/duty.json")
    }

    @Test func aGeneratorAndSeedStandForAFile() throws {
        let file = try Self.parse("  \"duration_h\": 48,\n  \"seed\": 5,\n  \"duty\": {\"generator\": \"mix\", \"grid_outages_per_day\": 2}")
        let expected = DutyGenerator(service: .mix, seed: 5, gridOutagesPerDay: 2).sample(days: 2)
        #expect(file.scenario.profile == expected.profile, "the duty seed defaults to the scenario's")
        #expect(file.scenario.gridOutages == expected.gridOutages)
        let seeded = try Self.parse("  \"duty\": {\"generator\": \"pv-firming\", \"seed\": 8}")
        #expect(seeded.scenario.profile == DutyGenerator(service: .pvFirming, seed: 8).sample(days: 1).profile)
        #expect(seeded.scenario.duration_ms == 86_400_000)
    }

    @Test(arguments: [
        ("  \"duty\": {\"generator\": \"regd\"}", "is not one of"),
        ("  \"duty\": {\"generator\": \"arbitrage\", \"sead\": 3}", "unknown key"),
        ("  \"duty\": {\"generator\": \"arbitrage\", \"grid_outages_per_day\": -1}", "0 ... 24"),
        ("  \"duty\": {\"generator\": \"arbitrage\"},\n  \"profile\": \"x.csv\"", "not both"),
        ("  \"seed\": 1", "needs a duty cycle"),
    ])
    func badDutyBlocksAreRefused(body: String, problem: String) {
        let error = #expect(throws: InputFileError.self) { try Self.parse(body) }
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }
}

extension DutyGeneratorTests {
    @Test(arguments: [DutyGenerator.Service.standby, .mix, .peakShaving])
    func aDrawsDefaultLengthCoversEveryDay(service: DutyGenerator.Service) {
        for days in [1, 3, 7] {
            let p = DutyGenerator(service: service, seed: 2026).sample(days: days).profile
            #expect(p.defaultDuration_h == Double(24 * days), "\(service) over \(days) days: \(p.defaultDuration_h) h")
        }
    }
}
