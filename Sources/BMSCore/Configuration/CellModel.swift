/// The firmware's own model of one cell: datasheet-level numbers, deliberately simpler than the
/// plant (one ohmic resistance with an Arrhenius law, one RC element, a coarse OCV table). It is
/// configured once and never reads the plant.
public struct CellModel: Sendable {
    /// Rated capacity.
    public var capacity: AmpereHours
    /// OCV against SoC at `ocvReference`: the middle between the charge and discharge branches
    /// where the cell has a hysteresis.
    public var ocv: OCVTable
    /// The OCV's hysteresis about `ocv` (two-phase NVP; nil where none was measured).
    public var hysteresis: OCVHysteresis?
    /// One standard deviation of the table's error for a string's mean cell (the
    /// characterisation's sample spread over the square root of its sample count): a bias all
    /// voltage reads share, not noise that averages away.
    public var ocvUncertainty: Volts
    /// dOCV/dT, V/K.
    public var ocvTemperatureCoefficient: Float
    public var ocvReference: Celsius
    /// Ohmic resistance at `resistanceReference` and full charge.
    public var ohmicResistance: Ohms
    /// The interface's share of `ohmicResistance` (the maker's Na | electrolyte interface
    /// resistance for the cell's area) at `resistanceReference`.
    public var interfaceResistance: Ohms
    /// Added ohmic resistance per unit depth of the active reaction front (ZEBRA; 0 otherwise).
    public var resistancePerDepthOfDischarge: Ohms
    /// Width of the reaction zone the front's depth is averaged over, fraction of capacity
    /// (`ReactionFrontTracker`; characterised by a partial-cycle test, 0.05 when not).
    public var reactionZoneWidth: Float
    public var resistanceActivationEnergy_eV: Float
    /// The reaction front's own activation energy (ZEBRA: the melt's ionic path, not the
    /// ceramic's), eV; nil: the same as `resistanceActivationEnergy_eV`.
    public var frontActivationEnergy_eV: Float?
    public var resistanceReference: Celsius
    /// Polarisation RC element: its small-signal resistance and its time constant.
    public var polarisationResistance: Ohms
    public var polarisationTimeConstant: Seconds
    /// Exchange current of the polarisation's charge transfer at `resistanceReference` (a
    /// symmetric Butler-Volmer law: the element's resistance at current I is its small-signal
    /// value times asinh(x) / x, x = I / 2 I0); nil: linear.
    public var polarisationExchangeCurrent: Amperes?
    /// Cell voltage at which a constant-voltage charge ends (full-charge detection).
    public var fullChargeVoltage: Volts
    /// A flat-plateau chemistry (ZEBRA, Na-S upper region, NVP): voltage says little about SoC.
    public var flatPlateau: Bool
    /// Dendrite limit of a solid Na-metal anode (nil for liquid-sodium cells).
    public var criticalCurrent: CriticalCurrentDensity?
    /// Temperature below which the cell's melt freezes (molten-electrode cells; nil otherwise).
    public var freezingPoint: Celsius?
    /// The cell fails short by design (ZEBRA): a cell at about 0 V with normal neighbours is a
    /// failed cell to run past, not an under-voltage.
    public var failsShort: Bool

    @inlinable public init(
        interfaceResistance: Ohms = .zero, capacity: AmpereHours, ocv: OCVTable, ocvTemperatureCoefficient: Float, ocvReference: Celsius,
        ohmicResistance: Ohms, resistancePerDepthOfDischarge: Ohms, resistanceActivationEnergy_eV: Float,
        resistanceReference: Celsius, polarisationResistance: Ohms, polarisationTimeConstant: Seconds,
        fullChargeVoltage: Volts, flatPlateau: Bool, criticalCurrent: CriticalCurrentDensity? = nil, failsShort: Bool = false,
        freezingPoint: Celsius? = nil, ocvUncertainty: Volts = Volts(0.002), reactionZoneWidth: Float = 0.05,
        frontActivationEnergy_eV: Float? = nil, hysteresis: OCVHysteresis? = nil, polarisationExchangeCurrent: Amperes? = nil
    ) {
        self.polarisationExchangeCurrent = polarisationExchangeCurrent
        self.hysteresis = hysteresis
        self.frontActivationEnergy_eV = frontActivationEnergy_eV
        self.reactionZoneWidth = reactionZoneWidth
        self.ocvUncertainty = ocvUncertainty
        self.interfaceResistance = interfaceResistance
        self.capacity = capacity
        self.ocv = ocv
        self.ocvTemperatureCoefficient = ocvTemperatureCoefficient
        self.ocvReference = ocvReference
        self.ohmicResistance = ohmicResistance
        self.resistancePerDepthOfDischarge = resistancePerDepthOfDischarge
        self.resistanceActivationEnergy_eV = resistanceActivationEnergy_eV
        self.resistanceReference = resistanceReference
        self.polarisationResistance = polarisationResistance
        self.polarisationTimeConstant = polarisationTimeConstant
        self.fullChargeVoltage = fullChargeVoltage
        self.flatPlateau = flatPlateau
        self.criticalCurrent = criticalCurrent
        self.failsShort = failsShort
        self.freezingPoint = freezingPoint
    }

