@testable import BatteryPlant
import Testing

/// The ZEBRA reaction front follows the cell's history: charge and discharge each react at the
/// reactant nearest the separator, so partial cycles leave layers and the resistance is not a
/// single-valued function of SoC.
@Suite("ZEBRA reaction fronts")
struct ReactionFrontTests {
    static let t = 300.0

    /// One isothermal ZEBRA cell with no spread.
    static func cell(soc: Double) -> BatteryPack {
        let pack = PackDefinition(
            chemistry: .naNiCl2, topology: PackTopology(cellsPerString: 1), spread: .none, initialSoC: soc, initialTemperature_C: t,
            thermal: .isothermal(ambient_C: t), sensors: .ideal, degradationEnabled: false)
        var p = BatteryPack(definition: pack, seed: 1)
        p.command(.closed)
        return p
    }

    /// Moves `fraction` of capacity at C/5 (positive = discharge), in 1 s steps.
    static func move(_ p: inout BatteryPack, fraction: Double) {
        let capacity = CellChemistry.naNiCl2.capacity_Ah
        let current = (fraction > 0 ? 1.0 : -1.0) * capacity / 5
        let steps = Int((abs(fraction) * capacity * 3600 / abs(current)).rounded())
        for _ in 0..<steps { p.step(current: current, duration_ms: 1000) }
    }

    /// The front's resistance over the chemistry's slope at the test temperature: the active depth.
    static func depth(_ p: BatteryPack) throws -> Double {
        let slope = try #require(CellChemistry.naNiCl2.reactionFront).slope_ohm(temperature_C: t)
        return p.impedance(ofCell: 0).reactionFront_ohm / slope
    }

    @Test func aPartialChargeLeavesALayerThatTheNextDischargeUsesFirst() throws {
        // Direct: full -> 50 % DoD. History: full -> 60 % DoD, charge 20 %, discharge 10 %.
        var direct = Self.cell(soc: 1)
        Self.move(&direct, fraction: 0.5)
        var cycled = Self.cell(soc: 1)
        Self.move(&cycled, fraction: 0.6)
        Self.move(&cycled, fraction: -0.2)
        let chargeDepth = try Self.depth(cycled)
        #expect(abs(chargeDepth - 0.2) < 0.01, "a charge after discharge reacts from the separator: depth \(chargeDepth)")
        Self.move(&cycled, fraction: 0.1)
        #expect(abs(cycled.cell(0).soc - direct.cell(0).soc) < 1e-3, "same SoC by both routes")
        let directDepth = try Self.depth(direct)
        let cycledDepth = try Self.depth(cycled)
        #expect(abs(directDepth - 0.5) < 0.01, "a discharge from full: depth = DoD, \(directDepth)")
        #expect(abs(cycledDepth - 0.1) < 0.01, "the new layer is consumed first: depth \(cycledDepth)")
        // Past the new layer the front jumps to the old one and is single again: depth = DoD.
        Self.move(&cycled, fraction: 0.15)
        let rejoined = try Self.depth(cycled)
        #expect(abs(rejoined - (1 - cycled.cell(0).soc)) < 0.01, "back on the first front: \(rejoined) at DoD \(1 - cycled.cell(0).soc)")
    }

    @Test func aChargeFromDeepDischargeStartsLowAndEndsAtTheOldFront() throws {
        var p = Self.cell(soc: 1)
        Self.move(&p, fraction: 0.8)
        Self.move(&p, fraction: -0.01)
        let start = try Self.depth(p)
        #expect(start < 0.04, "the charge front starts at the separator: \(start)")
        Self.move(&p, fraction: -0.75)
        let late = try Self.depth(p)
        #expect(abs(late - 0.76) < 0.01, "and moves in with the charge: \(late)")
    }

    @Test func aShortReversalBlendsWithTheReactantBehindIt() throws {
        // A thin layer (1 % of capacity, under the 4 % zone) does not drop the resistance to 0.
        var p = Self.cell(soc: 1)
        Self.move(&p, fraction: 0.5)
        Self.move(&p, fraction: -0.01)
        Self.move(&p, fraction: 0.001)
        let depth = try Self.depth(p)
        #expect(depth > 0.2 && depth < 0.5, "blended between the layer and the old front: \(depth)")
    }

    /// Layers conserve charge: over random partial cycles (enough reversals to fill and merge
    /// the layers) their discharged amount equals the depth of discharge the SoC says.
    @Test func layersConserveChargeOverRandomCycles() {
        var layers = ReactionFrontLayers(depthOfDischarge: 0.3)
        var dod = 0.3
        var random = SeededRandom(seed: 42)
        for _ in 0..<20_000 {
            let amount = (random.uniform() - 0.5) * 0.08
            let next = min(1, max(0, dod + amount))
            layers.move(by: next - dod)
            dod = next
            #expect(abs(layers.depthOfDischarge - dod) < 1e-9)
            if abs(layers.depthOfDischarge - dod) >= 1e-9 { return }
            #expect(layers.count <= ReactionFrontLayers.capacity)
            for k in 0..<max(0, layers.count - 1) where !(layers.boundary[k] > layers.boundary[k + 1]) {
                Issue.record("boundaries out of order at \(k): \(layers.boundary)")
                return
            }
        }
    }
}
