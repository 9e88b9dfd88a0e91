@testable import BatteryPlant
import Testing

/// Charge transfer follows Butler-Volmer kinetics: non-linear in current.
@Suite("Butler-Volmer charge transfer")
struct ButlerVolmerTests {
    /// The charge-transfer element's settled voltage at a held current: 2 V_T asinh(I / 2 I0)
    /// with I0 = V_T / R_ct, linear (R_ct I) at small currents and well below it at 1 C.
    @Test(arguments: [0.5, 38.0, -38.0, 114.0]) func settledOverpotentialIsTheAsinhLaw(_ current: Double) throws {
        let chemistry = CellChemistry.naNiCl2
        let t = 300.0
        let pack = PackDefinition(
            chemistry: chemistry, topology: PackTopology(cellsPerString: 1), spread: .none, initialSoC: 0.5, initialTemperature_C: t,
            thermal: .isothermal(ambient_C: t), sensors: .ideal, degradationEnabled: false)
        var cell = BatteryPack(definition: pack, seed: 1)
        cell.command(.closed)
        // Ten time constants (about 18 s each) at the held current, in 100 ms steps.
        for _ in 0..<1800 { cell.step(current: current, duration_ms: 100) }
        let k = try #require(chemistry.elements.firstIndex { $0.kind == .chargeTransfer })
        let r = chemistry.elements[k].resistance.resistance_ohm(temperature_C: t)
        let thermal = boltzmannEV * (t + kelvinOffset)
        let expected = 2 * thermal * PlantMath.log(current * r / (2 * thermal) + ((current * r / (2 * thermal)) * (current * r / (2 * thermal)) + 1).squareRoot())
        let settled = cell.cell(0).rcVoltage_V[k]
        #expect(abs(settled / expected - 1) < 0.01, "\(settled) V against \(expected) V")
        let linear = r * current
        if abs(current) < 1 {
            #expect(abs(settled / linear - 1) < 0.01, "small currents are linear: \(settled) against \(linear)")
        } else {
            #expect(abs(settled) < 0.8 * abs(linear), "1 C and above: below the linear drop \(linear)")
        }
    }
}
