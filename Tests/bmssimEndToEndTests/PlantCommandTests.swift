import Foundation
import Testing
import TestSupport

@Suite("bmssim plant and impedance")
struct PlantCommandTests {
    @Test func plantRunWritesTruthFiles() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try runBMSSim([
            "plant", "--pack", "profiles/packs/zebra-48v-4x20.json", "--profile", "profiles/duty/frequency-regulation-24h.csv",
            "--rating-kw", "1.5", "--hours", "0.5", "--out", out,
        ])
        #expect(result.status == 0, "\(result.output)")
        let series = try String(contentsOfFile: out + "/timeseries.csv", encoding: .utf8).split(separator: "\n")
        let header = series[0].split(separator: ",").map(String.init)
        for column in ["time_s", "current_A", "voltage_V", "soc", "temperature_C", "heater_W", "string3_current_A"] {
            #expect(header.contains(column), "missing \(column)")
        }
        #expect(series.count == 1 + 180)
        let cells = try String(contentsOfFile: out + "/cells.csv", encoding: .utf8).split(separator: "\n")
        #expect(cells[0].contains("r_grainBoundary_ohm") && cells[0].contains("r_chargeTransfer_ohm") && cells[0].contains("failure"))
        #expect(cells.count == 1 + 80 * 4, "snapshots at 0, 10, 20 and 30 min")
        #expect(FileManager.default.fileExists(atPath: out + "/impedance_end.csv"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any]
        let provenance = try #require(json?["provenance"] as? [String: Any], "the plant's summary names what made it")
        #expect(provenance["scenario"] as? String == "profiles/packs/zebra-48v-4x20.json")
        #expect((provenance["scenario_sha256"] as? String)?.count == 64)
        #expect((provenance["profile_sha256"] as? String)?.count == 64)
        #expect(provenance["rating_W"] as? Double == 1500)
    }

    /// One name for a run's length: plant takes --days as simulate does.
    @Test func plantTakesDaysLikeSimulate() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try runBMSSim([
            "plant", "--cell", "profiles/cells/nasicon-cell.json", "--profile", "profiles/duty/frequency-regulation-24h.csv",
            "--rating-kw", "0.05", "--days", "0.01", "--out", out,
        ])
        #expect(result.status == 0 && result.output.contains("0.24 h"), "\(result.output)")
        let both = try runBMSSim(["plant", "--cell", "profiles/cells/nasicon-cell.json", "--profile", "x.csv", "--days", "1", "--hours", "2"])
        #expect(both.status != 0 && both.output.contains("not both"), "\(both.output)")
    }

    @Test func normalisedProfileWithoutRatingIsRefused() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try runBMSSim(["plant", "--cell", "profiles/cells/nasicon-cell.json", "--profile", "profiles/duty/frequency-regulation-24h.csv", "--out", out])
        #expect(result.status != 0)
        #expect(result.output.contains("--rating-kw"))
    }

    @Test func brokenDefinitionFileIsNamed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"kind": "pack", "chemistry": "NaNiCl2", "initial_soc": 0.5}"#.write(toFile: dir + "/p.json", atomically: true, encoding: .utf8)
        let result = try runBMSSim(["plant", "--pack", dir + "/p.json", "--profile", "profiles/characterisation/pulse-test-38Ah.csv", "--out", dir + "/o"])
        #expect(result.status != 0)
        #expect(result.output.contains("p.json: missing key 'cells_per_string'"), "\(result.output)")
    }

    @Test func impedanceWritesNyquistData() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try runBMSSim(["impedance", "--definition", "profiles/cells/nasicon-cell.json", "--per-decade", "4", "--out", dir + "/z.csv"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("high-frequency intercept"))
        let rows = try String(contentsOfFile: dir + "/z.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows[0] == "frequency_Hz,real_ohm,imaginary_ohm")
        #expect(rows.count > 1 + 40)
        // The default range reaches the high-frequency intercept it prints: the first point's real
        // part within 1 % of it, its imaginary part small beside it.
        let printed = try #require(result.output.components(separatedBy: "high-frequency intercept ").dropFirst().first?.split(separator: " ").first.flatMap { Double($0) })
        let first = rows[1].split(separator: ",").compactMap { Double($0) }
        #expect(abs(first[1] * 1000 - printed) <= 0.01 * printed, "first point \(first[1] * 1000) mOhm, intercept \(printed) mOhm")
        #expect(abs(first[2]) <= 0.05 * first[1], "imaginary part \(first[2]) ohm at \(first[0]) Hz")
        // The frequencies are named for what they are (the old names still work).
        let named = try runBMSSim(["impedance", "--definition", "profiles/cells/nasicon-cell.json", "--highest-hz", "1e6", "--lowest-hz", "1", "--per-decade", "2", "--out", dir + "/n.csv"])
        #expect(named.status == 0 && named.output.contains("spectrum 1e+06 ... 1 Hz"), "\(named.output)")
        let old = try runBMSSim(["impedance", "--definition", "profiles/cells/nasicon-cell.json", "--from", "1e6", "--to", "1", "--out", dir + "/o.csv"])
        #expect(old.status == 0, "\(old.output)")
    }
}
