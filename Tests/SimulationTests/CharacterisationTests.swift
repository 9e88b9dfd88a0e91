import BMSCore
import BatteryPlant
import Simulation
import Testing

/// The firmware's parameters from characterising sample cells through the plant's sensors.
@Suite("Characterisation")
struct CharacterisationTests {
    /// The slow-rate test finds each sample's capacity and the OCV: within realistic errors of
    /// the truth, and not the truth copied (a perfect match would mean the plant was read).
    @Test(arguments: [ChemistryPreset.naNiCl2, .nasicon, .sulfide]) func slowRateTestFindsCapacityAndOCV(_ preset: ChemistryPreset) throws {
        var options = Characterisation.Options()
        options.samples = 2
        let chemistry = preset.chemistry
        let result = Characterisation.slowRate(chemistry, options: options)
        for c in result.capacities_Ah {
            #expect(abs(c / chemistry.capacity_Ah - 1) < 0.04, "\(preset.rawValue): \(c) Ah")
        }
        var worst = 0.0
        for (i, soc) in Characterisation.tableSoC.enumerated() where soc >= 0.1 && soc <= 0.9 {
            worst = max(worst, abs(result.ocv_V[i] - chemistry.ocv.voltage(atSoC: soc)))
        }
        #expect(worst < 0.01, "\(preset.rawValue): OCV within 10 mV on 10-90 %: \(worst * 1000) mV")
        #expect(worst > 1e-5, "a measurement, not a copy")
    }

    /// A plant preset perturbed: the characterised firmware follows the new cells (it reads
    /// them, not a copied number), while a preset's firmware stays as committed.
    @Test func characterisingAChangedCellChangesTheFirmware() throws {
        var shifted = CellChemistry.nasicon
        shifted.ocv = try OCVCurve(soc: shifted.ocv.soc, voltage_V: shifted.ocv.voltage_V.map { $0 + 0.02 }, resistanceFactor: shifted.ocv.resistanceFactor)
        shifted.capacity_Ah = 11
        var options = Characterisation.Options()
        options.samples = 1
        let base = FirmwareFiles.preset(.nasicon)
        let original = try Characterisation.firmware(base, slowRate: Characterisation.slowRate(.nasicon, options: options))
        let changed = try Characterisation.firmware(base, slowRate: Characterisation.slowRate(shifted, options: options))
        #expect(abs(changed.model.capacity.value / original.model.capacity.value - 1.1) < 0.01)
        let mid = changed.model.ocv.point(8).voltage - original.model.ocv.point(8).voltage
        #expect(abs(mid - 0.02) < 0.002, "the OCV moved with the cells: \(mid) V")
        #expect(FirmwareFiles.preset(.nasicon).model.capacity.value == 10, "the preset did not change")
    }
}
