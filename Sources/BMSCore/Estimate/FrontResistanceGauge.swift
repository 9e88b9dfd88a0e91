/// The mean cell's ohmic resistance over a window, for reading depth of discharge off the ZEBRA
/// reaction front (resistance rises about 22 mOhm per unit DoD while the voltage stays on its
/// plateau).
///
/// Each fresh, valid frame t adds at most one sample: the step between frames t-2 and t-1, dV and
/// dI of the mean cell over 100 ms (the ohmic part; a slow polarisation moves by a fraction of a
/// percent, and the modelled part of it is added back by the caller). The current sensor's noise
/// is in dI, so a least-squares fit of dV on dI would read low (and selecting steps by the
/// measured dI, lower still). Instead the fit uses an instrument with independent noise, the
/// change z between frames t-3 and t (the same step when the current holds for a few frames,
/// as an inverter's set-point does): R = -sum(dV z) / sum(dI z), over the samples with
/// |z| >= `minimumStep` whose step does not pass through zero (`StepInstrument`). A charge and a
/// discharge follow different fronts (`ReactionFrontTracker`): a step through zero would mix
/// them, and each direction's samples (by the step's own current) make a read of their own. A
/// read's variance is s^2 sum(z^2) / sum(dI z)^2 with s^2 the residuals' variance (voltage and
/// current noise alike, whatever the configuration assumed; never below what `voltageNoise`
/// implies). The active front's depth (and its sensitivity to the SoC) and the
/// temperature factor are averaged with the fit's weights. A direction with fewer than
/// `minimumSamples` samples in a window of `window`, or too little excitation (sum dI z below
/// `minimumExcitation`), gives no read. With `blockFrames` above 1 the values are block means
/// rather than frames (the scale gauge's 1 s: a ramp of set-point steps too small to tell from
/// one frame's current noise). It sees the frames' cell voltages and current only, never the
/// plant.
public struct FrontResistanceGauge: Sendable {
    /// Its settings (`CoreConfiguration`).
    public let settings: FrontGaugeSettings

    /// The last four frames' mean cell voltage, newest first (NaN: none), and their currents.
    @usableFromInline var voltages = SIMD4<Float>(repeating: .nan)
    @usableFromInline var instrument = StepInstrument()
    /// The window's samples while discharging and while charging: each direction follows its
    /// own front, so each gets its own fit.
    @usableFromInline var discharging = Sums()
    @usableFromInline var charging = Sums()
    @usableFromInline var windowTimer = PeriodicTimer()
    /// The block being averaged (`FrontGaugeSettings.blockFrames`): sums and frame count.
    @usableFromInline var blockVoltage: Float = 0
    @usableFromInline var blockCurrent: Float = 0
    @usableFromInline var blockCount: Int32 = 0
    /// Whether a frame of the block being averaged was held by the firmware's own limit ...
    @usableFromInline var blockLimited = false
    /// ... and the last four values' such flags, newest in bit 0 (`skipsLimitedCurrent`).
    @usableFromInline var limitedValues: UInt8 = 0

    /// One direction's sums over a window.
    @usableFromInline struct Sums: Sendable {
        @usableFromInline var sumVZ: Float = 0
        @usableFromInline var sumIZ: Float = 0
        @usableFromInline var sumZZ: Float = 0
        @usableFromInline var sumVV: Float = 0
        @usableFromInline var sumVI: Float = 0
        @usableFromInline var sumII: Float = 0
        @usableFromInline var samples: Int32 = 0
        @usableFromInline var sumWeightDepth: Float = 0
        @usableFromInline var sumWeightSensitivity: Float = 0
        @usableFromInline var sumWeightFactor: Float = 0

        @inlinable init() {}

        @inlinable mutating func add(dv: Float, di: Float, z: Float, front: (depth: Float, sensitivity: Float), temperatureFactor: Float) {
            let w = di * z
            sumVZ += dv * z
            sumIZ += w
            sumZZ += z * z
            sumVV += dv * dv
            sumVI += dv * di
            sumII += di * di
            samples &+= 1
            sumWeightDepth += w * front.depth
            sumWeightSensitivity += w * front.sensitivity
            sumWeightFactor += w * temperatureFactor
        }

        /// The window's read, if it had enough samples and excitation.
        @inlinable func read(voltageNoise: Float, settings: FrontGaugeSettings) -> Read? {
            guard sumIZ >= settings.minimumExcitation, samples >= settings.minimumSamples else { return nil }
            let factor = sumWeightFactor / sumIZ
            let r = -sumVZ / sumIZ
            // Residual variance per sample, sum (dV + R dI)^2 / (n - 1); each dV is the difference
            // of two noisy means, so the configured noise alone gives 2 sigma^2.
            let squares = max(0, sumVV + 2 * r * sumVI + r * r * sumII)
            let residual = squares / Float(Int(samples) - 1)  // via Int: Float(Int32) allocates in Embedded
            let variance = max(residual, 2 * voltageNoise * voltageNoise) * sumZZ / (sumIZ * sumIZ)
            return Read(
                resistanceAtReference: r / factor, variance: variance / (factor * factor), depth: sumWeightDepth / sumIZ,
                sensitivity: sumWeightSensitivity / sumIZ)
        }
    }

