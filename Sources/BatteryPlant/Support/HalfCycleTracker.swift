/// Counts half-cycles of a quantity (a module's temperature, a cell's SoC): a reversal of at
/// least `threshold` from the last extreme closes a half-cycle whose swing is the distance between
/// the two extremes; smaller wiggles belong to the half-cycle that holds them.
struct HalfCycleTracker: Sendable, Equatable {
    /// The thermal half-cycles' threshold, K.
    static let thermalThreshold_K = 10.0
    /// The SoC half-cycles' threshold (cycle ageing).
    static let socThreshold = 0.01

    private var lastReversal: Double
    private var extreme: Double
    private var rising: Bool?

    init(start: Double) {
        lastReversal = start
        extreme = start
    }

    /// Feeds a value; returns the swing of a half-cycle that just closed, else nil.
    mutating func update(_ t: Double, threshold: Double) -> Double? {
        switch rising {
        case nil:
            if abs(t - extreme) >= threshold {
                rising = t > extreme
                extreme = t
            }
            return nil
        case true?:
            if t > extreme { extreme = t }
            if extreme - t >= threshold { return reverse(at: t, nowRising: false) }
        case false?:
            if t < extreme { extreme = t }
            if t - extreme >= threshold { return reverse(at: t, nowRising: true) }
        }
        return nil
    }

    private mutating func reverse(at t: Double, nowRising: Bool) -> Double {
        let swing = abs(extreme - lastReversal)
        lastReversal = extreme
        extreme = t
        rising = nowRising
        return swing
    }
}
