import BMSCore
import BatteryPlant
import Simulation
import Testing

/// The replay traces of the firmware image (tools/firmware): the host side. The image's side,
/// the replay under QEMU compared byte for byte, runs in `make firmware`.
@Suite("Firmware replay traces")
struct FirmwareTraceTests {
    /// A frame written as trace words reads back to the same bit patterns (NaN included).
    @Test func aFrameRoundTripsThroughItsTraceWords() {
        var f = MeasurementFrame<20, 2>(time: Milliseconds(-123_456_789_012))
        f.packCurrent = Amperes(-3.25)
        f.packVoltage = Volts(51.5)
        for i in 0..<20 { f.cellVoltages[i] = Volts(2.5 + Float(i) / 1000) }
        f.moduleTemperatures[0] = Celsius(290)
        f.heaterPower[1] = Watts(12)
        f.contactorFeedback = ContactorFeedback(mainPositive: true, mainNegative: false, precharge: true)
        f.blowerAirflow = true
        var words = [UInt8](repeating: 0, count: 4 * MeasurementFrame<20, 2>.traceWords(cells: 20, modules: 2))
        words.withUnsafeMutableBytes { f.writeTrace(cells: 20, modules: 2, to: $0.baseAddress!) }
        var g = MeasurementFrame<240, 12>(time: .zero)
        words.withUnsafeBytes { g.readTrace(cells: 20, modules: 2, from: $0.baseAddress!) }
        #expect(g.time == f.time && g.packCurrent.value.bitPattern == f.packCurrent.value.bitPattern)
        #expect(g.secondCurrent.value.isNaN && g.linkVoltage.value.isNaN, "a missing reading stays missing")
        #expect((0..<20).allSatisfy { g.cellVoltages[$0].value.bitPattern == f.cellVoltages[$0].value.bitPattern })
        #expect(g.moduleTemperatures[0].value == 290 && g.heaterPower[1].value == 12 && g.edgeTemperatures[0].value.isNaN)
        #expect(g.contactorFeedback == f.contactorFeedback && g.blowerAirflow)
    }

    /// A recorded trace replays to the same digests on this host (the replay is a function of the
    /// trace alone), the digests follow the run (SoC and relay states change), and a trace cut
    /// short or of another version is refused.
    @Test func aTraceReplaysToItsDigestsAndABadOneIsRefused() throws {
        let profile = try DutyProfile.parse("time_s,power_W\n0,2000\n60,-1500\n", source: "duty")
        let scenario = Scenario(pack: .zebraString(cellCount: 20), profile: profile, rating_W: 1, duration_ms: 600_000, seed: 3)
        let (trace, digests) = try FirmwareTrace.record(scenario: scenario, steps: 400)
        #expect(digests.count == 400 * 4 * StepDigest.count)
        #expect(try FirmwareTrace.replay(trace) == digests)
        func word(_ step: Int, _ k: Int) -> UInt32 {
            digests.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4 * (step * StepDigest.count + k), as: UInt32.self) }
        }
        #expect(Set((0..<400).map { word($0, 2) }).count > 100, "the SoC estimate moves")
        #expect(Set((0..<400).map { word($0, 9) }).count >= 3, "the relays go through their sequence")
        #expect(throws: (any Error).self) { try FirmwareTrace.replay(Array(trace.dropLast(4))) }
        var other = trace
        other[4] = 9  // version
        #expect(throws: (any Error).self) { try FirmwareTrace.replay(other) }
    }

    /// A header carries its chemistry by the enum's raw value: each round-trips, and a code that
    /// names none (5, or 256, which would wrap to the first) is refused.
    @Test func aHeaderNamesItsChemistryOrIsRefused() {
        func read(_ bytes: [UInt8]) -> ReplayTraceHeader? {
            bytes.withUnsafeBytes { ReplayTraceHeader(reading: $0.baseAddress!, maxCells: 240, maxModules: 12) }
        }
        func bytes(_ chemistry: FirmwareChemistry) -> [UInt8] {
            let h = ReplayTraceHeader(
                chemistry: chemistry, cells: 20, modules: 2, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(10), step: Milliseconds(100),
                steps: 7)
            var b = [UInt8](repeating: 0, count: 4 * ReplayTraceHeader.words)
            b.withUnsafeMutableBytes { h.write(to: $0.baseAddress!) }
            return b
        }
        for c in [FirmwareChemistry.naNiCl2, .naS, .nasicon, .sulfide, .polymer] { #expect(read(bytes(c))?.chemistry == c) }
        var unknown = bytes(.naNiCl2)
        unknown[8] = 5
        #expect(read(unknown) == nil)
        var wrapping = bytes(.naNiCl2)
        wrapping[9] = 1   // 256
        #expect(read(wrapping) == nil)
    }
}
