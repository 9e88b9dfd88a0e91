import BMSCore
import BatteryPlant

extension Characterisation {
    /// A lab impedance analyser: 10 MHz down to 1 mHz (the top of the ranges ceramic-electrolyte
    /// labs use, so that a NASICON grain-boundary arc near 10 MHz is measured, not folded into
    /// the next one), ten points a decade, each component read with 0.3 % of |Z| and 2
    /// micro-ohm of noise (seeded), on a rested cell.
    public struct Analyser: Sendable {
        public var highest_Hz = 1e7
        public var lowest_Hz = 1e-3
        public var perDecade = 10
        public var relativeNoise = 0.003
        public var absoluteNoise_ohm = 2e-6
        public init() {}

        /// The spectrum of cell `index` of `pack` (at its present state) as the analyser reads it.
        func measure(_ pack: BatteryPack, cell index: Int = 0, random: inout SeededRandom) -> [(frequency_Hz: Double, real_ohm: Double, imaginary_ohm: Double)] {
            let truth = pack.impedance(ofCell: index)
            return CellImpedance.logFrequencies(from: highest_Hz, to: lowest_Hz, perDecade: perDecade).map { f in
                let z = truth.impedance(atFrequency: f)
                let scale = (z.real * z.real + z.imaginary * z.imaginary).squareRoot() * relativeNoise + absoluteNoise_ohm
                return (f, z.real + scale * random.gaussian(), z.imaginary + scale * random.gaussian())
            }
        }
    }

    /// What the impedance test found (means over the samples, 50 % SoC, reference temperature).
    public struct ImpedanceResult: Sendable {
        /// Each sample's fit.
        public var fits: [ImpedanceFit]
        /// The high-frequency intercept (bulk and grain boundary of the electrolyte, and the
        /// reaction front where there is one), ohms.
        public var series_ohm: Double
        /// The arcs faster than the firmware's 100 ms step (their characteristic frequency above
        /// `interfaceBand_Hz`): the Na | electrolyte interface and its interphase, ohms.
        public var interface_ohm: Double
        /// The arcs below `interfaceBand_Hz` whose top lies inside the analyser's band (charge
        /// transfer and diffusion: the polarisation the pulses see), ohms. A fitted arc below the
        /// band is the intercalation capacitance's tail, not a resistance.
        public var polarisation_ohm: Double
        /// The worst fit's RMS residual relative to |Z| (of the fits used).
        public var worstRelativeRMS: Double
        /// Fits rejected for an arc at the dispersion's floor (two arcs fitted as one).
        public var rejected: Int = 0
    }

    /// Arcs whose characteristic frequency lies above this are part of what a 100 ms step sees as
    /// ohmic: the interface share of the firmware's ohmic resistance ...
    public static let interfaceBand_Hz = 1.0
    /// ... up to this: faster arcs are the electrolyte's own grain boundaries (1e-11 to 1e-8
    /// F/cm2 over ohm-cm2 to kOhm-cm2 relax at MHz; a Na | ceramic interface's 1e-7 to 1e-5
    /// F/cm2 below; Irvine, Sinclair and West, Adv. Mater. 2 (1990) 132), part of the series.
    public static let electrolyteBand_Hz = 1e6
    /// A fitted arc's dispersion at or below this (the floor is 0.5) is two arcs fitted as one.
    public static let mergedArcDispersion = ImpedanceFit.mergedDispersion

    /// Whether a fitted arc is the interface's (and its interphase's).
    static func isInterface(_ arc: ImpedanceFit.Arc) -> Bool {
        arc.frequency_Hz > interfaceBand_Hz && arc.frequency_Hz < electrolyteBand_Hz
    }

    /// Whether the lab keeps a fit: none of its arcs at the dispersion's floor (`mergedArcDispersion`).
    static func isAccepted(_ fit: ImpedanceFit) -> Bool {
        fit.arcs.allSatisfy { $0.shape == .warburg || $0.dispersion > mergedArcDispersion }
    }

    /// Each new sample, rested an hour at 50 % SoC at `temperature_C`, read by `analyser` and
    /// fitted (`ImpedanceFit`); the samples whose spectrum shows no arc are left out.
    static func sampleFits(_ chemistry: CellChemistry, temperature_C t: Double, options: Options, analyser: Analyser) -> [ImpedanceFit] {
        sampleFitsByIndex(chemistry, temperature_C: t, options: options, analyser: analyser).compactMap { $0 }
    }

    /// `sampleFits` by sample index (nil where the spectrum showed no arc), so that two
    /// temperatures' fits of one sample pair up; `ageing` reads worn samples (`interphaseLaw`).
    static func sampleFitsByIndex(
        _ chemistry: CellChemistry, temperature_C t: Double, options: Options, analyser: Analyser, ageing: AgeingState = .new
    ) -> [ImpedanceFit?] {
        var fits: [ImpedanceFit?] = []
        var random = SeededRandom(seed: options.seed ^ 0x5EED_E15)
        for k in 0..<options.samples {
            var cell = sample(chemistry, index: k, soc: 0.5, temperature_C: t, options: options, ageing: ageing)
            cell.command(.closed)
            for _ in 0..<360 { cell.step(current: 0, duration_ms: 10_000) }
            fits.append(ImpedanceFit.fit(analyser.measure(cell, random: &random)))
        }
        return fits
    }

    /// Runs the impedance test: each sample, rested at 50 % SoC at the datasheet's reference
    /// temperature, read by `analyser` and fitted with ZARC arcs (`ImpedanceFit`).
    public static func impedance(
        _ chemistry: CellChemistry, datasheet: FirmwareDefinition, options: Options = Options(), analyser: Analyser = Analyser()
    ) -> ImpedanceResult {
        let fits = sampleFits(chemistry, temperature_C: Double(datasheet.model.resistanceReference.value), options: options, analyser: analyser)
        // A fit with an arc at the dispersion's floor fitted two arcs as one: the lab rejects it
        // (unless every sample's is such).
        let accepted = fits.filter(isAccepted)
        let used = accepted.isEmpty ? fits : accepted
        let n = Double(max(1, used.count))
        return ImpedanceResult(
            fits: fits, series_ohm: used.reduce(0) { $0 + $1.series_ohm } / n,
            interface_ohm: used.reduce(0) { s, f in s + f.arcs.filter { isInterface($0) }.reduce(0) { $0 + $1.resistance_ohm } } / n,
            polarisation_ohm: used.reduce(0) { s, f in
                s + f.arcs.filter { (analyser.lowest_Hz...interfaceBand_Hz).contains($0.frequency_Hz) }.reduce(0) { $0 + $1.resistance_ohm }
            } / n,
            worstRelativeRMS: used.map(\.relativeRMS).max() ?? .nan, rejected: fits.count - used.count)
    }
}
