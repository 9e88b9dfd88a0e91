import Foundation

/// Horizontal bars, one per named case, panel by panel (a regress folder's cases): each bar
/// red when its case failed, its baseline a black tick where there is one.
public struct SVGBars {
    public struct Bar {
        public var label: String
        public var value: Double?
        public var baseline: Double?
        public var failed: Bool
        public init(label: String, value: Double?, baseline: Double?, failed: Bool) {
            self.label = label
            self.value = value
            self.baseline = baseline
            self.failed = failed
        }
    }

    public struct Panel {
        public var title: String
        public var bars: [Bar]
        public init(title: String, bars: [Bar]) {
            self.title = title
            self.bars = bars
        }
    }

    public var title: String
    public var panels: [Panel]
    public init(title: String, panels: [Panel]) {
        self.title = title
        self.panels = panels
    }

    static let width = 1000.0, labelWidth = 260.0, barHeight = 16.0, top = 70.0, gap = 60.0

    /// The SVG document.
    public func render() -> String {
        let plotWidth = Self.width - Self.labelWidth - 120
        let height = Self.top + panels.reduce(0) { $0 + Double($1.bars.count) * Self.barHeight + Self.gap } + 10
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(Self.width))" height="\(n(height))" viewBox="0 0 \(n(Self.width)) \(n(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        for (k, line) in title.split(separator: "\n").enumerated() {
            svg += "<text x=\"20\" y=\"\(n(28 + 18 * Double(k)))\" \(k == 0 ? "font-size=\"16\" font-weight=\"bold\"" : "font-size=\"13\"")>\(e(String(line)))</text>\n"
        }
        var y0 = Self.top
        for panel in panels {
            svg += "<text x=\"20\" y=\"\(n(y0 - 8))\" font-weight=\"bold\">\(e(panel.title))</text>\n"
            let top = panel.bars.flatMap { [$0.value, $0.baseline].compactMap { $0 } }.filter(\.isFinite).map(abs).max() ?? 1
            let scale = top > 0 ? plotWidth / top : 1
            for (i, bar) in panel.bars.enumerated() {
                let y = y0 + Double(i) * Self.barHeight
                svg += "<text x=\"\(n(Self.labelWidth - 6))\" y=\"\(n(y + 12))\" text-anchor=\"end\"\(bar.failed ? " fill=\"#b00020\"" : "")>\(e(bar.label))</text>"
                if let v = bar.value, v.isFinite {
                    svg += "<rect x=\"\(n(Self.labelWidth))\" y=\"\(n(y + 2))\" width=\"\(n(max(0.5, abs(v) * scale)))\" height=\"\(n(Self.barHeight - 4))\" fill=\"\(bar.failed ? "#d62728" : "#7f9fbf")\"/>"
                    svg += "<text x=\"\(n(Self.labelWidth + abs(v) * scale + 4))\" y=\"\(n(y + 12))\" font-size=\"10\">\(Format.compact((v * 1000).rounded() / 1000))</text>"
                } else {
                    svg += "<text x=\"\(n(Self.labelWidth + 4))\" y=\"\(n(y + 12))\" font-size=\"10\" fill=\"#999\">none</text>"
                }
                if let b = bar.baseline, b.isFinite {
                    let x = Self.labelWidth + abs(b) * scale
                    svg += "<line x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(y))\" y2=\"\(n(y + Self.barHeight))\" stroke=\"#000\" stroke-width=\"2\"><title>baseline \(Format.compact(b))</title></line>"
                }
                svg += "\n"
            }
            y0 += Double(panel.bars.count) * Self.barHeight + Self.gap
        }
        return svg + "</svg>\n"
    }

    private func n(_ v: Double) -> String { String(format: "%.1f", v) }
    private func e(_ s: String) -> String { RegressionReport.escape(s) }
}
