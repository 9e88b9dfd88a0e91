/// The charged and discharged layers of a ZEBRA cathode, from the separator inward: the history
/// that makes its reaction-front resistance depend on the path, not on the SoC alone.
///
/// Depth is measured in fractions of the cell's capacity from the beta''-alumina surface (0) to
/// the cathode's far side (1). A reaction takes place at the reactant nearest the separator (the
/// shortest ionic path through the melt): discharge consumes the charged material (NiCl2)
/// nearest the separator, charge the discharged material (Ni + NaCl) nearest it. So a discharge
/// from full leaves one front at the depth of discharge; a charge after it starts a new front at
/// the separator and moves it inward, leaving a charged layer over a discharged one over the
/// original charged material; the next discharge consumes the new layer first and its front jumps
/// to the old one when the layer is used up (Sudworth, J. Power Sources 100 (2001) 149; Bones
/// et al., J. Electrochem. Soc. 136 (1989) 1274). Partial cycles stack such layers.
///
/// Each layer boundary is a front; the resistance follows the active one's depth. A real front
/// has a width (the reaction spreads over a zone of the porous electrode), so the depth the
/// resistance follows is that of the first `zoneWidth` of reactant beyond the active front: a
/// layer thinner than the zone blends with the reactant behind it, and a reversal of the current
/// does not drop the resistance to zero.
///
/// At most `capacity` boundaries are kept; making room merges the thinnest layer into its
/// neighbours so that the charged and discharged amounts stay the same.
struct ReactionFrontLayers: Sendable {
    /// Boundaries, deepest first; `boundary[count - 1]` is the one nearest the separator.
    var boundary = InlineArray<8, Double>(repeating: 0)
    var count = 0
    /// The layer at the separator (above the shallowest boundary, or the whole cathode) is
    /// discharged.
    var surfaceDischarged = false

    static let capacity = 8

    /// A cathode discharged from full to `depthOfDischarge` (one front; clamped to 0 ... 1).
    init(depthOfDischarge d: Double) {
        if d >= 1 {
            surfaceDischarged = true
        } else if d > 0 {
            boundary[0] = d
            count = 1
            surfaceDischarged = true
        }
    }

    /// The discharged fraction of the cathode (the sum of the discharged layers).
    var depthOfDischarge: Double {
        var total = 0.0
        var upper = 0.0
        var discharged = surfaceDischarged
        var i = count - 1
        while i >= -1 {
            let lower = i >= 0 ? boundary[i] : 1
            if discharged { total += lower - upper }
            upper = lower
            discharged.toggle()
            i -= 1
        }
        return total
    }

    /// Moves the active front (the surface layer's product already) inward by `q` within its
    /// layer and returns the depth the resistance then follows, when that takes at most the next
    /// reactant layer (the common steps: a thick layer, or a thin one blending into a thick one
    /// behind it); nil, changing nothing, otherwise.
    @inline(__always)
    mutating func advanceTop(by q: Double, keeping w: Double) -> Double? {
        guard count > 0 else { return nil }
        let top = boundary[count - 1] + q
        let limit = count >= 2 ? boundary[count - 2] : 1
        guard top < limit else { return nil }
        let t = limit - top
        if t >= w {
            boundary[count - 1] = top
            return top
        }
        // The rest of the zone from the next reactant layer, if it is thick enough.
        guard count >= 3 else { return nil }
        let next = boundary[count - 3]
        let nextEnd = count >= 4 ? boundary[count - 4] : 1
        let rest = w - t
        guard nextEnd - next >= rest else { return nil }
        boundary[count - 1] = top
        return (t * (top + t / 2) + rest * (next + rest / 2)) / w - w / 2
    }

    /// Moves the fronts by `amount` of capacity: positive discharges, negative charges. Charge
    /// beyond the cathode's reactant (past full or empty) leaves the layers as they are.
    mutating func move(by amount: Double) {
        guard amount != 0, amount.isFinite else { return }
        let discharging = amount > 0
        var q = abs(amount)
        if surfaceDischarged != discharging {
            // The surface layer is this direction's reactant: a new front starts at the separator.
            if count == Self.capacity { mergeThinnest() }
            boundary[count] = 0
            count += 1
            surfaceDischarged = discharging
        }
        while q > 0, count > 0 {
            let top = boundary[count - 1]
            let limit = count >= 2 ? boundary[count - 2] : 1
            if top + q < limit {
                boundary[count - 1] = top + q
                return
            }
            // The reactant layer below is used up: the product layers around it join.
            q -= limit - top
            count = count >= 2 ? count - 2 : 0
        }
    }

    /// Frees two slots: the thinnest layer that has a layer on either side goes (they join), and
    /// the layer of its kind below the joined one grows by its thickness, so that both kinds of
    /// material keep their amounts. A layer thinner than the reaction zone is blended anyway;
    /// the deep fronts stay.
    private mutating func mergeThinnest() {
        var thinnest = 1
        for i in 1..<(count - 1) where boundary[i] - boundary[i + 1] < boundary[thinnest] - boundary[thinnest + 1] { thinnest = i }
        let removed = boundary[thinnest] - boundary[thinnest + 1]
        for k in thinnest..<(count - 2) { boundary[k] = boundary[k + 2] }
        count -= 2
        boundary[thinnest - 1] -= removed
    }

    /// The depth the resistance follows while the current flows in the direction `discharging`:
    /// the mean depth of the first `zoneWidth` of that direction's reactant, less half the
    /// width (so a thick layer gives its front's depth exactly). Nil when there is no reactant
    /// left for that direction.
    func depth(discharging: Bool, zoneWidth w: Double) -> Double? {
        // Reactant layers in order from the separator: (start, end).
        var need = max(w, 1e-9)
        var moment = 0.0
        var upper = 0.0
        var reactant = surfaceDischarged != discharging
        var i = count - 1
        while i >= -1, need > 0 {
            let lower = i >= 0 ? boundary[i] : 1
            if reactant {
                let take = min(lower - upper, need)
                moment += take * (upper + take / 2)
                need -= take
            }
            upper = lower
            reactant.toggle()
            i -= 1
        }
        let gathered = max(w, 1e-9) - need
        guard gathered > 0 else { return nil }
        return moment / gathered - gathered / 2
    }
}