    @inlinable public init(settings: FrontGaugeSettings = FrontGaugeSettings()) { self.settings = settings }

    /// One read: the mean cell's resistance divided by the temperature factor (ohms at the
    /// reference temperature), its variance, and the active front's depth it belongs to with
    /// that depth's sensitivity to the SoC (`ReactionFrontTracker.depth`).
    public struct Read: Sendable {
        public var resistanceAtReference: Float
        public var variance: Float
        public var depth: Float
        public var sensitivity: Float

        @inlinable init(resistanceAtReference: Float, variance: Float, depth: Float, sensitivity: Float) {
            self.resistanceAtReference = resistanceAtReference
            self.variance = variance
            self.depth = depth
            self.sensitivity = sensitivity
        }
    }

    /// Adds a fresh, valid frame (`cellCurrent`: one cell's share of the measured current;
    /// `discharge`, `charge`: each direction's active front, `ReactionFrontTracker.depth`);
    /// returns the window's reads, one per direction that had enough samples, when it closes.
    /// A sample belongs to the direction its step's current flows. `voltageNoise` is the mean
    /// cell's noise per frame; `limited`, whether the firmware's own limit held the current in
    /// this frame (`FrontGaugeSettings.skipsLimitedCurrent`).
    @inlinable mutating func add(
        meanVoltage: Float, cellCurrent: Float, discharge: (depth: Float, sensitivity: Float), charge: (depth: Float, sensitivity: Float),
        temperatureFactor: Float, voltageNoise: Float, step: Milliseconds, limited: Bool = false
    ) -> (discharge: Read?, charge: Read?) {
        // A block of one frame is that frame exactly (0 + x and x / 1 round to x).
        blockVoltage += meanVoltage
        blockCurrent += cellCurrent
        blockCount &+= 1
        blockLimited = blockLimited || limited
        if blockCount >= settings.blockFrames {
            let n = Float(Int(blockCount))  // via Int: Float(Int32) allocates in Embedded
            sample(
                meanVoltage: blockVoltage / n, cellCurrent: blockCurrent / n, discharge: discharge, charge: charge,
                temperatureFactor: temperatureFactor, limited: blockLimited)
            blockVoltage = 0
            blockCurrent = 0
            blockCount = 0
            blockLimited = false
        }
        guard windowTimer.tick(step, period: settings.window) else { return (nil, nil) }
        defer { clear() }
        // A block mean's noise is one frame's over the square root of the block.
        let noise = voltageNoise / Float(Int(settings.blockFrames)).squareRoot()
        return (discharging.read(voltageNoise: noise, settings: settings), charging.read(voltageNoise: noise, settings: settings))
    }

    /// Takes the step between the previous two values (frames or block means) as a sample when
    /// its instrument is large enough, it does not pass through zero, and (`skipsLimitedCurrent`)
    /// none of the four values was held by the firmware's own limit (`limited`).
    @inlinable mutating func sample(
        meanVoltage: Float, cellCurrent: Float, discharge: (depth: Float, sensitivity: Float), charge: (depth: Float, sensitivity: Float),
        temperatureFactor: Float, limited: Bool
    ) {
        voltages = SIMD4(meanVoltage, voltages[0], voltages[1], voltages[2])
        let (di, z) = instrument.push(cellCurrent)
        let dv = voltages[1] - voltages[2]
        limitedValues = (limitedValues << 1) | (limited ? 1 : 0)
        let free = !settings.skipsLimitedCurrent || limitedValues & 0b1111 == 0
        // Not steps through zero: charge and discharge follow different fronts.
        if free, abs(z) >= settings.minimumStep.value, di.isFinite, dv.isFinite, temperatureFactor > 0,
            !instrument.mixesDirections(instrument: z)
        {
            if instrument.stepDischarges {
                discharging.add(dv: dv, di: di, z: z, front: discharge, temperatureFactor: temperatureFactor)
            } else {
                charging.add(dv: dv, di: di, z: z, front: charge, temperatureFactor: temperatureFactor)
            }
        }
    }

    /// Forgets the previous frame (after a stale, invalid or missing one).
    @inlinable mutating func interrupt() {
        voltages = SIMD4(repeating: .nan)
        instrument.reset()
        blockVoltage = 0
        blockCurrent = 0
        blockCount = 0
        blockLimited = false
        limitedValues = 0
    }

    @inlinable mutating func clear() {
        discharging = Sums()
        charging = Sums()
    }
}
