/// State-of-charge estimator for the mean cell of a string: an extended Kalman filter on top of the
/// exact coulomb counter.
///
/// The counter integrates the measured current in integer microcoulombs; the filter estimates what
/// the counter cannot know, with state
/// x = [SoC correction delta, polarisation voltage v, current-sensor offset b, resistance-law
/// scale error s]:
///
///     SoC = SoC_counted + delta
///     delta' = delta + dt b / (3600 Q)                    (the counter counted the offset too)
///     v'     = a v + (1 - a) R1 (i - b),  a = exp(-dt / tau)
///     b'     = b
///     s'     = s                                          (R = (R0 + k DoD) (1 + s))
///     mean cell voltage = OCV(SoC, T) - R0(T, SoC) (i - b) - v
///
/// For a cell with an OCV hysteresis (two-phase NVP; `OCVHysteresis`, never with a reaction
/// front) the fourth state is instead the hysteresis state h in -1 ... +1, and the OCV is
/// OCV_table(SoC) + M(SoC) h with the half gap M:
///
///     h' = h + (target - h) c,  c = 1 - exp(-|dSoC| / transition charge), target -1 (discharge) or +1
///
/// h is observable from the voltage's response to the current's direction (a move towards the
/// branch h is on changes nothing, one away from it crosses the gap), so the filter learns the
/// branch a power-up did not know, instead of carrying it as an irreducible bias.
///
/// The scale error s is the datasheet resistance law's error (lot, ageing): a constant that every
/// reaction-front read shares, so it is a state rather than noise. Without it the filter would
/// average the reads as if independent and take the law's bias into the SoC; with it a read
/// moves the SoC only as far as the SoC's own uncertainty warrants, and a full charge (SoC known)
/// calibrates the law.
///
/// Measurements: the mean cell voltage (informative where the OCV slopes); the mean cell's ohmic
/// resistance where it rises with depth of discharge (ZEBRA); the current while the contactors are
/// open (it must be zero: what the sensor reads is its offset); and full charge (a constant-voltage
/// charge that has tapered: SoC = 1). On a flat plateau the filter is, correctly, a coulomb counter
/// with offset correction whose bound widens until the next end-of-charge.
public struct SoCEstimator: Sendable {
    /// Filter settings (standard deviations).
    public struct Settings: Sendable {
        /// Initial SoC uncertainty; the default trusts a value stored at shutdown to 2 %.
        public var initialSoCSigma: StateOfCharge
        /// Initial current-offset uncertainty.
        public var initialOffsetSigma: Amperes
        /// SoC random walk per sqrt(hour) (capacity and efficiency errors).
        public var socWalk_per_sqrt_h: Float
        /// Offset random walk per sqrt(hour), A.
        public var offsetWalk_per_sqrt_h: Float
        /// Polarisation-voltage process noise per sqrt(second), V.
        public var polarisationWalk_per_sqrt_s: Float
        /// Model error of the mean cell voltage (dominates the cell-voltage noise).
        public var voltageModelError: Volts
        /// Noise of one current reading.
        public var currentNoise: Amperes
        /// Relative uncertainty of the modelled resistance (until health estimation calibrates it):
        /// under load the voltage model is trusted less by this fraction of the IR drop.
        public var resistanceUncertainty: Ratio
        /// The smallest OCV slope, V per unit SoC, at which the voltage says anything about SoC;
        /// on flatter parts (the plateaus) the filter does not take voltage corrections.
        public var minimumOCVSlope: Float
        /// Relative uncertainty (one sigma) of the datasheet resistance-vs-depth law: the initial
        /// spread of the scale-error state.
        public var frontResistanceError: Ratio
        /// Random walk of the resistance-law scale per sqrt(hour) (ageing between calibrations).
        public var resistanceScaleWalk_per_sqrt_h: Float
        /// Where the health estimate's mean resistance differs from the datasheet's by more than
        /// `resistanceUncertainty`, the voltage model is trusted less by that difference's share
        /// of the IR drop instead (cells without a reaction front), while the measurement is
        /// within this multiple of the datasheet's (0.5 ... 50: an interphase grown for years
        /// multiplies it tenfold and more; outside it the fit is taken for wrong).
        public var measuredResistanceRange: ClosedRange<Float> = 0.5...50
        /// Whether a cell with neither hysteresis nor a reaction front learns the resistance
        /// law's scale: from the loaded voltage (`updateVoltage`), or, under
        /// `scaleOnlyFromReads`, from resistance reads alone (`updateResistanceScale`; what
        /// `CoreConfiguration.assumeUnknownHistory()` sets up). Off for a pack commissioned
        /// new, whose datasheet law holds within `frontResistanceError`: on a new Na-S string's
        /// arbitrage day it moved the polarisation estimate the per-cell resistance fit uses,
        /// and the contact-loss check raised a false alarm. On for a pack of unknown history
        /// (`CoreConfiguration.assumeUnknownHistory()`).
        public var learnsResistanceScale = false
        /// ... and before the health estimate has measured it, this (nil: `resistanceUncertainty`,
        /// for a pack commissioned new; 3 for one of unknown history, whose interphase may have
        /// grown for years: `CoreConfiguration.assumeUnknownHistory()`).
        public var unmeasuredResistanceUncertainty: Ratio? = nil
        /// A loaded-voltage update whose innovation lies beyond this many of its own standard
        /// deviations is not applied (5: a consistent filter sees one in about two million).
        /// Such a voltage is the model's failure, not news of the SoC: a cell's resistance many
        /// times the datasheet's before the health estimate has measured it put an end-of-life
        /// sulfide string's estimate 20 points low within an hour of load, at a sigma of 0.15 %.
        /// The rests' OCV reads are not gated.
        public var innovationGate: Float = 5
        /// Initial variance of the polarisation voltage, V^2 (1e-4: 10 mV, a relaxed cell's at most).
        public var initialPolarisationVariance: Float = 1e-4
        /// The OCV must slope across this many sigmas of the estimate either side for a voltage
        /// update (2) ...
        public var slopeCheckSigmas: Float = 2
        /// ... and at least this far (1 %: an estimate at the foot of a plateau must not take the
        /// slope below for its own).
        public var slopeCheckMinimumReach = StateOfCharge(0.01)
        /// An OCV read (at rest, or the loaded range check) takes the SoC range whose OCV lies
        /// within this many sigmas of the reading (2); the read's sigma is that range's width
        /// over twice this ...
        public var readBandSigmas: Float = 2
        /// ... and at least this (0.1 %: the OCV table's resolution).
        public var readSigmaFloor = StateOfCharge(1e-3)
        /// How far a long rest is trusted to be zero current, per cell (one sigma; nil: rests
        /// say nothing about the offset). A pack idle below C/100 for minutes is taken as an idle
        /// converter: what the sensor reads then is mostly its offset, and on a flat plateau
        /// (ZEBRA, Na-S) nothing else can tell the offset from a small real current.
        public var restCurrentSigma: Amperes?
        /// A rest read further from the offset estimate than this many of its innovation's
        /// sigmas is a real current, not the offset (3): the EMS may ask a small current below
        /// the rest threshold for hours (a 240-cell ZEBRA string took a C/200 charge, -0.18 A,
        /// for its offset and ran 18 points low in the next 36 h). Not applied, and counted in
        /// `gatedUpdates`.
        public var restCurrentGate: Float = 3
        /// The OCV table's bias decorrelates over this much SoC (10 %: another stretch of the
        /// table, measured at other points) ...
        public var ocvBiasCorrelationSoC: Float = 0.1
        /// ... and over this time (6 h: temperature and ageing move it).
        public var ocvBiasCorrelationTime: Seconds = Seconds(6 * 3600)
        /// The spread of the string's cells' SoC around the mean (2 %, as the per-cell filter
        /// starts): near a bend of the OCV table it biases the mean cell voltage.
        public var cellSpread = StateOfCharge(0.02)
        /// The OCV hysteresis state's initial uncertainty (one sigma; 1/sqrt(3): uniform over
        /// -1 ... 1, nothing known of the history before power-up) ...
        public var initialHysteresisSigma: Float = 0.577
        /// ... and its model error per full crossing of the gap (one sigma; 0.1: the transition
        /// law and the gap's shape are a fit).
        public var hysteresisWalkPerCrossing: Float = 0.1

