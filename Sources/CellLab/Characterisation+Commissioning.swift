import BMSCore
import BatteryPlant

extension Characterisation {
    /// The cells of an `n`-cell string an impedance test at commissioning reads: `count` of them,
    /// spread evenly along the string (cell k * n / count), so that they span its modules.
    public static func commissioningCells(count: Int, of n: Int) -> [Int] {
        let c = max(0, min(count, n))
        return (0..<c).map { $0 * n / c }
    }

    /// The impedance test at commissioning: `cells` of an installed pack (at its present
    /// temperature and SoC, rested) read by `analyser` and fitted as in the lab
    /// (`impedance(_:datasheet:options:analyser:)`), the interface arcs' sum brought to the
    /// firmware's reference temperature with its own temperature law (`CellModel.resistanceFactor`).
    /// The mean over the fits the lab accepts, ohms; nil when no spectrum could be fitted.
    ///
    /// This is what tells a pack of unknown history's interface from its electrolyte: the
    /// firmware's 10 Hz fit sees their sum (`InterfaceHealthSettings.commissionedInterface`).
    public static func commissioningInterface(
        _ pack: BatteryPack, cells: [Int], model: CellModel, seed: UInt64, analyser: Analyser = Analyser()
    ) -> Double? {
        var random = SeededRandom(seed: seed ^ 0xC0_4417_5EED)
        var fits: [(fit: ImpedanceFit, factor: Double)] = []
        for k in cells where k >= 0 && k < pack.cellCount {
            let temperature = Celsius(Float(pack.moduleTemperature_C[pack.module(ofCell: k)]))
            let factor = Double(model.resistanceFactor(temperature))
            guard factor.isFinite, factor > 0, let fit = ImpedanceFit.fit(analyser.measure(pack, cell: k, random: &random)) else { continue }
            fits.append((fit, factor))
        }
        let accepted = fits.filter { $0.fit.arcs.allSatisfy { $0.shape == .warburg || $0.dispersion > mergedArcDispersion } }
        let used = accepted.isEmpty ? fits : accepted
        guard !used.isEmpty else { return nil }
        let sum = used.reduce(0.0) { s, f in s + f.fit.arcs.filter { isInterface($0) }.reduce(0) { $0 + $1.resistance_ohm } / f.factor }
        let mean = sum / Double(used.count)
        return mean.isFinite && mean >= 0 ? mean : nil
    }
}
