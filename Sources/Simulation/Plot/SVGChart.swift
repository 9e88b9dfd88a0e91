import Foundation

/// A stack of time charts sharing one time axis, drawn as SVG (no dependencies).
///
/// Each panel has its own y axis (autoscaled to nice ticks), line series and optional bands
/// (a filled range between two series), or lanes (on/off states against time). Long series are
/// reduced to at most `buckets` points per line by keeping each bucket's minimum and maximum, so
/// peaks survive the reduction; a dense series can instead be drawn per `envelopeBuckets` as its
/// min ... max range with the bucket means as its line, or as its bucket maxima or minima (a day
/// of frequency regulation stays readable; `Series.Reduction`).
public struct SVGChart {
    public struct Series {
        public var label: String
        public var color: String
        public var values: [Double]
        public var dashed = false
        /// The series' own times, h (runs of different lengths overlaid); nil: the chart's.
        public var time_h: [Double]?
        /// How a series denser than the plot's width is drawn.
        public enum Reduction: Sendable {
            /// Each point's bucket minimum and maximum in time order (a zigzag that keeps peaks).
            case zigzag
            /// The min ... max range of each bucket (filled; outlined when dashed) and the
            /// bucket means as the line.
            case envelope
            /// The bucket maxima (the upper edge of a quantity whose highest values matter).
            case maxima
            /// The bucket minima.
            case minima
            /// The bucket means alone (runs overlaid, whose ranges would hide one another).
            case mean
        }
        public var reduction = Reduction.zigzag
        public init(
            _ label: String, color: String, values: [Double], dashed: Bool = false, time_h: [Double]? = nil, reduction: Reduction = .zigzag
        ) {
            self.label = label
            self.color = color
            self.values = values
            self.dashed = dashed
            self.time_h = time_h
            self.reduction = reduction
        }
    }

    /// An on/off state against time, one row of a lanes panel (a limit reason, a warning).
    public struct Lane {
        public var label: String
        public var color: String
        public var on: [Bool]
        public init(_ label: String, color: String, on: [Bool]) {
            self.label = label
            self.color = color
            self.on = on
        }
    }

    public struct Band {
        public var label: String
        public var color: String
        public var lower: [Double]
        public var upper: [Double]
        public init(_ label: String, color: String, lower: [Double], upper: [Double]) {
            self.label = label
            self.color = color
            self.lower = lower
            self.upper = upper
        }
    }

    public struct Panel {
        public var title: String
        public var unit: String
        public var series: [Series]
        public var bands: [Band] = []
        /// Whether the y axis reaches down (or up) to zero: for magnitudes whose size matters.
        public var includeZero = false
        /// On/off rows instead of a y axis (the panel is as tall as its lanes need).
        public var lanes: [Lane] = []
        public init(title: String, unit: String, series: [Series], bands: [Band] = [], includeZero: Bool = false) {
            self.title = title
            self.unit = unit
            self.series = series
            self.bands = bands
            self.includeZero = includeZero
        }
        /// A panel of on/off lanes.
        public init(title: String, lanes: [Lane]) {
            self.title = title
            self.unit = ""
            self.series = []
            self.lanes = lanes
        }
    }

    /// A vertical marker across every panel: protection events (solid red), warnings (dashed
    /// orange).
    public struct Marker {
        public var time_h: Double
        public var label: String
        public var color = "#d00"
        public var dashed = false
        public init(time_h: Double, label: String, color: String = "#d00", dashed: Bool = false) {
            self.time_h = time_h
            self.label = label
            self.color = color
            self.dashed = dashed
        }
    }

    public var title: String
    public var time_h: [Double]
    public var panels: [Panel]
    public var markers: [Marker] = []
    public var width = 1100.0
    public var panelHeight = 170.0
    public var buckets = 1200
    /// Buckets of an envelope series across the plot (about three pixels each).
    public var envelopeBuckets = 280
    static let laneHeight = 14.0

    public init(title: String, time_h: [Double], panels: [Panel], markers: [Marker] = []) {
        self.title = title
        self.time_h = time_h
        self.panels = panels
        self.markers = markers
    }

