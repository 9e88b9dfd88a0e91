/// Finds ZEBRA cells that have failed short: about 0 V (below `collapsedCellFraction` of the mean)
/// while both neighbours read normally (an open wire would make a neighbour read two cells), and
/// the pack voltage fell with the cell (a shorted cell takes its voltage out of the string; a dead
/// channel reading 0 V does not). A suspect with that evidence is left out of the cell statistics
/// at once (so under-voltage protection does not trip on a cell the chemistry is designed to
/// lose) and confirmed after `confirmSteps`; confirmed cells stay out. A suspect without it stays
/// in the statistics: its cell is not monitored, and protection stops the pack.
///
/// The evidence: from the frame before the cell collapsed to each frame it reads collapsed, the
/// pack voltage's change less the other cells' sum's change (which carries the load's IR swing),
/// against minus the cell's voltage before (a short) or zero (a dead channel); a drop of more than
/// half the cell's voltage counts, seen in any suspect frame (a pack reading sampled a frame late
/// still counts). With no frame before (power-up), the cells' sum must match the pack voltage
/// with the collapsed cell at 0 V and not with it at the mean (the cell-sum tolerance decides;
/// when it cannot, it is not a short).
@usableFromInline struct FailedShortDetector<let maxCells: Int, let m: Int>: Sendable {
    @usableFromInline var suspectSteps: InlineArray<maxCells, Int32> = InlineArray(repeating: 0)
    /// Cells confirmed failed short.
    @usableFromInline var failed: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    /// Cells left out of the statistics this step (confirmed or suspected with evidence).
    @usableFromInline var excluded: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    @usableFromInline var failedCount = 0
    /// Each suspect's evidence that the pack voltage fell with it.
    @usableFromInline var packFell: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    /// The last frame's cell voltages, pack voltage and sum of the cells not failed.
    @usableFromInline var previous: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var previousPack: Float = .nan
    @usableFromInline var previousSum: Float = .nan
    /// For each suspect, from the frame before it collapsed: the pack voltage, the other cells'
    /// sum and the cell's own voltage (NaN: no such frame).
    @usableFromInline var beforePack: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var beforeOthers: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)
    @usableFromInline var beforeCell: InlineArray<maxCells, Float> = InlineArray(repeating: .nan)

    @inlinable mutating func update(_ frame: MeasurementFrame<maxCells, m>, count: Int, confirmSteps: Int32, settings: ValidationSettings) {
        let collapsed = settings.collapsedCellFraction.value
        let lowNeighbour = 1 - settings.normalNeighbourBand.value
        let highNeighbour = 1 + settings.normalNeighbourBand.value
        var sum: Float = 0
        var n = 0
        var allFinite = true
        for i in 0..<count where !failed[i] {
            let v = frame.cellVoltages[i].value
            if v.isFinite {
                sum += v
                n += 1
            } else {
                allFinite = false
            }
        }
        let pack = frame.packVoltage.value
        defer {
            for i in 0..<count { previous[i] = frame.cellVoltages[i].value }
            previousPack = pack
            previousSum = allFinite ? sum : .nan
        }
        guard n > 2 else { return }
        let mean = sum / Float(n)
        for i in 0..<count where !failed[i] {
            let v = frame.cellVoltages[i].value
            let below = i > 0 ? frame.cellVoltages[i - 1].value : mean
            let above = i + 1 < count ? frame.cellVoltages[i + 1].value : mean
            let neighboursNormal = below > lowNeighbour * mean && below < highNeighbour * mean
                && above > lowNeighbour * mean && above < highNeighbour * mean
            guard v.isFinite, v < collapsed * mean, neighboursNormal else {
                suspectSteps[i] = 0
                excluded[i] = false
                packFell[i] = false
                continue
            }
            if suspectSteps[i] == 0 {
                beforePack[i] = previousPack
                beforeOthers[i] = previousSum - previous[i]
                beforeCell[i] = previous[i]
                if !(beforePack[i].isFinite && beforeOthers[i].isFinite && beforeCell[i].isFinite) {
                    // No frame before it (power-up): the sum must hold the pack with the cell at 0 V.
                    let tolerance = settings.cellSumRelativeTolerance.value * abs(pack) + settings.cellSumAbsoluteTolerance.value
                    packFell[i] = pack.isFinite && allFinite && abs(pack - sum) <= tolerance && abs(pack - (sum - v + mean)) > tolerance
                }
            }
            if !packFell[i], beforeCell[i].isFinite, pack.isFinite, allFinite {
                let others = sum - v
                let change = (pack - beforePack[i]) - (others - beforeOthers[i])
                packFell[i] = change < -0.5 * beforeCell[i]
            }
            suspectSteps[i] &+= 1
            excluded[i] = packFell[i]
            if packFell[i], suspectSteps[i] >= confirmSteps {
                failed[i] = true
                failedCount += 1
            }
        }
    }
}
