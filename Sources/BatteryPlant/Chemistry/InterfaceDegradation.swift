/// Rates of the interfacial degradation mechanisms of the review's section 2.2 in lumped form
/// (REFERENCE section 3). All current densities are in mA/cm2 of the cell's electrolyte area.
public struct InterfaceDegradation: Sendable, Equatable {
    /// Interphase growth: thickness^2 grows as 2 k_p t, k_p = k0 exp(-Ea / kB T), in cm2/s.
    public var interphaseRate0_cm2_per_s: Double
    public var interphaseActivationEnergy_eV: Double
    /// Conductivity of the grown interphase (sets its resistance per thickness).
    public var interphaseConductivity: ConductivityLaw

    /// Critical stripping current density j_CCS = c P exp[-(Ea/kB)(1/T - 1/Tref)], mA/cm2.
    public var stripping_mA_per_cm2_MPa: Double
    public var stackPressure_MPa: Double
    public var strippingActivationEnergy_eV: Double
    public var strippingReferenceTemperature_C: Double
    /// Fractional contact lost per hour per unit of relative excess stripping current.
    public var contactLossRate_per_h: Double
    /// Fractional recovery of the lost contact per hour while plating at 1 mA/cm2 under pressure.
    public var contactRecoveryRate_per_h: Double

    /// Critical current density for dendrite penetration at the reference temperature, mA/cm2,
    /// with its Arrhenius activation energy (CCD rises with temperature).
    public var criticalCurrentDensity_mA_per_cm2: Double
    public var criticalCurrentActivationEnergy_eV: Double
    public var criticalCurrentReferenceTemperature_C: Double
    /// Short hazard per hour at twice the CCD (hazard = rate x (j_local / CCD - 1)).
    public var shortHazard_per_h: Double

    /// Contact fraction lost per thermal cycle of 100 K swing (scales with swing^2, CTE mismatch:
    /// beta''-alumina 7-8e-6 /K vs Na 71e-6 /K). A proposal, not a published model (REFERENCE 3).
    public var delaminationPer100KCycle: Double
    /// Contact fraction lost per freeze-thaw cycle of a molten-electrode cell.
    public var freezeThawContactLoss: Double

    /// Capacity lost per equivalent full cycle (fraction of the initial capacity) at the reference.
    public var capacityFadePerCycle: Double

    public init(
        interphaseRate0_cm2_per_s: Double, interphaseActivationEnergy_eV: Double,
        interphaseConductivity: ConductivityLaw, stripping_mA_per_cm2_MPa: Double, stackPressure_MPa: Double,
        strippingActivationEnergy_eV: Double, strippingReferenceTemperature_C: Double,
        contactLossRate_per_h: Double, contactRecoveryRate_per_h: Double,
        criticalCurrentDensity_mA_per_cm2: Double, criticalCurrentActivationEnergy_eV: Double,
        criticalCurrentReferenceTemperature_C: Double, shortHazard_per_h: Double,
        delaminationPer100KCycle: Double, freezeThawContactLoss: Double, capacityFadePerCycle: Double
    ) {
        self.interphaseRate0_cm2_per_s = interphaseRate0_cm2_per_s
        self.interphaseActivationEnergy_eV = interphaseActivationEnergy_eV
        self.interphaseConductivity = interphaseConductivity
        self.stripping_mA_per_cm2_MPa = stripping_mA_per_cm2_MPa
        self.stackPressure_MPa = stackPressure_MPa
        self.strippingActivationEnergy_eV = strippingActivationEnergy_eV
        self.strippingReferenceTemperature_C = strippingReferenceTemperature_C
        self.contactLossRate_per_h = contactLossRate_per_h
        self.contactRecoveryRate_per_h = contactRecoveryRate_per_h
        self.criticalCurrentDensity_mA_per_cm2 = criticalCurrentDensity_mA_per_cm2
        self.criticalCurrentActivationEnergy_eV = criticalCurrentActivationEnergy_eV
        self.criticalCurrentReferenceTemperature_C = criticalCurrentReferenceTemperature_C
        self.shortHazard_per_h = shortHazard_per_h
        self.delaminationPer100KCycle = delaminationPer100KCycle
        self.freezeThawContactLoss = freezeThawContactLoss
        self.capacityFadePerCycle = capacityFadePerCycle
    }

    /// No degradation at all (every rate 0, every limit out of reach).
    public static let none = InterfaceDegradation(
        interphaseRate0_cm2_per_s: 0, interphaseActivationEnergy_eV: 0, interphaseConductivity: .arrhenius(sigma0_S_per_cm: 1, activationEnergy_eV: 0),
        stripping_mA_per_cm2_MPa: .infinity, stackPressure_MPa: 1, strippingActivationEnergy_eV: 0, strippingReferenceTemperature_C: 25,
        contactLossRate_per_h: 0, contactRecoveryRate_per_h: 0, criticalCurrentDensity_mA_per_cm2: .infinity,
        criticalCurrentActivationEnergy_eV: 0, criticalCurrentReferenceTemperature_C: 25, shortHazard_per_h: 0,
        delaminationPer100KCycle: 0, freezeThawContactLoss: 0, capacityFadePerCycle: 0)

    /// The parabolic rate constant k0 that grows `thickness_cm` in `hours` at `temperature_C`
    /// (thickness^2 = 2 k_p t), for an activation energy `ea`.
    public static func interphaseRate0(growing thickness_cm: Double, in hours: Double, at temperature_C: Double, activationEnergy_eV ea: Double) -> Double {
        let kp = thickness_cm * thickness_cm / (2 * hours * 3600)
        return kp * PlantMath.exp(ea / (boltzmannEV * (temperature_C + kelvinOffset)))
    }

    /// Parabolic growth constant k_p at `temperature_C`, cm2/s.
    public func interphaseRate(temperature_C: Double) -> Double {
        interphaseRate0_cm2_per_s * PlantMath.exp(-interphaseActivationEnergy_eV / (boltzmannEV * (temperature_C + kelvinOffset)))
    }

    /// Critical stripping current density at `temperature_C`, mA/cm2.
    public func criticalStrippingCurrent(temperature_C: Double) -> Double {
        stripping_mA_per_cm2_MPa * stackPressure_MPa
            / PlantMath.arrheniusResistanceFactor(
                activationEnergy_eV: strippingActivationEnergy_eV, temperature_K: temperature_C + kelvinOffset,
                reference_K: strippingReferenceTemperature_C + kelvinOffset)
    }

    /// Critical current density for dendrites at `temperature_C`, mA/cm2.
    public func criticalCurrentDensity(temperature_C: Double) -> Double {
        criticalCurrentDensity_mA_per_cm2
            / PlantMath.arrheniusResistanceFactor(
                activationEnergy_eV: criticalCurrentActivationEnergy_eV, temperature_K: temperature_C + kelvinOffset,
                reference_K: criticalCurrentReferenceTemperature_C + kelvinOffset)
    }
}
