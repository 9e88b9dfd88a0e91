/// How a cell ages over months and years: calendar and cycle capacity fade, the resistance growth
/// that comes with it, and fracture of the electrolyte or its seals under thermal and freeze-thaw
/// cycling (docs/plant.md "Ageing"). The rates are this project's calibrations for stationary
/// duty, not measurements: each preset documents its own.
///
/// - Calendar fade per second: `calendarFadePerYear` / year x Arrhenius(T) x
///   max(0, 1 + `calendarSoCStress` (SoC - 0.5)), at every moment, resting or not.
/// - Cycle fade: the cycle fade per full cycle (`InterfaceDegradation.capacityFadePerCycle`, at
///   full depth, the reference temperature and C-rate) for each half-cycle of the cell's SoC (a
///   reversal of at least `HalfCycleTracker` 1 % closes one): its charge throughput, each moment
///   weighted by Arrhenius(T) and by 1 + `cRateStress` x max(0, C-rate - `referenceCRate`), in
///   equivalent full cycles, times depth^(`cycleDepthExponent` - 1) (Woehler: shallow cycles cost
///   less per ampere-hour when the exponent is above 1). Swings below 1 % belong to the half-cycle
///   that holds them.
/// - Resistance: bulk, grain boundary, charge transfer and the reaction front grow by
///   `resistanceGrowthPerFade` x the capacity lost since the cell was built (an aged pack's
///   starting fade included). The interface is not aged this way: it has its own mechanisms
///   (interphase, contact).
/// - Fracture: each thermal half-cycle of swing dT adds `fracturePer100KHalfCycle` x (dT/100)^2 to
///   a cell's fracture damage, each freeze-thaw `fracturePerFreezeThaw`; the cell breaks (fails
///   the chemistry's way) when its damage passes its strength, drawn once per cell from a Weibull
///   distribution of modulus `strengthWeibullModulus` and median 1.
public struct AgeingLaw: Sendable, Equatable {
    /// Capacity lost per year at `referenceTemperature_C` and 50 % SoC (fraction of the initial).
    public var calendarFadePerYear: Double
    /// Activation energy of calendar fade, eV.
    public var calendarActivationEnergy_eV: Double
    /// Slope of the calendar rate's SoC factor (per unit SoC about 50 %).
    public var calendarSoCStress: Double
    /// Woehler exponent of cycle fade against depth of the half-cycle (1: throughput only).
    public var cycleDepthExponent: Double
    /// Activation energy of cycle fade, eV.
    public var cycleActivationEnergy_eV: Double
    /// Extra cycle fade per unit of C-rate above `referenceCRate`.
    public var cRateStress: Double
    public var referenceCRate: Double
    /// Reference temperature of both Arrhenius factors, C.
    public var referenceTemperature_C: Double
    /// Relative growth of the non-interface resistances per unit of capacity fade.
    public var resistanceGrowthPerFade: Double
    /// Fracture damage per thermal half-cycle of 100 K (scales with the swing squared).
    public var fracturePer100KHalfCycle: Double
    /// Fracture damage per freeze-thaw cycle of a molten-electrode cell.
    public var fracturePerFreezeThaw: Double
    /// Weibull modulus of the cells' strength (ceramics: about 8 ... 12).
    public var strengthWeibullModulus: Double

    public init(
        calendarFadePerYear: Double, calendarActivationEnergy_eV: Double, calendarSoCStress: Double, cycleDepthExponent: Double,
        cycleActivationEnergy_eV: Double, cRateStress: Double, referenceCRate: Double, referenceTemperature_C: Double,
        resistanceGrowthPerFade: Double, fracturePer100KHalfCycle: Double = 0, fracturePerFreezeThaw: Double = 0,
        strengthWeibullModulus: Double = 10
    ) {
        self.calendarFadePerYear = calendarFadePerYear
        self.calendarActivationEnergy_eV = calendarActivationEnergy_eV
        self.calendarSoCStress = calendarSoCStress
        self.cycleDepthExponent = cycleDepthExponent
        self.cycleActivationEnergy_eV = cycleActivationEnergy_eV
        self.cRateStress = cRateStress
        self.referenceCRate = referenceCRate
        self.referenceTemperature_C = referenceTemperature_C
        self.resistanceGrowthPerFade = resistanceGrowthPerFade
        self.fracturePer100KHalfCycle = fracturePer100KHalfCycle
        self.fracturePerFreezeThaw = fracturePerFreezeThaw
        self.strengthWeibullModulus = strengthWeibullModulus
    }

