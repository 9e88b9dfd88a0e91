import BMSCore
import BatteryPlant
import Foundation

extension Characterisation {
    /// What the critical-current test found.
    public struct CriticalCurrentResult: Sendable {
        /// The test temperatures, C: the datasheet's CCD reference and 20 K warmer.
        public var temperatures_C: [Double]
        /// Each sample's critical current density at each temperature, mA/cm2 (the plating step
        /// in which it shorted; nil: it survived the last step).
        public var measured_mA_per_cm2: [[Double?]]
        /// The Weibull fit of each temperature's samples: shape and scale, mA/cm2.
        public var shape: [Double]
        public var scale_mA_per_cm2: [Double]
        /// The lower bound the firmware takes at the reference temperature: the fit's 1 %
        /// quantile (B1), never above the weakest sample (half the weakest with fewer than three
        /// shorts to fit), mA/cm2.
        public var lowerBound_mA_per_cm2: Double
        /// The activation energy from the two scales, eV.
        public var activationEnergy_eV: Double
    }

    /// The critical-current (CCD) test, destructive, on its own sample cells (other seeds than
    /// the other tests'): each cell, at 50 % SoC and the test temperature, is plated (charged) at
    /// rising current densities from 0.3 of the datasheet's CCD in steps of a fortieth of it,
    /// two hours a step in twelve 10-minute plates each stripped back at up to half the
    /// datasheet's CCD. A soft short shows as the voltage falling during a constant-current
    /// plating step (a leakage path takes part of the current): a ten-second mean 1 mV below the
    /// plate's running maximum after its first 30 s. The step's density is that cell's CCD. Fine
    /// steps and long dwells keep the reading near the onset: a short needs time above the CCD,
    /// so a coarse, quick ramp reads high (a tenth per 30 minutes read NASICON's CCDs 1.6 x high).
    /// Nil when the datasheet has no CCD (molten sodium cells).
    public static func criticalCurrent(
        _ chemistry: CellChemistry, datasheet: FirmwareDefinition, options: Options = Options()
    ) -> CriticalCurrentResult? {
        guard let ccd = datasheet.model.criticalCurrent else { return nil }
        let reference = Double(ccd.referenceTemperature.value)
        let temperatures = [reference, reference + 20]
        var measured: [[Double?]] = []
        for (index, t) in temperatures.enumerated() {
            let typical = Double(ccd.density_mA_per_cm2(Celsius(Float(t))))
            var row: [Double?] = []
            for k in 0..<options.samples {
                var cell = sample(chemistry, index: 1000 * (index + 1) + k, soc: 0.5, temperature_C: t, options: options, degradation: true)
                cell.command(.closed)
                row.append(platingSteps(&cell, typical_mA_per_cm2: typical, area_cm2: Double(ccd.area_cm2)))
            }
            measured.append(row)
        }
        let fits = measured.map { weibull($0.compactMap { $0 }) }
        let weakest = measured[0].compactMap { $0 }.min() ?? .infinity
        // A Weibull fit needs three failures at least; with fewer the bound is half the weakest.
        let failures = measured[0].compactMap { $0 }.count
        let b1 = failures >= 3 ? fits[0].scale * Foundation.pow(-Foundation.log(0.99), 1 / fits[0].shape) : weakest / 2
        let t1 = temperatures[0] + kelvinOffset
        let t2 = temperatures[1] + kelvinOffset
        let ea = boltzmannEV * Foundation.log(fits[1].scale / fits[0].scale) / (1 / t1 - 1 / t2)
        return CriticalCurrentResult(
            temperatures_C: temperatures, measured_mA_per_cm2: measured, shape: fits.map(\.shape),
            scale_mA_per_cm2: fits.map(\.scale), lowerBound_mA_per_cm2: min(b1, weakest), activationEnergy_eV: max(0, ea))
    }

    /// The CCD test's ramp, as fractions of the datasheet's typical CCD: the first step, the
    /// step, the last step (a cell that survives it reads nil), and 10-minute plates per step.
    static let ccdFirstStep = 0.3, ccdStep = 0.025, ccdLastStep = 2.0, ccdPlatesPerStep = 12

    /// Rising plating steps on one cell until its voltage shows a short; the step's density, or
    /// nil past the last step. Each step is `ccdPlatesPerStep` cycles of 10 minutes' plating at
    /// the step's density and stripping the same charge back at half the typical CCD (below the
    /// stripping limit, so that no voids form), then five minutes' rest.
    static func platingSteps(_ cell: inout BatteryPack, typical_mA_per_cm2 typical: Double, area_cm2: Double) -> Double? {
        let first = Int((ccdFirstStep / ccdStep).rounded()), last = Int((ccdLastStep / ccdStep).rounded())
        for k in first...last {
            let j = Double(k) * ccdStep * typical
            let current = j * area_cm2 / 1000
            let strip = min(j, typical / 2) * area_cm2 / 1000
            for _ in 0..<ccdPlatesPerStep {
                // Ten-second means (the cycler's 0.2 mV noise down to 0.06 mV) against their
                // running maximum.
                var highest = -Double.infinity
                var sum = 0.0
                for s in 1...600 {
                    cell.step(current: -current, duration_ms: 1000)
                    sum += cell.sample().cellVoltages_V[0]
                    guard s % 10 == 0 else { continue }
                    let mean = sum / 10
                    sum = 0
                    guard s > 30 else { continue }
                    highest = max(highest, mean)
                    if mean < highest - 0.001 { return j }
                }
                let seconds = Int((600 * current / strip).rounded())
                for _ in 0..<(seconds / 10) { cell.step(current: strip, duration_ms: 10_000) }
            }
            for _ in 0..<30 { cell.step(current: 0, duration_ms: 10_000) }
        }
        return nil
    }

    /// A Weibull fit by median-rank regression (Bernard's ranks): shape and scale.
    static func weibull(_ values: [Double]) -> (shape: Double, scale: Double) {
        let x = values.filter { $0 > 0 }.sorted()
        guard x.count >= 2 else { return (1, x.first ?? .nan) }
        let n = Double(x.count)
        let points = x.enumerated().map { i, v in
            (Foundation.log(v), Foundation.log(-Foundation.log(1 - (Double(i + 1) - 0.3) / (n + 0.4))))
        }
        // No spread in the logs: no shape to fit.
        guard points.contains(where: { $0.0 != points[0].0 }) else { return (100, x[0]) }
        let fit = lineFit(points.map(\.0), points.map(\.1))
        let shape = fit.b
        return (shape, Foundation.exp(fit.meanX - fit.meanY / shape))
    }

    /// `base` with the CCD test's lower bound and activation energy (area: the datasheet's).
    public static func firmware(_ base: FirmwareDefinition, criticalCurrent c: CriticalCurrentResult) -> FirmwareDefinition {
        var f = base
        guard let ccd = base.model.criticalCurrent, c.lowerBound_mA_per_cm2.isFinite, c.lowerBound_mA_per_cm2 > 0 else { return f }
        f.model.criticalCurrent = CriticalCurrentDensity(
            reference_mA_per_cm2: Float(c.lowerBound_mA_per_cm2), referenceTemperature: Celsius(Float(c.temperatures_C[0])),
            activationEnergy_eV: Float(c.activationEnergy_eV), area_cm2: ccd.area_cm2)
        return f
    }
}
