import BatteryPlant
import Foundation

extension ImpedanceFit {
    /// A measured spectrum as the fit reads it: each point's angular frequency, values and weight
    /// (1 / |Z|).
    struct Spectrum {
        let angular: [Double]
        let real: [Double]
        let imaginary: [Double]
        let weight: [Double]

        init(_ points: [(frequency_Hz: Double, real_ohm: Double, imaginary_ohm: Double)]) {
            angular = points.map { 2 * Double.pi * $0.frequency_Hz }
            real = points.map(\.real_ohm)
            imaginary = points.map(\.imaginary_ohm)
            weight = points.map { 1 / max(1e-12, ($0.real_ohm * $0.real_ohm + $0.imaginary_ohm * $0.imaginary_ohm).squareRoot()) }
        }

        var count: Int { angular.count }
    }

    /// The model's parts at each point of a spectrum for one parameter vector: the series
    /// resistance and each arc's contribution (`real[point * arcCount + arc]`).
    ///
    /// A Jacobian column perturbs one parameter, which moves one arc (or the series): it
    /// recomputes that arc alone and sums the parts again in the model's order, so its residuals
    /// are bit for bit those of the whole model evaluated afresh (one power law per point where
    /// the whole model took one per arc).
    struct Terms {
        let arcCount: Int
        var series: Double
        var real: [Double]
        var imaginary: [Double]

        /// Every part at parameters `p` (ln R_s, then per arc ln R, ln tau, n).
        init(_ p: [Double], shapes: [ImpedanceElement.Shape], spectrum s: Spectrum) {
            arcCount = shapes.count
            series = Foundation.exp(p[0])
            real = [Double](repeating: 0, count: s.count * shapes.count)
            imaginary = real
            for j in shapes.indices {
                let arc = ArcParameters(p, arc: j, shape: shapes[j])
                for i in 0..<s.count {
                    let z = arc.impedance(angular: s.angular[i])
                    real[i * arcCount + j] = z.real
                    imaginary[i * arcCount + j] = z.imaginary
                }
            }
        }

        /// Arc `j`'s contribution at point `i`.
        @inline(__always)
        func part(_ i: Int, _ j: Int) -> (real: Double, imaginary: Double) { (real[i * arcCount + j], imaginary[i * arcCount + j]) }

        /// The weighted residuals (real, imaginary per point) of these parts.
        func residuals(_ s: Spectrum) -> [Double] { residuals(s, series: series, part: part) }

        /// The weighted residuals at `q`, which differs from these parts' parameters in
        /// parameter `k` alone.
        func residuals(_ s: Spectrum, perturbing k: Int, of q: [Double], shapes: [ImpedanceElement.Shape]) -> [Double] {
            if k == 0 { return residuals(s, series: Foundation.exp(q[0]), part: part) }
            let moved = (k - 1) / 3
            let arc = ArcParameters(q, arc: moved, shape: shapes[moved])
            let column = s.angular.map { arc.impedance(angular: $0) }
            return residuals(s, series: series) { i, j in j == moved ? column[i] : part(i, j) }
        }

        /// The model at each point summed in one order (the series first, then the arcs in
        /// order, as `ImpedanceFit.impedance(atFrequency:)` sums it), less the measurement,
        /// weighted.
        @inline(__always)
        private func residuals(_ s: Spectrum, series: Double, part: (Int, Int) -> (real: Double, imaginary: Double)) -> [Double] {
            var r: [Double] = []
            r.reserveCapacity(s.count * 2)
            for i in 0..<s.count {
                var re = series
                var im = 0.0
                for j in 0..<arcCount {
                    let z = part(i, j)
                    re += z.real
                    im += z.imaginary
                }
                r.append((re - s.real[i]) * s.weight[i])
                r.append((im - s.imaginary[i]) * s.weight[i])
            }
            return r
        }
    }

    /// One arc's parameters, with its dispersion's phase factors computed once.
    struct ArcParameters {
        let resistance: Double
        let timeConstant: Double
        let shape: ImpedanceElement.Shape
        let cosine: Double
        let sine: Double
        let dispersion: Double

        init(resistance r: Double, timeConstant tau: Double, dispersion n: Double, shape: ImpedanceElement.Shape) {
            resistance = r
            timeConstant = tau
            dispersion = n
            self.shape = shape
            cosine = shape == .warburg ? 0 : Foundation.cos(n * Double.pi / 2)
            sine = shape == .warburg ? 0 : Foundation.sin(n * Double.pi / 2)
        }

        /// Arc `j` of the parameter vector `p` (ln R_s, then per arc ln R, ln tau, n).
        init(_ p: [Double], arc j: Int, shape: ImpedanceElement.Shape) {
            let i = 1 + 3 * j
            self.init(resistance: Foundation.exp(p[i]), timeConstant: Foundation.exp(p[i + 1]), dispersion: p[i + 2], shape: shape)
        }

        /// The arc's impedance at angular frequency `w`: R / (1 + (j w tau)^n), or the Warburg's.
        @inline(__always)
        func impedance(angular w: Double) -> (real: Double, imaginary: Double) {
            if shape == .warburg { return CellImpedance.Element.warburg(resistance, timeConstant: w * timeConstant) }
            let a = Foundation.pow(w * timeConstant, dispersion)
            let dr = 1 + a * cosine
            let di = a * sine
            let d = dr * dr + di * di
            return (resistance * dr / d, -(resistance * di / d))
        }
    }
}