    /// Seconds in a year (365.25 days).
    static let year_s = 365.25 * 86_400

    /// Calendar fade per second at `temperature_C` and `soc`.
    public func calendarRate(temperature_C: Double, soc: Double) -> Double {
        let stress = max(0, 1 + calendarSoCStress * (min(1, max(0, soc)) - 0.5))
        return calendarFadePerYear / Self.year_s * arrhenius(calendarActivationEnergy_eV, temperature_C) * stress
    }

    /// The cycle fade's temperature factor at `temperature_C` (1 at the reference).
    public func cycleTemperatureFactor(temperature_C: Double) -> Double {
        arrhenius(cycleActivationEnergy_eV, temperature_C)
    }

    /// The cycle fade's C-rate factor at `cRate` (1 up to the reference).
    public func cRateFactor(_ cRate: Double) -> Double {
        1 + cRateStress * max(0, cRate - referenceCRate)
    }

    /// The cycle fade's depth factor of a half-cycle of depth `depth` (1 at full depth).
    public func depthFactor(_ depth: Double) -> Double {
        cycleDepthExponent == 1 ? 1 : PlantMath.exp((cycleDepthExponent - 1) * PlantMath.log(min(1, max(1e-6, depth))))
    }

    /// exp[-(Ea/kB)(1/T - 1/Tref)]: a rate's factor over its reference value.
    private func arrhenius(_ ea: Double, _ temperature_C: Double) -> Double {
        guard ea != 0 else { return 1 }
        return 1 / PlantMath.arrheniusResistanceFactor(
            activationEnergy_eV: ea, temperature_K: temperature_C + kelvinOffset, reference_K: referenceTemperature_C + kelvinOffset)
    }

    /// Checks the law's ranges (a file's values enter here).
    public var problems: [String] {
        var p: [String] = []
        let all = [
            calendarFadePerYear, calendarActivationEnergy_eV, calendarSoCStress, cycleDepthExponent, cycleActivationEnergy_eV,
            cRateStress, referenceCRate, referenceTemperature_C, resistanceGrowthPerFade, fracturePer100KHalfCycle,
            fracturePerFreezeThaw, strengthWeibullModulus,
        ]
        if all.contains(where: { !$0.isFinite }) { p.append("every ageing value must be finite") }
        if !(0..<1).contains(calendarFadePerYear) { p.append("calendar fade per year must be in 0 ..< 1") }
        if !(0...2).contains(calendarActivationEnergy_eV) || !(0...2).contains(cycleActivationEnergy_eV) {
            p.append("ageing activation energies must be in 0 ... 2 eV")
        }
        if !(-2...2).contains(calendarSoCStress) { p.append("calendar SoC stress must be in -2 ... 2") }
        if !(1...4).contains(cycleDepthExponent) { p.append("cycle depth exponent must be in 1 ... 4") }
        if !(0...10).contains(cRateStress) || !(0...10).contains(referenceCRate) { p.append("C-rate stress and reference must be in 0 ... 10") }
        if !(-50...400).contains(referenceTemperature_C) { p.append("ageing reference temperature must be in -50 ... 400 C") }
        if !(0...20).contains(resistanceGrowthPerFade) { p.append("resistance growth per fade must be in 0 ... 20") }
        if !(0...1).contains(fracturePer100KHalfCycle) || !(0...1).contains(fracturePerFreezeThaw) {
            p.append("fracture damage per cycle must be in 0 ... 1")
        }
        if !(1...50).contains(strengthWeibullModulus) { p.append("strength Weibull modulus must be in 1 ... 50") }
        return p
    }
}
