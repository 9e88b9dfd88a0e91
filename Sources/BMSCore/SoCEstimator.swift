/// State-of-charge estimator for the mean cell of a string: an extended Kalman filter on top of the
/// exact coulomb counter.
///
/// The counter integrates the measured current in integer microcoulombs; the filter estimates what
/// the counter cannot know, with state
/// x = [SoC correction delta, polarisation voltage v, current-sensor offset b]:
///
///     SoC = SoC_counted + delta
///     delta' = delta + dt b / (3600 Q)                    (the counter counted the offset too)
///     v'     = a v + (1 - a) R1 (i - b),  a = exp(-dt / tau)
///     b'     = b
///     mean cell voltage = OCV(SoC, T) - R0(T, SoC) (i - b) - v
///
/// Measurements: the mean cell voltage (informative where the OCV slopes, or through the
/// resistance's rise with depth of discharge under load); the current while the contactors are
/// open (it must be zero: what the sensor reads is its offset); and full charge (a constant-voltage
/// charge that has tapered: SoC = 1). On a flat plateau the filter is, correctly, a coulomb counter
/// with offset correction whose bound widens until the next end-of-charge.
public struct SoCEstimator: Sendable {
    /// Filter settings (standard deviations).
    public struct Settings: Sendable {
        /// Initial SoC uncertainty (fraction); the default trusts a value stored at shutdown to 5 %.
        public var initialSoCSigma: Float
        /// Initial current-offset uncertainty, A.
        public var initialOffsetSigma: Float
        /// SoC random walk per sqrt(hour) (capacity and efficiency errors).
        public var socWalk_per_sqrt_h: Float
        /// Offset random walk per sqrt(hour), A.
        public var offsetWalk_per_sqrt_h: Float
        /// Polarisation-voltage process noise per sqrt(second), V.
        public var polarisationWalk_per_sqrt_s: Float
        /// Model error of the mean cell voltage, V (dominates the cell-voltage noise).
        public var voltageModelError: Float
        /// Noise of one current reading, A.
        public var currentNoise: Float
        /// Relative uncertainty of the modelled resistance (until health estimation calibrates it):
        /// under load the voltage model is trusted less by this fraction of the IR drop.
        public var resistanceUncertainty: Float
        /// The smallest OCV slope, V per unit SoC, at which the voltage says anything about SoC;
        /// on flatter parts (the plateaus) the filter does not take voltage corrections.
        public var minimumOCVSlope: Float

        public init(
            initialSoCSigma: Float = 0.05, initialOffsetSigma: Float = 0.1, socWalk_per_sqrt_h: Float = 0.002,
            offsetWalk_per_sqrt_h: Float = 0.002, polarisationWalk_per_sqrt_s: Float = 1e-4, voltageModelError: Float = 0.004,
            currentNoise: Float = 0.05, resistanceUncertainty: Float = 0.3, minimumOCVSlope: Float = 0.2
        ) {
            self.initialSoCSigma = initialSoCSigma
            self.initialOffsetSigma = initialOffsetSigma
            self.socWalk_per_sqrt_h = socWalk_per_sqrt_h
            self.offsetWalk_per_sqrt_h = offsetWalk_per_sqrt_h
            self.polarisationWalk_per_sqrt_s = polarisationWalk_per_sqrt_s
            self.voltageModelError = voltageModelError
            self.currentNoise = currentNoise
            self.resistanceUncertainty = resistanceUncertainty
            self.minimumOCVSlope = minimumOCVSlope
        }
    }

    public let settings: Settings
    /// State: SoC correction, polarisation voltage (V), current offset (A).
    public private(set) var x: SIMD3<Float> = .zero
    /// State covariance.
    public private(set) var p: Matrix3

    public init(settings: Settings) {
        self.settings = settings
        let s = settings
        p = Matrix3.diagonal(SIMD3(s.initialSoCSigma * s.initialSoCSigma, 1e-4, s.initialOffsetSigma * s.initialOffsetSigma))
    }

    /// Estimated correction to the counted SoC.
    public var socCorrection: Float { x.x }
    /// Estimated polarisation voltage of the mean cell, V.
    public var polarisation: Volts { Volts(x.y) }
    /// Estimated current-sensor offset (reading minus truth), A.
    public var currentOffset: Amperes { Amperes(x.z) }
    /// One standard deviation of the SoC estimate.
    public var socSigma: Float { p.c0.x > 0 ? p.c0.x.squareRoot() : 0 }