    static let left = 80.0, right = 190.0, gap = 46.0, bottom = 40.0
    /// The title's lines (a "\n" in it starts a smaller second line: the run's figures).
    var titleLines: [Substring] { title.split(separator: "\n", omittingEmptySubsequences: false) }
    /// Where the first panel starts, below the title's lines.
    var top: Double { 50 + 22 * Double(max(0, titleLines.count - 1)) }

    /// The height of panel `panel`'s plot area.
    func height(of panel: Panel) -> Double { panel.lanes.isEmpty ? panelHeight : Self.laneHeight * Double(max(1, panel.lanes.count)) }

    /// The SVG document.
    public func render() -> String {
        let plotWidth = width - Self.left - Self.right
        let top = self.top
        let height = top + panels.reduce(0) { $0 + self.height(of: $1) + Self.gap } + Self.bottom
        // The axis starts at the run's start (the first row is one output interval in); series
        // with their own times widen it.
        var first = time_h.first ?? 0, last = time_h.last ?? 1
        for panel in panels { for s in panel.series { if let t = s.time_h, let a = t.first, let z = t.last { first = min(first, a); last = max(last, z) } } }
        let t1 = max(last, first + 1e-9)
        let t0 = first > 0 && first < 0.02 * t1 ? 0 : first
        func x(_ t: Double) -> Double { Self.left + (t - t0) / (t1 - t0) * plotWidth }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        for (k, line) in titleLines.enumerated() {
            let style = k == 0 ? "font-size=\"16\" font-weight=\"bold\"" : "font-size=\"13\""
            svg += "<text x=\"\(n(Self.left))\" y=\"\(n(28 + 18 * Double(k)))\" \(style)>\(escape(String(line)))</text>\n"
        }
        let timeTicks = Self.hourTicks(t0, t1).filter { $0 >= t0 - 1e-9 && $0 <= t1 + 1e-9 }
        var y0 = top
        for (p, panel) in panels.enumerated() {
            let panelHeight = self.height(of: panel)
            defer { y0 += panelHeight + Self.gap }
            var title = panel.title
            if let bucket = envelopeBucket_h, panel.series.contains(where: { $0.reduction != .zigzag }) {
                title += " [per \(Self.duration(bucket)): mean and range, or extremes]"
            }
            svg += "<text x=\"\(n(Self.left))\" y=\"\(n(y0 - 8))\" font-weight=\"bold\">\(escape(title))</text>\n"
            svg += "<rect x=\"\(n(Self.left))\" y=\"\(n(y0))\" width=\"\(n(plotWidth))\" height=\"\(n(panelHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
            for t in timeTicks {
                svg += "<line x1=\"\(n(x(t)))\" x2=\"\(n(x(t)))\" y1=\"\(n(y0))\" y2=\"\(n(y0 + panelHeight))\" stroke=\"#f2f2f2\"/>"
                svg += "<text x=\"\(n(x(t)))\" y=\"\(n(y0 + panelHeight + 14))\" text-anchor=\"middle\">\(Self.label(t, step: Self.step(timeTicks)))</text>\n"
            }
            if !panel.lanes.isEmpty {
                svg += lanes(panel.lanes, y0: y0, x: x, plotWidth: plotWidth)
            } else {
                svg += chart(panel, y0: y0, height: panelHeight, x: x, plotWidth: plotWidth)
            }
            for m in markers where m.time_h >= t0 && m.time_h <= t1 {
                let dash = m.dashed ? " stroke-dasharray=\"4,3\"" : ""
                svg += "<line x1=\"\(n(x(m.time_h)))\" x2=\"\(n(x(m.time_h)))\" y1=\"\(n(y0))\" y2=\"\(n(y0 + panelHeight))\" stroke=\"\(m.color)\" stroke-width=\"1.5\"\(dash)><title>\(escape(m.label))</title></line>\n"
                if p == 0 {
                    svg += "<text x=\"\(n(x(m.time_h) + 3))\" y=\"\(n(y0 + 12))\" fill=\"\(m.color)\" font-size=\"10\">\(escape(m.label))</text>\n"
                }
            }
        }
        let axisY = y0 - Self.gap + 30
        svg += "<text x=\"\(n(Self.left + plotWidth / 2))\" y=\"\(n(axisY))\" text-anchor=\"middle\">time, h</text>\n"
        svg += "</svg>\n"
        return svg
    }