        @inlinable public init(
            initialSoCSigma: StateOfCharge = StateOfCharge(0.02), initialOffsetSigma: Amperes = Amperes(0.1),
            socWalk_per_sqrt_h: Float = 0.002, offsetWalk_per_sqrt_h: Float = 0.002, polarisationWalk_per_sqrt_s: Float = 1e-4,
            voltageModelError: Volts = Volts(0.004), currentNoise: Amperes = Amperes(0.05), resistanceUncertainty: Ratio = Ratio(0.3),
            minimumOCVSlope: Float = 0.05, frontResistanceError: Ratio = Ratio(0.1), resistanceScaleWalk_per_sqrt_h: Float = 0.001,
            restCurrentSigma: Amperes? = Amperes(0.03)
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
            self.frontResistanceError = frontResistanceError
            self.resistanceScaleWalk_per_sqrt_h = resistanceScaleWalk_per_sqrt_h
            self.restCurrentSigma = restCurrentSigma
        }
    }

    public let settings: Settings
    /// State: SoC correction, polarisation voltage (V), current offset (A), resistance-law scale error.
    @inlinable public var x: SIMD4<Float> { _read { yield _x } }
    @usableFromInline var _x: SIMD4<Float> = .zero
    /// State covariance (with the random walks not yet added to `_p`).
    @inlinable public var p: Matrix4 { Self.adding(_pendingWalk, to: _p) }
    @usableFromInline var _p: Matrix4
    /// Covariance of the state with the OCV table's bias b (table minus truth, V), a "consider"
    /// parameter (Schmidt): not estimated, but every read through the table shares it, so the
    /// filter cannot average it away by reading ten times a second. Its variance is the cell
    /// model's `ocvUncertainty` squared.
    @usableFromInline var _pxb: SIMD4<Float> = .zero
    @usableFromInline var _biasVariance: Float = 0
    /// The random walks of the SoC, offset and resistance-scale states not yet added to the
    /// covariance's diagonal (`predict` adds them once they are worth 1/1024 of it). Per step the
    /// SoC walk is about 1e-10 of variance: added step by step to a variance of 2.5e-3 (a 5 %
    /// sigma) it rounded to nothing, and the bound stopped widening.
    @usableFromInline var _pendingWalk: SIMD4<Float> = .zero

    /// Covariance of the state with the capacity's relative error e (the true change of SoC is
    /// the counted one times 1 + e: the capacity the counter divides by is the assumed or last
    /// measured one), a second consider parameter: not estimated here (`CapacityEstimator`
    /// measures it between anchors), but every counted change shares it, so the SoC's
    /// uncertainty grows with the charge moved, not only with time. Its variance is
    /// `_capacityVariance`; the two consider parameters are taken as independent.
    @usableFromInline var _pxc: SIMD4<Float> = .zero
    @usableFromInline var _capacityVariance: Float
    /// The capacity's unmeasured fade not yet added to `_capacityVariance` (as `_pendingWalk`).
    @usableFromInline var _pendingCapacityWalk: Float = 0

    /// Updates not applied: loaded voltages beyond `Settings.innovationGate`, rest current reads
    /// beyond `Settings.restCurrentGate`.
    @inlinable public var gatedUpdates: UInt32 { _gated }
    @usableFromInline var _gated: UInt32 = 0
    /// Whether only `updateResistanceScale` corrects the fourth state (the learnt resistance
    /// scale of a pack of unknown history, measured by `CoreConfiguration.scaleGauge`); every
    /// other update considers it (its uncertainty widens theirs, it is not moved by them).
    public var scaleOnlyFromReads = false
    /// A hysteresis cell's resistance-law scale s (R = R0 (1 + s)) on a pack of unknown
    /// history, a third consider parameter: the fourth state is the hysteresis, so s has no
    /// slot, but every loaded read shares it (taken for white noise, an end-of-life polymer
    /// string's unknown resistance read as 12 points of SoC on a charge). Only resistance reads
    /// move its mean (`updateResistanceScale`). Variance 0: none.
    @usableFromInline var _pxs: SIMD4<Float> = .zero
    @usableFromInline var _scaleVariance: Float = 0
    @usableFromInline var _scaleMean: Float = 0
    /// Whether the resistance scale is a consider parameter (`startConsideringScale()`).
    @inlinable public var considersScale: Bool { _scaleVariance > 0 }

    /// Whether the fourth state is the OCV hysteresis (else the resistance-law scale).
    public let tracksHysteresis: Bool

    /// A filter whose capacity is uncertain by `capacityVariance` (relative, e^2).
    @inlinable public init(settings: Settings, tracksHysteresis: Bool = false, capacityVariance: Float = 0) {
        self.settings = settings
        self.tracksHysteresis = tracksHysteresis
        _capacityVariance = capacityVariance.isFinite ? max(0, capacityVariance) : 0
        let s = settings
        let fourth = tracksHysteresis ? s.initialHysteresisSigma : s.frontResistanceError.value
        _p = Matrix4.diagonal(SIMD4(
            s.initialSoCSigma.value * s.initialSoCSigma.value, s.initialPolarisationVariance,
            s.initialOffsetSigma.value * s.initialOffsetSigma.value, fourth * fourth))
    }

