/// The firmware's own model of one cell: datasheet-level numbers, deliberately simpler than the
/// plant (one ohmic resistance with an Arrhenius law, one RC element, a coarse OCV table). It is
/// configured once and never reads the plant.
public struct CellModel: Sendable {
    /// Rated capacity.
    public var capacity: AmpereHours
    /// OCV against SoC at `ocvReference`.
    public var ocv: OCVTable
    /// dOCV/dT, V/K.
    public var ocvTemperatureCoefficient: Float
    public var ocvReference: Celsius
    /// Ohmic resistance at `resistanceReference` and full charge.
    public var ohmicResistance: Ohms
    /// Added ohmic resistance per unit depth of discharge (ZEBRA reaction front; 0 otherwise).
    public var resistancePerDepthOfDischarge: Ohms
    public var resistanceActivationEnergy_eV: Float
    public var resistanceReference: Celsius
    /// Polarisation RC element.
    public var polarisationResistance: Ohms
    public var polarisationTimeConstant_s: Float
    /// Cell voltage at which a constant-voltage charge ends (full-charge detection).
    public var fullChargeVoltage: Volts
    /// A flat-plateau chemistry (ZEBRA, Na-S upper region, NVP): voltage says little about SoC.
    public var flatPlateau: Bool

    public init(
        capacity: AmpereHours, ocv: OCVTable, ocvTemperatureCoefficient: Float, ocvReference: Celsius,
        ohmicResistance: Ohms, resistancePerDepthOfDischarge: Ohms, resistanceActivationEnergy_eV: Float,
        resistanceReference: Celsius, polarisationResistance: Ohms, polarisationTimeConstant_s: Float,
        fullChargeVoltage: Volts, flatPlateau: Bool
    ) {
        self.capacity = capacity
        self.ocv = ocv
        self.ocvTemperatureCoefficient = ocvTemperatureCoefficient
        self.ocvReference = ocvReference
        self.ohmicResistance = ohmicResistance
        self.resistancePerDepthOfDischarge = resistancePerDepthOfDischarge
        self.resistanceActivationEnergy_eV = resistanceActivationEnergy_eV
        self.resistanceReference = resistanceReference
        self.polarisationResistance = polarisationResistance
        self.polarisationTimeConstant_s = polarisationTimeConstant_s
        self.fullChargeVoltage = fullChargeVoltage
        self.flatPlateau = flatPlateau
    }

    /// OCV and its slope at `soc` and `temperature`.
    public func openCircuit(_ soc: StateOfCharge, temperature: Celsius) -> (voltage: Volts, slope: Float) {
        let e = ocv.evaluate(soc)
        return (Volts(e.voltage.value + ocvTemperatureCoefficient * (temperature.value - ocvReference.value)), e.slope)
    }

    /// Temperature factor of every resistance at `temperature` (1 at the reference).
    public func resistanceFactor(_ temperature: Celsius) -> Float {
        CoreMath.arrheniusFactor(activationEnergy_eV: resistanceActivationEnergy_eV, temperature: temperature, reference: resistanceReference)
    }
}