    /// A panel's y axis, bands and lines.
    private func chart(_ panel: Panel, y0: Double, height panelHeight: Double, x: (Double) -> Double, plotWidth: Double) -> String {
        var svg = ""
        var lo = Double.infinity, hi = -Double.infinity
        for s in panel.series { for v in s.values where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        for b in panel.bands { for v in b.lower + b.upper where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        if !lo.isFinite { lo = 0; hi = 1 }
        if panel.includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo < 1e-12 {
            // A flat line: around its value, or 0 ... 1 for a line at zero (not a 1e-9 axis).
            let pad = 0.5 * max(abs(lo), abs(hi))
            if pad < 1e-9 { lo = 0; hi = 1 } else { lo -= pad; hi += pad }
        }
        let yTicks = Self.ticks(lo, hi, count: 5)
        lo = min(lo, yTicks.first ?? lo)
        hi = max(hi, yTicks.last ?? hi)
        func y(_ v: Double) -> Double { y0 + panelHeight - (v - lo) / (hi - lo) * panelHeight }
        for t in yTicks {
            svg += "<line x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotWidth))\" y1=\"\(n(y(t)))\" y2=\"\(n(y(t)))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(n(Self.left - 6))\" y=\"\(n(y(t) + 4))\" text-anchor=\"end\">\(Self.label(t, step: Self.step(yTicks)))</text>\n"
        }
        svg += "<text transform=\"translate(\(n(18)),\(n(y0 + panelHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(panel.unit))</text>\n"
        var legendY = y0 + 12
        func polygon(_ upper: [(t: Double, v: Double)], _ lower: [(t: Double, v: Double)], color: String, opacity: Double) -> String {
            var points = upper.map { "\(n(x($0.t))),\(n(y($0.v)))" }
            points += lower.reversed().map { "\(n(x($0.t))),\(n(y($0.v)))" }
            return "<polygon points=\"\(points.joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"\(opacity)\" stroke=\"none\"/>\n"
        }
        for b in panel.bands {
            svg += polygon(reduce(b.upper, keep: max), reduce(b.lower, keep: min), color: b.color, opacity: 0.25)
            svg += legend(b.label, color: b.color, y: legendY, band: true, plotWidth: plotWidth)
            legendY += 16
        }
        for s in panel.series {
            let times = s.time_h ?? time_h
            var lines = [reduceEnvelope(s.values, times: times)]
            if s.reduction != .zigzag, let buckets = bucketed(s.values, times: times) {
                switch s.reduction {
                case .envelope where s.dashed:
                    // Outlined, so that a filled series below it stays visible.
                    lines = [buckets.map { ($0.t, $0.mean) }, buckets.map { ($0.t, $0.high) }, buckets.map { ($0.t, $0.low) }]
                case .envelope:
                    for kept in segmentsOf(buckets) {
                        svg += polygon(kept.map { ($0.t, $0.high) }, kept.map { ($0.t, $0.low) }, color: s.color, opacity: 0.3)
                    }
                    lines = [buckets.map { ($0.t, $0.mean) }]
                case .maxima: lines = [buckets.map { ($0.t, $0.high) }]
                case .minima: lines = [buckets.map { ($0.t, $0.low) }]
                case .mean: lines = [buckets.map { ($0.t, $0.mean) }]
                case .zigzag: break
                }
            }
            for line in lines {
                for segment in segments(line) {
                    let points = segment.map { "\(n(x($0.t))),\(n(y($0.v)))" }.joined(separator: " ")
                    svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.2\"\(s.dashed ? " stroke-dasharray=\"5,3\"" : "")/>\n"
                }
            }
            svg += legend(s.label, color: s.color, y: legendY, band: false, dashed: s.dashed, plotWidth: plotWidth)
            legendY += 16
        }
        return svg
    }

    /// On/off lanes: a filled bar where each lane is on, its label at the right.
    private func lanes(_ lanes: [Lane], y0: Double, x: (Double) -> Double, plotWidth: Double) -> String {
        var svg = ""
        for (k, lane) in lanes.enumerated() {
            let top = y0 + Double(k) * Self.laneHeight
            if k > 0 { svg += "<line x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotWidth))\" y1=\"\(n(top))\" y2=\"\(n(top))\" stroke=\"#eee\"/>" }
            var start: Int?
            let count = min(lane.on.count, time_h.count)
            for i in 0...count {
                let on = i < count && lane.on[i]
                if on, start == nil { start = i }
                if !on, let a = start {
                    // From the row before the state began (a row closes its step) to its last row.
                    let ta = a > 0 ? time_h[a - 1] : (time_h.first ?? 0) - (count > 1 ? time_h[1] - time_h[0] : 0)
                    let xa = x(ta), xb = max(x(time_h[i - 1]), xa + 1)
                    svg += "<rect x=\"\(n(xa))\" y=\"\(n(top + 2))\" width=\"\(n(xb - xa))\" height=\"\(n(Self.laneHeight - 4))\" fill=\"\(lane.color)\"/>"
                    start = nil
                }
            }
            svg += "<text x=\"\(n(Self.left + plotWidth + 12))\" y=\"\(n(top + Self.laneHeight - 3))\" font-size=\"11\">\(escape(lane.label))</text>\n"
        }
        return svg
    }

    /// "5 min", "72 s", "2 h": a bucket's width for a legend.
    static func duration(_ hours: Double) -> String {
        let s = hours * 3600
        if s < 120 { return "\(Int(s.rounded())) s" }
        if s < 7200 { return "\(Int((s / 60).rounded())) min" }
        return "\(Format.compact((hours * 10).rounded() / 10)) h"
    }

    /// The width of an envelope bucket when the chart's series are dense enough to be reduced
    /// (nil otherwise), for a panel title.
    public var envelopeBucket_h: Double? {
        guard time_h.count > 2 * envelopeBuckets, let a = time_h.first, let z = time_h.last, z > a else { return nil }
        return (z - a) / Double(envelopeBuckets)
    }

    /// Per bucket of `envelopeBuckets`: its time (the middle), min, max and mean (nil when the
    /// series is not denser than the buckets).
    private func bucketed(_ values: [Double], times: [Double]) -> [(t: Double, low: Double, high: Double, mean: Double)]? {
        let count = min(values.count, times.count)
        guard count > 2 * envelopeBuckets, let a = times.first, let z = times.last, z > a else { return nil }
        let width = (z - a) / Double(envelopeBuckets)
        var out: [(t: Double, low: Double, high: Double, mean: Double)] = []
        var i = 0
        for b in 0..<envelopeBuckets {
            let end = b == envelopeBuckets - 1 ? z + 1 : a + Double(b + 1) * width
            var low = Double.infinity, high = -Double.infinity, sum = 0.0, k = 0, rows = 0
            while i < count, times[i] < end {
                if values[i].isFinite { low = min(low, values[i]); high = max(high, values[i]); sum += values[i]; k += 1 }
                i += 1
                rows += 1
            }
            let t = a + (Double(b) + 0.5) * width
            if rows == 0, i > 0, i < count, values[i - 1].isFinite {
                // No row in this bucket (rows sparser here): the last row's value holds.
                out.append((t, values[i - 1], values[i - 1], values[i - 1]))
                continue
            }
            out.append(k > 0 ? (t, low, high, sum / Double(k)) : (t, .nan, .nan, .nan))
        }
        return out
    }

    /// The finite runs of bucketed values (a gap where a bucket had none).
    private func segmentsOf(_ buckets: [(t: Double, low: Double, high: Double, mean: Double)]) -> [[(t: Double, low: Double, high: Double, mean: Double)]] {
        var out: [[(t: Double, low: Double, high: Double, mean: Double)]] = [[]]
        for b in buckets {
            if b.low.isFinite { out[out.count - 1].append(b) } else if !out[out.count - 1].isEmpty { out.append([]) }
        }
        return out.filter { !$0.isEmpty }
    }

    private func legend(_ label: String, color: String, y: Double, band: Bool, dashed: Bool = false, plotWidth: Double) -> String {
        let x0 = Self.left + plotWidth + 12
        let mark = band
            ? "<rect x=\"\(n(x0))\" y=\"\(n(y - 8))\" width=\"18\" height=\"8\" fill=\"\(color)\" fill-opacity=\"0.25\"/>"
            : "<line x1=\"\(n(x0))\" x2=\"\(n(x0 + 18))\" y1=\"\(n(y - 4))\" y2=\"\(n(y - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"5,3\"" : "")/>"
        return mark + "<text x=\"\(n(x0 + 24))\" y=\"\(n(y))\">\(escape(label))</text>\n"
    }