    /// Estimated correction to the counted SoC.
    @inlinable public var socCorrection: Float { _x.x }
    /// Estimated polarisation voltage of the mean cell, V.
    @inlinable public var polarisation: Volts { Volts(_x.y) }
    /// Estimated current-sensor offset (reading minus truth), A.
    @inlinable public var currentOffset: Amperes { Amperes(_x.z) }
    /// Estimated relative error of the datasheet resistance law (R = law x (1 + s)); 0 for a
    /// cell whose fourth state is the hysteresis.
    @inlinable public var resistanceScale: Float { tracksHysteresis ? 0 : _x.w }
    /// Estimated OCV hysteresis state, -1 (discharge branch) ... +1 (charge branch); 0 for a
    /// cell without hysteresis.
    @inlinable public var hysteresis: Float { tracksHysteresis ? _x.w : 0 }
    /// The hysteresis's share of the OCV at `soc` (half gap x state), V.
    @inlinable func hysteresisVoltage(_ model: CellModel, soc: StateOfCharge) -> (voltage: Float, halfGap: Float) {
        guard tracksHysteresis, let m = model.hysteresis else { return (0, 0) }
        let gap = m.halfGap(at: soc, table: model.ocv)
        return (gap * _x.w, gap)
    }
    /// Whether the fourth state is the resistance law's scale learnt from the voltage (a pack of
    /// unknown history, `Settings.learnsResistanceScale`, whose cell has neither hysteresis nor a
    /// reaction front).
    @inlinable func learnsScale(_ model: CellModel) -> Bool {
        settings.learnsResistanceScale && !tracksHysteresis && model.resistancePerDepthOfDischarge.value == 0
    }
    /// The factor the filter's resistance law carries: 1 + s where the scale is learnt, else 1
    /// (a ZEBRA cell's scale belongs to its front law, `updateFrontResistance`).
    @inlinable func lawScale(_ model: CellModel) -> Float {
        if learnsScale(model) { return max(settings.measuredResistanceRange.lowerBound, 1 + _x.w) }
        return considersScale ? max(settings.measuredResistanceRange.lowerBound, 1 + _scaleMean) : 1
    }

    /// Makes the resistance law's scale a consider parameter, uncertain by
    /// `Settings.frontResistanceError` (a hysteresis cell of unknown history; see `_pxs`).
    @inlinable public mutating func startConsideringScale() {
        guard tracksHysteresis else { return }
        let e = settings.frontResistanceError.value
        _scaleVariance = e * e
        _scaleMean = 0
        _pxs = .zero
    }
    /// The considered scale's mean (0 where the scale is not considered).
    @inlinable public var consideredScale: Float { considersScale ? _scaleMean : 0 }
    /// One standard deviation of the resistance-law scale estimate (the considered one's where
    /// it is considered; 0 where the fourth state is the hysteresis).
    @inlinable public var resistanceScaleSigma: Float {
        if considersScale { return _scaleVariance.squareRoot() }
        guard !tracksHysteresis else { return 0 }
        let v = _p.c3.w + _pendingWalk.w
        return v > 0 ? v.squareRoot() : 0
    }
    /// One standard deviation of the current-offset estimate, A.
    @inlinable public var offsetSigma: Float {
        let v = _p.c2.z + _pendingWalk.z
        return v > 0 ? v.squareRoot() : 0
    }
    /// One standard deviation of the SoC estimate.
    @inlinable public var socSigma: Float {
        let v = _p.c0.x + _pendingWalk.x
        return v > 0 ? v.squareRoot() : 0
    }

    /// Moves the SoC correction out of the filter (`ChargeCounter.shift(by:)` takes it): the
    /// caller keeps the sum. A correction kept small keeps the per-step offset compensation
    /// (k x offset, 7e-9 of SoC for 10 mA on a 38 Ah cell) above its rounding: on a correction
    /// of 0.15 (spacing 1.5e-8) it rounded to nothing, and the offset was counted unopposed.
    @inlinable public mutating func takeSoCCorrection() -> Float {
        let taken = _x.x
        _x.x = 0
        return taken
    }

    /// Adds the pending random walks to the covariance's diagonal.
    @inlinable mutating func addPendingWalk() {
        _p = Self.adding(_pendingWalk, to: _p)
        _pendingWalk = .zero
    }

    /// `m` with `walk` added to the diagonal entries of the states that only walk (SoC, offset,
    /// resistance scale; the walk's polarisation entry is unused).
    @inlinable static func adding(_ walk: SIMD4<Float>, to m: Matrix4) -> Matrix4 {
        var m = m
        m.c0.x += walk.x
        m.c2.z += walk.z
        m.c3.w += walk.w
        return m
    }

