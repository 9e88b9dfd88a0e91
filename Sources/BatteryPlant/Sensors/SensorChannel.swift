/// A bank of measurement channels of one kind, with fixed per-channel offsets, a noise source and
/// sample-and-hold at the channel's sampling period.
struct SensorChannels: Sendable {
    let errors: ChannelErrors
    let channelOffsets: [Double]
    var random: SeededRandom
    private(set) var held: [Double]
    private var lastSample_ms: Int64 = .min

    init(errors: ChannelErrors, count: Int, random: SeededRandom) {
        self.errors = errors
        var r = random
        self.channelOffsets = (0..<count).map { _ in
            errors.offsetSpread == 0 ? 0 : r.gaussian(mean: 0, standardDeviation: errors.offsetSpread)
        }
        self.random = r
        self.held = Array(repeating: .nan, count: count)
    }

    /// Whether a new sample is due at `time_ms` (sample-and-hold between samples).
    mutating func isDue(at time_ms: Int64) -> Bool {
        guard errors.samplePeriod_ms > 0 else { return true }
        if lastSample_ms == .min || time_ms - lastSample_ms >= errors.samplePeriod_ms {
            lastSample_ms = time_ms
            return true
        }
        return false
    }

    /// Reads channel `i` whose true value is `truth`, holding the result.
    mutating func read(_ truth: Double, channel i: Int) -> Double {
        var v = truth * (1 + errors.gainError) + errors.offset + channelOffsets[i]
        if errors.noise > 0 { v += errors.noise * random.gaussian() }
        if errors.quantum > 0 { v = (v / errors.quantum).roundedHalfAwayFromZero * errors.quantum }
        held[i] = v
        return v
    }

    /// The last reading of channel `i` (NaN before its first sample): what a stuck sensor repeats.
    func hold(channel i: Int) -> Double { held[i] }
}