    /// Min and max of each bucket, in time order (NaN where a bucket has no finite value).
    private func reduceEnvelope(_ values: [Double], times time_h: [Double]) -> [(t: Double, v: Double)] {
        let count = min(values.count, time_h.count)
        guard count > 2 * buckets else { return (0..<count).map { (time_h[$0], values[$0]) } }
        var out: [(t: Double, v: Double)] = []
        let size = Double(count) / Double(buckets)
        for b in 0..<buckets {
            let a = Int(Double(b) * size), e = min(count, Int(Double(b + 1) * size))
            var lo = (i: -1, v: Double.infinity), hi = (i: -1, v: -Double.infinity)
            for i in a..<e where values[i].isFinite {
                if values[i] < lo.v { lo = (i, values[i]) }
                if values[i] > hi.v { hi = (i, values[i]) }
            }
            if lo.i < 0 { out.append((time_h[a], .nan)); continue }
            let first = min(lo.i, hi.i), second = max(lo.i, hi.i)
            out.append((time_h[first], values[first]))
            if second != first { out.append((time_h[second], values[second])) }
        }
        return out
    }

    /// One extreme per bucket (for band edges).
    private func reduce(_ values: [Double], keep: (Double, Double) -> Double) -> [(t: Double, v: Double)] {
        let count = min(values.count, time_h.count)
        let step = max(1, count / buckets)
        var out: [(t: Double, v: Double)] = []
        var i = 0
        while i < count {
            var v = Double.nan
            for j in i..<min(count, i + step) where values[j].isFinite { v = v.isNaN ? values[j] : keep(v, values[j]) }
            if v.isFinite { out.append((time_h[i], v)) }
            i += step
        }
        return out
    }