    /// Propagates the state over `dt` seconds with the measured current. `crossing` is the share
    /// of the way the step moves the hysteresis state towards `target` (-1 discharging, +1
    /// charging; `OCVHysteresis.crossed`), 0 for none (and always for a cell without).
    /// `capacityWalk` is the capacity's relative variance gained per hour unmeasured.
    @inlinable public mutating func predict(
        measuredCurrent i: Amperes, dt: Float, capacity: AmpereHours, polarisationResistance r1: Ohms, timeConstant tau: Seconds,
        crossing: (share: Float, target: Float) = (0, 0), capacityWalk: Float = 0
    ) {
        let a = CoreMath.exp(-dt / tau.value)
        let k = dt / (3600 * capacity.value)
        let trueCurrent = i.value - _x.z
        let c = tracksHysteresis && crossing.share.isFinite ? max(0, min(1, crossing.share)) : 0
        _x = SIMD4(_x.x + k * _x.z, a * _x.y + (1 - a) * r1.value * trueCurrent, _x.z, _x.w + (crossing.target - _x.w) * c)
        // F = [[1, 0, k, 0], [0, a, -(1 - a) R1, 0], [0, 0, 1, 0], [0, 0, 0, 1 - c]] in columns.
        let f = Matrix4(SIMD4(1, 0, 0, 0), SIMD4(0, a, 0, 0), SIMD4(k, -(1 - a) * r1.value, 1, 0), SIMD4(0, 0, 0, 1 - c))
        let s = settings
        let hours = dt / 3600
        let walk = s.hysteresisWalkPerCrossing
        let q = SIMD4<Float>(
            s.socWalk_per_sqrt_h * s.socWalk_per_sqrt_h * hours,
            s.polarisationWalk_per_sqrt_s * s.polarisationWalk_per_sqrt_s * dt,
            s.offsetWalk_per_sqrt_h * s.offsetWalk_per_sqrt_h * hours,
            tracksHysteresis ? walk * walk * c : s.resistanceScaleWalk_per_sqrt_h * s.resistanceScaleWalk_per_sqrt_h * hours)
        // The walks of the states that only walk (SoC, offset, resistance scale) wait in
        // _pendingWalk until they are resolvable on the diagonal; the polarisation's decays
        // every step and the hysteresis's comes in whole crossings.
        let pending = SIMD4<Float>(q.x, 0, q.z, tracksHysteresis ? 0 : q.w)
        _p = f * _p * f.transposed + Matrix4.diagonal(q - pending)
        // The capacity error's share: delta' = ... + g e with g = -k (i - b), the counted change
        // of SoC. P += u g' + g u' + g g' Pcc with u = F Pxc; Pxc' = u + g Pcc.
        let g = -k * trueCurrent
        let u = f * _pxc
        if g != 0, g.isFinite {
            _p.c0 += u * g
            _p.c0.x += g * u.x + g * g * _capacityVariance
            _p.c1.x += g * u.y
            _p.c2.x += g * u.z
            _p.c3.x += g * u.w
            _pxc = u + SIMD4(g * _capacityVariance, 0, 0, 0)
        } else {
            _pxc = u
        }
        if capacityWalk > 0, capacityWalk.isFinite {
            _pendingCapacityWalk += capacityWalk * hours
            if _pendingCapacityWalk > _capacityVariance * Self.walkShare {
                _capacityVariance += _pendingCapacityWalk
                _pendingCapacityWalk = 0
            }
        }
        _pendingWalk += pending
        let due = _pendingWalk.x > _p.c0.x * Self.walkShare || _pendingWalk.z > _p.c2.z * Self.walkShare
            || _pendingWalk.w > _p.c3.w * Self.walkShare
        if due { addPendingWalk() }
        // The bias is another one past some SoC and some hours: the correlation decays.
        let moved = abs(k * trueCurrent) / s.ocvBiasCorrelationSoC + dt / s.ocvBiasCorrelationTime.value
        _pxb = f * _pxb * CoreMath.exp(-moved)
        if considersScale { _pxs = f * _pxs }
    }

    /// Sets the OCV table's bias variance from the cell model (once per update that reads the
    /// table; `cellsOnABend`: the update reads the cells' mean voltage, not each cell).
    @inlinable mutating func considerTable(_ model: CellModel, soc: Float, cellsOnABend: Bool = true) {
        let u = model.ocvUncertainty.value
        // Near a bend of the table the string's cells sit on both sides of it: their mean
        // voltage is not the table's voltage at their mean SoC (by about the slope change times
        // half the cells' spread), a bias of the same kind as the table's own.
        let spread = settings.cellSpread.value
        let bend = cellsOnABend
            ? model.ocv.largestSlopeChange(from: StateOfCharge(soc - 2 * spread), to: StateOfCharge(soc + 2 * spread)) * spread / 2 : 0
        let variance = u * u + bend * bend
        // The bias is rescaled, not replaced: its correlation with the state is kept, and the
        // joint covariance stays positive (a smaller variance with the old cross-covariance
        // would not be).
        if _biasVariance > 0, variance < _biasVariance { _pxb *= (variance / _biasVariance).squareRoot() }
        _biasVariance = variance
    }

    /// Corrects with the measured mean cell voltage.
    ///
    /// - Parameters: `counted` is the coulomb counter's SoC; `cellNoise` the standard deviation of
    ///   the mean of the cell readings; `correlatedSteps` the number of this update's calls one
    ///   model error spans (1: white).
    ///
    /// The model's errors (`voltageModelError`, the IR drop's uncertainty) are not white: they
    /// follow the current's history and last about a polarisation time constant. Read every step
    /// as independent, ten reads a second averaged them away, and the filter chased them: an
    /// end-of-life Na-S string on frequency regulation on its slope read RMS 0.51 % within 3 sigma
    /// on 44 % of its steps, at a sigma of 0.05 ... 0.08 %. An error correlated as
    /// exp(-|t| / tau) carries the information of one reading per 2 tau, so its variance is taken
    /// `correlatedSteps` times (`SoCEstimation` passes `correlatedSteps(correlationTime:step:)`
    /// of the polarisation element's time constant); the readings' own noise stays white.
    @inlinable public mutating func updateVoltage(
        measuredMean y: Volts, measuredCurrent i: Amperes, counted: StateOfCharge, temperature: Celsius, model: CellModel,
        front: (depth: Float, sensitivity: Float) = (0, 0), cellNoise: Float, resistanceSpread: Float = .nan, correlatedSteps: Float = 1
    ) {
        let soc = StateOfCharge(counted.value + _x.x)
        let ocv = model.openCircuit(soc, temperature: temperature)
        let factor = model.resistanceFactor(temperature)
        let r0 = Self.ohmicResistance(model, depth: front.depth, factor: factor)
        let trueCurrent = i.value - _x.z
        // On a plateau the voltage carries no SoC information worth the model's errors; and
        // wherever the SoC may lie (two sigma, at least 1 %) the OCV must slope, or an estimate
        // at the foot of a plateau would take the slope below for its own and grow confident.
        let reach = max(settings.slopeCheckSigmas * socSigma, settings.slopeCheckMinimumReach.value)
        let flattest = model.ocv.minimumSlope(from: StateOfCharge(soc.value - reach), to: StateOfCharge(soc.value + reach))
        guard ocv.slope >= settings.minimumOCVSlope, flattest >= settings.minimumOCVSlope else { return }
        let hysteresis = hysteresisVoltage(model, soc: soc)
        // A cell with neither hysteresis nor a reaction front learns the resistance law's scale
        // from the voltage itself: R = R0 (1 + s), separated from the SoC by the current's
        // changes. (A ZEBRA cell's front reads calibrate its scale; here the ohmic law leaves it
        // out.) Without it the law's error, taken for white noise at 10 Hz, collapsed sigma:
        // an end-of-life sulfide string whose resistance was several times the datasheet's read
        // its first hour of discharge as 20 points of SoC at a sigma of 0.2 %.
        let learnsScale = learnsScale(model)
        let scale = lawScale(model)
        let predicted = ocv.voltage.value + hysteresis.voltage - r0 * scale * trueCurrent - _x.y
        // dy/d(delta): OCV slope, less the current times R0's change with the SoC (the active
        // front's depth moves with it on the deepest front: dR0/dSoC = k f sensitivity).
        let inTable = soc.value > 0 && soc.value < 1
        let dR = inTable ? -model.resistancePerDepthOfDischarge.value * factor * front.sensitivity * trueCurrent : 0
        // dy/dh: the half gap for a cell whose fourth state is the hysteresis, -R0 i for the
        // scale where it is learnt here, 0 otherwise.
        let fourth = tracksHysteresis ? hysteresis.halfGap : (learnsScale ? -r0 * trueCurrent : 0)
        let h = SIMD4<Float>(ocv.slope + dR, -1, r0 * scale, fourth)
        // The modelled drop's relative error: the ohmic law's and the polarisation element's,
        // which grow together with age. The element's share was left out until 2026-12-05: an
        // end-of-life Na-S string discharged at C/4 (sweep run 181) read its grown polarisation
        // as 1.6 points of SoC at a sigma of 0.35 %.
        let irUncertainty = spread(resistanceSpread) * (r0 * trueCurrent + _x.y)
        let modelError = settings.voltageModelError.value
        let correlated = correlatedSteps.isFinite ? max(1, correlatedSteps) : 1
        let r = (modelError * modelError + irUncertainty * irUncertainty) * correlated + cellNoise * cellNoise
        considerTable(model, soc: soc.value)
        // y = OCV_table(SoC) - b - ...: the reading is the true OCV.
        // Where only the scale reads correct the scale (`scaleOnlyFromReads`) it is considered
        // here, not corrected: the measured current's noise is in h (errors in variables), and
        // the voltage's not following it within a minute of constant true current read as a
        // resistance near zero (an end-of-life sulfide string twelve times the datasheet's
        // learnt 1.5 times, and its discharge's drop went into the SoC: 19 points low at a
        // sigma of 0.3 %).
        update(
            innovation: y.value - predicted, h: h, noiseVariance: r, bias: -1, scale: -r0 * trueCurrent, gate: settings.innovationGate)
    }

