extension CellModel {
    /// A 38 Ah Na-NiCl2 cell as its datasheet describes it: 2.58 V plateau, Fe step below about
    /// 10 % SoC, about 8 mOhm at 300 C rising about 3x by 80 % DoD, charge ends at 2.67 V.
    public static let naNiCl2 = CellModel(
        capacity: AmpereHours(38),
        ocv: try! OCVTable(
            soc: [0.0, 0.05, 0.1, 0.15, 0.3, 0.5, 0.7, 0.9, 0.97, 1.0],
            voltage: [2.05, 2.35, 2.45, 2.57, 2.578, 2.58, 2.58, 2.583, 2.6, 2.65]),
        ocvTemperatureCoefficient: -1e-4, ocvReference: Celsius(300),
        ohmicResistance: Ohms(milliohms: 4), resistancePerDepthOfDischarge: Ohms(milliohms: 22),
        resistanceActivationEnergy_eV: 0.25, resistanceReference: Celsius(300),
        polarisationResistance: Ohms(milliohms: 4), polarisationTimeConstant_s: 20,
        fullChargeVoltage: Volts(2.67), flatPlateau: true)
}
