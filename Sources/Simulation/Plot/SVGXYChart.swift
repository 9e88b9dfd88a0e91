import Foundation

/// Charts of y against x side by side in one SVG, each with linear or logarithmic axes, and an
/// equal-aspect option (a Nyquist plot, whose arcs must stay round).
public struct SVGXYChart {
    public struct Series {
        public var label: String
        public var color: String
        public var points: [(x: Double, y: Double)]
        public init(_ label: String, color: String, points: [(x: Double, y: Double)]) {
            self.label = label
            self.color = color
            self.points = points
        }
    }

    /// A labelled point (a decade of frequency on a Nyquist arc).
    public struct Annotation {
        public var x: Double
        public var y: Double
        public var label: String
        public init(x: Double, y: Double, label: String) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public struct Panel {
        public var title: String
        public var xLabel: String
        public var yLabel: String
        public var series: [Series]
        public var annotations: [Annotation] = []
        public var logX = false
        public var logY = false
        /// One unit of x as long as one unit of y on the page.
        public var equalAspect = false
        public init(
            title: String, xLabel: String, yLabel: String, series: [Series], annotations: [Annotation] = [], logX: Bool = false, logY: Bool = false,
            equalAspect: Bool = false
        ) {
            self.title = title
            self.xLabel = xLabel
            self.yLabel = yLabel
            self.series = series
            self.annotations = annotations
            self.logX = logX
            self.logY = logY
            self.equalAspect = equalAspect
        }
    }

    public var title: String
    public var panels: [Panel]
    public init(title: String, panels: [Panel]) {
        self.title = title
        self.panels = panels
    }

    static let width = 1000.0, panelHeight = 300.0, left = 80.0, right = 40.0, top = 60.0, gap = 80.0

