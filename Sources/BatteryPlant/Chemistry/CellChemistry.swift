/// The true properties of one cell type: the plant's truth, richer than the firmware's model.
///
/// A cell is OCV(SoC, T) behind a series (bulk, high-frequency) resistance, up to four R||C
/// elements named by their physics, an optional reaction-front resistance (ZEBRA), interfacial
/// degradation, a failure mode and a freezing point. Every resistance has its own temperature law.
public struct CellChemistry: Sendable, Equatable {
    /// A short name used in files and summaries ("NaNiCl2").
    public var name: String
    /// Nominal capacity, Ah.
    public var capacity_Ah: Double
    /// Open-circuit voltage against SoC at `ocvReferenceTemperature_C`.
    public var ocv: OCVCurve
    /// Entropic coefficient dOCV/dT, V/K (sets the reversible heat, -I T dOCV/dT).
    public var ocvTemperatureCoefficient_V_per_K: Double
    public var ocvReferenceTemperature_C: Double
    /// Electrolyte area of the cell, cm2 (current densities are referred to it).
    public var electrolyteArea_cm2: Double
    /// Series resistance (bulk electrolyte and ohmic contacts): the high-frequency intercept.
    public var bulk: ResistanceLaw
    /// R||C elements, at most `ImpedanceElement.maxElements`.
    public var elements: [ImpedanceElement]
    /// The ZEBRA cathode's reaction-front resistance (nil for other chemistries).
    public var reactionFront: ReactionFront?
    /// Interfacial degradation rates (nil = the cell does not degrade).
    public var degradation: InterfaceDegradation?
    /// Calendar and cycle ageing, resistance growth and fracture (nil = none; cycle fade alone
    /// then follows `InterfaceDegradation.capacityFadePerCycle` by throughput).
    public var ageing: AgeingLaw?
    /// What a cell of this chemistry does when its electrolyte is breached.
    public var failureMode: FailureMode
    /// The state of charge (on the OCV table's extended scale) a cell survives: driven past it,
    /// its electrolyte is breached and it fails by `failureMode`. ZEBRA: the ends of the melt
    /// reserve's shunt plateaus. Nil: no such bound (a blocking electrode stops the current by
    /// its voltage instead).
    public var survivableSoC: ClosedRange<Double>?

    /// `survivableSoC` as the step uses it: (floor, ceiling), infinite without a bound.
    var survivableBounds: (floor: Double, ceiling: Double) {
        (survivableSoC?.lowerBound ?? -.infinity, survivableSoC?.upperBound ?? .infinity)
    }
    /// Below this temperature the cell's ionic path freezes (nil = no freezing in range).
    public var freezing: Freezing?
    /// Self-discharge, fraction of capacity per day at `ocvReferenceTemperature_C` and the OCV of
    /// 50 % SoC. It is electronic leakage through the electrolyte, so it scales with the cell's
    /// OCV (V / R_electronic) and with temperature by `selfDischargeActivationEnergy_eV`.
    public var selfDischarge_per_day: Double
    /// Activation energy of the electrolyte's electronic leakage, eV.
    public var selfDischargeActivationEnergy_eV: Double
    /// Heat capacity of one cell, J/K.
    public var heatCapacity_J_per_K: Double
    /// Operating limits from the cell's datasheet or literature.
    public var limits: CellLimits

    public init(
        name: String, capacity_Ah: Double, ocv: OCVCurve, ocvTemperatureCoefficient_V_per_K: Double = 0,
        ocvReferenceTemperature_C: Double = 25, electrolyteArea_cm2: Double, bulk: ResistanceLaw,
        elements: [ImpedanceElement], reactionFront: ReactionFront? = nil, degradation: InterfaceDegradation? = nil,
        ageing: AgeingLaw? = nil, failureMode: FailureMode, survivableSoC: ClosedRange<Double>? = nil, freezing: Freezing? = nil, selfDischarge_per_day: Double = 0,
        selfDischargeActivationEnergy_eV: Double = 0.5,
        heatCapacity_J_per_K: Double, limits: CellLimits
    ) {
        precondition(elements.count <= ImpedanceElement.maxElements, "at most \(ImpedanceElement.maxElements) RC elements")
        self.name = name
        self.capacity_Ah = capacity_Ah
        self.ocv = ocv
        self.ocvTemperatureCoefficient_V_per_K = ocvTemperatureCoefficient_V_per_K
        self.ocvReferenceTemperature_C = ocvReferenceTemperature_C
        self.electrolyteArea_cm2 = electrolyteArea_cm2
        self.bulk = bulk
        self.elements = elements
        self.reactionFront = reactionFront
        self.degradation = degradation
        self.ageing = ageing
        self.failureMode = failureMode
        self.survivableSoC = survivableSoC
        self.freezing = freezing
        self.selfDischarge_per_day = selfDischarge_per_day
        self.selfDischargeActivationEnergy_eV = selfDischargeActivationEnergy_eV
        self.heatCapacity_J_per_K = heatCapacity_J_per_K
        self.limits = limits
    }

