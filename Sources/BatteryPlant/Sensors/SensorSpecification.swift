/// Error model of one kind of measurement channel.
///
/// reading = quantise(truth x (1 + gainError) + offset + channelOffset + noise), where
/// `channelOffset` is drawn once per channel (normal, `offsetSpread`) and `noise` every sample
/// (normal, `noise`). `quantum` 0 means no quantisation.
public struct ChannelErrors: Sendable, Equatable {
    /// Standard deviation of the white noise per sample, in the channel's unit.
    public var noise: Double
    /// Offset common to every channel of this kind.
    public var offset: Double
    /// Standard deviation of a per-channel offset drawn once.
    public var offsetSpread: Double
    /// Relative gain error, e.g. 0.005 = reads 0.5 % high.
    public var gainError: Double
    /// Resolution (LSB) of the reading; 0 = continuous.
    public var quantum: Double
    /// Sampling period, ms: between samples the reading is held (0 = a new sample at every read).
    public var samplePeriod_ms: Int64

    public init(
        noise: Double = 0, offset: Double = 0, offsetSpread: Double = 0, gainError: Double = 0, quantum: Double = 0,
        samplePeriod_ms: Int64 = 0
    ) {
        self.noise = noise
        self.offset = offset
        self.offsetSpread = offsetSpread
        self.gainError = gainError
        self.quantum = quantum
        self.samplePeriod_ms = samplePeriod_ms
    }

    /// A perfect channel.
    public static let ideal = ChannelErrors()
}

/// Error models of all the pack's sensors (units: V, A, K).
public struct SensorSpecification: Sendable, Equatable {
    public var cellVoltage: ChannelErrors
    public var packVoltage: ChannelErrors
    public var current: ChannelErrors
    public var temperature: ChannelErrors

    public init(cellVoltage: ChannelErrors, packVoltage: ChannelErrors, current: ChannelErrors, temperature: ChannelErrors) {
        self.cellVoltage = cellVoltage
        self.packVoltage = packVoltage
        self.current = current
        self.temperature = temperature
    }

    /// Perfect sensors (for tests that isolate the estimator from measurement error).
    public static let ideal = SensorSpecification(cellVoltage: .ideal, packVoltage: .ideal, current: .ideal, temperature: .ideal)

    /// A typical stationary-storage BMS front end (this project's calibration, docs/plant.md):
    /// cell voltage 2 mV noise, 1 mV channel offsets, 1 mV LSB; pack voltage 0.2 V noise, 0.1 V LSB;
    /// a Hall/shunt current sensor with 50 mA noise, +10 mA offset, +0.2 % gain error, 10 mA LSB;
    /// thermocouples with 0.3 K noise, 0.5 K channel offsets, 0.1 K LSB.
    public static let typicalBMS = SensorSpecification(
        cellVoltage: ChannelErrors(noise: 0.002, offsetSpread: 0.001, quantum: 0.001),
        packVoltage: ChannelErrors(noise: 0.2, quantum: 0.1),
        current: ChannelErrors(noise: 0.05, offset: 0.010, gainError: 0.002, quantum: 0.01),
        temperature: ChannelErrors(noise: 0.3, offsetSpread: 0.5, quantum: 0.1))

    /// The sensor errors of the firmware's accuracy checks (issue 4): the typical front end with
    /// 5 mV (one sigma) cell-voltage noise and a current sensor 0.5 % gain and 50 mA offset off
    /// (`offsetSign` picks the sign of both).
    public static func accuracyCheck(offsetSign: Double = 1) -> SensorSpecification {
        var s = typicalBMS
        s.cellVoltage.noise = 0.005
        s.current.offset = 0.050 * offsetSign
        s.current.gainError = 0.005 * offsetSign
        return s
    }
}