    /// OCV and its slope at `soc` and `temperature`.
    @inlinable public func openCircuit(_ soc: StateOfCharge, temperature: Celsius) -> (voltage: Volts, slope: Float) {
        let e = ocv.evaluate(soc)
        return (Volts(e.voltage.value + ocvShift(temperature)), e.slope)
    }

    /// How far the OCV at `temperature` stands from the table's (taken at `ocvReference`), V:
    /// what a reading loses before it is read through the table.
    @inlinable public func ocvShift(_ temperature: Celsius) -> Float {
        ocvTemperatureCoefficient * (temperature.value - ocvReference.value)
    }

    /// The largest plating (charge) current of one cell that keeps the local current density at
    /// `fraction` of the CCD at `temperature`, A (nil when the cell has no such limit).
    @inlinable public func maximumPlatingCurrent(_ temperature: Celsius, fraction: Float) -> Amperes? {
        guard let ccd = criticalCurrent else { return nil }
        return Amperes(fraction * ccd.density_mA_per_cm2(temperature) * ccd.area_cm2 / 1000)
    }

    /// Temperature factor of every resistance at `temperature` (1 at the reference).
    @inlinable public func resistanceFactor(_ temperature: Celsius) -> Float {
        CoreMath.arrheniusFactor(activationEnergy_eV: resistanceActivationEnergy_eV, temperature: temperature, reference: resistanceReference)
    }

    /// The polarisation element's resistance carrying `current` (one cell's) at `temperature`,
    /// whose resistance factor is `factor`: the small-signal resistance times the factor, times
    /// asinh(x) / x with x = I / 2 I0 for a Butler-Volmer element. I0 = V_T / R scales as the
    /// absolute temperature over the factor.
    @inlinable public func polarisationResistance(carrying current: Amperes, temperature: Celsius, factor: Float) -> Ohms {
        let r = polarisationResistance * factor
        guard let i0 = polarisationExchangeCurrent?.value, i0 > 0, current.value.isFinite else { return r }
        let exchange = i0 * (temperature.kelvin / resistanceReference.kelvin) / factor
        return r * CoreMath.asinhRatio(current.value / (2 * exchange))
    }

    /// The polarisation element carrying `current` at `temperature` (resistance factor `factor`):
    /// its resistance (`polarisationResistance(carrying:temperature:factor:)`) and its time
    /// constant, R C with the double layer's C fixed, so scaled by the factor too. What the SoC
    /// filter predicts with and the resistance fit regresses on.
    @inlinable public func polarisationElement(carrying current: Amperes, temperature: Celsius, factor: Float) -> (resistance: Ohms, timeConstant: Seconds) {
        (polarisationResistance(carrying: current, temperature: temperature, factor: factor), polarisationTimeConstant * factor)
    }

    /// The reaction front's temperature factor over the ohmic one's at `temperature` (1 without
    /// a front activation energy of its own): R = factor (R0 + k depth ratio).
    @inlinable public func frontFactorRatio(_ temperature: Celsius) -> Float {
        guard let e = frontActivationEnergy_eV else { return 1 }
        return CoreMath.arrheniusFactor(activationEnergy_eV: e - resistanceActivationEnergy_eV, temperature: temperature, reference: resistanceReference)
    }
}

/// The critical current density above which plating sodium penetrates the electrolyte (the review:
/// 0.85 mA/cm2 at 30 C for NZSSP), with its temperature law: CCD(T) = CCD(Tref) / Arrhenius factor.
public struct CriticalCurrentDensity: Sendable {
    public var reference_mA_per_cm2: Float
    public var referenceTemperature: Celsius
    public var activationEnergy_eV: Float
    /// Electrolyte area of a cell, cm2.
    public var area_cm2: Float

    @inlinable public init(reference_mA_per_cm2: Float, referenceTemperature: Celsius, activationEnergy_eV: Float, area_cm2: Float) {
        self.reference_mA_per_cm2 = reference_mA_per_cm2
        self.referenceTemperature = referenceTemperature
        self.activationEnergy_eV = activationEnergy_eV
        self.area_cm2 = area_cm2
    }

    /// CCD at `temperature`, mA/cm2 (rises with temperature).
    @inlinable public func density_mA_per_cm2(_ temperature: Celsius) -> Float {
        reference_mA_per_cm2 / CoreMath.arrheniusFactor(activationEnergy_eV: activationEnergy_eV, temperature: temperature, reference: referenceTemperature)
    }
}
