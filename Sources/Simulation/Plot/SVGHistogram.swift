import Foundation

/// Histograms of a sweep's metrics, one panel each, with the p50 and p95 marked: how a
/// distribution looks to a person, in one SVG.
public struct SVGHistogram {
    /// One metric's values over the runs.
    public struct Panel {
        public var title: String
        public var unit: String
        public var values: [Double]
        /// A bound to draw (the target), if any.
        public var bound: Double?
        public init(title: String, unit: String, values: [Double], bound: Double? = nil) {
            self.title = title
            self.unit = unit
            self.values = values
            self.bound = bound
        }
    }

    public var title: String
    public var panels: [Panel]
    public var bins = 24

    public init(title: String, panels: [Panel]) {
        self.title = title
        self.panels = panels
    }

    static let panelWidth = 500.0, panelHeight = 180.0, left = 60.0, top = 50.0, gapX = 90.0, gapY = 80.0

    /// The SVG document (panels two to a row).
    public func render() -> String {
        let columns = 2
        let rows = (panels.count + columns - 1) / columns
        let width = Self.left + Double(columns) * (Self.panelWidth + Self.gapX)
        let height = Self.top + Double(rows) * (Self.panelHeight + Self.gapY) + 10
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(n(Self.left))" y="28" font-size="16" font-weight="bold">\(RegressionReport.escape(title))</text>

            """
        for (k, panel) in panels.enumerated() {
            let x0 = Self.left + Double(k % columns) * (Self.panelWidth + Self.gapX)
            let y0 = Self.top + Double(k / columns) * (Self.panelHeight + Self.gapY)
            svg += render(panel, x0: x0, y0: y0)
        }
        return svg + "</svg>\n"
    }

    private func render(_ panel: Panel, x0: Double, y0: Double) -> String {
        let values = panel.values.filter(\.isFinite).sorted()
        var svg = "<text x=\"\(n(x0))\" y=\"\(n(y0 - 8))\" font-weight=\"bold\">\(RegressionReport.escape(panel.title)) (\(Format.count(values.count, "run")))</text>\n"
        svg += "<rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(Self.panelWidth))\" height=\"\(n(Self.panelHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
        guard let first = values.first, let last = values.last else {
            return svg + "<text x=\"\(n(x0 + 10))\" y=\"\(n(y0 + 20))\">no run reports it</text>\n"
        }
        var lo = min(first, panel.bound ?? first)
        var hi = max(last, panel.bound ?? last)
        if hi - lo < 1e-12 {
            let below: Double = Swift.max(Swift.abs(lo) * 0.05, 1e-6)
            let above: Double = Swift.max(Swift.abs(hi) * 0.05, 1e-6)
            lo -= below
            hi += above
        }
        let ticks = SVGChart.ticks(lo, hi, count: 5)
        lo = min(lo, ticks.first ?? lo)
        hi = max(hi, ticks.last ?? hi)
        var counts = [Int](repeating: 0, count: bins)
        let binsPerUnit: Double = Double(bins) / (hi - lo)
        for v in values {
            let bin = Int((v - lo) * binsPerUnit)
            counts[Swift.min(bin, bins - 1)] += 1
        }
        let top = max(counts.max() ?? 1, 1)
        func x(_ v: Double) -> Double { x0 + (v - lo) / (hi - lo) * Self.panelWidth }
        let barWidth = Self.panelWidth / Double(bins)
        for (b, c) in counts.enumerated() where c > 0 {
            let h = Double(c) / Double(top) * (Self.panelHeight - 10)
            svg += "<rect x=\"\(n(x0 + Double(b) * barWidth + 1))\" y=\"\(n(y0 + Self.panelHeight - h))\" width=\"\(n(barWidth - 2))\" height=\"\(n(h))\" fill=\"#4a7ab5\"><title>\(c) runs</title></rect>\n"
        }
        for t in ticks {
            svg += "<text x=\"\(n(x(t)))\" y=\"\(n(y0 + Self.panelHeight + 14))\" text-anchor=\"middle\">\(SVGChart.label(t, step: SVGChart.step(ticks)))</text>\n"
        }
        svg += "<text x=\"\(n(x0 + Self.panelWidth / 2))\" y=\"\(n(y0 + Self.panelHeight + 30))\" text-anchor=\"middle\">\(RegressionReport.escape(panel.unit))</text>\n"
        svg += "<text x=\"\(n(x0 - 6))\" y=\"\(n(y0 + 14))\" text-anchor=\"end\">\(top)</text>\n"
        let marks: [(String, Double, String)] =
            [("p50", SweepReport.percentile(values, 50), "#333"), ("p95", SweepReport.percentile(values, 95), "#e08000")]
            + (panel.bound.map { [("target", $0, "#d00")] } ?? [])
        for (k, (label, v, color)) in marks.enumerated() {
            svg += "<line x1=\"\(n(x(v)))\" x2=\"\(n(x(v)))\" y1=\"\(n(y0))\" y2=\"\(n(y0 + Self.panelHeight))\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-dasharray=\"4,3\"/>"
            svg += "<text x=\"\(n(x(v) + 3))\" y=\"\(n(y0 + 12 + Double(k) * 13))\" fill=\"\(color)\" font-size=\"11\">\(label) \(Format.compact(v))</text>\n"
        }
        return svg
    }

    private func n(_ v: Double) -> String { String(format: "%.1f", v) }
}
