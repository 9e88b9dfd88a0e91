extension CellChemistry {
    /// Open-circuit voltage of a Na3V2(PO4)3 (NVP) cathode against a Na-metal anode with a
    /// limited sodium excess: flat about 3.4 V (REFERENCE 2a, cut-offs about 2.5-3.8 V).
    ///
    /// Ends: past full the cathode has no more V3+/V4+ to give, and the voltage climbs towards
    /// electrolyte oxidation (4.1 V one point past full, 4.6 V three points past). Past empty the
    /// cathode takes sodium on NVP's lower (V3+/V2+) plateau near 1.6 V until the anode's sodium
    /// runs out, five points past empty (the sodium inventory: a limited-excess anode, 5 % of the
    /// cathode's capacity); the bare anode loses contact and the resistance rises fifty-fold.
    /// Break points away from the 3.4 V plateau, the excess and the factors are calibrations.
    ///
    /// Hysteresis: NVP's 3.4 V plateau is a two-phase reaction (Na3V2(PO4)3 <-> NaV2(PO4)3), and
    /// a two-phase electrode of many particles rests on a charge branch after a charge and a
    /// discharge branch after a discharge (Dreyer et al., Nat. Mater. 9 (2010) 448; REFERENCE 2a:
    /// "a small charge/discharge hysteresis"). Here 16 mV between the branches on the plateau
    /// (8 mV either side of the table), fading to none on the single-phase ends (below 3 % and
    /// above 97 %), crossed over 3 % of capacity after a reversal (Plett's one-state model,
    /// J. Power Sources 134 (2004) 277): calibrations within "small".
    static let nvpOCV = try! OCVCurve(
        soc: [-0.05, -0.045, -0.005, 0.00, 0.03, 0.08, 0.50, 0.92, 0.97, 1.00, 1.01, 1.03],
        voltage_V: [0.50, 1.60, 1.70, 2.50, 3.20, 3.33, 3.39, 3.43, 3.55, 3.80, 4.10, 4.60],
        resistanceFactor: [50, 1.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        hysteresis_V: [0, 0, 0, 0, 0, 0.008, 0.008, 0.008, 0, 0, 0, 0], hysteresisCharge: 0.03)

    /// A 10 Ah Na-metal | NZSP (Na3Zr2Si2PO12) | NVP cell, 25-60 C.
    ///
    /// Sources (REFERENCE sections 1-3): NZSP 1e-4 to 5e-3 S/cm at 25 C, Ea about 0.3 eV (here
    /// 1e-3 S/cm total: bulk Ea 0.25, grain boundary 0.35 eV); Na/NZSP interface 4.7 ohm cm2 for
    /// NZSSP sintered at 1150 C (review 4.1.1); CCD 0.85 mA/cm2 at 30 C (review); critical
    /// stripping current 0.28 mA/cm2/MPa with Ea 0.14 eV. Calibrations: 300 um ceramic, 5000 cm2
    /// (2 mAh/cm2), 3 MPa stack pressure, CCD Ea 0.3 eV, interphase rate (20 nm a year at 25 C),
    /// charge transfer 6 mOhm / 12 s, rates of contact loss, recovery, short hazard and fade.
    ///
    /// Ageing (calibrations, `AgeingLaw`): 2 %/year calendar fade at 25 C and half charge (Ea
    /// 0.5 eV: about x2 per 10 K; x1.4 at full charge), 1e-4 per full cycle (depth exponent 1.3,
    /// +50 % per C above 0.5 C), resistance +1.5x the capacity lost; a median ceramic survives
    /// 20,000 half-cycles of 100 K.
    public static let nasicon: CellChemistry = {
        let area = 5000.0
        let layer = 0.03
        // Interphase: 1e-6 S/cm at 25 C, Ea 0.4 eV; 20 nm grown in a year at 25 C; eps_r 10.
        let interphase = ConductivityLaw.arrhenius(1e-6, at: 25, activationEnergy_eV: 0.4)
        return CellChemistry(
            name: "NASICON", capacity_Ah: 10, ocv: nvpOCV, ocvTemperatureCoefficient_V_per_K: -1e-4,
            ocvReferenceTemperature_C: 25, electrolyteArea_cm2: area,
            bulk: .layer(.arrhenius(sigma0_S_per_cm: 33.64, activationEnergy_eV: 0.25), thickness_cm: layer, area_cm2: area),
            elements: [
                ImpedanceElement(.grainBoundary, resistance: .layer(.arrhenius(sigma0_S_per_cm: 1649, activationEnergy_eV: 0.35), thickness_cm: layer, area_cm2: area), capacitance_F: 5e-6),
                ImpedanceElement(.interphase, resistance: .layer(interphase, thickness_cm: 1, area_cm2: area), capacitance_F: layerCapacitance(relativePermittivity: 10, area_cm2: area, thickness_cm: 1)),
                ImpedanceElement(.interface, resistance: .arrhenius(reference_ohm: 4.7 / area, referenceTemperature_C: 25, activationEnergy_eV: 0.3), capacitance_F: 5e-3),
                ImpedanceElement(.chargeTransfer, shape: .warburg, resistance: .arrhenius(reference_ohm: 0.006, referenceTemperature_C: 25, activationEnergy_eV: 0.35), capacitance_F: 2000),
            ],
            degradation: .sodiumMetal(
                interphaseRate0_cm2_per_s: InterfaceDegradation.interphaseRate0(growing: 2e-6, in: 8766, at: 25, activationEnergy_eV: 0.5),
                interphaseActivationEnergy_eV: 0.5, interphaseConductivity: interphase,
                criticalCurrentDensity_mA_per_cm2: 0.85, criticalCurrentReferenceTemperature_C: 30,
                delaminationPer100KCycle: 2e-3, capacityFadePerCycle: 1e-4),
            ageing: AgeingLaw(
                calendarFadePerYear: 0.02, calendarActivationEnergy_eV: 0.5, calendarSoCStress: 0.8, cycleDepthExponent: 1.3,
                cycleActivationEnergy_eV: 0.3, cRateStress: 0.5, referenceCRate: 0.5, referenceTemperature_C: 25,
                resistanceGrowthPerFade: 1.5, fracturePer100KHalfCycle: 1.0 / 20_000, strengthWeibullModulus: 10),
            failureMode: .leakage, selfDischarge_per_day: 5e-4, heatCapacity_J_per_K: 300,
            limits: CellLimits(minimumVoltage_V: 2.5, maximumVoltage_V: 3.8, minimumTemperature_C: 25, maximumTemperature_C: 60))
    }()
}

/// Capacitance of a dielectric layer, eps0 eps_r S / L, in farads.
func layerCapacitance(relativePermittivity: Double, area_cm2: Double, thickness_cm: Double) -> Double {
    8.854_187_8128e-14 * relativePermittivity * area_cm2 / thickness_cm
}

extension InterfaceDegradation {
    /// A solid sodium-metal anode on a ceramic or solid electrolyte: voids above the critical
    /// stripping current, dendrites above the CCD, thermal-cycle delamination (REFERENCE 3).
    static func sodiumMetal(
        interphaseRate0_cm2_per_s: Double, interphaseActivationEnergy_eV: Double, interphaseConductivity: ConductivityLaw,
        criticalCurrentDensity_mA_per_cm2: Double, criticalCurrentReferenceTemperature_C: Double,
        delaminationPer100KCycle: Double, capacityFadePerCycle: Double, stackPressure_MPa: Double = 3
    ) -> InterfaceDegradation {
        InterfaceDegradation(
            interphaseRate0_cm2_per_s: interphaseRate0_cm2_per_s, interphaseActivationEnergy_eV: interphaseActivationEnergy_eV,
            interphaseConductivity: interphaseConductivity,
            stripping_mA_per_cm2_MPa: 0.28, stackPressure_MPa: stackPressure_MPa, strippingActivationEnergy_eV: 0.14,
            strippingReferenceTemperature_C: 25, contactLossRate_per_h: 0.5, contactRecoveryRate_per_h: 0.05,
            criticalCurrentDensity_mA_per_cm2: criticalCurrentDensity_mA_per_cm2, criticalCurrentActivationEnergy_eV: 0.3,
            criticalCurrentReferenceTemperature_C: criticalCurrentReferenceTemperature_C, shortHazard_per_h: 2,
            delaminationPer100KCycle: delaminationPer100KCycle, freezeThawContactLoss: 0,
            capacityFadePerCycle: capacityFadePerCycle)
    }
}
