/// The ZEBRA cathode's reaction-front resistance, rising with depth of discharge as the front moves
/// into the cathode: R_front = k DoD exp[(Ea/kB)(1/T - 1/Tref)] (REFERENCE section 2). It is ohmic
/// (ionic conduction through the melt-filled cathode), so it adds to the high-frequency intercept.
public struct ReactionFront: Sendable, Equatable {
    /// Resistance added per unit depth of discharge at the reference temperature, ohms.
    public var slope_ohm: Double
    public var activationEnergy_eV: Double
    public var referenceTemperature_C: Double

    public init(slope_ohm: Double, activationEnergy_eV: Double, referenceTemperature_C: Double) {
        self.slope_ohm = slope_ohm
        self.activationEnergy_eV = activationEnergy_eV
        self.referenceTemperature_C = referenceTemperature_C
    }

    /// The resistance per unit DoD at `temperature_C`.
    public func slope_ohm(temperature_C: Double) -> Double {
        slope_ohm
            * PlantMath.arrheniusResistanceFactor(
                activationEnergy_eV: activationEnergy_eV, temperature_K: temperature_C + kelvinOffset,
                reference_K: referenceTemperature_C + kelvinOffset)
    }
}
