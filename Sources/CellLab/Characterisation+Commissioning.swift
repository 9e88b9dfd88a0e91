import BMSCore
import BatteryPlant
import Synchronization

extension Characterisation {
    /// The cells of an `n`-cell string an impedance test at commissioning reads: `count` of them,
    /// spread evenly along the string (cell k * n / count), so that they span its modules.
    public static func commissioningCells(count: Int, of n: Int) -> [Int] {
        let c = max(0, min(count, n))
        return (0..<c).map { InterfaceHealthSettings.commissionedCell($0, of: c, cells: n) }
    }

    /// What an impedance test at commissioning found (`commissioningImpedance`): means over the
    /// cells read, ohms at the firmware's reference temperature.
    public struct CommissioningImpedance: Sendable, Equatable {
        /// The interface arcs' sum (`InterfaceHealthSettings.commissionedInterface`).
        public var interface_ohm: Double
        /// The resistance a 10 Hz fit sees (the series part and the arcs faster than
        /// `fastestTimeConstant_s`), or nil for a cell with a reaction front (ZEBRA): off full
        /// charge most of its resistance is the front's, whose depth a pack of unknown history
        /// does not tell (`InterfaceHealthSettings.commissionedResistance`); nil too when a cell's
        /// spectrum could not be fitted, or was refused while others were accepted.
        public var resistance_ohm: Double?
    }

    /// The impedance test at commissioning: `cells` of an installed pack (at its present
    /// temperature and SoC, rested) read by `analyser` and fitted as in the lab
    /// (`impedance(_:datasheet:options:analyser:)`), brought to the firmware's reference
    /// temperature with its own temperature law (`CellModel.resistanceFactor`): the interface
    /// arcs' sum and the resistance the firmware's fit sees (the series part and the arcs with
    /// time constants below `fastestTimeConstant_s`, a tenth of its control step). The means and
    /// which fits they take are `commissioningImpedance(readings:...)`'s; nil when no spectrum
    /// could be fitted.
    ///
    /// This is what tells a pack of unknown history's interface from its electrolyte: the
    /// firmware's 10 Hz fit sees their sum (`InterfaceHealthSettings.commissionedInterface`);
    /// and it dates the firmware's baseline to the commissioning, not to its first fit hours
    /// later (`InterfaceHealthSettings.commissionedResistance`).
    ///
    /// `interphase` (the lab's worn samples, `interphaseLaw`) brings the arcs of a grown
    /// interphase to the reference with the layer's own law: the interface part is the truth's
    /// at the reference. The whole resistance keeps the firmware's law, as its fits do.
    public static func commissioningImpedance(
        _ pack: BatteryPack, cells: [Int], model: CellModel, seed: UInt64, electrolyteArcs_Hz: [Double] = [],
        fastestTimeConstant_s: Double = 0.01, analyser: Analyser = Analyser(), interphase: InterphaseLaw? = nil
    ) -> CommissioningImpedance? {
        var random = SeededRandom(seed: seed ^ 0xC0_4417_5EED)
        var readings: [(fit: ImpedanceFit, factor: Double)?] = []
        var temperatures_C: [Double] = []
        for k in cells where k >= 0 && k < pack.cellCount {
            let temperature_C = pack.moduleTemperature_C[pack.module(ofCell: k)]
            temperatures_C.append(temperature_C)
            let factor = Double(model.resistanceFactor(Celsius(Float(temperature_C))))
            guard factor.isFinite, factor > 0, let fit = ImpedanceFit.fit(analyser.measure(pack, cell: k, random: &random)) else {
                readings.append(nil)
                continue
            }
            readings.append((fit, factor))
        }
        return commissioningImpedance(
            readings: readings, hasFront: model.resistancePerDepthOfDischarge > .zero, electrolyteArcs_Hz: electrolyteArcs_Hz,
            fastestTimeConstant_s: fastestTimeConstant_s, interphase: interphase.map { ($0, temperatures_C) })
    }

    /// `commissioningImpedance`'s means from its readings: one per cell read, its fit and its
    /// resistance factor (the firmware's law at the cell's temperature), nil when the spectrum
    /// could not be fitted. Both means are over the fits the lab accepts, or over every fit when
    /// it accepts none (a worn sulfide cell's interphase arc, near 2 MHz, is refused on every
    /// cell: its whole resistance still reads within the 10 % band, `CommissioningImpedanceTests`).
    /// The whole resistance is given only when those fits are of every cell read (the firmware
    /// compares it with its fits of all of them) and the cell has no reaction front (`hasFront`).
    /// With `interphase` (the law and each reading's temperature), an interface arc of the layer
    /// is brought to the reference by the layer's law.
    static func commissioningImpedance(
        readings: [(fit: ImpedanceFit, factor: Double)?], hasFront: Bool, electrolyteArcs_Hz: [Double], fastestTimeConstant_s: Double,
        interphase: (law: InterphaseLaw, temperatures_C: [Double])? = nil
    ) -> CommissioningImpedance? {
        let fits = readings.enumerated().compactMap { i, r in r.map { (fit: $0.fit, factor: $0.factor, index: i) } }
        let accepted = fits.filter { isAccepted($0.fit) }
        let used = accepted.isEmpty ? fits : accepted
        guard !used.isEmpty else { return nil }
        let n = Double(used.count)
        let interface = used.reduce(0.0) { s, f in
            var sum = 0.0
            for arc in f.fit.arcs where isInterface(arc, electrolyteArcs_Hz: electrolyteArcs_Hz) {
                if let (law, temperatures_C) = interphase, f.index < temperatures_C.count, law.matches(arc, temperature_C: temperatures_C[f.index]) {
                    sum += arc.resistance_ohm / law.factor(temperature_C: temperatures_C[f.index])
                } else {
                    sum += arc.resistance_ohm / f.factor
                }
            }
            return s + sum
        } / n
        let resistance = used.reduce(0.0) { s, f in
            s + (f.fit.series_ohm + f.fit.arcs.filter { $0.timeConstant_s < fastestTimeConstant_s }.reduce(0) { $0 + $1.resistance_ohm }) / f.factor
        } / n
        guard interface.isFinite, interface >= 0 else { return nil }
        // The firmware compares the mean with its fits of every cell read
        // (`InterfaceHealthSettings.commissionedCells`): a mean over fewer is another cells' mean.
        let everyCell = used.count == readings.count
        return CommissioningImpedance(
            interface_ohm: interface, resistance_ohm: everyCell && !hasFront && resistance.isFinite && resistance > 0 ? resistance : nil)
    }

