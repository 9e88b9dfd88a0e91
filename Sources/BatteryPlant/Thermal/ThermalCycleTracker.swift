/// Counts thermal half-cycles of a module's temperature: a reversal of at least `threshold_K` from
/// the last extreme closes a half-cycle whose swing is the distance between the two extremes.
struct ThermalCycleTracker: Sendable, Equatable {
    static let threshold_K = 10.0

    private var lastReversal_C: Double
    private var extreme_C: Double
    private var rising: Bool?

    init(start_C: Double) {
        lastReversal_C = start_C
        extreme_C = start_C
    }

    /// Feeds a temperature; returns the swing of a half-cycle that just closed, else nil.
    mutating func update(_ t: Double) -> Double? {
        switch rising {
        case nil:
            if abs(t - extreme_C) >= Self.threshold_K {
                rising = t > extreme_C
                extreme_C = t
            }
            return nil
        case true?:
            if t > extreme_C { extreme_C = t }
            if extreme_C - t >= Self.threshold_K { return reverse(at: t, nowRising: false) }
        case false?:
            if t < extreme_C { extreme_C = t }
            if t - extreme_C >= Self.threshold_K { return reverse(at: t, nowRising: true) }
        }
        return nil
    }

    private mutating func reverse(at t: Double, nowRising: Bool) -> Double {
        let swing = abs(extreme_C - lastReversal_C)
        lastReversal_C = extreme_C
        extreme_C = t
        rising = nowRising
        return swing
    }
}
