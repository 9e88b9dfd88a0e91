/// Finds ZEBRA cells that have failed short: about 0 V (below `collapsedCellFraction` of the mean)
/// while both neighbours read normally (an open wire would make a neighbour read two cells). A
/// suspect is left out of the cell statistics at once (so under-voltage protection does not trip
/// on a cell the chemistry is designed to lose) and confirmed after `confirmSteps`; confirmed
/// cells stay out.
@usableFromInline struct FailedShortDetector<let maxCells: Int, let m: Int>: Sendable {
    @usableFromInline var suspectSteps: InlineArray<maxCells, Int32> = InlineArray(repeating: 0)
    /// Cells confirmed failed short.
    @usableFromInline var failed: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    /// Cells left out of the statistics this step (confirmed or suspected).
    @usableFromInline var excluded: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    @usableFromInline var failedCount = 0

    @inlinable mutating func update(_ frame: MeasurementFrame<maxCells, m>, count: Int, confirmSteps: Int32, settings: ValidationSettings) {
        let collapsed = settings.collapsedCellFraction.value
        let lowNeighbour = 1 - settings.normalNeighbourBand.value
        let highNeighbour = 1 + settings.normalNeighbourBand.value
        var sum: Float = 0
        var n = 0
        for i in 0..<count where !failed[i] {
            let v = frame.cellVoltages[i].value
            if v.isFinite { sum += v; n += 1 }
        }
        guard n > 2 else { return }
        let mean = sum / Float(n)
        for i in 0..<count where !failed[i] {
            let v = frame.cellVoltages[i].value
            let below = i > 0 ? frame.cellVoltages[i - 1].value : mean
            let above = i + 1 < count ? frame.cellVoltages[i + 1].value : mean
            let neighboursNormal = below > lowNeighbour * mean && below < highNeighbour * mean
                && above > lowNeighbour * mean && above < highNeighbour * mean
            if v.isFinite, v < collapsed * mean, neighboursNormal {
                suspectSteps[i] &+= 1
                excluded[i] = true
                if suspectSteps[i] >= confirmSteps {
                    failed[i] = true
                    failedCount += 1
                }
            } else {
                suspectSteps[i] = 0
                excluded[i] = false
            }
        }
    }
}
