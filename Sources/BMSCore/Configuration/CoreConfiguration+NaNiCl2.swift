extension CoreConfiguration {
    /// Datasheet-level settings for a string of Na-NiCl2 (ZEBRA-type) cells.
    ///
    /// No cell balancing (the cells tolerate the overcharge of a string's fullest cell).
    /// Limits follow ../shared/REFERENCE.md section 1: charge limit about 2.67-2.8 V/cell,
    /// discharge limit about 1.8-2.1 V/cell, window 270-350 C. The operating numbers are this
    /// project's choices and are documented in docs/core.md.
    @inlinable public static func naNiCl2(
        cellCount: Int, moduleCount: Int, ratedCapacity: AmpereHours, initialSoC: StateOfCharge,
        ratedCurrent: Amperes
    ) -> CoreConfiguration {
        var c = make(
            cellCount: cellCount, moduleCount: moduleCount, initialSoC: initialSoC, ratedCurrent: ratedCurrent, model: .naNiCl2,
            voltage: (safety: (1.80, 2.80), recommended: (1.88, 2.78), operating: (1.95, 2.76)),
            window: (discharge: (2.00, 2.15), charge: (2.75, 2.70)),
            temperature: (minimum: 260, setpoint: 280, band: 10, over: (340, 345, 350)))
        c.ratedCapacity = ratedCapacity
        // ZEBRA cells balance themselves: a full cell in a charging string takes the overcharge
        // reaction of its NaAlCl4 melt instead (docs/core.md).
        c.balancing.enabled = false
        // The datasheet table rises 8 mV from 15 to 30 % SoC (0.053 V per unit): two voltage
        // model errors over the segment, a plateau for SoC purposes. Read SoC from the voltage
        // only where it slopes at least 0.1 V per unit (the Fe step below about 15 %).
        c.estimator.minimumOCVSlope = 0.1
        return c
    }
}
