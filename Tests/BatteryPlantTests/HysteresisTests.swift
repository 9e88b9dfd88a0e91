@testable import BatteryPlant
import Testing

/// NVP's two-phase plateau rests on a charge branch after a charge and on a discharge branch
/// after a discharge: the OCV depends on the direction the cell came from, not on SoC alone.
@Suite("OCV hysteresis")
struct HysteresisTests {
    static let t = 25.0
    static let chemistry = CellChemistry.nasicon

    /// One isothermal NASICON cell with no spread, on hysteresis branch `h`.
    static func cell(soc: Double, hysteresis h: Double) -> BatteryPack {
        var d = idealPack(chemistry, soc: soc, temperature_C: t)
        d.initialHysteresis = h
        var p = BatteryPack(definition: d, seed: 1)
        p.command(.closed)
        return p
    }

    /// Moves `fraction` of capacity at C/10 (positive = discharge) in 1 s steps, then rests
    /// two hours (every RC element relaxed).
    static func moveAndRest(_ p: inout BatteryPack, fraction: Double) {
        let capacity = chemistry.capacity_Ah
        let current = (fraction > 0 ? 1.0 : -1.0) * capacity / 10
        let steps = Int((abs(fraction) * capacity * 3600 / abs(current)).rounded())
        for _ in 0..<steps { p.step(current: current, duration_ms: 1000) }
        for _ in 0..<720 { p.step(current: 0, duration_ms: 10_000) }
    }

    /// Two cells rested at `soc`: one discharged to it by `by` from the charge branch, one
    /// charged to it by `by` from the discharge branch.
    static func approached(_ soc: Double, by: Double) -> (down: BatteryPack, up: BatteryPack) {
        var down = cell(soc: soc + by, hysteresis: 1)
        moveAndRest(&down, fraction: by)
        var up = cell(soc: soc - by, hysteresis: -1)
        moveAndRest(&up, fraction: -by)
        return (down, up)
    }

    @Test func theRestedVoltageAtOneSoCDependsOnTheDirectionTheCellCameFrom() {
        // Down from 60 % and up from 40 % to the same 50 %, each from the other branch.
        let (down, up) = Self.approached(0.5, by: 0.1)
        #expect(abs(down.cell(0).soc - up.cell(0).soc) < 1e-6)
        let gap = up.cell(0).voltage_V - down.cell(0).voltage_V
        // 10 % of capacity is 3.3 transition charges: each branch within 2 x e^-3.3 = 7 % of 8 mV.
        #expect(abs(gap - 0.016) < 0.0012, "charge branch minus discharge branch at 50 %: \(gap * 1000) mV")
        #expect(down.cell(0).hysteresis < -0.9 && up.cell(0).hysteresis > 0.9)
    }

    @Test func aSmallReversalCrossesPartOfTheGap() {
        // On the discharge branch at 50 %, a charge of one transition charge (3 %) moves the
        // state 1 - 1/e of the way from -1 to +1.
        var p = Self.cell(soc: 0.5, hysteresis: -1)
        Self.moveAndRest(&p, fraction: -0.03)
        let h = p.cell(0).hysteresis
        let expected = -1 + 2 * (1 - 1 / 2.718281828459045)
        #expect(abs(h - expected) < 0.01, "state after 3 % charged: \(h), expected \(expected)")
        let table = Self.chemistry.ocv.voltage(atSoC: p.cell(0).soc)
        let expectedVoltage = table + 0.008 * expected
        #expect(abs(p.cell(0).voltage_V - expectedVoltage) < 2e-4, "rested \(p.cell(0).voltage_V) V, model \(expectedVoltage) V")
    }

    @Test func theSinglePhaseEndsHaveNoGap() {
        // Above 97 % the cathode is a solid solution: the branches meet.
        let (down, up) = Self.approached(0.99, by: 0.01)
        #expect(abs(up.cell(0).voltage_V - down.cell(0).voltage_V) < 1e-4)
        #expect(Self.chemistry.ocv.hysteresisHalfGap(atSoC: 1.02) == 0 && Self.chemistry.ocv.hysteresisHalfGap(atSoC: -0.2) == 0)
    }

    @Test func theLoopIsDissipatedAsHeat() throws {
        // The same cycle with and without hysteresis: the difference in heat is the loop,
        // -integral(I M h): over each 2 Ah leg M (2 Ah - 2 x 0.3 Ah (1 - e^-6.7)) = 1.4 Ah x 8 mV.
        func cycleHeat(_ chemistry: CellChemistry) -> Double {
            var d = idealPack(chemistry, soc: 0.5, temperature_C: Self.t)
            d.initialHysteresis = -1
            var p = BatteryPack(definition: d, seed: 1)
            p.command(.closed)
            Self.moveAndRest(&p, fraction: -0.2)
            Self.moveAndRest(&p, fraction: 0.2)
            return p.energy.joule_Wh
        }
        var plain = Self.chemistry
        let o = plain.ocv
        plain.ocv = try OCVCurve(soc: o.soc, voltage_V: o.voltage_V, resistanceFactor: o.resistanceFactor)
        let loop = cycleHeat(Self.chemistry) - cycleHeat(plain)
        #expect(abs(loop - 2 * 1.4 * 0.008) < 0.001, "heat of the loop \(loop) Wh")
    }

    @Test func theInitialBranchIsDrawnFromTheSeedWhenNotGiven() {
        var d = idealPack(Self.chemistry, cells: 3, soc: 0.5, temperature_C: Self.t)
        d.initialHysteresis = nil
        let states = (1...8).map { BatteryPack(definition: d, seed: UInt64($0)).cell(0).hysteresis }
        #expect(states.allSatisfy { (-1...1).contains($0) })
        #expect(Set(states).count == states.count, "different seeds, different histories: \(states)")
        let pack = BatteryPack(definition: d, seed: 3)
        #expect(pack.cell(1).hysteresis == pack.cell(0).hysteresis && pack.cell(2).hysteresis == pack.cell(0).hysteresis)
        // A chemistry without hysteresis keeps 0.
        #expect(BatteryPack(definition: idealZebra(cells: 2), seed: 3).cell(0).hysteresis == 0)
    }

    @Test func aCurveRefusesABadHysteresis() {
        let soc = [0.0, 0.5, 1.0]
        let v = [3.0, 3.4, 3.8]
        #expect(throws: OCVCurve.Problem.hysteresisMismatch(soc: 3, values: 2)) {
            try OCVCurve(soc: soc, voltage_V: v, hysteresis_V: [0, 0.01], hysteresisCharge: 0.03)
        }
        #expect(throws: OCVCurve.Problem.hysteresisOutOfRange(index: 1)) {
            try OCVCurve(soc: soc, voltage_V: v, hysteresis_V: [0, -0.01, 0], hysteresisCharge: 0.03)
        }
        #expect(throws: OCVCurve.Problem.hysteresisOutOfRange(index: 2)) {
            try OCVCurve(soc: soc, voltage_V: v, hysteresis_V: [0, 0, .nan], hysteresisCharge: 0.03)
        }
        #expect(throws: OCVCurve.Problem.hysteresisChargeOutOfRange) {
            try OCVCurve(soc: soc, voltage_V: v, hysteresis_V: [0, 0.01, 0])
        }
        #expect(throws: OCVCurve.Problem.hysteresisChargeOutOfRange) {
            try OCVCurve(soc: soc, voltage_V: v, hysteresisCharge: 0.03)
        }
    }
}