    /// Corrects the SoC with a read off the OCV table at rest (polarisation relaxed): the answer to
    /// a nonlinearity the linearised voltage update cannot bridge, such as an estimate on the
    /// ZEBRA plateau while the cell rests on the end-of-discharge step.
    ///
    /// The read is the table's SoC at the reading, within the range of SoC whose OCV is within
    /// two standard deviations of the reading (model error and noise), a quarter of that range's
    /// width as the standard deviation. On a plateau the range spans the plateau, so the read is
    /// weak; on a step it is sharp. A weak read the estimate lies inside is not applied (see the
    /// body).
    ///
    /// Each of the first `cellCount` cells of `cellVoltages` (its rest voltage; those not
    /// `excluded`, finite) is read through the table on its own and the reads and ranges are
    /// averaged: the mean cell's SoC is the mean of the cells' SoCs, not the table's SoC at their
    /// mean voltage, which near a bend of the table differs by up to the slope change times the
    /// cells' spread. (Taken as a bias of the table, that difference was tens of millivolts
    /// uncertain there, and a sharp read went into the bias instead of the SoC: a sulfide string
    /// resting at 8 % read its mean cell right to 0.2 points at a sigma of 0.4 % and stayed 2.2
    /// points low.) A cell off the table reads its end (`meanCellRange`); `measuredMean` is read
    /// as the mean cell only when no cell reads on the table or no cell is given.
    /// Returns the read (SoC and its sigma).
    @discardableResult
    @inlinable public mutating func updateRestingOCV(
        measuredMean y: Volts, cellVoltages: Span<Float>, cellCount: Int, excluded: Span<Bool>, restCurrent i: Amperes = .zero,
        counted: StateOfCharge, temperature: Celsius, model: CellModel, front: (depth: Float, sensitivity: Float) = (0, 0), cellNoise: Float,
        resistanceSpread: Float = .nan
    ) -> (soc: Float, sigma: Float) {
        let shift = model.ocvShift(temperature)
        // A rest is below C/100, not zero: on a plateau a few millivolts of IR drop and
        // polarisation move the read a long way. Both are added back, and their model error
        // widens the read.
        let soc = counted.value + _x.x
        let law = Self.ohmicResistance(model, depth: front.depth, factor: model.resistanceFactor(temperature)) * (i.value - _x.z)
        let drop = law * lawScale(model)
        let u = spread(resistanceSpread)
        let e = settings.voltageModelError.value
        let sigmaV = (e * e + cellNoise * cellNoise + u * u * (drop * drop + _x.y * _x.y)).squareRoot()
        let band = settings.readBandSigmas
        let hysteresis = hysteresisVoltage(model, soc: StateOfCharge(soc))
        let added = drop + _x.y - shift - hysteresis.voltage
        let range: ClosedRange<StateOfCharge>
        let point: Float
        let byCell = Self.meanCellRange(
            cellVoltages, count: cellCount, excluded: excluded, added: added, halfWidth: band * sigmaV, table: model.ocv)
        if let r = byCell {
            range = r.range
            point = r.point
        } else {
            let v = y.value + added
            guard model.ocv.covers(Volts(v - band * sigmaV), Volts(v + band * sigmaV)) else { return (.nan, .infinity) }
            range = model.ocv.socRange(forVoltage: Volts(v - band * sigmaV), Volts(v + band * sigmaV))
            point = Self.pointRead(v, table: model.ocv)
        }
        // The read is the table's SoC at the reading, not the middle of the range: where the
        // table bends inside the range, the middle sits towards its flatter side by up to half
        // the range (a ZEBRA string resting at 97 %, on the knee where the table steepens
        // sixfold, read 1.1 points low).
        let read = min(max(point, range.lowerBound.value), range.upperBound.value)
        let sigma = max((range.upperBound.value - range.lowerBound.value) / (2 * band), settings.readSigmaFloor.value)
        // A read weaker than the estimate that the estimate already satisfies says nothing new:
        // the reads of a plateau are not independent, and applied at every rest they would pull
        // every estimate to the plateau's middle.
        let inside = soc >= range.lowerBound.value && soc <= range.upperBound.value
        if !(inside && sigma > socSigma) {
            considerTable(model, soc: read, cellsOnABend: byCell == nil)
            // A read through the table is off by b over the slope across the read's range, and
            // by the hysteresis's error over it likewise.
            let perVolt = (range.upperBound.value - range.lowerBound.value) / (2 * band * sigmaV)
            update(
                innovation: read - soc, h: SIMD4(1, 0, 0, fourthOfRead(model, perVolt: perVolt, halfGap: hysteresis.halfGap, law: law)),
                noiseVariance: sigma * sigma, bias: -perVolt, scale: -law * perVolt)
        }
        return (read, sigma)
    }

