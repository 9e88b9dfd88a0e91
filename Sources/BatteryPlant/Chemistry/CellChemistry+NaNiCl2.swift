extension CellChemistry {
    /// A 38 Ah Na-NiCl2 (ZEBRA/SoNick-type) cell on a beta''-alumina tube, 270-350 C.
    ///
    /// Sources (REFERENCE): 2.58 V plateau, Fe step near 2.35 V, 1.8-2.8 V limits, 270-350 C
    /// (section 1); beta''-alumina conductivity (section 2, `BetaAlumina`); fresh cell 8-10 mOhm
    /// rising about 3x by 80 % DoD with Ea 0.2-0.3 eV (section 2); 38 Ah cells (section 4); NaAlCl4
    /// melt freezes at about 157 C and the cell is then extremely resistive (section 4); fails short.
    /// Calibrations: tube wall 2 mm and area 200 cm2; interface 0.5 mOhm; cathode charge transfer
    /// 4.5 mOhm with a 18 s time constant; reaction front 22.5 mOhm per unit DoD (8.5 -> 26.5 mOhm
    /// at 80 % DoD); dOCV/dT -0.1 mV/K; OCV break points away from the plateau; heat capacity
    /// 700 J/K per cell (80 % of 175 kJ/K per 20 kWh, the rest in the enclosure).
    ///
    /// Ends (REFERENCE 2a; Sudworth, J. Power Sources 100 (2001) 149; Dustmann, J. Power Sources
    /// 127 (2004) 85): past full, the NaAlCl4 melt takes the charge (2 NaAlCl4 + Ni -> NiCl2 +
    /// 2 AlCl3 + 2 Na) at about 3.05 V; past empty, 3 Na + NaAlCl4 -> Al + 4 NaCl at about
    /// 1.58 V. Both are shunt plateaus: a weak cell in a series string rides them while the others
    /// finish. Calibrations: each plateau holds a tenth of the capacity (the melt reserve), the
    /// steps onto them take 0.6 % of capacity, and a cell driven past a reserve cracks its
    /// beta''-alumina and fails short (`survivableSoC`).
    ///
    /// Ageing (calibrations for a 15-year stationary life, `AgeingLaw`): 0.4 %/year calendar fade at
    /// 290 C (Ea 0.3 eV), 4e-5 per full cycle (depth exponent 1.2, +30 % per C above 0.5 C), the
    /// resistance +2.5x the capacity lost (20 % fade: +50 %); fracture: a median cell survives
    /// 3000 half-cycles of 100 K or 500 freeze-thaws (ZEBRA cells are built to freeze), Weibull
    /// modulus 10.
    public static let naNiCl2: CellChemistry = {
        let ocv = try! OCVCurve(
            soc: [-0.10, -0.006, -0.003, 0.00, 0.02, 0.05, 0.08, 0.10, 0.12, 0.20, 0.50, 0.80, 0.95, 0.98, 1.00, 1.003, 1.006, 1.10],
            voltage_V: [1.56, 1.60, 1.75, 2.00, 2.30, 2.34, 2.36, 2.45, 2.575, 2.578, 2.580, 2.582, 2.585, 2.60, 2.65, 2.90, 3.03, 3.07])
        let area = 200.0
        let wall = 0.2
        return CellChemistry(
            name: "NaNiCl2", capacity_Ah: 38, ocv: ocv, ocvTemperatureCoefficient_V_per_K: -1e-4,
            ocvReferenceTemperature_C: 300, electrolyteArea_cm2: area,
            bulk: .layer(BetaAlumina.bulk, thickness_cm: wall, area_cm2: area),
            elements: [
                ImpedanceElement(.grainBoundary, resistance: .layer(BetaAlumina.grainBoundary, thickness_cm: wall, area_cm2: area), capacitance_F: 2e-7),
                ImpedanceElement(.interface, resistance: .arrhenius(reference_ohm: 0.0005, referenceTemperature_C: 300, activationEnergy_eV: 0.2), capacitance_F: 1e-3),
                ImpedanceElement(.chargeTransfer, shape: .warburg, resistance: .arrhenius(reference_ohm: 0.0045, referenceTemperature_C: 300, activationEnergy_eV: 0.3), capacitance_F: 4000),
            ],
            reactionFront: ReactionFront(slope_ohm: 0.0225, activationEnergy_eV: 0.25, referenceTemperature_C: 300),
            degradation: .moltenSodium(delaminationPer100KCycle: 1e-4, freezeThawContactLoss: 0.002, capacityFadePerCycle: 4e-5),
            ageing: AgeingLaw(
                calendarFadePerYear: 0.004, calendarActivationEnergy_eV: 0.3, calendarSoCStress: 0.2, cycleDepthExponent: 1.2,
                cycleActivationEnergy_eV: 0.3, cRateStress: 0.3, referenceCRate: 0.5, referenceTemperature_C: 290,
                resistanceGrowthPerFade: 2.5, fracturePer100KHalfCycle: 1.0 / 3000, fracturePerFreezeThaw: 1.0 / 500, strengthWeibullModulus: 10),
            failureMode: .short, survivableSoC: -0.10...1.10, freezing: Freezing(point_C: 157, frozenResistanceFactor: 1e4),
            heatCapacity_J_per_K: 700,
            limits: CellLimits(minimumVoltage_V: 1.8, maximumVoltage_V: 2.8, minimumTemperature_C: 270, maximumTemperature_C: 350))
    }()
}
