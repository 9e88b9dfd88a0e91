extension CoreConfiguration {
    /// Configures a controller for a pack whose history it has no record of (a controller
    /// replaced, or its records lost, on a pack in service): what the operator knows is that the
    /// pack has served, nothing more.
    ///
    /// - Capacity: any state of health from 75 % (past the usual 80 % end-of-life criterion) to
    ///   100 % alike, the mean 87.5 % and sigma 7.2 % of that uniform distribution
    ///   (`CapacitySettings.assumedSoH`, `assumedSoHSigma`), until measured.
    /// - Resistance: the resistance law's scale starts uncertain by three times itself (an
    ///   interphase grown for years multiplies the resistance several times;
    ///   `SoCEstimator.Settings.frontResistanceError`) and is learnt from the loaded voltage
    ///   (`learnsResistanceScale`), and the voltage model allows its IR drop
    ///   that error until the health estimate has measured it
    ///   (`SoCEstimator.Settings.unmeasuredResistanceUncertainty`).
    public mutating func assumeUnknownHistory() {
        capacity.assumedSoH = Ratio(0.875)
        capacity.assumedSoHSigma = Ratio(0.072)
        estimator.frontResistanceError = Ratio(3)
        estimator.learnsResistanceScale = true
        estimator.unmeasuredResistanceUncertainty = Ratio(3)
    }
}
