import Testing

@testable import BMSCore

/// Where the fullest cell stands when a charge tapers at the charge-end voltage
/// (`SoCEstimation.fullestCellLevel`).
@Suite("Full-charge level")
struct FullChargeLevelTests {
    typealias Estimation = SoCEstimation<8, 1>

    static func level(_ chemistry: FirmwareChemistry, volts: Float, cellCurrent: Float = 0, temperature: Float? = nil) -> Float {
        let model = chemistry.cellModel
        return Estimation.fullestCellLevel(
            highest: Volts(volts), cellCurrent: cellCurrent, temperature: Celsius(temperature ?? model.ocvReference.value), lawScale: 1,
            model: model)
    }

    /// An NVP cell at its 3.65 V charge end rests below its table's 100 % (the lab's hold at
    /// 3.8 V): read through the table, about 98 %, not the 1 the anchor took before.
    @Test func aChargeEndBelowTheTablesTopIsNotFull() throws {
        for chemistry in [FirmwareChemistry.polymer, .nasicon] {
            let model = chemistry.cellModel
            let level = Self.level(chemistry, volts: 3.65)
            let ocv = model.openCircuit(StateOfCharge(level), temperature: model.ocvReference).voltage.value
            let gap = try #require(model.hysteresis).halfGap(at: StateOfCharge(level), table: model.ocv)
            #expect(level > 0.95 && level < 0.995, "\(chemistry): \(level)")
            #expect(abs(ocv + gap - 3.65) < 0.001, "\(chemistry): \(ocv) V and a half gap of \(gap) V")
        }
        let sulfide = Self.level(.sulfide, volts: 3.45)
        #expect(sulfide > 0.95 && sulfide < 0.995, "sulfide: \(sulfide)")
    }

    /// At or above the table's top voltage the cell is full, never more; a charging current's
    /// drop is taken off the reading (the cell stands lower); a NaN reading or current keeps 1.
    @Test func theLevelIsBoundedAndTakesTheDropOff() {
        let top = FirmwareChemistry.polymer.cellModel.ocv.point(FirmwareChemistry.polymer.cellModel.ocv.count - 1).voltage
        #expect(Self.level(.polymer, volts: top + 0.05) == 1)
        let resting = Self.level(.polymer, volts: 3.65)
        let charging = Self.level(.polymer, volts: 3.65, cellCurrent: -2)
        #expect(charging < resting, "\(charging) against \(resting)")
        #expect(Self.level(.polymer, volts: 3.65, cellCurrent: 2) == resting, "a discharge current is no charge's drop")
        #expect(Self.level(.polymer, volts: .nan) == 1)
        #expect(Self.level(.polymer, volts: 3.65, cellCurrent: .nan) == 1)
    }
}
