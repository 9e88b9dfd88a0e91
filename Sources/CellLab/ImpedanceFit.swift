import BatteryPlant
import Foundation

/// An equivalent-circuit fit of a measured impedance spectrum, as an analyser's software does it:
/// a series resistance and one ZARC (R parallel to a constant-phase element) per arc,
/// Z = R_s + sum R_k / (1 + (j w tau_k)^n_k), fitted by complex non-linear least squares
/// (Levenberg-Marquardt, residuals weighted by |Z|). The number of arcs and their starting values
/// come from the peaks of -Im Z over log f. Each arc is also tried as a finite-length Warburg
/// (`ImpedanceElement.Shape.warburg`, one parameter fewer), and the best of these fits is kept
/// where it beats the arcs alone.
public struct ImpedanceFit: Sendable, Equatable {
    /// One fitted arc.
    public struct Arc: Sendable, Equatable {
        public var resistance_ohm: Double
        public var timeConstant_s: Double
        public var dispersion: Double
        /// An arc, or a Warburg (its time constant that of its slowest mode; dispersion 0.5).
        public var shape: ImpedanceElement.Shape = .arc
        /// The arc's characteristic frequency 1 / (2 pi tau), Hz.
        public var frequency_Hz: Double { 1 / (2 * Double.pi * timeConstant_s) }
    }

    /// The high-frequency intercept, ohms.
    public var series_ohm: Double
    /// The arcs, fastest first.
    public var arcs: [Arc]
    /// RMS of the weighted residuals (relative to |Z|).
    public var relativeRMS: Double

    /// The fitted model's impedance at `frequency_Hz`.
    public func impedance(atFrequency f: Double) -> (real: Double, imaginary: Double) {
        let w = 2 * Double.pi * f
        var re = series_ohm
        var im = 0.0
        for arc in arcs {
            let z = ArcParameters(resistance: arc.resistance_ohm, timeConstant: arc.timeConstant_s, dispersion: arc.dispersion, shape: arc.shape)
                .impedance(angular: w)
            re += z.real
            im += z.imaginary
        }
        return (re, im)
    }

