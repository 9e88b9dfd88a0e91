/// The impedance elements of one cell at one state: what an impedance analyser would fit.
public struct CellImpedance: Sendable, Equatable {
    /// One R||C element: its physics, resistance, time constant R C, constant-phase exponent and
    /// spectrum shape.
    public struct Element: Sendable, Equatable {
        public var kind: ImpedanceElement.Kind
        public var resistance_ohm: Double
        public var timeConstant_s: Double
        public var dispersion: Double = 1
        public var shape: ImpedanceElement.Shape = .arc

        /// The element's own impedance at angular frequency `w` (rad/s).
        public func impedance(angularFrequency w: Double) -> (real: Double, imaginary: Double) {
            let x = w * timeConstant_s
            switch shape {
            case .warburg: return Self.warburg(resistance_ohm, timeConstant: x)
            case .arc where dispersion == 1:
                let d = 1 + x * x
                return (resistance_ohm / d, -resistance_ohm * x / d)
            case .arc:
                // (j x)^n = x^n (cos(n pi/2) + j sin(n pi/2))
                let a = PlantMath.exp(dispersion * PlantMath.log(x))
                let angle = dispersion * Double.pi / 2
                let dr = 1 + a * PlantMath.cos(angle)
                let di = a * PlantMath.sin(angle)
                let d = dr * dr + di * di
                return (resistance_ohm * dr / d, -resistance_ohm * di / d)
            }
        }

        /// A finite-length (transmissive) Warburg of DC resistance `r` whose slowest mode has
        /// the time constant tau, at w tau = `x`: R tanh(s) / s with s = sqrt(j y) = a (1 + j),
        /// y = w tau_D = x pi^2 / 4, a = sqrt(y / 2);
        /// tanh(a + j a) = (sinh 2a + j sin 2a) / (cosh 2a + cos 2a).
        public static func warburg(_ r: Double, timeConstant x: Double) -> (real: Double, imaginary: Double) {
            let a = (x * Double.pi * Double.pi / 8).squareRoot()
            guard a > 1e-8 else { return (r, 0) }
            var p = 1.0
            var q = 0.0
            if a < 20 {  // beyond, tanh(s) = 1 within e^-80
                let e = PlantMath.exp(2 * a)
                let d = (e + 1 / e) / 2 + PlantMath.cos(2 * a)
                p = (e - 1 / e) / 2 / d
                q = PlantMath.sin(2 * a) / d
            }
            return (r * (p + q) / (2 * a), r * (q - p) / (2 * a))
        }
    }

    /// Bulk electrolyte resistance (the high-frequency intercept of a fresh, charged cell).
    public var bulk_ohm: Double
    /// Reaction-front resistance (ZEBRA, grows with DoD); ohmic, so part of the intercept.
    public var reactionFront_ohm: Double
    public var elements: [Element]
    /// The cell's intercalation capacitance, its charge per volt of OCV (capacity / dOCV/dSoC),
    /// farads: the low-frequency capacitive line of a spectrum (infinite on a flat plateau).
    public var intercalationCapacitance_F: Double = .infinity

    /// The series (purely ohmic) resistance: the high-frequency intercept of the spectrum.
    public var series_ohm: Double { bulk_ohm + reactionFront_ohm }
    /// The DC resistance: series plus every element.
    public var dc_ohm: Double { series_ohm + elements.reduce(0) { $0 + $1.resistance_ohm } }

    /// Complex impedance at `frequency_Hz`: Z = R_series + each element's arc or Warburg
    /// (R_k / (1 + (j w tau_k)^n_k), or R_k tanh(s) / s) + 1 / (j w C_intercalation).
    public func impedance(atFrequency frequency_Hz: Double) -> (real: Double, imaginary: Double) {
        let w = 2 * Double.pi * frequency_Hz
        var re = series_ohm
        var im = 0.0
        for e in elements {
            let z = e.impedance(angularFrequency: w)
            re += z.real
            im += z.imaginary
        }
        if intercalationCapacitance_F.isFinite, w > 0 { im -= 1 / (w * intercalationCapacitance_F) }
        return (re, im)
    }

