/// A bank of measurement channels of one kind, with fixed per-channel offsets and a noise source.
struct SensorChannels: Sendable {
    let errors: ChannelErrors
    let channelOffsets: [Double]
    var random: SeededRandom

    init(errors: ChannelErrors, count: Int, random: SeededRandom) {
        self.errors = errors
        var r = random
        self.channelOffsets = (0..<count).map { _ in
            errors.offsetSpread == 0 ? 0 : r.gaussian(mean: 0, standardDeviation: errors.offsetSpread)
        }
        self.random = r
    }

    /// Reads channel `i` whose true value is `truth`.
    mutating func read(_ truth: Double, channel i: Int) -> Double {
        var v = truth * (1 + errors.gainError) + errors.offset + channelOffsets[i]
        if errors.noise > 0 { v += errors.noise * random.gaussian() }
        if errors.quantum > 0 { v = (v / errors.quantum).rounded() * errors.quantum }
        return v
    }
}