    /// Fits `spectrum` (frequency, real, imaginary), or nil when it shows no arc.
    public static func fit(_ spectrum: [(frequency_Hz: Double, real_ohm: Double, imaginary_ohm: Double)]) -> ImpedanceFit? {
        let points = spectrum.sorted { $0.frequency_Hz > $1.frequency_Hz }
        guard points.count >= 8 else { return nil }
        let peaks = peakIndices(points.map { -$0.imaginary_ohm })
        guard !peaks.isEmpty else { return nil }
        // Parameters: ln R_s, then per arc ln R, ln tau, n.
        let startDispersion = 0.85
        var p = [Foundation.log(max(points[0].real_ohm * 0.9, 1e-9))]
        for i in peaks {
            let r = 2 * -points[i].imaginary_ohm / Foundation.tan(startDispersion * Double.pi / 4)
            p += [Foundation.log(max(r, 1e-9)), Foundation.log(1 / (2 * Double.pi * points[i].frequency_Hz)), startDispersion]
        }
        // Time constants stay within a decade of the measured band.
        let fastest = Foundation.log(1 / (2 * Double.pi * points[0].frequency_Hz * 10))
        let slowest = Foundation.log(10 / (2 * Double.pi * points[points.count - 1].frequency_Hz))
        var shapes = [ImpedanceElement.Shape](repeating: .arc, count: peaks.count)
        p = levenbergMarquardt(p, shapes: shapes, points: points, timeConstants: fastest...slowest)
        // An arc whose top lies above the band shows only its low-frequency tail at the band's
        // edge, often with no peak to start from: try one there, and keep it where it removes
        // at least a third of the misfit.
        var edge = p
        edge[0] = p[0] + Foundation.log(0.9)
        edge += [p[0] + Foundation.log(0.1), Foundation.log(1 / (2 * Double.pi * points[0].frequency_Hz * 3)), startDispersion]
        edge = levenbergMarquardt(edge, shapes: shapes + [.arc], points: points, timeConstants: fastest...slowest)
        var misfit = rms(p, shapes: shapes, points: points)
        let edgeMisfit = rms(edge, shapes: shapes + [.arc], points: points)
        if edgeMisfit < 2.0 / 3.0 * misfit { (p, misfit, shapes) = (edge, edgeMisfit, shapes + [.arc]) }
        // Transport in a cathode shows a 45-degree line where an arc rises at n 90 degrees: try
        // each arc as a Warburg (the slowest peak may be the intercalation capacitance's tail)
        // and keep whichever fits best.
        let arcsOnly = (p, shapes)
        for k in arcsOnly.1.indices {
            var w = arcsOnly.0
            var wShapes = arcsOnly.1
            wShapes[k] = .warburg
            w[1 + 3 * k + 2] = 0.5
            w = levenbergMarquardt(w, shapes: wShapes, points: points, timeConstants: fastest...slowest)
            let wMisfit = rms(w, shapes: wShapes, points: points)
            if wMisfit < misfit { (p, misfit, shapes) = (w, wMisfit, wShapes) }
        }
        // An arc driven to the dispersion's floor is two (or more) arcs fitted as one, as on a
        // worn cell whose interphase arc has grown between the grain boundaries' and the
        // interface's: try it as two, a factor of 4 either side of it, and keep the pair where
        // it removes at least a third of the misfit (twice at most).
        for _ in 0..<2 {
            guard let k = shapes.indices.first(where: { shapes[$0] == .arc && p[1 + 3 * $0 + 2] <= mergedDispersion }) else { break }
            let i = 1 + 3 * k
            var split = p
            split[i] = p[i] + Foundation.log(0.5)
            split[i + 1] = p[i + 1] - Foundation.log(4)
            split[i + 2] = startDispersion
            split += [p[i] + Foundation.log(0.5), p[i + 1] + Foundation.log(4), startDispersion]
            split = levenbergMarquardt(split, shapes: shapes + [.arc], points: points, timeConstants: fastest...slowest)
            let splitMisfit = rms(split, shapes: shapes + [.arc], points: points)
            guard splitMisfit < 2.0 / 3.0 * misfit else { break }
            (p, misfit, shapes) = (split, splitMisfit, shapes + [.arc])
        }
        let arcs = shapes.indices.map { k in
            let i = 1 + 3 * k
            return Arc(resistance_ohm: Foundation.exp(p[i]), timeConstant_s: Foundation.exp(p[i + 1]), dispersion: p[i + 2], shape: shapes[k])
        }.sorted { $0.timeConstant_s < $1.timeConstant_s }
        return ImpedanceFit(series_ohm: Foundation.exp(p[0]), arcs: arcs, relativeRMS: misfit)
    }

    /// A fitted arc's dispersion at or below this (the floor is 0.5) is arcs fitted as one
    /// (`Characterisation.mergedArcDispersion`).
    static let mergedDispersion = 0.55

    /// The fit's RMS residual relative to |Z|.
    static func rms(
        _ p: [Double], shapes: [ImpedanceElement.Shape], points: [(frequency_Hz: Double, real_ohm: Double, imaginary_ohm: Double)]
    ) -> Double {
        let spectrum = Spectrum(points)
        let r = Terms(p, shapes: shapes, spectrum: spectrum).residuals(spectrum)
        return (r.reduce(0) { $0 + $1 * $1 } / Double(r.count)).squareRoot()
    }

    /// Prominent local maxima of `y` (smoothed over five points): a peak must stand above the
    /// higher of the valleys either side of it by 5 % of the largest value (noise makes many
    /// small maxima; an arc makes one prominent one).
    static func peakIndices(_ y: [Double]) -> [Int] {
        let n = y.count
        let s = (0..<n).map { i in
            let window = max(0, i - 2)...min(n - 1, i + 2)
            return window.reduce(0) { $0 + y[$1] } / Double(window.count)
        }
        guard let top = s.max(), top > 0 else { return [] }
        var peaks: [Int] = []
        // The ends count too: an arc whose top lies just outside the band rises to the band's edge.
        for i in 0..<n where (i == 0 || s[i] >= s[i - 1]) && (i == n - 1 || s[i] > s[i + 1]) {
            // The lowest point on each side before a higher value; a side that runs to the band's
            // edge without one says nothing (the arc may go on past it) unless both do.
            var left = s[i]
            var j = i - 1
            while j >= 0, s[j] <= s[i] { left = min(left, s[j]); j -= 1 }
            let leftOpen = j < 0
            var right = s[i]
            j = i + 1
            while j < n, s[j] <= s[i] { right = min(right, s[j]); j += 1 }
            let rightOpen = j >= n
            let col = leftOpen && rightOpen ? min(left, right) : leftOpen ? right : rightOpen ? left : max(left, right)
            if s[i] - col > 0.05 * top { peaks.append(i) }
        }
        return peaks
    }

