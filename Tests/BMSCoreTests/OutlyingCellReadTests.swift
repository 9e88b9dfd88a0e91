import Testing

@testable import BMSCore

/// One cell's voltage moves the mean cell's OCV read by that cell's share, wherever it stands.
@Suite("OCV reads with a cell apart")
struct OutlyingCellReadTests {
    static let model = CoreConfiguration.preset(
        .polymer, cellCount: 20, moduleCount: 1, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(10)
    ).cellModel
    static let included = InlineArray<20, Bool>(repeating: false)

    /// The table's OCV at `soc`.
    static func ocv(_ soc: Float) -> Float { model.ocv.evaluate(StateOfCharge(soc)).voltage.value }

    /// At rest: a cell whose band lies wholly under the table's foot reads the table's foot (an
    /// empty cell, one of twenty), where before the whole read fell back to the mean voltage.
    @Test func aCellUnderTheFootReadsTheFootAtRest() throws {
        let plateau = Self.ocv(0.5)
        var voltages = InlineArray<20, Float>(repeating: plateau)
        voltages[6] = 1.2
        let included = Self.included
        let both = SoCEstimator.meanCellRange(voltages.span, count: 20, excluded: included.span, added: 0, halfWidth: 0.005, table: Self.model.ocv)
        let read = try #require(both)
        let foot = Self.model.ocv.point(0).soc
        let one = InlineArray<1, Float>(repeating: plateau)
        let single = SoCEstimator.meanCellRange(one.span, count: 1, excluded: included.span, added: 0, halfWidth: 0.005, table: Self.model.ocv)
        let alone = try #require(single)
        #expect(abs(read.point - (19 * alone.point + foot) / 20) < 1e-4, "read \(read.point)")
        // A cell over the top reads the top's SoC.
        let table = Self.model.ocv
        voltages[6] = 9
        let top = SoCEstimator.meanCellRange(voltages.span, count: 20, excluded: included.span, added: 0, halfWidth: 0.005, table: table)
        let high = try #require(top)
        #expect(abs(high.point - (19 * alone.point + table.point(table.count - 1).soc) / 20) < 1e-4, "read \(high.point)")
        // Every cell off the table is no read.
        let low = InlineArray<20, Float>(repeating: 1.2)
        let none = SoCEstimator.meanCellRange(low.span, count: 20, excluded: included.span, added: 0, halfWidth: 0.005, table: Self.model.ocv)
        #expect(none == nil)
    }

    /// Under load: a string whose cells scatter by a few millivolts has no cell apart (the
    /// loaded check reads their mean voltage as before); one cell down the foot is read apart,
    /// on its own band, and the others' voltage sum leaves it out.
    @Test func onlyACellBeyondASingleCellsBandIsReadApart() {
        let included = Self.included
        var voltages = InlineArray<20, Volts>(repeating: Volts(Self.ocv(0.5)))
        for k in 0..<20 { voltages[k] = Volts(voltages[k].value + 0.004 * Float(k % 5 - 2)) }
        let healthy = SoCEstimator.outlyingCells(
            count: 20, excluded: included.span, added: 0, apart: 0.06, halfWidth: 0.02, table: Self.model.ocv, voltages: voltages.span)
        #expect(healthy.count == 0 && healthy.others == 20)
        voltages[6] = Volts(Self.ocv(0.02))
        voltages[11] = Volts(0.5)
        let apart = SoCEstimator.outlyingCells(
            count: 20, excluded: included.span, added: 0, apart: 0.06, halfWidth: 0.02, table: Self.model.ocv, voltages: voltages.span)
        #expect(apart.count == 2 && apart.others == 18)
        var others: Float = 0
        for k in 0..<20 where k != 6 && k != 11 { others += voltages[k].value }
        #expect(abs(apart.othersSum - others) < 1e-3)
        // Cell 11 reads the foot; cell 6 its own range about 2 %.
        let foot = Self.model.ocv.point(0).soc
        #expect(apart.lowerSum <= foot + 0.02 && apart.upperSum >= foot + 0.02 && apart.upperSum < foot + 0.1, "\(apart)")
    }
}
