import BMSCore
import BatteryPlant

extension Characterisation {
    /// A lab impedance analyser: 1 MHz down to 1 mHz, ten points a decade, each component read
    /// with 0.3 % of |Z| and 2 micro-ohm of noise (seeded), on a rested cell.
    public struct Analyser: Sendable {
        public var highest_Hz = 1e6
        public var lowest_Hz = 1e-3
        public var perDecade = 10
        public var relativeNoise = 0.003
        public var absoluteNoise_ohm = 2e-6
        public init() {}

        /// The spectrum of cell 0 of `cell` as the analyser reads it.
        func measure(_ cell: BatteryPack, random: inout SeededRandom) -> [(frequency_Hz: Double, real_ohm: Double, imaginary_ohm: Double)] {
            let truth = cell.impedance(ofCell: 0)
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
        /// The worst fit's RMS residual relative to |Z|.
        public var worstRelativeRMS: Double
    }

    /// Arcs whose characteristic frequency lies above this are part of what a 100 ms step sees as
    /// ohmic: the interface share of the firmware's ohmic resistance.
    public static let interfaceBand_Hz = 1.0

    /// Runs the impedance test: each sample, rested at 50 % SoC at the datasheet's reference
    /// temperature, read by `analyser` and fitted with ZARC arcs (`ImpedanceFit`).
    public static func impedance(
        _ chemistry: CellChemistry, datasheet: FirmwareDefinition, options: Options = Options(), analyser: Analyser = Analyser()
    ) -> ImpedanceResult {
        let t = Double(datasheet.model.resistanceReference.value)
        var fits: [ImpedanceFit] = []
        var random = SeededRandom(seed: options.seed ^ 0x5EED_E15)
        for k in 0..<options.samples {
            var cell = sample(chemistry, index: k, soc: 0.5, temperature_C: t, options: options)
            cell.command(.closed)
            for _ in 0..<360 { cell.step(current: 0, duration_ms: 10_000) }
            if let fit = ImpedanceFit.fit(analyser.measure(cell, random: &random)) { fits.append(fit) }
        }
        let n = Double(max(1, fits.count))
        return ImpedanceResult(
            fits: fits, series_ohm: fits.reduce(0) { $0 + $1.series_ohm } / n,
            interface_ohm: fits.reduce(0) { s, f in s + f.arcs.filter { $0.frequency_Hz > interfaceBand_Hz }.reduce(0) { $0 + $1.resistance_ohm } } / n,
            polarisation_ohm: fits.reduce(0) { s, f in
                s + f.arcs.filter { (analyser.lowest_Hz...interfaceBand_Hz).contains($0.frequency_Hz) }.reduce(0) { $0 + $1.resistance_ohm }
            } / n,
            worstRelativeRMS: fits.map(\.relativeRMS).max() ?? .nan)
    }
}
