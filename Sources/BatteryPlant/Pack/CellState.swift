/// The complete state of one cell, kept together so a step walks memory once (array of structs).
struct CellState: Sendable {
    /// State of charge (fraction).
    var soc: Double
    /// OCV(soc) from the table at the reference temperature (kept in step with `soc`), and the
    /// table segment it was found in.
    var ocv: Double
    var ocvSegment: Int32 = 0
    /// Voltages of the RC elements (unused lanes stay 0).
    var rc: SIMD4<Double> = .zero
    /// As-built capacity, Ah; `fade` is the fraction lost; `capacity_Ah` caches the present one.
    var initialCapacity_Ah: Double
    var fade: Double = 0
    var capacity_Ah: Double
    /// 1 / (3600 capacity): SoC per ampere-second. Refreshed when the capacity has moved by more
    /// than 1 ppm since (a division a step saved; the charge bookkeeping errs by < 1 ppm).
    var socPerAmpereSecond: Double
    var capacityOfInverse: Double
    /// 1 / (3600 initial capacity): equivalent full cycles are counted against the as-built capacity.
    let initialSoCPerAmpereSecond: Double
    /// Resistance multiplier from the spread (RC capacitances scale by its inverse, tau stays put).
    var scale: Double
    var inverseScale: Double
    var selfDischarge_per_s: Double
    /// Contact fraction and interphase thickness; after changing either, call `updateLaneScales`.
    var contact: Double = 1
    var interphase_cm: Double = 0
    /// Per RC lane: resistance multiplier (spread x interface state) and its inverse (0 where the
    /// resistance is 0), cached because they change only when the interface does.
    var laneScale: SIMD4<Double> = SIMD4(repeating: 1)
    var inverseLaneScale: SIMD4<Double> = SIMD4(repeating: 1)
    var hazard_per_h: Double = 0
    var voltage: Double = 0
    var current: Double = 0
    var failure: FailureCode = .healthy
    var leakage_ohm: Double = .infinity
    // Scratch of the present step: the cell's own Thevenin equivalent and the conductance across it.
    var e: Double = 0
    var r: Double = 0
    var g: Double = 0
    var series: Double = 0
    /// `e`, `r`, `g`, `series` were formed at the end of the last step for the next one, with the
    /// balancing state `equivalentBalancing`; cleared by anything that changes the cell between steps.
    var equivalentFresh = false
    var equivalentBalancing = false

    /// Compact failure state (the public view is `CellFailure`).
    enum FailureCode: UInt8, Sendable {
        case healthy, leakage, fixedLeakage, failedShort, open
    }

    var failureView: CellFailure {
        switch failure {
        case .healthy: .healthy
        case .leakage: .leakage(resistance_ohm: leakage_ohm, fixed: false)
        case .fixedLeakage: .leakage(resistance_ohm: leakage_ohm, fixed: true)
        case .failedShort: .failedShort
        case .open: .open
        }
    }

    /// Leaking cells still hold charge and count towards the pack's SoC; failed ones do not.
    var holdsCharge: Bool { failure == .healthy || failure == .leakage || failure == .fixedLeakage }

    /// Sets the present capacity from the fade, refreshing `socPerAmpereSecond` past 1 ppm of change.
    mutating func updateCapacity() {
        capacity_Ah = initialCapacity_Ah * (1 - fade)
        if abs(capacity_Ah - capacityOfInverse) > 1e-6 * capacity_Ah {
            socPerAmpereSecond = 1 / (3600 * capacity_Ah)
            capacityOfInverse = capacity_Ah
        }
    }

    /// Recomputes the lane scales from the spread and the interface state: interface 1/f,
    /// interphase thickness/f, others 1.
    mutating func updateLaneScales(_ masks: ElementMasks) {
        let f = contact
        let d = interphase_cm
        let interphaseInverse = d > 0 ? f / d : 0
        let factor = masks.other + masks.interface * (1 / f) + masks.interphase * (d / f)
        let inverse = masks.other + masks.interface * f + masks.interphase * interphaseInverse
        laneScale = factor * scale
        inverseLaneScale = inverse * inverseScale
        equivalentFresh = false
    }
}

/// Which RC lanes hold which kind of element (1 or 0 per lane).
struct ElementMasks: Sendable {
    var interface: SIMD4<Double> = .zero
    var interphase: SIMD4<Double> = .zero
    var other: SIMD4<Double> = .zero

    init(_ elements: [ImpedanceElement]) {
        for (k, e) in elements.enumerated() {
            switch e.kind {
            case .interface: interface[k] = 1
            case .interphase: interphase[k] = 1
            case .grainBoundary, .chargeTransfer, .generic: other[k] = 1
            }
        }
    }
}

/// What a module contributes to a step: resistances, decays and rates at its temperature, and
/// the heat its cells produce.
struct ModuleStep: Sendable {
    var bulk_ohm = 0.0
    var frontSlope_ohm = 0.0
    var ocvShift_V = 0.0
    var temperature_K = 0.0
    var elementR: SIMD4<Double> = .zero
    var inverseElementR: SIMD4<Double> = .zero
    var decay: SIMD4<Double> = .zero
    var tau: SIMD4<Double> = SIMD4(repeating: 1)
    var interphaseRate = 0.0
    var strippingLimit = Double.infinity
    var criticalCurrent = Double.infinity
    var heat_J = 0.0
    var reversibleHeat_J = 0.0
    var balancingHeat_J = 0.0
    var frozen = false
    var currentWhileFrozen = false
    /// Temperature and step length the values above were evaluated at.
    var evaluatedAt_C = Double.nan
    var evaluatedAt_dt = Double.nan
    /// The values were re-evaluated for this step (cells' carried-over equivalents are stale).
    var reevaluated = true
}
