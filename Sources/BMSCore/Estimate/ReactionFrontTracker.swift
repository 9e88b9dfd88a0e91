/// The firmware's picture of the ZEBRA cathode's reaction fronts: which depth the ohmic
/// resistance follows after a history of partial charges and discharges.
///
/// A ZEBRA cell reacts at the reactant nearest the separator: a discharge consumes the charged
/// material nearest it, a charge the discharged material nearest it. So a charge after a
/// discharge starts a new front at the separator, and partial cycles leave layers; the
/// resistance rises with the depth of the active front, which after a discharge from full is
/// the depth of discharge but after a partial charge is not (docs/core.md, "Reaction fronts").
/// The tracker moves its layers with the charge of the offset-corrected current and is
/// reconciled with the filter's SoC after each step: a correction of the SoC changes the deepest
/// layers, the ones whose position an unknown start or a counting error leaves uncertain. The reaction spreads over a zone of the
/// porous electrode, so the depth read off the layers is the mean depth of the first
/// `zoneWidth` of reactant (`CellModel.reactionZoneWidth`, from characterisation).
/// Fixed storage: at most `capacity` layer boundaries; the thinnest layer merges to make room.
public struct ReactionFrontTracker: Sendable {
    /// Boundaries from the deepest (index 0) to the one nearest the separator, fractions of
    /// capacity from the separator.
    @usableFromInline var edges = SIMD8<Float>(repeating: 0)
    @usableFromInline var edgeCount: Int = 0
    /// The layer at the separator is discharged.
    @usableFromInline var dischargedAtSurface = false
    /// Where the last reactant was used up (the depth while none is left).
    @usableFromInline var exhaustedAt: Float = 0
    /// The width of the reaction zone the resistance averages over, fraction of capacity.
    public let zoneWidth: Float

    @usableFromInline static var capacity: Int { 8 }

    /// A cathode as after a discharge from full to `depthOfDischarge`.
    @inlinable public init(depthOfDischarge: Float, zoneWidth: Float = 0.05) {
        self.zoneWidth = zoneWidth
        reset(depthOfDischarge: depthOfDischarge)
    }

    /// One front at `depthOfDischarge` (clamped to 0 ... 1), no history.
    @inlinable public mutating func reset(depthOfDischarge d: Float) {
        edges = SIMD8(repeating: 0)
        edgeCount = 0
        dischargedAtSurface = d >= 1
        exhaustedAt = d >= 1 ? 1 : 0
        if d > 0 && d < 1 {
            edges[0] = d
            edgeCount = 1
            dischargedAtSurface = true
        }
    }

    /// Number of layer boundaries (fronts) remembered.
    @inlinable public var fronts: Int { edgeCount }

    /// Whether layer `j` from the separator (0 = at the separator) is discharged.
    @inlinable func discharged(layer j: Int) -> Bool { dischargedAtSurface == (j % 2 == 0) }

    /// The discharged fraction of the cathode.
    @inlinable public var depthOfDischarge: Float {
        var total: Float = 0
        var upper: Float = 0
        for j in 0...edgeCount {
            let lower: Float = j < edgeCount ? edges[edgeCount - 1 - j] : 1
            if discharged(layer: j) { total += lower - upper }
            upper = lower
        }
        return total
    }

    /// Moves the fronts by `amount` of capacity (positive = discharge), as counted.
    @inlinable public mutating func move(by amount: Float) {
        guard amount != 0, amount.isFinite else { return }
        let discharging = amount > 0
        var left = abs(amount)
        if dischargedAtSurface != discharging {
            if edgeCount == Self.capacity { mergeThinnest() }
            edges[edgeCount] = 0
            edgeCount += 1
            dischargedAtSurface = discharging
        }
        while left > 0 && edgeCount > 0 {
            let top = edges[edgeCount - 1]
            let limit: Float = edgeCount >= 2 ? edges[edgeCount - 2] : 1
            if top + left < limit {
                edges[edgeCount - 1] = top + left
                return
            }
            left -= limit - top
            if edgeCount <= 2 { exhaustedAt = limit }
            edgeCount = edgeCount >= 2 ? edgeCount - 2 : 0
        }
    }

