/// The true electrical parameters of one cell type (the plant's truth, richer than the firmware's).
///
/// Skeleton model: OCV(SoC) + ohmic resistance R0(T) with an Arrhenius law + one RC element.
public struct CellChemistry: Sendable, Equatable {
    /// A short name used in files and summaries ("NaNiCl2").
    public var name: String
    /// Nominal capacity of a cell, in ampere-hours.
    public var capacity_Ah: Double
    /// Open-circuit voltage curve.
    public var ocv: OCVCurve
    /// Ohmic resistance at the reference temperature, in ohms.
    public var r0Reference_ohm: Double
    /// Activation energy of the ohmic resistance (review eq. 1), in eV.
    public var r0ActivationEnergy_eV: Double
    /// Reference temperature of `r0Reference_ohm`, in degrees Celsius.
    public var referenceTemperature_C: Double
    /// Polarisation RC element: resistance (ohms) and capacitance (farads).
    public var rc: RCElement
    /// Heat capacity of one cell including its share of the module, J/K.
    public var cellHeatCapacity_JperK: Double

    public init(
        name: String, capacity_Ah: Double, ocv: OCVCurve, r0Reference_ohm: Double,
        r0ActivationEnergy_eV: Double, referenceTemperature_C: Double, rc: RCElement,
        cellHeatCapacity_JperK: Double
    ) {
        self.name = name
        self.capacity_Ah = capacity_Ah
        self.ocv = ocv
        self.r0Reference_ohm = r0Reference_ohm
        self.r0ActivationEnergy_eV = r0ActivationEnergy_eV
        self.referenceTemperature_C = referenceTemperature_C
        self.rc = rc
        self.cellHeatCapacity_JperK = cellHeatCapacity_JperK
    }

    /// Ohmic resistance at `temperature_C`, scaled by Arrhenius from the reference temperature.
    public func r0(atTemperature_C t: Double) -> Double {
        r0Reference_ohm
            * PlantMath.arrheniusResistanceFactor(
                activationEnergy_eV: r0ActivationEnergy_eV, temperature_K: t + kelvinOffset,
                reference_K: referenceTemperature_C + kelvinOffset)
    }
}

/// A resistor in parallel with a capacitor.
public struct RCElement: Sendable, Equatable {
    public var r_ohm: Double
    public var c_F: Double
    public init(r_ohm: Double, c_F: Double) {
        self.r_ohm = r_ohm
        self.c_F = c_F
    }
    /// Time constant R*C in seconds.
    public var tau_s: Double { r_ohm * c_F }
}