    /// Nyquist data over `frequencies_Hz` (highest first is conventional; any order works).
    public func spectrum(_ frequencies_Hz: [Double]) -> [ImpedancePoint] {
        frequencies_Hz.map { f in
            let z = impedance(atFrequency: f)
            return ImpedancePoint(frequency_Hz: f, real_ohm: z.real, imaginary_ohm: z.imaginary)
        }
    }

    /// Logarithmically spaced frequencies from `high` down to `low`, `perDecade` points a decade.
    public static func logFrequencies(from high: Double = 1e7, to low: Double = 1e-4, perDecade: Int = 10) -> [Double] {
        let decades = PlantMath.log(high / low) / PlantMath.log(10)
        let count = Int((decades * Double(perDecade)).rounded()) + 1
        return (0..<count).map { high * PlantMath.exp(-Double($0) / Double(perDecade) * PlantMath.log(10)) }
    }
}

/// One point of an impedance spectrum.
public struct ImpedancePoint: Sendable, Equatable {
    public var frequency_Hz: Double
    public var real_ohm: Double
    /// Imaginary part (negative for the capacitive arcs; Nyquist plots show -Im upwards).
    public var imaginary_ohm: Double
}

extension CellChemistry {
    /// The cell's impedance at a temperature and state (contact fraction, interphase thickness,
    /// resistance spread `scale`, the ageing's growth of the non-interface resistances
    /// `resistanceAgeing`, each element's own spread `elementScales`). `plateau` leaves
    /// out the electrode's end effects (the OCV table's resistance factor), as on the middle of
    /// the table. `frontDepth` is the active reaction front's depth (ZEBRA; by default that of a
    /// discharge from full, 1 - soc).
    public func impedance(
        temperature_C t: Double, soc: Double, contactFraction: Double = 1, interphaseThickness_cm: Double = 0,
        resistanceScale scale: Double = 1, resistanceAgeing ageing: Double = 1, elementScales: [Double]? = nil, plateau: Bool = false,
        frontDepth: Double? = nil
    ) -> CellImpedance {
        let freeze = freezeFactor(temperature_C: t)
        let elements = self.elements.enumerated().map { k, e -> CellImpedance.Element in
            let base = e.resistance.resistance_ohm(temperature_C: t) * freeze
            let factor: Double =
                switch e.kind {
                case .grainBoundary, .chargeTransfer, .generic: ageing
                case .interface: 1 / contactFraction
                case .interphase: interphaseThickness_cm / contactFraction
                }
            // A cell's spreads scale its resistances and, inversely, its capacitances: time
            // constants stay the chemistry's (as in the plant's step).
            let spread = scale * (elementScales?[k] ?? 1)
            return CellImpedance.Element(
                kind: e.kind, resistance_ohm: base * spread * factor, timeConstant_s: base * e.capacitance_F, dispersion: e.dispersion,
                shape: e.shape)
        }
        let slope = ocv.segment(containing: soc).slope
        let intercalation = slope > 0 ? capacity_Ah * 3600 / slope : .infinity
        return CellImpedance(
            bulk_ohm: bulk.resistance_ohm(temperature_C: t) * freeze * (plateau ? 1 : ocv.resistanceFactor(atSoC: soc)) * scale * ageing,
            reactionFront_ohm: (reactionFront?.slope_ohm(temperature_C: t) ?? 0) * freeze * (frontDepth ?? max(0, min(1, 1 - soc))) * scale * ageing,
            elements: elements, intercalationCapacitance_F: intercalation)
    }
}

extension BatteryPack {
    /// The impedance of cell `i` at its present state and its module's temperature.
    public func impedance(ofCell i: Int) -> CellImpedance {
        let c = cells[i]
        return definition.chemistry.impedance(
            temperature_C: moduleTemperature_C[cellModule[i]], soc: c.soc, contactFraction: c.contact,
            interphaseThickness_cm: c.interphase_cm, resistanceScale: c.spread, resistanceAgeing: c.resistanceAgeing,
            elementScales: definition.chemistry.elements.indices.map { c.elementScale[$0] }, frontDepth: c.frontDepth)
    }
}
