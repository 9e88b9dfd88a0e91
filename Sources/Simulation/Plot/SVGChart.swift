import Foundation

/// A stack of time charts sharing one time axis, drawn as SVG (no dependencies).
///
/// Each panel has its own y axis (autoscaled to nice ticks), line series and optional bands
/// (a filled range between two series). Long series are reduced to at most `buckets` points per
/// line by keeping each bucket's minimum and maximum, so peaks survive the reduction.
public struct SVGChart {
    public struct Series {
        public var label: String
        public var color: String
        public var values: [Double]
        public var dashed = false
        public init(_ label: String, color: String, values: [Double], dashed: Bool = false) {
            self.label = label
            self.color = color
            self.values = values
            self.dashed = dashed
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
        public init(title: String, unit: String, series: [Series], bands: [Band] = [], includeZero: Bool = false) {
            self.title = title
            self.unit = unit
            self.series = series
            self.bands = bands
            self.includeZero = includeZero
        }
    }

    /// A vertical marker across every panel (protection events).
    public struct Marker {
        public var time_h: Double
        public var label: String
        public init(time_h: Double, label: String) {
            self.time_h = time_h
            self.label = label
        }
    }

    public var title: String
    public var time_h: [Double]
    public var panels: [Panel]
    public var markers: [Marker] = []
    public var width = 1100.0
    public var panelHeight = 170.0
    public var buckets = 1200

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

    /// The SVG document.
    public func render() -> String {
        let plotWidth = width - Self.left - Self.right
        let top = self.top
        let height = top + Double(panels.count) * (panelHeight + Self.gap) + Self.bottom
        // The axis starts at the run's start (the first row is one output interval in).
        let first = time_h.first ?? 0
        let t1 = max(time_h.last ?? 1, first + 1e-9)
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
        for (p, panel) in panels.enumerated() {
            let y0 = top + Double(p) * (panelHeight + Self.gap)
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
            svg += "<text x=\"\(n(Self.left))\" y=\"\(n(y0 - 8))\" font-weight=\"bold\">\(escape(panel.title))</text>\n"
            svg += "<rect x=\"\(n(Self.left))\" y=\"\(n(y0))\" width=\"\(n(plotWidth))\" height=\"\(n(panelHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
            for t in yTicks {
                svg += "<line x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotWidth))\" y1=\"\(n(y(t)))\" y2=\"\(n(y(t)))\" stroke=\"#eee\"/>"
                svg += "<text x=\"\(n(Self.left - 6))\" y=\"\(n(y(t) + 4))\" text-anchor=\"end\">\(Self.label(t, step: Self.step(yTicks)))</text>\n"
            }
            svg += "<text transform=\"translate(\(n(18)),\(n(y0 + panelHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(panel.unit))</text>\n"
            for t in timeTicks {
                svg += "<line x1=\"\(n(x(t)))\" x2=\"\(n(x(t)))\" y1=\"\(n(y0))\" y2=\"\(n(y0 + panelHeight))\" stroke=\"#f2f2f2\"/>"
                svg += "<text x=\"\(n(x(t)))\" y=\"\(n(y0 + panelHeight + 14))\" text-anchor=\"middle\">\(Self.label(t, step: Self.step(timeTicks)))</text>\n"
            }
            var legendY = y0 + 12
            for b in panel.bands {
                let upper = reduce(b.upper, keep: max)
                let lower = reduce(b.lower, keep: min)
                var points = upper.map { "\(n(x($0.t))),\(n(y($0.v)))" }
                points += lower.reversed().map { "\(n(x($0.t))),\(n(y($0.v)))" }
                svg += "<polygon points=\"\(points.joined(separator: " "))\" fill=\"\(b.color)\" fill-opacity=\"0.25\" stroke=\"none\"/>\n"
                svg += legend(b.label, color: b.color, y: legendY, band: true, plotWidth: plotWidth)
                legendY += 16
            }
            for s in panel.series {
                for segment in segments(reduceEnvelope(s.values)) {
                    let points = segment.map { "\(n(x($0.t))),\(n(y($0.v)))" }.joined(separator: " ")
                    svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.2\"\(s.dashed ? " stroke-dasharray=\"5,3\"" : "")/>\n"
                }
                svg += legend(s.label, color: s.color, y: legendY, band: false, plotWidth: plotWidth)
                legendY += 16
            }
            for m in markers where m.time_h >= t0 && m.time_h <= t1 {
                svg += "<line x1=\"\(n(x(m.time_h)))\" x2=\"\(n(x(m.time_h)))\" y1=\"\(n(y0))\" y2=\"\(n(y0 + panelHeight))\" stroke=\"#d00\" stroke-width=\"1.5\"><title>\(escape(m.label))</title></line>\n"
                if p == 0 {
                    svg += "<text x=\"\(n(x(m.time_h) + 3))\" y=\"\(n(y0 + 12))\" fill=\"#d00\" font-size=\"10\">\(escape(m.label))</text>\n"
                }
            }
        }
        let axisY = top + Double(panels.count) * (panelHeight + Self.gap) - Self.gap + 30
        svg += "<text x=\"\(n(Self.left + plotWidth / 2))\" y=\"\(n(axisY))\" text-anchor=\"middle\">time, h</text>\n"
        svg += "</svg>\n"
        return svg
    }

    private func legend(_ label: String, color: String, y: Double, band: Bool, plotWidth: Double) -> String {
        let x0 = Self.left + plotWidth + 12
        let mark = band
            ? "<rect x=\"\(n(x0))\" y=\"\(n(y - 8))\" width=\"18\" height=\"8\" fill=\"\(color)\" fill-opacity=\"0.25\"/>"
            : "<line x1=\"\(n(x0))\" x2=\"\(n(x0 + 18))\" y1=\"\(n(y - 4))\" y2=\"\(n(y - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
        return mark + "<text x=\"\(n(x0 + 24))\" y=\"\(n(y))\">\(escape(label))</text>\n"
    }

    /// Min and max of each bucket, in time order (NaN where a bucket has no finite value).
    private func reduceEnvelope(_ values: [Double]) -> [(t: Double, v: Double)] {
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
