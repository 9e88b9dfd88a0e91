import Foundation
import Testing

@testable import Simulation

/// The chart's reductions keep what a reader must see: a spike in a dense series, the range of
/// a day of fast power, on/off lanes where the state was on.
@Suite("SVG chart")
struct SVGChartTests {
    /// The y values (in the chart's pixels) of every polyline and polygon point in `svg`.
    func points(_ svg: String, element: String) -> [[Double]] {
        svg.components(separatedBy: "<\(element) points=\"").dropFirst().map { part in
            part.prefix { $0 != "\"" }.split(separator: " ").compactMap { Double($0.split(separator: ",")[1]) }
        }
    }

    @Test func denseSeriesKeepTheirExtremes() {
        // A day at 1 s: a small wave with one spike; far denser than the width.
        let n = 86_400
        let time_h = (1...n).map { Double($0) / 3600 }
        var values = (0..<n).map { sin(Double($0) / 50) }
        values[40_000] = 10
        for reduction in [SVGChart.Series.Reduction.zigzag, .envelope, .maxima] {
            let chart = SVGChart(
                title: "t", time_h: time_h,
                panels: [.init(title: "p", unit: "u", series: [.init("s", color: "#000", values: values, reduction: reduction)])])
            let svg = chart.render()
            // The y axis reaches the spike, and some drawn point is at its height (the top tick).
            let drawn = points(svg, element: "polyline").flatMap { $0 } + points(svg, element: "polygon").flatMap { $0 }
            let top = try! #require(drawn.min())
            #expect(top < 80, "\(reduction): the spike is drawn at the top of the panel (y \(top))")
            #expect(svg.components(separatedBy: "<polyline").count - 1 < 20, "\(reduction): a few polylines, not one per point")
            let pointCount = drawn.count
            #expect(pointCount < 2 * 1200 + 10, "\(reduction): \(pointCount) points drawn for \(n) values")
        }
        // The envelope's panel says how it was drawn.
        let envelope = SVGChart(
            title: "t", time_h: time_h, panels: [.init(title: "p", unit: "u", series: [.init("s", color: "#000", values: values, reduction: .envelope)])]
        ).render()
        #expect(envelope.contains("[per 5 min: mean and range, or extremes]"), "the bucket width is in the title")
        #expect(envelope.contains("<polygon"), "the range is filled")
    }

    @Test func sparseSeriesAreDrawnPointForPoint() {
        let time_h = (1...100).map { Double($0) / 10 }
        let values = (0..<100).map { Double($0 % 7) }
        let svg = SVGChart(
            title: "t", time_h: time_h, panels: [.init(title: "p", unit: "u", series: [.init("s", color: "#000", values: values, reduction: .envelope)])]
        ).render()
        #expect(points(svg, element: "polyline").flatMap { $0 }.count == 100)
        #expect(!svg.contains("mean and range"), "nothing was reduced, so the title says nothing of it")
    }

    @Test func lanesAreFilledWhereTheStateIsOn() {
        let time_h = (1...10).map { Double($0) }
        let on = [false, false, true, true, true, false, false, false, true, false]
        let svg = SVGChart(title: "t", time_h: time_h, panels: [.init(title: "states", lanes: [.init("contactors closed", color: "#0a0", on: on)])]).render()
        // Two stretches: rows 3-5 (from the row before, t = 2 h, to t = 5 h) and row 9.
        let bars = svg.components(separatedBy: "<rect x=\"").dropFirst().filter { $0.contains("fill=\"#0a0\"") }
        #expect(bars.count == 2, "\(bars.count) bars")
        #expect(svg.contains(">contactors closed</text>"))
    }

    @Test func overlaidRunsWidenTheTimeAxis() {
        // A 2 h run overlaid on a 1 h chart: the axis reaches 2 h.
        let short = (1...60).map { Double($0) / 60 }
        let long = (1...120).map { Double($0) / 60 }
        let svg = SVGChart(
            title: "t", time_h: short,
            panels: [
                .init(
                    title: "p", unit: "u",
                    series: [.init("a", color: "#000", values: short), .init("b", color: "#f00", values: long, time_h: long)])
            ]
        ).render()
        #expect(svg.contains(">2.0</text>") || svg.contains(">2</text>"), "a tick at 2 h")
    }
}
