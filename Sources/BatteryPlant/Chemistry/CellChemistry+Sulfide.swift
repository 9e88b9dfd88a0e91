extension CellChemistry {
    /// A 10 Ah Na-metal | W-doped Na3SbS4 | NaCrO2 cell, 25-60 C.
    ///
    /// Sources (REFERENCE sections 1-3): W-doped Na3SbS4 about 32 mS/cm at 25 C, Ea 0.2-0.25 eV
    /// (here 0.22); sulfides react with Na and grow a resistive interphase; critical stripping
    /// current 0.28 mA/cm2/MPa. Calibrations: NaCrO2 OCV table (sloped, about 3 V), 500 um
    /// separator, 5000 cm2, grain boundary 0.5 mOhm, initial interface 20 ohm cm2, interphase
    /// 1e-5 S/cm growing 1 um in 100 h at 25 C (Ea 0.4 eV), CCD 0.5 mA/cm2 at 25 C, rates.
    ///
    /// Ends: NaCrO2 cycles reversibly only to about half its sodium (Komaba et al., Electrochem.
    /// Commun. 12 (2010) 355); past full the voltage climbs steeply (3.75 V one point past, 4.3 V
    /// three points past). Past empty the sodiated cathode's voltage falls away and the anode's
    /// sodium excess (5 % of capacity, a calibration) runs out five points past empty, where the
    /// bare anode loses contact (resistance x50).
    ///
    /// Ageing (calibrations, `AgeingLaw`): 3 %/year calendar fade at 25 C and half charge (Ea
    /// 0.5 eV, x1.4 at full charge), 2e-4 per full cycle (depth exponent 1.3, +50 % per C above
    /// 0.5 C), resistance +1.5x the capacity lost (the interphase's growth comes on top); a median
    /// separator survives 20,000 half-cycles of 100 K.
    public static let sulfide: CellChemistry = {
        let ocv = try! OCVCurve(
            soc: [-0.05, -0.045, -0.005, 0.00, 0.05, 0.20, 0.50, 0.80, 0.95, 1.00, 1.01, 1.03],
            voltage_V: [0.50, 1.50, 2.00, 2.40, 2.80, 2.95, 3.05, 3.20, 3.35, 3.50, 3.75, 4.30],
            resistanceFactor: [50, 1.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
        let area = 5000.0
        let interphase = ConductivityLaw.arrhenius(1e-5, at: 25, activationEnergy_eV: 0.4)
        return CellChemistry(
            name: "sulfide", capacity_Ah: 10, ocv: ocv, ocvTemperatureCoefficient_V_per_K: -1e-4,
            ocvReferenceTemperature_C: 25, electrolyteArea_cm2: area,
            bulk: .layer(.arrhenius(0.032, at: 25, activationEnergy_eV: 0.22), thickness_cm: 0.05, area_cm2: area),
            elements: [
                ImpedanceElement(.grainBoundary, resistance: .arrhenius(reference_ohm: 0.0005, referenceTemperature_C: 25, activationEnergy_eV: 0.3), capacitance_F: 1e-5),
                ImpedanceElement(.interphase, resistance: .layer(interphase, thickness_cm: 1, area_cm2: area), capacitance_F: layerCapacitance(relativePermittivity: 10, area_cm2: area, thickness_cm: 1)),
                ImpedanceElement(.interface, resistance: .arrhenius(reference_ohm: 20 / area, referenceTemperature_C: 25, activationEnergy_eV: 0.3), capacitance_F: 5e-3),
                ImpedanceElement(.chargeTransfer, shape: .warburg, resistance: .arrhenius(reference_ohm: 0.005, referenceTemperature_C: 25, activationEnergy_eV: 0.35), capacitance_F: 2000),
            ],
            degradation: .sodiumMetal(
                interphaseRate0_cm2_per_s: InterfaceDegradation.interphaseRate0(growing: 1e-4, in: 100, at: 25, activationEnergy_eV: 0.4),
                interphaseActivationEnergy_eV: 0.4, interphaseConductivity: interphase,
                criticalCurrentDensity_mA_per_cm2: 0.5, criticalCurrentReferenceTemperature_C: 25,
                delaminationPer100KCycle: 1e-3, capacityFadePerCycle: 2e-4),
            ageing: AgeingLaw(
                calendarFadePerYear: 0.03, calendarActivationEnergy_eV: 0.5, calendarSoCStress: 0.8, cycleDepthExponent: 1.3,
                cycleActivationEnergy_eV: 0.3, cRateStress: 0.5, referenceCRate: 0.5, referenceTemperature_C: 25,
                resistanceGrowthPerFade: 1.5, fracturePer100KHalfCycle: 1.0 / 20_000, strengthWeibullModulus: 10),
            failureMode: .leakage, selfDischarge_per_day: 1e-3, heatCapacity_J_per_K: 300,
            limits: CellLimits(minimumVoltage_V: 2.4, maximumVoltage_V: 3.5, minimumTemperature_C: 25, maximumTemperature_C: 60))
    }()
}
