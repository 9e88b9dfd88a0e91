extension CellChemistry {
    /// A 10 Ah Na-metal | PEO-NaTFSI | NVP cell, 60-80 C.
    ///
    /// Sources (REFERENCE sections 1-2): VTF conductivity (review eq. 2) with A 30 S/cm K^1/2,
    /// B 1200 K, T0 190 K (1.0e-3 S/cm at 80 C, 3.8e-4 at 60 C); t+ < 0.5, so concentration
    /// polarisation is large. Calibrations: 50 um film, 5000 cm2; interface 50 ohm cm2 at 70 C
    /// (Ea 0.5 eV); cathode charge transfer plus salt concentration polarisation lumped as 8 mOhm
    /// with a 60 s time constant (t+ about 0.2); interphase, CCD 0.5 mA/cm2 at 60 C and rates.
    ///
    /// Ageing (calibrations, `AgeingLaw`): 3 %/year calendar fade at 70 C and half charge (Ea
    /// 0.5 eV, x1.25 at full charge), 2e-4 per full cycle (depth exponent 1.2, +100 % per C above
    /// 0.3 C: a polymer's salt depletes), resistance +2x the capacity lost; no fracture (a
    /// polymer film bends).
    public static let polymer: CellChemistry = {
        let area = 5000.0
        let interphase = ConductivityLaw.arrhenius(1e-6, at: 70, activationEnergy_eV: 0.5)
        return CellChemistry(
            name: "polymer", capacity_Ah: 10, ocv: nvpOCV, ocvTemperatureCoefficient_V_per_K: -1e-4,
            ocvReferenceTemperature_C: 70, electrolyteArea_cm2: area,
            bulk: .layer(.vtf(a_S_K05_per_cm: 30, b_K: 1200, t0_K: 190), thickness_cm: 0.005, area_cm2: area),
            elements: [
                ImpedanceElement(.interphase, resistance: .layer(interphase, thickness_cm: 1, area_cm2: area), capacitance_F: layerCapacitance(relativePermittivity: 5, area_cm2: area, thickness_cm: 1)),
                ImpedanceElement(.interface, resistance: .arrhenius(reference_ohm: 50 / area, referenceTemperature_C: 70, activationEnergy_eV: 0.5), capacitance_F: 5e-3),
                ImpedanceElement(.chargeTransfer, shape: .warburg, resistance: .arrhenius(reference_ohm: 0.008, referenceTemperature_C: 70, activationEnergy_eV: 0.4), capacitance_F: 7500),
            ],
            degradation: .sodiumMetal(
                interphaseRate0_cm2_per_s: InterfaceDegradation.interphaseRate0(growing: 5e-6, in: 8766, at: 70, activationEnergy_eV: 0.5),
                interphaseActivationEnergy_eV: 0.5, interphaseConductivity: interphase,
                criticalCurrentDensity_mA_per_cm2: 0.5, criticalCurrentReferenceTemperature_C: 60,
                delaminationPer100KCycle: 5e-4, capacityFadePerCycle: 2e-4, stackPressure_MPa: 1),
            ageing: AgeingLaw(
                calendarFadePerYear: 0.03, calendarActivationEnergy_eV: 0.5, calendarSoCStress: 0.5, cycleDepthExponent: 1.2,
                cycleActivationEnergy_eV: 0.3, cRateStress: 1, referenceCRate: 0.3, referenceTemperature_C: 70,
                resistanceGrowthPerFade: 2),
            failureMode: .leakage, selfDischarge_per_day: 1e-3, heatCapacity_J_per_K: 300,
            limits: CellLimits(minimumVoltage_V: 2.5, maximumVoltage_V: 3.8, minimumTemperature_C: 60, maximumTemperature_C: 80))
    }()
}
