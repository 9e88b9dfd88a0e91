extension CellChemistry {
    /// A 100 Ah Na-S cell on a beta''-alumina tube, 300-350 C.
    ///
    /// Sources (REFERENCE section 1): 2.076 V flat to about 60 % DoD, then falling to about 1.78 V;
    /// 300-350 C; fails open / high resistance; freeze-thaw more damaging than in ZEBRA.
    /// Calibrations: tube wall 1.5 mm, area 400 cm2 (about 3.9 mOhm at 330 C in total); sulfur
    /// electrode charge transfer 2.5 mOhm with a 30 s time constant; the polysulfide melt taken as
    /// solid below 235 C; dOCV/dT -0.1 mV/K; heat capacity 1500 J/K per cell.
    ///
    /// Ends (REFERENCE 2a; Oshima et al., Int. J. Appl. Ceram. Technol. 1 (2004) 269): at the top
    /// of charge only insulating sulphur is left at the electrode, so the ohmic resistance rises
    /// steeply (x4 at full, x60 two points past it) and the voltage under charge with it: the
    /// physical end-of-charge signal. Past empty, solid Na2S2 precipitates: the OCV falls off
    /// Na2S3's 1.78 V and the resistance rises (x8 half a point past empty). The factors and
    /// the widths of the ends are calibrations. Neither end is a shunt: beyond the table the
    /// voltage keeps its end slope, and only the load's voltage compliance stops a current.
    ///
    /// Ageing (calibrations, `AgeingLaw`): 0.5 %/year calendar fade at 330 C (Ea 0.3 eV), 5e-5 per
    /// full cycle (depth exponent 1.3, +30 % per C above 0.5 C), resistance +2x the capacity
    /// lost; fracture: a median cell survives 2000 half-cycles of 100 K but only 30 freeze-thaws
    /// (freeze-thaw is more damaging than in ZEBRA, REFERENCE 1), Weibull modulus 10.
    public static let naS: CellChemistry = {
        let ocv = try! OCVCurve(
            soc: [-0.02, -0.005, 0.00, 0.10, 0.20, 0.30, 0.40, 0.95, 0.98, 1.00, 1.005, 1.02],
            voltage_V: [1.50, 1.70, 1.78, 1.86, 1.94, 2.01, 2.076, 2.076, 2.077, 2.08, 2.25, 2.50],
            resistanceFactor: [40, 8, 2, 1.2, 1, 1, 1, 1, 1.5, 4, 15, 60])
        let area = 400.0
        let wall = 0.15
        return CellChemistry(
            name: "NaS", capacity_Ah: 100, ocv: ocv, ocvTemperatureCoefficient_V_per_K: -1e-4,
            ocvReferenceTemperature_C: 330, electrolyteArea_cm2: area,
            bulk: .layer(BetaAlumina.bulk, thickness_cm: wall, area_cm2: area),
            elements: [
                ImpedanceElement(.grainBoundary, resistance: .layer(BetaAlumina.grainBoundary, thickness_cm: wall, area_cm2: area), capacitance_F: 4e-7),
                ImpedanceElement(.interface, resistance: .arrhenius(reference_ohm: 0.0003, referenceTemperature_C: 330, activationEnergy_eV: 0.2), capacitance_F: 2e-3),
                ImpedanceElement(.chargeTransfer, shape: .warburg, resistance: .arrhenius(reference_ohm: 0.0025, referenceTemperature_C: 330, activationEnergy_eV: 0.3), capacitance_F: 12_000),
            ],
            degradation: .moltenSodium(delaminationPer100KCycle: 3e-4, freezeThawContactLoss: 0.02, capacityFadePerCycle: 5e-5),
            ageing: AgeingLaw(
                calendarFadePerYear: 0.005, calendarActivationEnergy_eV: 0.3, calendarSoCStress: 0.2, cycleDepthExponent: 1.3,
                cycleActivationEnergy_eV: 0.3, cRateStress: 0.3, referenceCRate: 0.5, referenceTemperature_C: 330,
                resistanceGrowthPerFade: 2, fracturePer100KHalfCycle: 1.0 / 2000, fracturePerFreezeThaw: 1.0 / 30, strengthWeibullModulus: 10),
            failureMode: .open, freezing: Freezing(point_C: 235, frozenResistanceFactor: 1e3),
            heatCapacity_J_per_K: 1500,
            limits: CellLimits(minimumVoltage_V: 1.78, maximumVoltage_V: 2.15, minimumTemperature_C: 300, maximumTemperature_C: 350))
    }()
}

extension InterfaceDegradation {
    /// A liquid sodium anode on beta''-alumina: no interphase growth (stable interface, the review
    /// 4.1.1), no stripping voids and no dendrites in the operating window (liquid metal), but
    /// thermal-cycle and freeze-thaw damage and slow capacity fade.
    static func moltenSodium(delaminationPer100KCycle: Double, freezeThawContactLoss: Double, capacityFadePerCycle: Double) -> InterfaceDegradation {
        InterfaceDegradation(
            interphaseRate0_cm2_per_s: 0, interphaseActivationEnergy_eV: 0,
            interphaseConductivity: .arrhenius(sigma0_S_per_cm: 1, activationEnergy_eV: 0),
            stripping_mA_per_cm2_MPa: 1e6, stackPressure_MPa: 1, strippingActivationEnergy_eV: 0,
            strippingReferenceTemperature_C: 300, contactLossRate_per_h: 0, contactRecoveryRate_per_h: 0,
            criticalCurrentDensity_mA_per_cm2: 1e6, criticalCurrentActivationEnergy_eV: 0,
            criticalCurrentReferenceTemperature_C: 300, shortHazard_per_h: 0,
            delaminationPer100KCycle: delaminationPer100KCycle, freezeThawContactLoss: freezeThawContactLoss,
            capacityFadePerCycle: capacityFadePerCycle)
    }
}