    /// Splits a line at NaNs (no estimate yet, for example).
    private func segments(_ points: [(t: Double, v: Double)]) -> [[(t: Double, v: Double)]] {
        var out: [[(t: Double, v: Double)]] = [[]]
        for p in points {
            if p.v.isFinite { out[out.count - 1].append(p) } else if !out[out.count - 1].isEmpty { out.append([]) }
        }
        return out.filter { !$0.isEmpty }
    }

    /// Round tick values covering lo ... hi, about `count` of them.
    static func ticks(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
        let span = hi - lo
        guard span > 0, span.isFinite else { return [lo] }
        let raw = span / Double(count)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var t = (lo / step).rounded(.down) * step
        var out: [Double] = []
        while t <= hi + step * 1e-9 && out.count < 50 {
            out.append(t)
            t += step
        }
        if let last = out.last, last < hi { out.append(last + step) }
        return out
    }

    /// Time ticks on whole hours a person reads (1, 2, 3, 4, 6, 12, 24 h and whole days apart)
    /// once the run spans more than 4 h; round ticks below that.
    static func hourTicks(_ t0: Double, _ t1: Double) -> [Double] {
        let span = t1 - t0
        guard span > 4 else { return ticks(t0, t1, count: 10) }
        let step = [1.0, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720].first { span / $0 <= 12 } ?? (span / 12 / 24).rounded(.up) * 24
        var out: [Double] = []
        var t = (t0 / step).rounded(.up) * step
        while t <= t1 + 1e-9 {
            out.append(t)
            t += step
        }
        return out
    }

    static func step(_ ticks: [Double]) -> Double { ticks.count > 1 ? ticks[1] - ticks[0] : 1 }

    /// A tick label with as many decimals as the tick step needs (2.5 needs one; 0 for values
    /// within a millionth of a step of zero).
    static func label(_ v: Double, step: Double) -> String {
        if abs(v) < abs(step) * 1e-6 { return "0" }
        if abs(v) >= 1e6 || abs(step) < 1e-6 { return String(format: "%.3g", v) }
        var decimals = 0
        while decimals < 6 {
            let scaled = abs(step) * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", v)
    }

    private func n(_ v: Double) -> String { String(format: "%.1f", v) }

    private func escape(_ s: String) -> String { RegressionReport.escape(s) }
}
