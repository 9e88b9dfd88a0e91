extension CellDeltaFilter {
    /// Judges the largest fall at rest or on charge since the last judgement
    /// (`ResistanceStepWatch.fall`): a cell not excluded and not latched `contactLoss`
    /// (`lostContact`: its resistance follows the current's least wander) whose fall, as a
    /// current through the mean cell's resistance at the reference (`resistance`, ohms), drains it by
    /// `CellDeltaSettings.softShortRate_per_h` or more of `capacity` (Ah) an hour has a soft
    /// short (`softShort`, latched as the rest reads' are). The fall is then forgotten.
    ///
    /// The rest reads see a leak only on a slope and an hour after its onset; the fall sees its
    /// onset on any plateau, and once. A leak that grows from nothing (no step) is left to the
    /// reads.
    @inlinable mutating func judgeLeak(
        _ step: inout ResistanceStepWatch, excluded: Span<Bool>, lostContact: Span<Bool>, resistance: Float, capacity: Float
    ) {
        defer { step.clearFall() }
        let k = Int(step.leakCell) - 1
        // (Both positive: the configuration's validation, and `HealthEstimation.meanResistance`
        // falls back to the datasheet's.)
        guard k >= 0, k < maxCells, !excluded[k], !lostContact[k], !_softShort[k],
              step.fall >= settings.softShortRate_per_h * resistance * capacity else { return }
        _softShort[k] = true
        _softShortCount += 1
    }
}