    /// The mean of the first `count` cells' SoC ranges at rest, and of their point reads: each
    /// cell's voltage plus `added` (the drop and polarisation added back, the temperature shift
    /// and hysteresis taken out), +- `halfWidth`, read through the table. A cell whose band lies
    /// wholly below the table's foot (or above its top) reads the table's end while other cells
    /// read on the table: it is a cell beyond empty (full), one of `count`, and moves the mean by
    /// its share only. Nil when no cell reads on the table (a model or sensor fault, not a cell).
    @inlinable static func meanCellRange(
        _ voltages: Span<Float>, count: Int, excluded: Span<Bool>, added: Float, halfWidth: Float, table: OCVTable
    ) -> (range: ClosedRange<StateOfCharge>, point: Float)? {
        var lower: Float = 0
        var upper: Float = 0
        var point: Float = 0
        var n: Float = 0
        var onTable = false
        for k in 0..<min(count, min(voltages.count, excluded.count)) {
            let cell = voltages[k]
            guard !excluded[k], cell.isFinite else { continue }
            let v = cell + added
            // Wholly off the table, the range and the point clamp to its end.
            let r = table.socRange(forVoltage: Volts(v - halfWidth), Volts(v + halfWidth))
            lower += r.lowerBound.value
            upper += r.upperBound.value
            point += pointRead(v, table: table)
            if table.covers(Volts(v - halfWidth), Volts(v + halfWidth)) { onTable = true }
            n += 1
        }
        guard onTable, lower.isFinite, upper.isFinite, point.isFinite else { return nil }
        return (StateOfCharge(lower / n)...StateOfCharge(max(lower, upper) / n), point / n)
    }

    /// Up to four cells (of the first `count`, not `excluded`, finite) that stand below the
    /// mean of the others by more than `apart`, the lowest first, each read
    /// through the table on its own (its voltage plus `added`, +- `halfWidth`, a single cell's
    /// band; beyond the foot or top, the table's end): how many, the sums of their ranges'
    /// bounds, and the others' voltage sum and count.
    @inlinable static func outlyingCells(
        count: Int, excluded: Span<Bool>, added: Float, apart: Float, halfWidth: Float, table: OCVTable, voltages: Span<Volts>
    ) -> (count: Int, lowerSum: Float, upperSum: Float, othersSum: Float, others: Int) {
        // A span, not a closure over the frame: a closure called per cell copied the frame
        // (about 1 kB) at every call on the firmware, 600,000 instructions a check.
        let cells = min(count, min(excluded.count, voltages.count))
        var sum: Float = 0
        var n = 0
        for k in 0..<cells where !excluded[k] {
            let v = voltages[k].value
            if v.isFinite {
                sum += v
                n += 1
            }
        }
        var taken = InlineArray<4, Int32>(repeating: -1)
        var lowerSum: Float = 0
        var upperSum: Float = 0
        var found = 0
        while found < taken.count, n > 2 {
            var farthest = -1
            var distance: Float = 0
            let mean = sum / Float(n)
            for k in 0..<cells where !excluded[k] {
                let v = voltages[k].value
                guard v.isFinite, mean - v > distance else { continue }
                var out = false
                for j in 0..<found where taken[j] == Int32(k) { out = true }
                if !out {
                    farthest = k
                    distance = mean - v
                }
            }
            guard farthest >= 0 else { break }
            let v = voltages[farthest].value
            guard (sum - v) / Float(n - 1) - v > apart else { break }
            // Wholly off the table, the range clamps to its end.
            let r = table.socRange(forVoltage: Volts(v + added - halfWidth), Volts(v + added + halfWidth))
            lowerSum += r.lowerBound.value
            upperSum += r.upperBound.value
            taken[found] = Int32(farthest)
            found += 1
            sum -= v
            n -= 1
        }
        return (found, lowerSum, upperSum, sum, n)
    }

    /// How many single-cell bands (`readBandSigmas` of one cell's sigma) a cell must stand
    /// from the others' mean voltage to be read apart by the loaded range check: ten sigmas and
    /// more is no cell's noise. At one band, among twenty cells with 5 mV of noise one was
    /// often that far by chance, and taking the farthest out moved the others' mean its way:
    /// a Na-S string resting at the plateau's knee (41 %) read above it once a minute and its
    /// estimate climbed 5 points in an hour (the accuracy matrix's arbitrage day).
    @usableFromInline static var apartBands: Float { 3 }

    /// The table's SoC at voltage `v` (the middle of a flat stretch at exactly `v`).
    @inlinable static func pointRead(_ v: Float, table: OCVTable) -> Float {
        let r = table.socRange(forVoltage: Volts(v), Volts(v))
        return (r.lowerBound.value + r.upperBound.value) / 2
    }

