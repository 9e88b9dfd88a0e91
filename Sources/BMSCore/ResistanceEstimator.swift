/// Per-cell ohmic resistance from the current steps of normal operation, normalised to the
/// reference temperature (so warming is not mistaken for healing) and, for ZEBRA, to full charge.
///
/// Between two fresh frames whose current differs by at least `minimumStep`, each cell's
/// -(v_k - v_k-1) / (i_k - i_k-1) is its resistance over one step: the ohmic part plus a sliver of
/// the slow polarisation (a 100 ms step moves an 18 s RC element by 0.5 %). Each sample is divided
/// by the model's Arrhenius factor at the present temperature, the reaction-front term is removed,
/// and the result is averaged (a running mean over the first `window` samples, then an
/// exponential average with that window).
public struct ResistanceEstimator<let maxCells: Int, let maxModules: Int>: Sendable {
    /// Current change that makes a usable sample, A.
    public var minimumStep: Float = 1
    /// Averaging window, samples.
    public var window: Int32 = 400

    var previousVoltage: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    var previousCurrent: Float = .nan
    /// Resistance at the reference temperature and full charge, per cell, ohms.
    public private(set) var reference: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    /// Samples taken so far.
    public private(set) var samples: Int32 = 0

    public init() {}

    /// Feeds a fresh, valid frame's cell voltages and current (a cell's share of the pack current).
    mutating func update(
        _ frame: MeasurementFrame<maxCells, maxModules>, cellCount: Int, cellCurrent: Float, temperatureFactor: Float,
        frontPerDepth: Float, depthOfDischarge: Float
    ) {
        defer {
            for k in 0..<cellCount { previousVoltage[k] = frame.cellVoltages[k].value }
            previousCurrent = cellCurrent
        }
        let di = cellCurrent - previousCurrent
        guard di.isFinite, abs(di) >= minimumStep, temperatureFactor > 0 else { return }
        samples &+= 1
        let weight = 1 / Float(Int(min(samples, window)))  // via Int: Float(Int32) allocates in Embedded
        let front = frontPerDepth * depthOfDischarge
        for k in 0..<cellCount {
            let r = -(frame.cellVoltages[k].value - previousVoltage[k]) / di / temperatureFactor - front
            guard r.isFinite else { continue }
            reference[k] = reference[k].isNaN ? r : reference[k] + weight * (r - reference[k])
        }
    }

    /// The mean over `count` cells, leaving out `excluded` ones, of the reference resistance
    /// (NaN before the first sample).
    public func meanReference(count: Int, excluded: InlineArray<maxCells, Bool>) -> Float {
        var sum: Float = 0
        var n = 0
        for k in 0..<count where !excluded[k] {
            sum += reference[k]
            n += 1
        }
        return n > 0 ? sum / Float(n) : .nan
    }
}
