/// The complete state of one cell, kept together so a step walks memory once (array of structs).
/// `@usableFromInline` for the pack's inlinable truth getters (`voltage` read in place).
@usableFromInline struct CellState: Sendable {
    /// State of charge (fraction).
    var soc: Double
    /// OCV(soc) from the table at the reference temperature (kept in step with `soc`).
    var ocv: Double
    /// The table's series-resistance multiplier at `soc` (kept in step with it).
    var resistanceFactor = 1.0
    /// The OCV table segment the SoC is in: ocv = intercept + slope x soc while low <= soc < high
    /// (and the resistance factor likewise).
    var segmentLow = Double.infinity
    var segmentHigh = -Double.infinity
    var segmentIntercept = 0.0
    var segmentSlope = 0.0
    var factorIntercept = 1.0
    var factorSlope = 0.0
    /// The hysteresis half gap on the cached segment: intercept + slope x soc, V.
    var hysteresisIntercept = 0.0
    var hysteresisSlope = 0.0
    /// Hysteresis state h in [-1, 1] (`OCVCurve.hysteresis_V`): +1 on the charge branch, -1 on
    /// the discharge branch; the same for every cell of a pack at the start (one history).
    var hysteresis = 0.0
    /// The hysteresis's share of `ocv` (half gap x h), V.
    var hysteresisVoltage: Double { (hysteresisIntercept + hysteresisSlope * soc) * hysteresis }


    /// OCV(soc) and the resistance factor from the cached segment, looking the segment up only
    /// when the SoC has left it. The cached segment also ends at the survivable SoC
    /// (`floor`, `ceiling`), so leaving that is noticed on the rare path: returns whether the
    /// SoC now lies outside it.
    @inline(__always) @discardableResult
    mutating func updateOCV(_ table: OCVCurve, floor: Double = -.infinity, ceiling: Double = .infinity) -> Bool {
        var outside = false
        if !(soc >= segmentLow && soc < segmentHigh) {
            let s = table.segment(containing: soc)
            outside = !(soc >= floor && soc <= ceiling)
            segmentLow = max(s.low, floor)
            segmentHigh = min(s.high, ceiling)
            segmentIntercept = s.intercept + ocvOffset
            segmentSlope = s.slope
            factorIntercept = s.factorIntercept
            factorSlope = s.factorSlope
            hysteresisIntercept = s.hysteresisIntercept
            hysteresisSlope = s.hysteresisSlope
        }
        ocv = segmentIntercept + segmentSlope * soc + (hysteresisIntercept + hysteresisSlope * soc) * hysteresis
        resistanceFactor = factorIntercept + factorSlope * soc
        return outside
    }

    /// The series resistance at the present SoC: bulk x the table's factor, plus the reaction
    /// front's resistance at the active front's depth, x the cell's spread.
    @inline(__always)
    func seriesResistance(bulk: Double, frontSlope: Double) -> Double {
        (bulk * resistanceFactor + frontSlope * frontDepth) * scale
    }
    /// Depth of the active reaction front for the direction `frontDischarging` (ZEBRA; see
    /// `ReactionFrontLayers`), kept in step with `fronts`.
    var frontDepth = 0.0
    var frontDischarging = true
    /// The cathode's charged and discharged layers (ZEBRA; unused without a reaction front).
    var fronts = ReactionFrontLayers(depthOfDischarge: 0)

    /// Moves the reaction fronts by the charge of a step (`amount` of capacity, positive =
    /// discharge) and follows the active front's depth.
    @inline(__always)
    mutating func moveFronts(by amount: Double, zoneWidth: Double) {
        guard amount != 0 else { return }
        let discharging = amount > 0
        // The common step: the active front moves on within a layer thicker than the zone.
        if fronts.surfaceDischarged == discharging, discharging == frontDischarging, let top = fronts.advanceTop(by: abs(amount), keeping: zoneWidth) {
            frontDepth = top
            return
        }
        fronts.move(by: amount)
        frontDischarging = discharging
        if let d = fronts.depth(discharging: discharging, zoneWidth: zoneWidth) { frontDepth = d }
    }

    /// Before a step whose current flows the other way than the last: the resistance follows
    /// the other direction's front from the step's start. Returns whether it changed.
    @inline(__always)
    mutating func turnFront(current: Double, zoneWidth: Double) -> Bool {
        guard current != 0, (current > 0) != frontDischarging else { return false }
        frontDischarging = current > 0
        if let d = fronts.depth(discharging: frontDischarging, zoneWidth: zoneWidth) { frontDepth = d }
        return true
    }
    /// Voltages of the RC elements (unused lanes stay 0).
    var rc: SIMD4<Double> = .zero
    /// Charge moved through the cell so far, A s (counted every step; cycle ageing reads it at
    /// each ageing tick).
    var throughput_As: Double = 0
    /// The capacity the SoC is integrated against and 1 / (3600 x it), refreshed at each ageing
    /// tick (`BatteryPack.age(over:)`).
    var capacity_Ah: Double
    var socPerAmpereSecond: Double

