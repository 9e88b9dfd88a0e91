/// The freeze reserve: the charge a thermally managed pack keeps to hold its temperature through
/// a grid outage of `HeaterSettings.freezeReserveHours` with its heaters fed from itself.
///
/// The heaters' hold power is learnt from their metered supply (`MeasurementFrame.heaterPower`;
/// the commanded duty times `HeaterSettings.ratedPower` where a meter reads nothing) while the
/// pack is idle (an outage has no cycling heat to help): minute means, weighted over a day,
/// seeded with half the heaters' rating. The reserve is that power for the outage's hours over
/// the pack's energy (rated capacity x cells x the OCV at half charge); at or below it the
/// discharge limit is zero, until the SoC is 1 % above it again.
@usableFromInline struct FreezeReserve: Sendable {
    /// The learnt hold power, W (NaN until seeded).
    @usableFromInline var holdPower: Float = .nan
    @usableFromInline var minuteSum: Float = 0
    @usableFromInline var minuteSteps: Int32 = 0
    /// The reserve, SoC fraction, and whether discharge is held at it.
    @usableFromInline var reserve: Float = 0
    @usableFromInline var holding = false
    /// The pack's energy, Wh (rated capacity x cells x the OCV at half charge).
    @usableFromInline let energy: Float

    @inlinable init(configuration c: CoreConfiguration) {
        energy = Float(c.cellCount) * c.ratedCapacity.value * c.cellModel.ocv.evaluate(StateOfCharge(0.5)).voltage.value
    }

    /// Updates from one step: the heaters' total power (metered, or duty x rating), whether the
    /// pack is idle, the mean-cell SoC, the outage's `hours` and the heaters' `ratedPower`.
    /// Returns whether discharge is held.
    @inlinable mutating func update(
        heaterPower: Float, idle: Bool, soc: Float, hours: Float, ratedPower rated: Float, configuration c: CoreConfiguration
    ) -> Bool {
        if holdPower.isNaN { holdPower = 0.5 * rated * Float(c.moduleCount) }
        if idle, heaterPower.isFinite, heaterPower >= 0 {
            minuteSum += heaterPower
            minuteSteps &+= 1
            if minuteSteps >= Int32(truncatingIfNeeded: 60_000 / c.step.count) {
                let mean = minuteSum / Float(Int(minuteSteps))
                holdPower += (mean - holdPower) / (24 * 60)
                minuteSum = 0
                minuteSteps = 0
            }
        }
        reserve = energy > 0 ? min(1, holdPower * hours / energy) : 1
        holding = holding ? soc <= reserve + 0.01 : soc <= reserve
        return holding
    }
}
