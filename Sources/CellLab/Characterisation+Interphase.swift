import BMSCore
import BatteryPlant
import Foundation
import Synchronization

extension Characterisation {
    /// The temperature law of the interphase a worn cell grows, as the lab measures it on worn
    /// samples (`interphaseLaw`): the interphase arc's characteristic frequency and its
    /// resistance's activation energy.
    ///
    /// A worn cell's interface arcs are mostly this layer, whose law is not the new cell's: a
    /// worn sulfide string read at 30 C and brought to the 25 C reference with the new cell's law
    /// read 6.3 % low (docs/characterisation.md "At commissioning").
    public struct InterphaseLaw: Sendable, Equatable {
        /// The arc's characteristic frequency at `referenceTemperature_C`, Hz.
        public var frequency_Hz: Double
        /// Activation energy of its resistance, eV.
        public var activationEnergy_eV: Double
        /// Where `frequency_Hz` was read (the firmware's resistance reference), C.
        public var referenceTemperature_C: Double

        /// The layer's resistance at `temperature_C` over its resistance at the reference.
        public func factor(temperature_C: Double) -> Double {
            Foundation.exp(activationEnergy_eV / boltzmannEV * (1 / (temperature_C + kelvinOffset) - 1 / (referenceTemperature_C + kelvinOffset)))
        }

        /// The arc's characteristic frequency at `temperature_C`: a layer's arc relaxes at its
        /// conductivity over its permittivity, so it moves inversely to its resistance.
        public func frequency_Hz(temperature_C: Double) -> Double {
            frequency_Hz / factor(temperature_C: temperature_C)
        }

        /// Whether `arc`, read at `temperature_C`, is this layer's (within
        /// `electrolyteArcMatch` of its frequency there).
        public func matches(_ arc: ImpedanceFit.Arc, temperature_C: Double) -> Bool {
            arcMatches(arc.frequency_Hz, reference_Hz: frequency_Hz(temperature_C: temperature_C))
        }
    }

    /// How much warmer than the reference the lab reads the worn samples a second time, K.
    public static let interphaseWarmer_K = 20.0

    /// The interphase's law from worn samples: three end-of-life cells of `options`' seed
    /// (returned from service, or aged in the lab's ovens), each rested at 50 % SoC at the firmware's
    /// reference temperature and `interphaseWarmer_K` above it, read by `analyser` and fitted.
    /// A sample's interphase arc is its largest interface arc (above `interfaceBand_Hz`, not the
    /// electrolyte's: `isInterface`) that new samples do not show (none of theirs within
    /// `electrolyteArcMatch`); warm, the interface arc nearest it in frequency (within a decade).
    /// The law: the mean of the samples' activation energies from the two resistances, the
    /// geometric mean of their frequencies. Nil when no worn sample shows such an arc (a cell
    /// that grows no interphase). Measured once per chemistry and reference in a process (with
    /// the first call's `options` and `analyser`), as `referenceElectrolyteArcs`.
    public static func interphaseLaw(
        _ chemistry: CellChemistry, model: CellModel, options: Options = Options(), analyser: Analyser = Analyser()
    ) -> InterphaseLaw? {
        let reference = Double(model.resistanceReference.value)
        return interphaseLaws.withLock { known in
            if let hit = known.first(where: { $0.chemistry == chemistry && $0.temperature_C == reference }) { return hit.law }
            var samples = options
            samples.samples = 3
            let law = measureInterphaseLaw(chemistry, model: model, reference_C: reference, options: samples, analyser: analyser)
            known.append((chemistry, reference, law))
            return law
        }
    }

    static func measureInterphaseLaw(
        _ chemistry: CellChemistry, model: CellModel, reference_C: Double, options: Options, analyser: Analyser
    ) -> InterphaseLaw? {
        let warm_C = reference_C + interphaseWarmer_K
        let newFits = sampleFits(chemistry, temperature_C: reference_C, options: options, analyser: analyser)
        let electrolyte = electrolyteArcs(in: newFits)
        let newInterface = newFits.flatMap { $0.arcs.filter { isInterface($0, electrolyteArcs_Hz: electrolyte) }.map(\.frequency_Hz) }
        let cold = sampleFitsByIndex(chemistry, temperature_C: reference_C, options: options, analyser: analyser, ageing: .endOfLife)
        let warm = sampleFitsByIndex(chemistry, temperature_C: warm_C, options: options, analyser: analyser, ageing: .endOfLife)
        // The electrolyte's arcs warm, moved with the new cells' law (as at commissioning).
        let factor = Double(model.resistanceFactor(Celsius(Float(warm_C))))
        let electrolyteWarm = electrolyte.map { $0 / factor }
        let t1 = reference_C + kelvinOffset
        let t2 = warm_C + kelvinOffset
        var energies: [Double] = []
        var logFrequencies: [Double] = []
        // Each sample's seed is its index's at both temperatures: the same cell twice.
        for case let (c?, w?) in zip(cold, warm) {
            let grown = c.arcs.filter { arc in
                isInterface(arc, electrolyteArcs_Hz: electrolyte) && !newInterface.contains { arcMatches(arc.frequency_Hz, reference_Hz: $0) }
            }
            guard let layer = grown.max(by: { $0.resistance_ohm < $1.resistance_ohm }) else { continue }
            let distance = { (arc: ImpedanceFit.Arc) in abs(Foundation.log(arc.frequency_Hz / layer.frequency_Hz)) }
            guard let hot = w.arcs.filter({ isInterface($0, electrolyteArcs_Hz: electrolyteWarm) }).min(by: { distance($0) < distance($1) }),
                distance(hot) < Foundation.log(10.0)
            else { continue }
            let ea = boltzmannEV * Foundation.log(hot.resistance_ohm / layer.resistance_ohm) / (1 / t2 - 1 / t1)
            guard ea.isFinite, ea > 0 else { continue }
            energies.append(ea)
            logFrequencies.append(Foundation.log(layer.frequency_Hz))
        }
        guard !energies.isEmpty else { return nil }
        let n = Double(energies.count)
        return InterphaseLaw(
            frequency_Hz: Foundation.exp(logFrequencies.reduce(0, +) / n), activationEnergy_eV: energies.reduce(0, +) / n,
            referenceTemperature_C: reference_C)
    }
}

private let interphaseLaws = Mutex<[(chemistry: CellChemistry, temperature_C: Double, law: Characterisation.InterphaseLaw?)]>([])