    /// Open-circuit voltage at `soc` and `temperature_C`.
    public func openCircuitVoltage(soc: Double, temperature_C: Double) -> Double {
        ocv.voltage(atSoC: soc) + ocvTemperatureCoefficient_V_per_K * (temperature_C - ocvReferenceTemperature_C)
    }

    /// The self-discharge rate at `temperature_C` per volt of OCV, as a multiple of the rate at the
    /// reference temperature and the OCV of 50 % SoC.
    public func selfDischargeFactorPerVolt(temperature_C: Double) -> Double {
        let resistance = PlantMath.arrheniusResistanceFactor(
            activationEnergy_eV: selfDischargeActivationEnergy_eV, temperature_K: temperature_C + kelvinOffset,
            reference_K: ocvReferenceTemperature_C + kelvinOffset)
        return 1 / (resistance * ocv.voltage(atSoC: 0.5))
    }

    /// Multiplier of every resistance for a frozen cell (1 when warm or when there is no freezing).
    public func freezeFactor(temperature_C: Double) -> Double {
        freezing?.resistanceFactor(temperature_C: temperature_C) ?? 1
    }
}

/// What happens to a cell whose electrolyte is breached (a dendrite short or a crack).
public enum FailureMode: String, Sendable, Equatable {
    /// Fails short to about 0 V and about 0 ohm; the string keeps running one cell down (ZEBRA).
    case short
    /// Fails open / high resistance: its string stops carrying current (Na-S, fused strings).
    case open
    /// A leakage path of falling resistance across the cell (soft short of a Na-metal cell).
    case leakage
}

/// Freezing of a molten component (the NaAlCl4 melt at about 157 C, REFERENCE 4).
public struct Freezing: Sendable, Equatable {
    /// Temperature at which the melt freezes, C.
    public var point_C: Double
    /// Resistance multiplier when fully frozen.
    public var frozenResistanceFactor: Double
    /// Width of the transition, K.
    public var transition_K: Double

    public init(point_C: Double, frozenResistanceFactor: Double, transition_K: Double = 2) {
        self.point_C = point_C
        self.frozenResistanceFactor = frozenResistanceFactor
        self.transition_K = transition_K
    }

    /// A smooth (logistic) step from 1 above the freezing point to `frozenResistanceFactor` below.
    public func resistanceFactor(temperature_C t: Double) -> Double {
        let x = (point_C - t) / transition_K
        if x < -40 { return 1 }
        if x > 40 { return frozenResistanceFactor }
        return 1 + (frozenResistanceFactor - 1) / (1 + PlantMath.exp(-x))
    }
}

/// Literature operating limits of a cell (for reference; the firmware has its own).
public struct CellLimits: Sendable, Equatable {
    public var minimumVoltage_V: Double
    public var maximumVoltage_V: Double
    public var minimumTemperature_C: Double
    public var maximumTemperature_C: Double

    public init(minimumVoltage_V: Double, maximumVoltage_V: Double, minimumTemperature_C: Double, maximumTemperature_C: Double) {
        self.minimumVoltage_V = minimumVoltage_V
        self.maximumVoltage_V = maximumVoltage_V
        self.minimumTemperature_C = minimumTemperature_C
        self.maximumTemperature_C = maximumTemperature_C
    }
}

extension CellChemistry {
    /// A plain equivalent-circuit (Thevenin) cell: OCV(SoC), constant R0 and RC elements, no
    /// temperature dependence, no degradation. Combine with an isothermal pack for the exact
    /// behaviour soc = soc0 - integral(i dt) / (3600 capacity).
    public static func thevenin(capacity_Ah: Double, ocv: OCVCurve, r0_ohm: Double, rc: [(r_ohm: Double, c_F: Double)]) -> CellChemistry {
        CellChemistry(
            name: "thevenin", capacity_Ah: capacity_Ah, ocv: ocv, electrolyteArea_cm2: 1,
            bulk: .constant(ohm: r0_ohm),
            elements: rc.map { ImpedanceElement(.generic, resistance: .constant(ohm: $0.r_ohm), capacitance_F: $0.c_F) },
            failureMode: .short, heatCapacity_J_per_K: 1000,
            limits: CellLimits(
                minimumVoltage_V: ocv.voltage_V.min() ?? 0, maximumVoltage_V: ocv.voltage_V.max() ?? 5,
                minimumTemperature_C: -40, maximumTemperature_C: 100))
    }
}
