/// What the derating phase decided.
@usableFromInline struct DeratingResult: Sendable {
    /// The current limits offered to the EMS.
    @usableFromInline var limits: CurrentLimits
    /// 1 - (plating current density / CCD at the coldest module) at the worst contact (NaN for
    /// cells without a CCD).
    @usableFromInline var ccdMargin: Float
    /// Too many failed cells: the string is out of service (to be latched).
    @usableFromInline var outOfService: Bool
    /// What reduced each limit below the rated current.
    @usableFromInline var reasons: LimitReasonPair

    @inlinable init(limits: CurrentLimits, ccdMargin: Float, outOfService: Bool, reasons: LimitReasonPair) {
        self.limits = limits
        self.ccdMargin = ccdMargin
        self.outOfService = outOfService
        self.reasons = reasons
    }
}

/// Phase 4b, derate: the charge and discharge current limits offered to the EMS, from the SoC
/// ramps and the voltage window (`VoltageWindowDerating`), the protection tiers, the worst
/// cell's health, failed-short cells, and the critical current density at the coldest module
/// and the worst contact.
@usableFromInline enum Derating {
    /// The limits of this step. `mayConduct` is false while anything forbids current (a latched
    /// fault, a cold pack, an invalid frame, a sequence that is not closed); `coldest` is the
    /// coldest module's temperature (or the last valid mean); `smallestContact` the worst cell's
    /// estimated contact fraction.
    @inlinable static func limits(
        mayConduct: Bool, status s: CoreStatus, voltage: VoltageWindowDerating, protection: ProtectionResult, failedCells: Int,
        current: Amperes, coldest: Celsius, smallestContact: Float, configuration c: CoreConfiguration
    ) -> DeratingResult {
        let d = c.derating
        let l = c.currentLimits
        let rated = CurrentLimits(charge: l.ratedChargeCurrent, discharge: l.ratedDischargeCurrent)
        var reasons = LimitReasonPair()
        var limits: CurrentLimits
        if mayConduct {
            // Each ramp on its own, for the reasons; the smaller for the limit (rated x the
            // smaller factor: the rated current is not negative, so the same number).
            let socRamps = CurrentLimits(settings: l, lowestSoC: s.minimumCellSoC, highestSoC: s.maximumCellSoC, charge: 1, discharge: 1)
            let voltageRamps = CurrentLimits(charge: rated.charge * voltage.charge, discharge: rated.discharge * voltage.discharge)
            reasons.note(.soc, before: rated, after: socRamps)
            reasons.note(.voltage, before: rated, after: voltageRamps)
            limits = CurrentLimits(charge: min(socRamps.charge, voltageRamps.charge), discharge: min(socRamps.discharge, voltageRamps.discharge))
        } else {
            limits = .zero
            reasons.note(.noConduction, before: rated, after: limits)
        }
        var before = limits
        limits.apply(warnings: protection.warnings, alarms: protection.alarms, warningFactor: c.currentLimits.warningFactor)
        reasons.note(.protectionTier, before: before, after: limits)
        // Health: a string with a worn cell gives that cell the heat of a healthy one.
        before = limits
        limits.charge = limits.charge * s.healthDerating
        limits.discharge = limits.discharge * s.healthDerating
        reasons.note(.cellHealth, before: before, after: limits)
        // A string running cells down: less current per failed cell (down to a floor); past a
        // fraction of the cells the string is out of service.
        var outOfService = false
        if failedCells > 0 {
            let keep = max(d.failedCellFloor.value, 1 - d.perFailedCell.value * Float(failedCells))
            before = limits
            limits.charge = limits.charge * keep
            limits.discharge = limits.discharge * keep
            reasons.note(.failedCells, before: before, after: limits)
            outOfService = Float(failedCells) > d.outOfServiceFraction.value * Float(c.cellCount)
        }
        // CCD-aware derating: plating current at the coldest module (lowest CCD) stays below the
        // configured fraction of the CCD; the margin is reported either way.
        var margin = s.ccdMargin
        if let ccd = c.cellModel.maximumPlatingCurrent(coldest, fraction: 1) {
            let strings = Float(c.parallelStrings)
            // The local density is the apparent one over the contact fraction (lost contact
            // focuses the current), taken at the worst cell.
            let contact = smallestContact
            let charging = max(0, -(current.value - s.currentOffset.value)) / strings
            margin = 1 - charging / contact / ccd.value
            let fraction = c.currentLimits.ccdFraction.value
            if fraction > 0 {
                let cap = ccd * (fraction * strings * contact)
                if limits.charge > cap {
                    limits.charge = cap
                    // (No array literal: an OptionSet built from one allocates in Embedded mode.)
                    reasons.charge.insert(.ccd)
                    if contact < 1 { reasons.charge.insert(.contactLoss) }
                }
            }
        }
        // A limit below the rest threshold (C/100) is none. The current it would let through is
        // one the estimator takes for an idle converter's reading, and near the SoC ceiling the
        // ramp settles where the limit equals the current sensor's offset: the trickle then
        // cancels the offset in the reading, is never counted, and charged a ZEBRA string's
        // fullest cell for days while the estimate stood still (30 nominal days, NaNiCl2).
        let floor = c.rest.restCurrent.current(for: c.ratedCapacity)
        before = limits
        if limits.charge < floor { limits.charge = .zero }
        if limits.discharge < floor { limits.discharge = .zero }
        reasons.note(.belowFloor, before: before, after: limits)
        return DeratingResult(limits: limits, ccdMargin: margin, outOfService: outOfService, reasons: reasons)
    }
}
