extension CoreConfiguration {
    /// Configures a controller for a pack whose history it has no record of (a controller
    /// replaced, or its records lost, on a pack in service): what the operator knows is that the
    /// pack has served, nothing more.
    ///
    /// - Capacity: any state of health from 75 % (past the usual 80 % end-of-life criterion) to
    ///   100 % alike, the mean 87.5 % and sigma 7.2 % of that uniform distribution
    ///   (`CapacitySettings.assumedSoH`, `assumedSoHSigma`), until measured.
    /// - Resistance: the resistance law's scale starts uncertain by fifteen times itself (an
    ///   interphase grown for years multiplied an end-of-life sulfide cell's sixteen times;
    ///   three on a ZEBRA cell, whose front reads calibrate it;
    ///   `SoCEstimator.Settings.frontResistanceError`). On a cell with neither reaction front
    ///   nor hysteresis it is measured from the mean cell's voltage steps at the current's
    ///   steps (`scaleGauge`: 1 s block means, steps of at least C/128, the ZEBRA front
    ///   gauge's 0.3 A of a 38 Ah cell, and four sigmas of a difference of two block means'
    ///   current, in half-hour windows of at least eight; the read's variance says how much
    ///   it is worth) and only
    ///   considered by the other updates (`SoCEstimator.scaleOnlyFromReads`). The voltage model
    ///   allows its IR drop that error as white noise too until the scale or the health estimate
    ///   has measured it (`SoCEstimator.Settings.unmeasuredResistanceUncertainty`). Call it
    ///   after the capacity, the strings and the current noise are set: the gauge's step
    ///   derives from them.
    /// - Cells: their capacities spread 3 % about the mean cell's (one sigma; a matched lot's
    ///   1 % widens as cells fade at different rates: `CellDeltaSettings.capacityMismatchSigma`).
    public mutating func assumeUnknownHistory() {
        capacity.assumedSoH = Ratio(0.875)
        capacity.assumedSoHSigma = Ratio(0.072)
        cellDeltas.capacityMismatchSigma = Ratio(0.03)
        estimator.frontResistanceError = Ratio(cellModel.resistancePerDepthOfDischarge > .zero ? 3 : 15)
        estimator.learnsResistanceScale = true
        estimator.unmeasuredResistanceUncertainty = Ratio(3)
        // Read over 1 s blocks (an EMS's ramp is a staircase of set-point steps of a few
        // percent of C, under one frame's current noise); each step at least C/128 and four
        // times the noise of a difference of two block means (a step of the sensor's noise
        // alone carries no resistance).
        let block = max(1, min(1000, 1000 / max(1, self.step.count)))
        let blockNoise = estimator.currentNoise.value / Float(block).squareRoot()
        let step = max(ratedCapacity.value / Float(max(1, parallelStrings)) / 128, 4 * 1.4142135 * blockNoise)
        scaleGauge = FrontGaugeSettings(
            minimumStep: Amperes(step), window: Milliseconds(1_800_000), minimumExcitation: 8 * step * step, minimumSamples: 8,
            blockFrames: Int32(truncatingIfNeeded: block), skipsLimitedCurrent: true)
    }
}
