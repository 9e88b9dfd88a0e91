extension CellChemistry {
    /// A 38 Ah Na-NiCl2 (ZEBRA/SoNick-type) cell on beta''-alumina.
    ///
    /// Sources (../shared/REFERENCE.md): 2.58 V plateau, Fe step near 2.35 V at the end of
    /// discharge, 38 Ah cells in 240-cell modules (section 4), 8-10 mOhm fresh cell resistance and
    /// Ea 0.2-0.3 eV (section 2), heat capacity 175 kJ/K per 195 kg / 20 kWh pack (section 4).
    /// Calibrations (this project's choices): the OCV break points away from the plateau, the
    /// 6 + 3 mOhm split between R0 and the RC element, the 15 s polarisation time constant, and
    /// Tref = 300 C.
    public static let naNiCl2: CellChemistry = {
        // Plateau 2.58 V; Fe/FeCl2 step at about 2.35 V over the last ~8 % of capacity; steep rise
        // at the end of charge. Calibration points, not a measured curve.
        let ocv = try! OCVCurve(
            soc: [0.00, 0.02, 0.05, 0.08, 0.10, 0.12, 0.20, 0.50, 0.80, 0.95, 0.98, 1.00],
            voltage_V: [2.00, 2.30, 2.34, 2.36, 2.45, 2.575, 2.578, 2.580, 2.582, 2.585, 2.60, 2.65])
        // 175 kJ/K for a 20 kWh pack; a 38 Ah x 2.58 V cell is 98 Wh, so about 860 J/K per cell.
        return CellChemistry(
            name: "NaNiCl2", capacity_Ah: 38.0, ocv: ocv, r0Reference_ohm: 0.006,
            r0ActivationEnergy_eV: 0.25, referenceTemperature_C: 300,
            rc: RCElement(r_ohm: 0.003, c_F: 5000), cellHeatCapacity_JperK: 860)
    }()
}