    /// An installed cell's arc is its electrolyte's when it relaxes within `electrolyteArcMatch`
    /// of an arc the lab found above `electrolyteBand_Hz` on new cells (a layer's arc frequency is
    /// its material's conductivity over permittivity, not its thickness: ageing that grows a
    /// grain boundary's resistance leaves it there), or, with no such reference, above the band;
    /// else, above `interfaceBand_Hz`, it is the interface's or an interphase grown since (a worn
    /// sulfide cell's, near 2 MHz, lies above the band but 15 times below its grain boundaries').
    static func isInterface(_ arc: ImpedanceFit.Arc, electrolyteArcs_Hz: [Double]) -> Bool {
        if electrolyteArcs_Hz.isEmpty { return isInterface(arc) }
        guard arc.frequency_Hz > interfaceBand_Hz else { return false }
        return !electrolyteArcs_Hz.contains { arcMatches(arc.frequency_Hz, reference_Hz: $0) }
    }

    /// Whether an arc at `frequency_Hz` is the layer whose arc lies at `reference_Hz`: within
    /// `electrolyteArcMatch` of it either way.
    static func arcMatches(_ frequency_Hz: Double, reference_Hz: Double) -> Bool {
        let ratio = frequency_Hz / reference_Hz
        return ratio > 1 / electrolyteArcMatch && ratio < electrolyteArcMatch
    }

    /// How far (a factor either way) an installed cell's electrolyte arc may lie from the new
    /// cells' (3: the resistance's growth with age and the cells' spread move it by less than
    /// half that; the nearest other arc of any preset's cell lies a decade away or more).
    public static let electrolyteArcMatch = 3.0

    /// `electrolyteArcs` of three new samples at the firmware's reference temperature, measured
    /// once per chemistry in a process (the lab's report that comes with the cells) and moved to
    /// `temperature_C` with the firmware's resistance law (an arc's frequency goes as its
    /// conductivity: the inverse of the resistance factor).
    public static func referenceElectrolyteArcs(_ chemistry: CellChemistry, model: CellModel, temperature_C: Double) -> [Double] {
        let reference = Double(model.resistanceReference.value)
        let arcs = electrolyteArcReferences.withLock { known in
            if let hit = known.first(where: { $0.chemistry == chemistry && $0.temperature_C == reference }) { return hit.arcs_Hz }
            var options = Options()
            options.samples = 3
            let measured = electrolyteArcs(chemistry, temperature_C: reference, options: options)
            known.append((chemistry, reference, measured))
            return measured
        }
        let factor = Double(model.resistanceFactor(Celsius(Float(temperature_C))))
        guard factor.isFinite, factor > 0 else { return arcs }
        return arcs.map { $0 / factor }
    }

    /// The lab's reference for `commissioningImpedance`: the characteristic frequencies of the
    /// arcs above `electrolyteBand_Hz` that new sample cells of `chemistry` show at
    /// `temperature_C` (the impedance test's samples and analyser; docs/characterisation.md),
    /// one per arc and sample. Empty when no sample shows one (beta''-alumina's grain boundaries
    /// relax near 1 GHz, beyond the analyser).
    public static func electrolyteArcs(
        _ chemistry: CellChemistry, temperature_C: Double, options: Options = Options(), analyser: Analyser = Analyser()
    ) -> [Double] {
        electrolyteArcs(in: sampleFits(chemistry, temperature_C: temperature_C, options: options, analyser: analyser))
    }

    /// `electrolyteArcs` of fits already made: the accepted fits' arcs above `electrolyteBand_Hz`.
    static func electrolyteArcs(in fits: [ImpedanceFit]) -> [Double] {
        fits.filter(isAccepted).flatMap { fit in
            fit.arcs.filter { $0.shape == .arc && $0.frequency_Hz >= electrolyteBand_Hz }.map(\.frequency_Hz)
        }
    }
}

/// `Characterisation.referenceElectrolyteArcs`'s measurements so far: chemistry, temperature, arcs.
private let electrolyteArcReferences = Mutex<[(chemistry: CellChemistry, temperature_C: Double, arcs_Hz: [Double])]>([])
