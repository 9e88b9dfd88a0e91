import BMSCore
@testable import BMSCore
import Testing

/// Per-cell SoC differences read at rest.
@Suite("Cell differences at rest")
struct CellDeltaFilterTests {
    /// A Na-S-like table: sloped below 40 %, a plateau above.
    static let knee = try! OCVTable(soc: [0, 0.3, 0.4, 0.95, 1], voltage: [1.78, 2.014, 2.076, 2.0761, 2.13])

    /// A string resting at the plateau's knee: one cell 4 mV below the mean voltage is a cell a
    /// few percent below the others, not 30 % (the mean cell's read range runs one way across
    /// the plateau; its middle is no reference).
    @Test func aCellBelowTheKneeReadsItsOwnDifference() {
        var filter = CellDeltaFilter<4, 1>()
        var voltages = InlineArray<4, Float>(repeating: 2.0755)
        voltages[1] = 2.0715
        filter.updateResting(
            voltages: voltages, count: 4, excluded: InlineArray(repeating: false), meanVoltage: 2.0745,
            anchor: StateOfCharge(0.395), table: Self.knee, voltageSigma: 0.0015)
        let read = filter.lastRead[1]
        // 4 mV below the mean on the 0.62 V per unit slope below the knee: about -0.6 %.
        #expect(read < 0 && read > -0.03, "read \(read)")
        #expect(abs(filter.delta[1]) < 0.03, "delta \(filter.delta[1])")
        for k in [0, 2, 3] { #expect(abs(filter.delta[k]) < 0.03, "cell \(k): \(filter.delta[k])") }
    }

    /// Relaxation still under way moves every cell alike: reading at the mean's estimated SoC,
    /// equal cells stay equal wherever the common voltage sits.
    @Test func aCommonShiftLeavesTheDifferences() {
        var filter = CellDeltaFilter<4, 1>()
        let voltages = InlineArray<4, Float>(repeating: 2.0600)
        filter.updateResting(
            voltages: voltages, count: 4, excluded: InlineArray(repeating: false), meanVoltage: 2.0600,
            anchor: StateOfCharge(0.6), table: Self.knee, voltageSigma: 0.0005)
        for k in 0..<4 { #expect(abs(filter.delta[k]) < 1e-3, "cell \(k): \(filter.delta[k])") }
    }
}