    /// Levenberg-Marquardt with a forward-difference Jacobian; dispersions kept within 0.5 ... 1,
    /// ln tau within `timeConstants` (a Warburg's dispersion is not a parameter: its column is 0).
    static func levenbergMarquardt(
        _ start: [Double], shapes: [ImpedanceElement.Shape], points: [(frequency_Hz: Double, real_ohm: Double, imaginary_ohm: Double)],
        timeConstants: ClosedRange<Double>
    ) -> [Double] {
        let spectrum = Spectrum(points)
        var p = start
        var terms = Terms(p, shapes: shapes, spectrum: spectrum)
        var r = terms.residuals(spectrum)
        var cost = r.reduce(0) { $0 + $1 * $1 }
        var lambda = 1e-3
        let m = p.count
        for _ in 0..<300 {
            var jacobian = [[Double]](repeating: [], count: m)
            for k in 0..<m {
                var q = p
                let h = 1e-6 * max(1, abs(p[k]))
                q[k] += h
                let rq = terms.residuals(spectrum, perturbing: k, of: q, shapes: shapes)
                jacobian[k] = zip(rq, r).map { ($0 - $1) / h }
            }
            var a = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
            var g = [Double](repeating: 0, count: m)
            for i in 0..<m {
                for j in 0..<m { a[i][j] = zip(jacobian[i], jacobian[j]).reduce(0) { $0 + $1.0 * $1.1 } }
                g[i] = -zip(jacobian[i], r).reduce(0) { $0 + $1.0 * $1.1 }
            }
            var improved = false
            for _ in 0..<20 {
                var damped = a
                for i in 0..<m { damped[i][i] += lambda * max(a[i][i], 1e-12) }
                guard let step = solve(damped, g) else { lambda *= 10; continue }
                var q = zip(p, step).map { $0 + $1 }
                for k in stride(from: 3, to: m, by: 3) {
                    q[k] = min(1, max(0.5, q[k]))
                    q[k - 1] = min(timeConstants.upperBound, max(timeConstants.lowerBound, q[k - 1]))
                }
                let tq = Terms(q, shapes: shapes, spectrum: spectrum)
                let rq = tq.residuals(spectrum)
                let c = rq.reduce(0) { $0 + $1 * $1 }
                if c.isFinite, c < cost {
                    let gain = (cost - c) / max(cost, 1e-300)
                    p = q
                    terms = tq
                    r = rq
                    cost = c
                    lambda = max(lambda / 10, 1e-12)
                    improved = gain > 1e-12
                    break
                }
                lambda *= 10
            }
            if !improved { break }
        }
        return p
    }

    /// Solves a x = b by Gaussian elimination with partial pivoting (nil when singular).
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a
        var x = b
        let n = b.count
        for c in 0..<n {
            guard let pivot = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[pivot][c]) > 1e-300 else { return nil }
            m.swapAt(c, pivot)
            x.swapAt(c, pivot)
            for r in (c + 1)..<n {
                let f = m[r][c] / m[c][c]
                if f == 0 { continue }
                for k in c..<n { m[r][k] -= f * m[c][k] }
                x[r] -= f * x[c]
            }
        }
        for c in stride(from: n - 1, through: 0, by: -1) {
            var s = x[c]
            for k in (c + 1)..<n { s -= m[c][k] * x[k] }
            x[c] = s / m[c][c]
        }
        return x
    }
}