    /// The SVG document: panels one under the other.
    public func render() -> String {
        let plotWidth = Self.width - Self.left - Self.right
        var heights: [Double] = []
        for p in panels {
            if p.equalAspect, let (xr, yr) = ranges(p) {
                // As tall as the data's aspect needs, between a third and the full width.
                heights.append(min(plotWidth, max(plotWidth / 3, plotWidth * (yr.1 - yr.0) / (xr.1 - xr.0))))
            } else {
                heights.append(Self.panelHeight)
            }
        }
        let height = Self.top + zip(panels, heights).reduce(0) { $0 + $1.1 + Self.gap + legendHeight($1.0) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(Self.width))" height="\(n(height))" viewBox="0 0 \(n(Self.width)) \(n(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(n(Self.left))" y="30" font-size="16" font-weight="bold">\(RegressionReport.escape(title))</text>

            """
        var y0 = Self.top
        for (k, panel) in panels.enumerated() {
            svg += draw(panel, y0: y0, plotWidth: plotWidth, height: heights[k])
            y0 += heights[k] + Self.gap + legendHeight(panel)
        }
        return svg + "</svg>\n"
    }

    /// The labelled series of a panel with more than one, three to a legend row below it.
    func legendEntries(_ p: Panel) -> [Series] { p.series.count > 1 ? p.series.filter { !$0.label.isEmpty } : [] }
    func legendHeight(_ p: Panel) -> Double { Double((legendEntries(p).count + 2) / 3) * 16 }

    /// The finite data range of a panel (in log10 where the axis is logarithmic).
    func ranges(_ p: Panel) -> ((Double, Double), (Double, Double))? {
        var xs: [Double] = [], ys: [Double] = []
        for s in p.series {
            for q in s.points {
                let x = p.logX ? log10(q.x) : q.x, y = p.logY ? log10(q.y) : q.y
                if x.isFinite && y.isFinite { xs.append(x); ys.append(y) }
            }
        }
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return nil }
        func widen(_ a: Double, _ b: Double) -> (Double, Double) { b - a > 1e-15 ? (a, b) : (a - max(abs(a), 1) * 0.5, b + max(abs(b), 1) * 0.5) }
        return (widen(x0, x1), widen(y0, y1))
    }

    private func draw(_ panel: Panel, y0: Double, plotWidth: Double, height: Double) -> String {
        var svg = "<text x=\"\(n(Self.left))\" y=\"\(n(y0 - 10))\" font-weight=\"bold\">\(RegressionReport.escape(panel.title))</text>\n"
        guard var (xr, yr) = ranges(panel) else { return svg + "<text x=\"\(n(Self.left))\" y=\"\(n(y0 + 20))\">no finite points</text>\n" }
        // Round ticks (decades on a log axis), and the range widened to them.
        func ticks(_ r: (Double, Double), log: Bool) -> [Double] {
            if log { return stride(from: r.0.rounded(.down), through: r.1.rounded(.up), by: 1).map { $0 } }
            return SVGChart.ticks(r.0, r.1, count: 6)
        }
        var xt = ticks(xr, log: panel.logX), yt = ticks(yr, log: panel.logY)
        xr = (min(xr.0, xt.first ?? xr.0), max(xr.1, xt.last ?? xr.1))
        yr = (min(yr.0, yt.first ?? yr.0), max(yr.1, yt.last ?? yr.1))
        if panel.equalAspect {
            // The same scale on both axes: the shorter span grows to the page's aspect.
            let scale = max((xr.1 - xr.0) / plotWidth, (yr.1 - yr.0) / height)
            xr.1 = xr.0 + scale * plotWidth
            yr.1 = yr.0 + scale * height
            xt = SVGChart.ticks(xr.0, xr.1, count: 8).filter { $0 <= xr.1 + 1e-12 }
            yt = SVGChart.ticks(yr.0, yr.1, count: max(2, Int(8 * height / plotWidth))).filter { $0 <= yr.1 + 1e-12 }
        }
        func x(_ v: Double) -> Double { Self.left + ((panel.logX ? log10(v) : v) - xr.0) / (xr.1 - xr.0) * plotWidth }
        func y(_ v: Double) -> Double { y0 + height - ((panel.logY ? log10(v) : v) - yr.0) / (yr.1 - yr.0) * height }
        func label(_ t: Double, log: Bool, ticks: [Double]) -> String {
            log ? (t == 0 ? "1" : "1e\(Int(t))") : SVGChart.label(t, step: SVGChart.step(ticks))
        }
        svg += "<rect x=\"\(n(Self.left))\" y=\"\(n(y0))\" width=\"\(n(plotWidth))\" height=\"\(n(height))\" fill=\"none\" stroke=\"#999\"/>\n"
        for t in xt {
            let px = Self.left + (t - xr.0) / (xr.1 - xr.0) * plotWidth
            svg += "<line x1=\"\(n(px))\" x2=\"\(n(px))\" y1=\"\(n(y0))\" y2=\"\(n(y0 + height))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(n(px))\" y=\"\(n(y0 + height + 14))\" text-anchor=\"middle\">\(label(t, log: panel.logX, ticks: xt))</text>\n"
        }
        for t in yt {
            let py = y0 + height - (t - yr.0) / (yr.1 - yr.0) * height
            svg += "<line x1=\"\(n(Self.left))\" x2=\"\(n(Self.left + plotWidth))\" y1=\"\(n(py))\" y2=\"\(n(py))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(n(Self.left - 6))\" y=\"\(n(py + 4))\" text-anchor=\"end\">\(label(t, log: panel.logY, ticks: yt))</text>\n"
        }
        svg += "<text x=\"\(n(Self.left + plotWidth / 2))\" y=\"\(n(y0 + height + 32))\" text-anchor=\"middle\">\(RegressionReport.escape(panel.xLabel))</text>\n"
        svg += "<text transform=\"translate(\(n(20)),\(n(y0 + height / 2))) rotate(-90)\" text-anchor=\"middle\">\(RegressionReport.escape(panel.yLabel))</text>\n"
        for s in panel.series {
            let points = s.points.filter { x($0.x).isFinite && y($0.y).isFinite }.map { "\(n(x($0.x))),\(n(y($0.y)))" }
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.5\"/>\n"
        }
        // The legend below the axis label, three entries to a row.
        for (k, s) in legendEntries(panel).enumerated() {
            let lx = Self.left + Double(k % 3) * plotWidth / 3, ly = y0 + height + 52 + Double(k / 3) * 16
            svg += "<line x1=\"\(n(lx))\" x2=\"\(n(lx + 18))\" y1=\"\(n(ly - 4))\" y2=\"\(n(ly - 4))\" stroke=\"\(s.color)\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(n(lx + 24))\" y=\"\(n(ly))\">\(RegressionReport.escape(s.label))</text>\n"
        }
        for a in panel.annotations where x(a.x).isFinite && y(a.y).isFinite {
            svg += "<circle cx=\"\(n(x(a.x)))\" cy=\"\(n(y(a.y)))\" r=\"3\" fill=\"#333\"/>"
            svg += "<text x=\"\(n(x(a.x) + 5))\" y=\"\(n(y(a.y) - 5))\" font-size=\"10\" fill=\"#333\">\(RegressionReport.escape(a.label))</text>\n"
        }
        return svg
    }

    private func n(_ v: Double) -> String { String(format: "%.1f", v) }
}
