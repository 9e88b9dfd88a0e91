/// Conductivity laws of polycrystalline beta''-alumina, split into bulk and grain boundary.
///
/// REFERENCE section 2: 0.2-0.4 S/cm at 300 C and about 2e-3 S/cm at 25 C (single fit sigma0 about
/// 68 S/cm, Ea about 0.27 eV); bulk Ea 0.1-0.2 eV, grain-boundary Ea 0.3-0.4 eV. The split (bulk
/// Ea 0.15 eV, grain boundary 0.32 eV, 60 % of the resistivity in the bulk at 300 C) is a
/// calibration that reproduces the single fit: 0.287 S/cm at 300 C (fit 0.287), 0.224 at 270 C
/// (0.212), 0.406 at 350 C (0.446) and 1.7e-3 at 25 C (1.9e-3).
public enum BetaAlumina {
    public static let bulk = ConductivityLaw.arrhenius(sigma0_S_per_cm: 9.98, activationEnergy_eV: 0.15)
    public static let grainBoundary = ConductivityLaw.arrhenius(sigma0_S_per_cm: 468, activationEnergy_eV: 0.32)
}
