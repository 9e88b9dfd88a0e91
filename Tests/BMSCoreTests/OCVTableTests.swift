import BMSCore
import Testing
import BMSCoreTestSupport

/// The firmware reads its OCV table back into a SoC: only a table that rises with SoC, within a
/// cell's voltages, can be.
@Suite("OCV table")
struct OCVTableTests {
    @Test func aTableThatCannotBeReadBackIsRefused() {
        #expect(throws: OCVTable.Problem.voltageDecreasing(index: 2)) { _ = try OCVTable(soc: [0, 0.5, 1], voltage: [3.0, 3.4, 3.3]) }
        #expect(throws: OCVTable.Problem.voltageNotPhysical(index: 0)) { _ = try OCVTable(soc: [0, 1], voltage: [-1.0, 3.0]) }
        #expect(throws: OCVTable.Problem.voltageNotPhysical(index: 1)) { _ = try OCVTable(soc: [0, 1], voltage: [2.0, 1e30]) }
        #expect(throws: OCVTable.Problem.flat) { _ = try OCVTable(soc: [0, 1], voltage: [2.5, 2.5]) }
        #expect(throws: OCVTable.Problem.voltageDecreasing(index: 1)) { _ = try OCVTable(count: 2) { i in (Float(i), 3 - Float(i)) } }
        #expect(throws: Never.self) { _ = try OCVTable(soc: [0, 0.5, 0.6, 1], voltage: [2.0, 2.5, 2.5, 2.7]) }
    }
}
