/// The ZEBRA cathode's reaction-front resistance, rising with depth of discharge as the front moves
/// into the cathode: R_front = k DoD exp[(Ea/kB)(1/T - 1/Tref)] (REFERENCE section 2). It is ohmic
/// (ionic conduction through the melt-filled cathode), so it adds to the high-frequency intercept.
/// The depth is that of the active front, which depends on the cell's history of charge and
/// discharge (`ReactionFrontLayers`); after a discharge from full it is the depth of discharge.
public struct ReactionFront: Sendable, Equatable {
    /// Resistance added per unit depth of the active front at the reference temperature, ohms.
    public var slope_ohm: Double
    public var activationEnergy_eV: Double
    public var referenceTemperature_C: Double
    /// Width of the reaction zone, as a fraction of capacity: the resistance follows the mean
    /// depth of this much reactant beyond the front (this project's choice, 0.04: layers thinner
    /// than a few percent of capacity blend with the reactant behind them).
    public var zoneWidth: Double

    public init(slope_ohm: Double, activationEnergy_eV: Double, referenceTemperature_C: Double, zoneWidth: Double = 0.04) {
        self.slope_ohm = slope_ohm
        self.activationEnergy_eV = activationEnergy_eV
        self.referenceTemperature_C = referenceTemperature_C
        self.zoneWidth = zoneWidth
    }

    /// The resistance per unit DoD at `temperature_C`.
    public func slope_ohm(temperature_C: Double) -> Double {
        slope_ohm
            * PlantMath.arrheniusResistanceFactor(
                activationEnergy_eV: activationEnergy_eV, temperature_K: temperature_C + kelvinOffset,
                reference_K: referenceTemperature_C + kelvinOffset)
    }
}
