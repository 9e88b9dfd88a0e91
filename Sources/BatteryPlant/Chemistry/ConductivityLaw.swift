/// How an ionic conductivity depends on temperature.
public enum ConductivityLaw: Sendable, Equatable {
    /// Arrhenius (the review, eq. 1): sigma = sigma0 exp(-Ea / kB T). Ceramics and sulfides.
    case arrhenius(sigma0_S_per_cm: Double, activationEnergy_eV: Double)
    /// Vogel-Tammann-Fulcher (the review, eq. 2): sigma = A T^-1/2 exp(-B / (T - T0)). Polymers.
    /// Below T0 + 1 K the law is held at its T0 + 1 K value (the polymer is glassy, not conducting).
    case vtf(a_S_K05_per_cm: Double, b_K: Double, t0_K: Double)

    /// Conductivity in S/cm at `temperature_K`.
    public func conductivity_S_per_cm(temperature_K t: Double) -> Double {
        switch self {
        case .arrhenius(let sigma0, let ea):
            return sigma0 * PlantMath.exp(-ea / (boltzmannEV * t))
        case .vtf(let a, let b, let t0):
            let tt = max(t, t0 + 1)
            return a / tt.squareRoot() * PlantMath.exp(-b / (tt - t0))
        }
    }
}

extension ConductivityLaw {
    /// An Arrhenius law through a known conductivity at a known temperature.
    public static func arrhenius(_ sigma_S_per_cm: Double, at temperature_C: Double, activationEnergy_eV ea: Double) -> ConductivityLaw {
        .arrhenius(
            sigma0_S_per_cm: sigma_S_per_cm * PlantMath.exp(ea / (boltzmannEV * (temperature_C + kelvinOffset))),
            activationEnergy_eV: ea)
    }
}

/// How a resistance depends on temperature (each impedance element carries its own law).
public enum ResistanceLaw: Sendable, Equatable {
    /// Temperature-independent (equivalent-circuit cells such as the Thevenin definition).
    case constant(ohm: Double)
    /// R(T) = R(Tref) exp[(Ea/kB)(1/T - 1/Tref)].
    case arrhenius(reference_ohm: Double, referenceTemperature_C: Double, activationEnergy_eV: Double)
    /// A conducting layer (the review, eq. 3): R = L / (sigma(T) S).
    case layer(ConductivityLaw, thickness_cm: Double, area_cm2: Double)

    /// Resistance in ohms at `temperature_C`.
    public func resistance_ohm(temperature_C: Double) -> Double {
        switch self {
        case .constant(let r):
            return r
        case .arrhenius(let r, let tref, let ea):
            return r * PlantMath.arrheniusResistanceFactor(
                activationEnergy_eV: ea, temperature_K: temperature_C + kelvinOffset, reference_K: tref + kelvinOffset)
        case .layer(let law, let thickness, let area):
            return thickness / (law.conductivity_S_per_cm(temperature_K: temperature_C + kelvinOffset) * area)
        }
    }
}
