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

    /// The pulse test finds the ohmic resistance a 100 ms step sees, the polarisation element and
    /// the activation energy within realistic errors of the plant's cells (and the ZEBRA front's
    /// rise per unit DoD), from the sensors alone.
    @Test(arguments: [ChemistryPreset.naNiCl2, .nasicon]) func pulseTestFindsTheResistances(_ preset: ChemistryPreset) throws {
        var options = Characterisation.Options()
        options.samples = 2
        let chemistry = preset.chemistry
        let p = Characterisation.pulses(chemistry, options: options)
        let t = chemistry.ocvReferenceTemperature_C
        let z = chemistry.impedance(temperature_C: t, soc: 1)
        let fast = z.series_ohm + z.elements.filter { $0.timeConstant_s < 0.01 }.reduce(0) { $0 + $1.resistance_ohm }
        let slow = z.elements.filter { $0.timeConstant_s >= 1 }
        #expect(abs(p.ohmicAtFull_ohm / fast - 1) < 0.1, "\(preset.rawValue): \(p.ohmicAtFull_ohm) against \(fast)")
        #expect(abs(p.polarisation_ohm / slow[0].resistance_ohm - 1) < 0.15, "\(p.polarisation_ohm) against \(slow[0].resistance_ohm)")
        #expect(abs(p.timeConstant_s / slow[0].timeConstant_s - 1) < 0.15, "\(p.timeConstant_s) against \(slow[0].timeConstant_s)")
        #expect(p.activationEnergy_eV > 0.15 && p.activationEnergy_eV < 0.4, "\(p.activationEnergy_eV) eV")
        if let front = chemistry.reactionFront {
            #expect(abs(p.risePerDepth_ohm / front.slope_ohm - 1) < 0.1, "front \(p.risePerDepth_ohm)")
        } else {
            #expect(abs(p.risePerDepth_ohm) < 0.05 * p.ohmicAtFull_ohm, "no front: \(p.risePerDepth_ohm)")
        }
        #expect(p.ohmicAtFull_ohm != fast, "a measurement, not a copy")
    }
}
