import BMSCore
import BatteryPlant

extension Characterisation {
    /// What the partial-cycle test found: the width of the reaction zone, and how well the
    /// layered-front law fits the measured resistances.
    public struct ReactionZoneResult: Sendable {
        /// The reaction zone's width, fraction of capacity (mean over the samples).
        public var width: Double
        /// RMS residual of the fit, ohms (mean over the samples).
        public var fitRMS_ohm: Double
    }

    /// The layer the test charges over the front, and the charge it then discharges, fractions
    /// of capacity; the depth of discharge it starts from.
    static let zoneTestLayer = 0.10
    static let zoneTestDischarge = 0.16
    static let zoneTestDepth = 0.5

    /// A partial-cycle test (ZEBRA): from full, discharge to 50 % DoD at C/5 and rest; charge a
    /// 10 % layer back and rest; then discharge 16 % at C/5 with a 1 s current interruption every
    /// 0.25 % of capacity. Each interruption's voltage jump over the current is the ohmic
    /// resistance at that point: it follows the new layer's front inward, then blends into the
    /// old front at 50 % as the layer runs out. The width of that blend is the reaction zone's:
    /// for each candidate width (0.5 ... 20 % of capacity, then to 0.01 % around the best) the layered law R = a + b depth(q; w)
    /// is fitted by least squares in a and b, and the width with the least residual is the
    /// sample's. Nil for a chemistry without a reaction front (the datasheet has none).
    public static func reactionZone(_ chemistry: CellChemistry, datasheet: FirmwareDefinition, options: Options = Options()) -> ReactionZoneResult? {
        guard datasheet.model.resistancePerDepthOfDischarge.value > 0 else { return nil }
        let t = Double(datasheet.model.resistanceReference.value)
        let current = Double(datasheet.model.capacity.value) / 5
        var widths: [Double] = []
        var residuals: [Double] = []
        for k in 0..<options.samples {
            var cell = sample(chemistry, index: k, soc: 1, temperature_C: t, options: options)
            cell.command(.closed)
            let capacity_As = Double(datasheet.model.capacity.value) * 3600
            func move(_ fraction: Double, sign: Double) {
                var moved = 0.0
                while moved < fraction {
                    cell.step(current: sign * current, duration_ms: 10_000)
                    moved += abs(cell.sample().current_A) * 10 / capacity_As
                }
            }
            move(zoneTestDepth, sign: 1)
            for _ in 0..<180 { cell.step(current: 0, duration_ms: 10_000) }
            move(zoneTestLayer, sign: -1)
            for _ in 0..<180 { cell.step(current: 0, duration_ms: 10_000) }
            // Discharge with interruptions; q is the counted charge since the layer was laid.
            var points: [(q: Double, ohmic: Double)] = []
            var q = 0.0
            while q < zoneTestDischarge {
                var next = 0.0
                var loaded = cell.sample()
                while next < 0.0025 {
                    cell.step(current: current, duration_ms: 1000)
                    loaded = cell.sample()
                    next += loaded.current_A / capacity_As
                }
                q += next
                if let ohmic = interrupt(&cell, loaded: loaded) { points.append((q, ohmic)) }
            }
            // A coarse search, then a fine one around its best.
            var best = (width: 0.0, residual: Double.infinity)
            func search(from low: Double, to high: Double, by step: Double) {
                var w = low
                while w <= high {
                    let depths = points.map { layeredDepth(consumed: $0.q, layer: zoneTestLayer, front: zoneTestDepth, width: w) }
                    let fit = lineFit(depths, points.map(\.ohmic))
                    if fit.rms < best.residual { best = (w, fit.rms) }
                    w += step
                }
            }
            search(from: 0.005, to: 0.2, by: 0.0025)
            search(from: max(0.001, best.width - 0.0025), to: best.width + 0.0025, by: 0.0001)
            widths.append(best.width)
            residuals.append(best.residual)
        }
        let n = Double(widths.count)
        return ReactionZoneResult(width: widths.reduce(0, +) / n, fitRMS_ohm: residuals.reduce(0, +) / n)
    }

    /// The depth the resistance follows after `consumed` of a charged `layer` (laid over a
    /// discharged region down to the old `front`): the mean depth of the first `width` of
    /// charged material beyond the discharge front, less half the width.
    static func layeredDepth(consumed q: Double, layer c: Double, front d: Double, width w: Double) -> Double {
        if q >= c { return d + (q - c) }
        let left = c - q
        if left >= w { return q }
        let deep = w - left
        let moment = left * (q + left / 2) + deep * (d + deep / 2)
        return moment / w - w / 2
    }

    /// `base` with the partial-cycle test's reaction-zone width.
    public static func firmware(_ base: FirmwareDefinition, reactionZone r: ReactionZoneResult) -> FirmwareDefinition {
        var f = base
        f.model.reactionZoneWidth = Float(r.width)
        return f
    }
}