    /// Corrects an estimate that the loaded voltage contradicts: the mean cell voltage plus the
    /// modelled IR drop and polarisation is an OCV reading, uncertain by the resistance model's
    /// error (`resistanceUncertainty` of each drop); when the estimate lies outside the range of
    /// SoC whose OCV is within two standard deviations of it, the range's middle is applied (a
    /// quarter of its width as the standard deviation), as for a resting read. Inside the range
    /// nothing happens: on a plateau the range spans the plateau, and repeated wide reads would
    /// pull every estimate to its middle. This is what brings an estimate sitting on a plateau
    /// down to a cell on the sloped part (Na-S below 40 %) without waiting for a rest. Not for
    /// cells whose resistance rises with depth (ZEBRA): there the IR drop of a wrong estimate
    /// is itself wrong by tens of millivolts, and the reaction-front reads do this job.
    ///
    /// A cell that stands below the others by more than `apartBands` single-cell bands (of the
    /// first `cellCount` cells of `cellVoltages`, those not `excluded`; at most four) is read
    /// through the table on its own, with one band (beyond the foot: the table's end), and the
    /// others' mean voltage as theirs, each weighed by its cells: one cell moves the mean cell's
    /// read by its share. In the mean voltage on a plateau, a cell that a short drained down the
    /// table's foot stood for a string 30 points emptier than it was (`DrainedCellTests`). Cells
    /// closer than that are read as one mean, as before: each cell's instantaneous voltage is
    /// too noisy to be read alone (docs/core.md, a per-cell check withdrawn). Not above: the
    /// cells that stand above the others are the fullest of a spread string rising into the
    /// table's top, which the full charge reads (`FullChargeSpreadTests`: read apart there, the
    /// fullest cell of an end-of-life polymer string ended 5.7 points off).
    @inlinable public mutating func updateLoadedOCVRange(
        measuredMean y: Volts, measuredCurrent i: Amperes, counted: StateOfCharge, temperature: Celsius, model: CellModel, cellNoise: Float,
        resistanceSpread: Float = .nan, cellCount: Int, excluded: Span<Bool>, cellVoltages: Span<Volts>
    ) {
        guard model.resistancePerDepthOfDischarge.value == 0 else { return }
        let soc = counted.value + _x.x
        let factor = model.resistanceFactor(temperature)
        let law = model.ohmicResistance.value * factor * (i.value - _x.z)
        let drop = law * lawScale(model)
        let shift = model.ocvShift(temperature)
        let hysteresis = hysteresisVoltage(model, soc: StateOfCharge(soc))
        let added = drop + _x.y - shift - hysteresis.voltage
        let reading = y.value + added
        let u = spread(resistanceSpread)
        let e = settings.voltageModelError.value
        // The model's variance, shared by every cell, and the noise: the mean's, or one cell's.
        let modelVariance = e * e + u * u * (drop * drop + _x.y * _x.y)
        let sigmaV = (modelVariance + cellNoise * cellNoise).squareRoot()
        let band = settings.readBandSigmas
        var range = model.ocv.socRange(forVoltage: Volts(reading - band * sigmaV), Volts(reading + band * sigmaV))
        let singleBand = band * (modelVariance + cellNoise * cellNoise * Float(max(cellCount, 1))).squareRoot()
        let apart = Self.outlyingCells(
            count: cellCount, excluded: excluded, added: added, apart: Self.apartBands * singleBand, halfWidth: singleBand,
            table: model.ocv, voltages: cellVoltages)
        if apart.count > 0 {
            let on = Float(apart.others)
            let others = apart.othersSum / on + added
            let r = model.ocv.socRange(forVoltage: Volts(others - band * sigmaV), Volts(others + band * sigmaV))
            let n = on + Float(apart.count)
            range = StateOfCharge((r.lowerBound.value * on + apart.lowerSum) / n)...StateOfCharge((r.upperBound.value * on + apart.upperSum) / n)
        }
        guard soc < range.lowerBound.value || soc > range.upperBound.value else { return }
        let middle = (range.lowerBound.value + range.upperBound.value) / 2
        let sigma = max((range.upperBound.value - range.lowerBound.value) / (2 * band), settings.readSigmaFloor.value)
        considerTable(model, soc: middle)
        let perVolt = (range.upperBound.value - range.lowerBound.value) / (2 * band * sigmaV)
        update(
            innovation: middle - soc, h: SIMD4(1, 0, 0, fourthOfRead(model, perVolt: perVolt, halfGap: hysteresis.halfGap, law: law)),
            noiseVariance: sigma * sigma, bias: -perVolt, scale: -law * perVolt)
    }

    /// d(read SoC)/d(fourth state) of an OCV read through the table (`perVolt`: SoC per volt
    /// across the read's range): the hysteresis's half gap for a two-phase cell; where the
    /// resistance scale is learnt, minus the IR drop the law (`law`, at scale 1) adds back per
    /// unit of scale: a read at C/100 on a cell twelve times the datasheet's is off by eleven
    /// such drops (an end-of-life sulfide string's first read under load took 1.7 points at a
    /// sigma of 0.1 % without it).
    @inlinable func fourthOfRead(_ model: CellModel, perVolt: Float, halfGap: Float, law: Float) -> Float {
        if tracksHysteresis { return halfGap * perVolt }
        return learnsScale(model) ? -law * perVolt : 0
    }

    /// Corrects the SoC and the resistance-law scale with the mean cell's resistance at the
    /// reference temperature (a `FrontResistanceGauge` read), where the resistance rises with the
    /// depth of the active reaction front (ZEBRA): R = (R0 + k depth) (1 + s). The depth tells
    /// the SoC only where it moves with it (the deepest front, `ReactionFrontTracker`); on a
    /// layer a partial cycle left, the read corrects the scale alone.
    @inlinable public mutating func updateFrontResistance(_ read: FrontResistanceGauge.Read, model: CellModel) {
        let k = model.resistancePerDepthOfDischarge.value
        guard k > 0, !tracksHysteresis, read.resistanceAtReference.isFinite, read.variance.isFinite, read.depth.isFinite, read.sensitivity.isFinite
        else { return }
        let depth = read.depth
        guard depth > 0, depth < 2 else { return }
        let law = model.ohmicResistance.value + k * depth
        let scale = 1 + _x.w
        update(
            innovation: read.resistanceAtReference - law * scale, h: SIMD4(k * read.sensitivity * scale, 0, 0, law),
            noiseVariance: read.variance)
    }

    /// Corrects the resistance law's scale with the mean cell's ohmic resistance at the reference
    /// temperature (a `FrontResistanceGauge` read at no front), where the scale is learnt
    /// (`learnsScale`): R = R0 (1 + s). The read is SoC-free (a voltage step at a current step),
    /// so it tells the IR drop from a change of SoC where the loaded voltage alone cannot: an
    /// end-of-life sulfide string, its resistance twelve times the datasheet's, read its
    /// peak-shaving discharge's drop as SoC (19 points low at a sigma of 0.3 %). A read outside
    /// `measuredResistanceRange` times the law is taken for wrong. Returns whether it was applied.
    @discardableResult
    @inlinable public mutating func updateResistanceScale(_ read: FrontResistanceGauge.Read, model: CellModel) -> Bool {
        let law = model.ohmicResistance.value
        guard learnsScale(model) || considersScale, law > 0, read.resistanceAtReference.isFinite, read.variance.isFinite,
            read.variance > 0, settings.measuredResistanceRange.contains(read.resistanceAtReference / law)
        else { return false }
        if considersScale {
            // The joint update of the state and the considered scale by a read of the scale
            // alone (h = law on s): the state moves by its covariance with s.
            addPendingWalk()
            let innovation = read.resistanceAtReference - law * (1 + _scaleMean)
            let s = law * law * _scaleVariance + read.variance
            guard s > 0, s.isFinite, innovation.isFinite else { return false }
            _x += _pxs * (law * innovation / s)
            _scaleMean += _scaleVariance * law * innovation / s
            _p = _p + Matrix4.outer(_pxs, _pxs) * (-law * law / s)
            _pxs *= read.variance / s
            _scaleVariance -= _scaleVariance * _scaleVariance * law * law / s
            return true
        }
        return update(
            innovation: read.resistanceAtReference - law * (1 + _x.w), h: SIMD4(0, 0, 0, law), noiseVariance: read.variance, correctsScale: true)
    }