    /// Makes the layers hold `depthOfDischarge` in all, changing them from the deepest up (the
    /// deep layers are where an unknown start or a counting error leaves the SoC uncertain; the
    /// recent ones near the separator were counted): more discharge first grows the discharged
    /// material at the bottom of the stack, and a correction larger than a layer takes the layer
    /// and goes on to the next one up.
    @inlinable public mutating func reconcile(depthOfDischarge target: Float) {
        guard target.isFinite else { return }
        let goal = max(0, min(1, target))
        var change = goal - depthOfDischarge
        guard abs(change) > 1e-6 else { return }
        let growDischarged = change > 0
        change = abs(change)
        // At most one pass per layer: each either absorbs the rest or disappears.
        for _ in 0...(Self.capacity + 1) {
            guard change > 0 else { return }
            if edgeCount == 0 {
                // One material throughout: the other kind appears at the separator.
                if dischargedAtSurface != growDischarged {
                    reset(depthOfDischarge: growDischarged ? change : 1 - change)
                }
                return
            }
            if discharged(layer: edgeCount) != growDischarged {
                // The bottom is the other kind: the layer above it grows downwards.
                let moved = edges[0] + change
                if moved < 1 {
                    edges[0] = moved
                    return
                }
                change = moved - 1
                dropDeepest(1)
            } else {
                // The bottom is the kind to grow: it grows upwards into the layer above.
                let upper: Float = edgeCount >= 2 ? edges[1] : 0
                let moved = edges[0] - change
                if moved > upper {
                    edges[0] = moved
                    return
                }
                change = upper - moved
                if edgeCount >= 2 {
                    dropDeepest(2)
                } else {
                    edgeCount = 0
                    dischargedAtSurface = growDischarged
                }
            }
        }
    }

    /// Frees two slots: the thinnest layer between two others goes (its neighbours join), and
    /// the layer of its kind below the joined one grows by its thickness, so both kinds keep their
    /// amounts. Thin layers are the ones the reaction zone blends anyway; the deep fronts stay.
    @inlinable mutating func mergeThinnest() {
        var thinnest = 1
        var least = Float.infinity
        for i in 1..<(edgeCount - 1) where edges[i] - edges[i + 1] < least {
            least = edges[i] - edges[i + 1]
            thinnest = i
        }
        for k in thinnest..<(edgeCount - 2) { edges[k] = edges[k + 2] }
        edgeCount -= 2
        edges[thinnest - 1] -= least
    }

    /// Removes the `n` deepest boundaries.
    @inlinable mutating func dropDeepest(_ n: Int) {
        for k in 0..<(edgeCount - n) { edges[k] = edges[k + n] }
        edgeCount -= n
    }

    /// The depth the resistance follows while current flows in direction `discharging`, and its
    /// sensitivity to the SoC (d depth / d SoC: -1 for a discharge on the deepest front, +1 for a
    /// charge on it, 0 on a layer a partial cycle left, which moves with the counted charge
    /// only). With no reactant left for that direction: where the last was used up, insensitive.
    @inlinable public func depth(discharging: Bool) -> (depth: Float, sensitivity: Float) {
        let w = max(zoneWidth, 1e-6)
        var need = w
        var moment: Float = 0
        var fromBottom: Float = 0
        var upper: Float = 0
        for j in 0...edgeCount where need > 0 {
            let lower: Float = j < edgeCount ? edges[edgeCount - 1 - j] : 1
            if discharged(layer: j) != discharging {
                let take = min(lower - upper, need)
                moment += take * (upper + take / 2)
                need -= take
                if j == edgeCount { fromBottom = take }
            }
            upper = lower
        }
        let gathered = w - need
        guard gathered > 0 else { return (exhaustedAt, 0) }
        let share = fromBottom / gathered
        return (max(0, min(1, moment / gathered - gathered / 2)), discharging ? -share : share)
    }
}
