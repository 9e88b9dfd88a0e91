extension CellModel {
    /// A 38 Ah Na-NiCl2 cell as its datasheet describes it: 2.58 V plateau, Fe step below about
    /// 10 % SoC, about 8 mOhm at 300 C rising about 3x by 80 % DoD, charge ends at 2.67 V.
    public static let naNiCl2 = CellModel(interfaceResistance: Ohms(milliohms: 0.5),
        capacity: AmpereHours(38),
        ocv: try! OCVTable(
            soc: [0.0, 0.05, 0.1, 0.15, 0.3, 0.5, 0.7, 0.9, 0.97, 1.0],
            voltage: [2.05, 2.35, 2.45, 2.57, 2.578, 2.58, 2.58, 2.583, 2.6, 2.65]),
        ocvTemperatureCoefficient: -1e-4, ocvReference: Celsius(300),
        ohmicResistance: Ohms(milliohms: 4), resistancePerDepthOfDischarge: Ohms(milliohms: 22),
        resistanceActivationEnergy_eV: 0.25, resistanceReference: Celsius(300),
        polarisationResistance: Ohms(milliohms: 4), polarisationTimeConstant: Seconds(20),
        fullChargeVoltage: Volts(2.67), flatPlateau: true, failsShort: true, freezingPoint: Celsius(157))
}

extension CellModel {
    /// A 100 Ah Na-S cell: 2.076 V flat above 40 % SoC, sloped below to 1.78 V; about 1.1 mOhm
    /// ohmic and 2.5 mOhm polarisation at 330 C; charge ends when the voltage rises to 2.10 V.
    public static let naS = CellModel(interfaceResistance: Ohms(milliohms: 0.3),
        capacity: AmpereHours(100),
        ocv: try! OCVTable(
            soc: [0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0],
            voltage: [1.78, 1.86, 1.94, 2.01, 2.07, 2.076, 2.076, 2.08]),
        ocvTemperatureCoefficient: -1e-4, ocvReference: Celsius(330),
        ohmicResistance: Ohms(milliohms: 1.1), resistancePerDepthOfDischarge: .zero,
        resistanceActivationEnergy_eV: 0.2, resistanceReference: Celsius(330),
        polarisationResistance: Ohms(milliohms: 2.5), polarisationTimeConstant: Seconds(30),
        fullChargeVoltage: Volts(2.10), flatPlateau: true, freezingPoint: Celsius(235))

    /// Open-circuit voltage of an NVP cathode against Na: about 3.4 V, sloping only about 0.1 V
    /// per unit SoC between 10 and 90 %. On such a plateau the table is the SoC measurement (1 mV
    /// is 1 % SoC), so it is the cell maker's characterisation at 25 C in 10 % steps (GITT, rounded
    /// to the mV, relaxation incomplete by up to about 1 mV), not a sketch; the ends are coarser.
    @usableFromInline static let nvpTable = try! OCVTable(
        soc: [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0],
        voltage: [2.6, 3.25, 3.335, 3.348, 3.361, 3.377, 3.389, 3.400, 3.410, 3.418, 3.427, 3.50, 3.75])

    /// A 10 Ah Na | NZSP | NVP cell at 25-60 C: about 7 mOhm ohmic (Ea 0.3 eV) and 6 mOhm
    /// polarisation at 25 C.
    public static let nasicon = CellModel(interfaceResistance: Ohms(milliohms: 1),
        capacity: AmpereHours(10), ocv: nvpTable, ocvTemperatureCoefficient: -1e-4, ocvReference: Celsius(25),
        ohmicResistance: Ohms(milliohms: 7), resistancePerDepthOfDischarge: .zero,
        resistanceActivationEnergy_eV: 0.3, resistanceReference: Celsius(25),
        polarisationResistance: Ohms(milliohms: 6), polarisationTimeConstant: Seconds(12),
        fullChargeVoltage: Volts(3.65), flatPlateau: true,
        criticalCurrent: CriticalCurrentDensity(reference_mA_per_cm2: 0.85, referenceTemperature: Celsius(30), activationEnergy_eV: 0.3, area_cm2: 5000))

    /// A 10 Ah Na | sulfide | NaCrO2 cell at 25-60 C: sloped OCV about 3 V, about 5 mOhm ohmic.
    public static let sulfide = CellModel(interfaceResistance: Ohms(milliohms: 4),
        capacity: AmpereHours(10),
        ocv: try! OCVTable(
            soc: [0.0, 0.05, 0.2, 0.5, 0.8, 0.95, 1.0],
            voltage: [2.5, 2.8, 2.95, 3.05, 3.2, 3.35, 3.48]),
        ocvTemperatureCoefficient: -1e-4, ocvReference: Celsius(25),
        ohmicResistance: Ohms(milliohms: 5), resistancePerDepthOfDischarge: .zero,
        resistanceActivationEnergy_eV: 0.3, resistanceReference: Celsius(25),
        polarisationResistance: Ohms(milliohms: 5), polarisationTimeConstant: Seconds(10),
        fullChargeVoltage: Volts(3.45), flatPlateau: false,
        criticalCurrent: CriticalCurrentDensity(reference_mA_per_cm2: 0.5, referenceTemperature: Celsius(25), activationEnergy_eV: 0.3, area_cm2: 5000))

    /// A 10 Ah Na | PEO | NVP cell at 60-80 C: about 12 mOhm ohmic (Ea 0.5 eV) at 70 C and a slow
    /// (60 s) concentration polarisation.
    public static let polymer = CellModel(interfaceResistance: Ohms(milliohms: 10),
        capacity: AmpereHours(10), ocv: nvpTable, ocvTemperatureCoefficient: -1e-4, ocvReference: Celsius(70),
        ohmicResistance: Ohms(milliohms: 12), resistancePerDepthOfDischarge: .zero,
        resistanceActivationEnergy_eV: 0.5, resistanceReference: Celsius(70),
        polarisationResistance: Ohms(milliohms: 8), polarisationTimeConstant: Seconds(60),
        fullChargeVoltage: Volts(3.65), flatPlateau: true,
        criticalCurrent: CriticalCurrentDensity(reference_mA_per_cm2: 0.5, referenceTemperature: Celsius(60), activationEnergy_eV: 0.3, area_cm2: 5000))
}