    /// Corrects the offset with a current reading taken while no current can flow.
    @inlinable public mutating func updateZeroCurrent(measured i: Amperes) {
        let n = settings.currentNoise.value
        update(innovation: i.value - _x.z, h: SIMD4(0, 0, 1, 0), noiseVariance: n * n)
    }

    /// Corrects the offset with the current averaged over a long rest (about 2 s), taken as zero
    /// current within `restCurrentSigma` (no update when that is nil). Applied once a minute.
    /// Returns whether it was applied (`restCurrentGate`).
    @discardableResult
    @inlinable public mutating func updateRestCurrent(averaged i: Amperes) -> Bool {
        guard let sigma = settings.restCurrentSigma?.value else { return false }
        return update(innovation: i.value - _x.z, h: SIMD4(0, 0, 1, 0), noiseVariance: sigma * sigma, gate: settings.restCurrentGate)
    }

    /// Corrects the SoC to `level` at a full charge (a tapered constant-voltage charge: the
    /// fullest cell is full, the mean cell `level`), within `sigma`.
    @inlinable public mutating func updateFullCharge(counted: StateOfCharge, level: Float = 1, sigma: Float) {
        update(innovation: level - (counted.value + _x.x), h: SIMD4(1, 0, 0, 0), noiseVariance: sigma * sigma)
    }

    /// The mean cell's ohmic resistance with the active reaction front at `depth` (ZEBRA; see
    /// `ReactionFrontTracker`; times the front's temperature ratio, `CellModel.frontFactorRatio`)
    /// times the temperature `factor`, ohms: the law the filter models.
    @inlinable static func ohmicResistance(_ model: CellModel, depth: Float, factor: Float) -> Float {
        (model.ohmicResistance.value + model.resistancePerDepthOfDischarge.value * max(0, min(2, depth))) * factor
    }

    /// The IR drop's relative uncertainty (one sigma) outside the SoC span where the lab
    /// measured the resistance law: its own size. Near the ends of charge a cell's resistance
    /// rises by factors (the datasheets' end effects: the electrode runs out of one reactant),
    /// and the pulses never went there, so the loaded voltage says little about the SoC.
    @inlinable public static var unmeasuredEndAllowance: Float { 1 }

    /// The relative error the voltage model allows its IR drop: the settings' (30 %), or the
    /// measured resistance's larger disagreement with the datasheet's (`resistanceSpread`).
    @inlinable func spread(_ measured: Float) -> Float { Self.spread(measured, settings: settings) }

    /// `spread` for `settings` (static: the caller widening it outside the measured span does
    /// not copy the filter to call it): a measured disagreement (NaN: none) under the settings'
    /// floor, and before a measurement the unmeasured allowance where one is set.
    @inlinable public static func spread(_ measured: Float, settings: Settings) -> Float {
        let u = settings.resistanceUncertainty.value
        return measured.isFinite ? max(u, measured) : max(u, settings.unmeasuredResistanceUncertainty?.value ?? u)
    }

    /// How many of `step`'s voltage updates one model error correlated as exp(-|t| / tau) spans,
    /// tau = `correlationTime`: 1 + 2 tau / step (one reading's information per 2 tau).
    @inlinable public static func correlatedSteps(correlationTime tau: Seconds, step: Seconds) -> Float {
        1 + 2 * tau.value / step.value
    }

    /// The share of a diagonal variance the pending walk reaches before it is added (1/1024:
    /// then the addition rounds off at most 1/16384 of the walk).
    @inlinable static var walkShare: Float { 1.0 / 1024 }

    /// Scalar-measurement Kalman update in Joseph form (keeps P symmetric and positive).
    /// An innovation beyond `gate` of its standard deviations is not applied. `hb` and `hs` are
    /// the measurement's sensitivities to the table bias and to a considered resistance scale
    /// (`considersScale`). Under `scaleOnlyFromReads` the fourth state is a consider parameter
    /// unless `correctsScale`: its uncertainty enters the gain of the others and their
    /// covariance with it, but it is not corrected (the Joseph form keeps P right for any gain).
    @discardableResult
    @inlinable mutating func update(
        innovation: Float, h: SIMD4<Float>, noiseVariance r: Float, bias hb: Float = 0, scale hs: Float = 0, gate: Float = .infinity,
        correctsScale: Bool = false
    ) -> Bool {
        addPendingWalk()
        // Schmidt-Kalman with the table bias (and a considered scale) as consider parameters:
        // y = h x + hb b + hs s + v, b and s independent.
        let hs = _scaleVariance > 0 && hs.isFinite ? hs : 0
        let hpxb = (h * _pxb).sum()
        let hpxs = (h * _pxs).sum()
        let ph = _p * h + _pxb * hb + _pxs * hs
        let s = (h * (_p * h)).sum() + 2 * hb * hpxb + hb * hb * _biasVariance + 2 * hs * hpxs + hs * hs * _scaleVariance + r
        guard s > 0, s.isFinite, innovation.isFinite, hb.isFinite else { return false }
        guard innovation * innovation <= gate * gate * s else {
            _gated &+= 1
            return false
        }
        var k = ph / s
        if scaleOnlyFromReads, !correctsScale { k.w = 0 }
        _x += k * innovation
        // Joseph form: P+ = A P A' + K (r + hb^2 Pbb + hs^2 Pss) K' - hb (A Pxb K' + K Pxb' A')
        // - hs (A Pxs K' + K Pxs' A'), A = I - K h'.
        let a = Matrix4.identity + Matrix4.outer(k, h) * -1
        let apxb = a * _pxb
        let apxs = a * _pxs
        _p = a * _p * a.transposed + Matrix4.outer(k, k) * (r + hb * hb * _biasVariance + hs * hs * _scaleVariance)
            + (Matrix4.outer(apxb, k) + Matrix4.outer(k, apxb)) * -hb + (Matrix4.outer(apxs, k) + Matrix4.outer(k, apxs)) * -hs
        _pxb = apxb - k * (hb * _biasVariance)
        _pxs = apxs - k * (hs * _scaleVariance)
        _pxc = a * _pxc
        return true
    }

    /// The capacity the counter divides by has been replaced by a measured one, uncertain by
    /// `relativeVariance`: the SoC's covariance with the old one's error no longer applies.
    @inlinable public mutating func adoptCapacity(relativeVariance: Float) {
        guard relativeVariance.isFinite, relativeVariance >= 0 else { return }
        _capacityVariance = relativeVariance
        _pendingCapacityWalk = 0
        _pxc = .zero
    }

    /// The relative uncertainty (one sigma) of the capacity the SoC is counted against.
    @inlinable public var capacitySigma: Float {
        let v = _capacityVariance + _pendingCapacityWalk
        return v > 0 ? v.squareRoot() : 0
    }
}