    /// Propagates the state over `dt` seconds with the measured current.
    public mutating func predict(measuredCurrent i: Amperes, dt: Float, capacity: AmpereHours, polarisationResistance r1: Ohms, timeConstant_s tau: Float) {
        let a = CoreMath.exp(-dt / tau)
        let k = dt / (3600 * capacity.value)
        let trueCurrent = i.value - x.z
        x = SIMD3(x.x + k * x.z, a * x.y + (1 - a) * r1.value * trueCurrent, x.z)
        // F = [[1, 0, k], [0, a, -(1 - a) R1], [0, 0, 1]] in columns.
        let f = Matrix3(SIMD3(1, 0, 0), SIMD3(0, a, 0), SIMD3(k, -(1 - a) * r1.value, 1))
        let s = settings
        let hours = dt / 3600
        let q = SIMD3<Float>(
            s.socWalk_per_sqrt_h * s.socWalk_per_sqrt_h * hours,
            s.polarisationWalk_per_sqrt_s * s.polarisationWalk_per_sqrt_s * dt,
            s.offsetWalk_per_sqrt_h * s.offsetWalk_per_sqrt_h * hours)
        p = f * p * f.transposed + Matrix3.diagonal(q)
    }

    /// Corrects with the measured mean cell voltage.
    ///
    /// - Parameters: `counted` is the coulomb counter's SoC; `cellNoise` the standard deviation of
    ///   the mean of the cell readings.
    public mutating func updateVoltage(
        measuredMean y: Volts, measuredCurrent i: Amperes, counted: StateOfCharge, temperature: Celsius, model: CellModel, cellNoise: Float
    ) {
        let soc = StateOfCharge(counted.value + x.x)
        let ocv = model.openCircuit(soc, temperature: temperature)
        let factor = model.resistanceFactor(temperature)
        let depth = max(0, min(1, 1 - soc.value))
        let r0 = (model.ohmicResistance.value + model.resistancePerDepthOfDischarge.value * depth) * factor
        let trueCurrent = i.value - x.z
        // On a plateau the voltage carries no SoC information worth the model's errors.
        guard ocv.slope >= settings.minimumOCVSlope else { return }
        let predicted = ocv.voltage.value - r0 * trueCurrent - x.y
        // dy/d(delta): OCV slope, plus the rise of R0 with depth of discharge (dR0/dSoC = -k f).
        let inTable = soc.value > 0 && soc.value < 1
        let dR = inTable ? model.resistancePerDepthOfDischarge.value * factor * trueCurrent : 0
        let h = SIMD3<Float>(ocv.slope + dR, -1, r0)
        let irUncertainty = settings.resistanceUncertainty * r0 * trueCurrent
        let r = settings.voltageModelError * settings.voltageModelError + cellNoise * cellNoise + irUncertainty * irUncertainty
        update(innovation: y.value - predicted, h: h, noiseVariance: r)
    }

    /// Corrects the SoC with a read off the OCV table at rest (polarisation relaxed): the answer to
    /// a nonlinearity the linearised voltage update cannot bridge, such as an estimate on the
    /// ZEBRA plateau while the cell rests on the end-of-discharge step.
    ///
    /// The read is the range of SoC whose OCV is within two standard deviations of the reading
    /// (model error and noise): its middle, with a quarter of its width as the standard deviation.
    /// On a plateau the range spans the plateau, so the read is weak; on a step it is sharp.
    public mutating func updateRestingOCV(
        measuredMean y: Volts, counted: StateOfCharge, temperature: Celsius, model: CellModel, cellNoise: Float
    ) {
        let shift = model.ocvTemperatureCoefficient * (temperature.value - model.ocvReference.value)
        let sigmaV = (settings.voltageModelError * settings.voltageModelError + cellNoise * cellNoise).squareRoot()
        let v = y.value - shift
        let range = model.ocv.socRange(forVoltage: Volts(v - 2 * sigmaV), Volts(v + 2 * sigmaV))
        let middle = (range.lowerBound.value + range.upperBound.value) / 2
        let sigma = max((range.upperBound.value - range.lowerBound.value) / 4, 1e-3)
        update(innovation: middle - (counted.value + x.x), h: SIMD3(1, 0, 0), noiseVariance: sigma * sigma)
    }

    /// Corrects the offset with a current reading taken while no current can flow.
    public mutating func updateZeroCurrent(measured i: Amperes) {
        let n = settings.currentNoise
        update(innovation: i.value - x.z, h: SIMD3(0, 0, 1), noiseVariance: n * n)
    }

    /// Corrects the SoC to full (a tapered constant-voltage charge), within `sigma`.
    public mutating func updateFullCharge(counted: StateOfCharge, sigma: Float) {
        update(innovation: 1 - (counted.value + x.x), h: SIMD3(1, 0, 0), noiseVariance: sigma * sigma)
    }

    /// Scalar-measurement Kalman update in Joseph form (keeps P symmetric and positive).
    mutating func update(innovation: Float, h: SIMD3<Float>, noiseVariance r: Float) {
        let ph = p * h
        let s = (h * ph).sum() + r
        guard s > 0, s.isFinite, innovation.isFinite else { return }
        let k = ph / s
        x += k * innovation
        let a = Matrix3.identity + Matrix3.outer(k, h) * -1
        p = a * p * a.transposed + Matrix3.outer(k, k) * r
    }
}