    /// Fraction of the initial capacity lost during the run (calendar and cycle fade).
    var fade: Double = 0
    /// The present capacity, exact.
    var presentCapacity_Ah: Double { initialCapacity_Ah * (1 - fade) }
    /// Series-resistance multiplier: the spread times the ageing's growth (`updateLaneScales`).
    var scale: Double
    var selfDischarge_per_s: Double
    /// Contact fraction and interphase thickness; after changing either, call `updateLaneScales`.
    var contact: Double = 1
    var interphase_cm: Double = 0
    /// Per RC lane: resistance multiplier (spread x interface state) and its inverse (0 where the
    /// resistance is 0), cached because they change only when the interface does.
    var laneScale: SIMD4<Double> = SIMD4(repeating: 1)
    var inverseLaneScale: SIMD4<Double> = SIMD4(repeating: 1)
    var hazard_per_h: Double = 0
    @usableFromInline var voltage: Double = 0
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

    // Cold: read when a segment, the interface or the capacity changes, not every step (kept
    // last so the fields every step touches share fewer cache lines).
    /// This cell's offset from its chemistry's OCV table, V (folded into the cached segment).
    var ocvOffset = 0.0
    /// Each RC element's own multiplier from the spread (1 in unused lanes).
    var elementScale: SIMD4<Double> = SIMD4(repeating: 1)
    /// Weibull multipliers of this cell's critical current density, critical stripping current and
    /// interphase growth rate (median 1).
    var criticalCurrentFactor = 1.0
    var strippingFactor = 1.0
    var interphaseRateFactor = 1.0
    /// Resistance multiplier drawn from the spread (RC capacitances scale by its inverse, tau
    /// stays put).
    var spread: Double
    /// Growth of the non-interface resistances by ageing (`AgeingLaw.resistanceGrowthPerFade`).
    var resistanceAgeing = 1.0
    /// Capacity lost before the run (the ageing state's), fraction of the nameplate.
    var initialFade = 0.0
    /// Cycle ageing: throughput at the last ageing tick, the stress-weighted throughput of the
    /// open half-cycle, A s, and the half-cycles of the SoC.
    var throughputAtTick = 0.0
    var pendingCycleCharge_As = 0.0
    var socCycles = HalfCycleTracker(start: 0)
    /// Fracture damage so far and the strength it must pass (`AgeingLaw`).
    var fractureDamage = 0.0
    var strength = Double.infinity
    /// Dendrite damage (the integral of the short hazard) and the damage at which this cell's
    /// dendrite breaks through (drawn from an exponential of mean 1).
    var dendriteDamage = 0.0
    var dendriteThreshold = Double.infinity
    /// Capacity at the start of the run (as built, less the ageing state's fade), Ah.
    var initialCapacity_Ah: Double

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

    /// Sets the integration capacity to the present one.
    mutating func updateCapacity() {
        capacity_Ah = presentCapacity_Ah
        socPerAmpereSecond = 1 / (3600 * capacity_Ah)
    }

    /// Recomputes the series scale and the lane scales from the spread, the ageing and the
    /// interface state: interface 1/f, interphase thickness/f, the others the ageing's growth.
    mutating func updateLaneScales(_ masks: ElementMasks) {
        let f = contact
        let d = interphase_cm
        let interphaseInverse = d > 0 ? f / d : 0
        let factor = masks.other * resistanceAgeing + masks.interface * (1 / f) + masks.interphase * (d / f)
        let inverse = masks.other * (1 / resistanceAgeing) + masks.interface * f + masks.interphase * interphaseInverse
        scale = spread * resistanceAgeing
        laneScale = factor * spread * elementScale
        inverseLaneScale = inverse * (1 / spread) / elementScale
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
    /// Self-discharge at this temperature per volt of OCV, relative to the reference rate.
    var selfDischargePerVolt = 0.0
    var ocvShift_V = 0.0
    var temperature_K = 0.0
    var elementR: SIMD4<Double> = .zero
    var inverseElementR: SIMD4<Double> = .zero
    var decay: SIMD4<Double> = .zero
    var tau: SIMD4<Double> = SIMD4(repeating: 1)
    /// For cells that carry their string's current: (1 - a_k) R_k, an RC lane's response to
    /// current and its share of the step resistance; R_k (dt - tau_k (1 - a_k)) and
    /// tau_k (1 - a_k), so that the integral of v_k over the step is I laneScale times the first
    /// plus v0 times the second; tau_k / (2 R_k), stored energy per (inverse lane scale x v^2).
    var response: SIMD4<Double> = .zero
    var integralPerCurrent: SIMD4<Double> = .zero
    var integralPerVoltage: SIMD4<Double> = .zero
    var halfCapacitance: SIMD4<Double> = .zero
    var interphaseRate = 0.0
    var strippingLimit = Double.infinity
    var criticalCurrent = Double.infinity
    var heat_J = 0.0
    var reversibleHeat_J = 0.0
    var balancingHeat_J = 0.0
    var frozen = false
    var currentWhileFrozen = false
    /// The Butler-Volmer factor of the charge-transfer element the values above were evaluated
    /// with (1 at no current).
    var butlerVolmer = 1.0
    /// Temperature and step length the values above were evaluated at.
    var evaluatedAt_C = Double.nan
    var evaluatedAt_dt = Double.nan
    /// The values were re-evaluated for this step (cells' carried-over equivalents are stale).
    var reevaluated = true
}
