import BatteryPlant
import Foundation

/// A cell defined by every physical parameter the plant uses (`"kind": "chemistry"`,
/// docs/plant-files.md): OCV table with its ends and resistance factors, the electrolyte's and
/// each element's resistance law, the reaction front, interfacial degradation, failure, freezing,
/// self-discharge, heat capacity and datasheet limits. The presets are such files
/// (profiles/cells/chemistry/, written by `bmssim cell-file`); a pack or cell file names one by
/// its path instead of a preset name.
struct ChemistryFile: Codable, Equatable {
    struct OCV: Codable, Equatable {
        var soc: [Double]
        var voltage_V: [Double]
        var resistance_factor: [Double]?
        /// Half the charge/discharge gap at each point, V (optional, all 0).
        var hysteresis_V: [Double]?
        /// Charge (fraction of capacity) over which the hysteresis crosses 1 - 1/e of the way
        /// after a reversal (required with a half gap above 0).
        var hysteresis_charge: Double?
    }
    struct Arrhenius: Codable, Equatable {
        var sigma0_S_per_cm: Double
        var activation_energy_eV: Double
    }
    struct VTF: Codable, Equatable {
        var a_S_K05_per_cm: Double
        var b_K: Double
        var t0_K: Double
    }
    /// A conductivity law: exactly one of its members.
    struct Conductivity: Codable, Equatable {
        var arrhenius: Arrhenius?
        var vtf: VTF?
    }
    struct ArrheniusResistance: Codable, Equatable {
        var reference_ohm: Double
        var reference_temperature_C: Double
        var activation_energy_eV: Double
    }
    struct Layer: Codable, Equatable {
        var conductivity: Conductivity
        var thickness_cm: Double
        var area_cm2: Double
    }
    /// A resistance law: exactly one of its members.
    struct Resistance: Codable, Equatable {
        var constant_ohm: Double?
        var arrhenius: ArrheniusResistance?
        var layer: Layer?
    }
    struct Element: Codable, Equatable {
        var kind: String
        var resistance: Resistance
        var capacitance_F: Double
        /// `arc` (the default) or `warburg`.
        var shape: String?
        /// An arc's constant-phase exponent (required for an arc, absent for a Warburg).
        var dispersion: Double?
    }
    struct Front: Codable, Equatable {
        var slope_ohm: Double
        var activation_energy_eV: Double
        var reference_temperature_C: Double
        /// Reaction-zone width as a fraction of capacity (optional, 0.04).
        var zone_width: Double?
    }
    struct Degradation: Codable, Equatable {
        var interphase_rate0_cm2_per_s: Double
        var interphase_activation_energy_eV: Double
        var interphase_conductivity: Conductivity
        var stripping_mA_per_cm2_MPa: Double
        var stack_pressure_MPa: Double
        var stripping_activation_energy_eV: Double
        var stripping_reference_temperature_C: Double
        var contact_loss_rate_per_h: Double
        var contact_recovery_rate_per_h: Double
        var critical_current_density_mA_per_cm2: Double
        var critical_current_activation_energy_eV: Double
        var critical_current_reference_temperature_C: Double
        var short_hazard_per_h: Double
        var delamination_per_100K_cycle: Double
        var freeze_thaw_contact_loss: Double
        var capacity_fade_per_cycle: Double
    }
    /// Calendar and cycle ageing, resistance growth and fracture (`AgeingLaw`; optional).
    struct Ageing: Codable, Equatable {
        var calendar_fade_per_year: Double
        var calendar_activation_energy_eV: Double
        var calendar_soc_stress: Double
        var cycle_depth_exponent: Double
        var cycle_activation_energy_eV: Double
        var c_rate_stress: Double
        var reference_c_rate: Double
        var reference_temperature_C: Double
        var resistance_growth_per_fade: Double
        var fracture_per_100K_half_cycle: Double
        var fracture_per_freeze_thaw: Double
        var strength_weibull_modulus: Double
    }
    struct Freeze: Codable, Equatable {
        var point_C: Double
        var frozen_resistance_factor: Double
        var transition_K: Double
    }
    struct Limits: Codable, Equatable {
        var minimum_voltage_V: Double
        var maximum_voltage_V: Double
        var minimum_temperature_C: Double
        var maximum_temperature_C: Double
    }

    var kind = "chemistry"
    var name: String
    var capacity_Ah: Double
    var ocv: OCV
    var ocv_temperature_coefficient_V_per_K: Double
    var ocv_reference_temperature_C: Double
    var electrolyte_area_cm2: Double
    var bulk: Resistance
    var elements: [Element]
    var reaction_front: Front?
    var degradation: Degradation?
    var ageing: Ageing?
    var failure_mode: String
    var survivable_soc: [Double]?
    var freezing: Freeze?
    var self_discharge_per_day: Double
    var self_discharge_activation_energy_eV: Double
    var heat_capacity_J_per_K: Double
    var limits: Limits
}

// MARK: - From the plant's types

extension ChemistryFile {
    /// The file form of `c` (what `bmssim cell-file` writes).
    init(_ c: CellChemistry) {
        name = c.name
        capacity_Ah = c.capacity_Ah
        let factors = c.ocv.resistanceFactor.allSatisfy { $0 == 1 } ? nil : c.ocv.resistanceFactor
        let gaps = c.ocv.hasHysteresis ? c.ocv.hysteresis_V : nil
        ocv = OCV(
            soc: c.ocv.soc, voltage_V: c.ocv.voltage_V, resistance_factor: factors, hysteresis_V: gaps,
            hysteresis_charge: c.ocv.hasHysteresis ? c.ocv.hysteresisCharge : nil)
        ocv_temperature_coefficient_V_per_K = c.ocvTemperatureCoefficient_V_per_K
        ocv_reference_temperature_C = c.ocvReferenceTemperature_C
        electrolyte_area_cm2 = c.electrolyteArea_cm2
        bulk = Resistance(c.bulk)
        elements = c.elements.map {
            Element(
                kind: $0.kind.rawValue, resistance: Resistance($0.resistance), capacitance_F: $0.capacitance_F,
                shape: $0.shape == .arc ? nil : $0.shape.rawValue, dispersion: $0.shape == .arc ? $0.dispersion : nil)
        }
        reaction_front = c.reactionFront.map {
            Front(
                slope_ohm: $0.slope_ohm, activation_energy_eV: $0.activationEnergy_eV, reference_temperature_C: $0.referenceTemperature_C,
                zone_width: $0.zoneWidth)
        }
        degradation = c.degradation.map { d in
            Degradation(
                interphase_rate0_cm2_per_s: d.interphaseRate0_cm2_per_s, interphase_activation_energy_eV: d.interphaseActivationEnergy_eV,
                interphase_conductivity: Conductivity(d.interphaseConductivity), stripping_mA_per_cm2_MPa: d.stripping_mA_per_cm2_MPa,
                stack_pressure_MPa: d.stackPressure_MPa, stripping_activation_energy_eV: d.strippingActivationEnergy_eV,
                stripping_reference_temperature_C: d.strippingReferenceTemperature_C, contact_loss_rate_per_h: d.contactLossRate_per_h,
                contact_recovery_rate_per_h: d.contactRecoveryRate_per_h, critical_current_density_mA_per_cm2: d.criticalCurrentDensity_mA_per_cm2,
                critical_current_activation_energy_eV: d.criticalCurrentActivationEnergy_eV,
                critical_current_reference_temperature_C: d.criticalCurrentReferenceTemperature_C, short_hazard_per_h: d.shortHazard_per_h,
                delamination_per_100K_cycle: d.delaminationPer100KCycle, freeze_thaw_contact_loss: d.freezeThawContactLoss,
                capacity_fade_per_cycle: d.capacityFadePerCycle)
        }
        ageing = c.ageing.map { a in
            Ageing(
                calendar_fade_per_year: a.calendarFadePerYear, calendar_activation_energy_eV: a.calendarActivationEnergy_eV,
                calendar_soc_stress: a.calendarSoCStress, cycle_depth_exponent: a.cycleDepthExponent,
                cycle_activation_energy_eV: a.cycleActivationEnergy_eV, c_rate_stress: a.cRateStress, reference_c_rate: a.referenceCRate,
                reference_temperature_C: a.referenceTemperature_C, resistance_growth_per_fade: a.resistanceGrowthPerFade,
                fracture_per_100K_half_cycle: a.fracturePer100KHalfCycle, fracture_per_freeze_thaw: a.fracturePerFreezeThaw,
                strength_weibull_modulus: a.strengthWeibullModulus)
        }
        failure_mode = c.failureMode.rawValue
        survivable_soc = c.survivableSoC.map { [$0.lowerBound, $0.upperBound] }
        freezing = c.freezing.map { Freeze(point_C: $0.point_C, frozen_resistance_factor: $0.frozenResistanceFactor, transition_K: $0.transition_K) }
        self_discharge_per_day = c.selfDischarge_per_day
        self_discharge_activation_energy_eV = c.selfDischargeActivationEnergy_eV
        heat_capacity_J_per_K = c.heatCapacity_J_per_K
        limits = Limits(
            minimum_voltage_V: c.limits.minimumVoltage_V, maximum_voltage_V: c.limits.maximumVoltage_V,
            minimum_temperature_C: c.limits.minimumTemperature_C, maximum_temperature_C: c.limits.maximumTemperature_C)
    }

    /// Pretty, key-sorted JSON.
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

extension ChemistryFile.Conductivity {
    init(_ law: ConductivityLaw) {
        switch law {
        case .arrhenius(let s, let ea): self.init(arrhenius: .init(sigma0_S_per_cm: s, activation_energy_eV: ea), vtf: nil)
        case .vtf(let a, let b, let t0): self.init(arrhenius: nil, vtf: .init(a_S_K05_per_cm: a, b_K: b, t0_K: t0))
        }
    }

    func law(_ path: String) throws -> ConductivityLaw {
        switch (arrhenius, vtf) {
        case (let a?, nil):
            try require(a.sigma0_S_per_cm > 0, "\(path).arrhenius.sigma0_S_per_cm must be > 0")
            try require((0...3).contains(a.activation_energy_eV), "\(path).arrhenius.activation_energy_eV must be within 0 ... 3")
            return .arrhenius(sigma0_S_per_cm: a.sigma0_S_per_cm, activationEnergy_eV: a.activation_energy_eV)
        case (nil, let v?):
            try require(v.a_S_K05_per_cm > 0 && v.b_K > 0 && v.t0_K >= 0, "\(path).vtf: a_S_K05_per_cm and b_K must be > 0, t0_K >= 0")
            return .vtf(a_S_K05_per_cm: v.a_S_K05_per_cm, b_K: v.b_K, t0_K: v.t0_K)
        default:
            throw FileProblem("\(path) must have exactly one of arrhenius, vtf")
        }
    }
}

extension ChemistryFile.Resistance {
    init(_ law: ResistanceLaw) {
        switch law {
        case .constant(let r): self.init(constant_ohm: r, arrhenius: nil, layer: nil)
        case .arrhenius(let r, let t, let ea):
            self.init(constant_ohm: nil, arrhenius: .init(reference_ohm: r, reference_temperature_C: t, activation_energy_eV: ea), layer: nil)
        case .layer(let c, let l, let a):
            self.init(constant_ohm: nil, arrhenius: nil, layer: .init(conductivity: .init(c), thickness_cm: l, area_cm2: a))
        }
    }

    func law(_ path: String) throws -> ResistanceLaw {
        switch (constant_ohm, arrhenius, layer) {
        case (let r?, nil, nil):
            try require(r >= 0 && r.isFinite, "\(path).constant_ohm must be >= 0")
            return .constant(ohm: r)
        case (nil, let a?, nil):
            try require(a.reference_ohm >= 0 && a.reference_ohm.isFinite, "\(path).arrhenius.reference_ohm must be >= 0")
            try require((0...3).contains(a.activation_energy_eV), "\(path).arrhenius.activation_energy_eV must be within 0 ... 3")
            try require(a.reference_temperature_C > -273.15 && a.reference_temperature_C.isFinite, "\(path).arrhenius.reference_temperature_C must be above absolute zero")
            return .arrhenius(reference_ohm: a.reference_ohm, referenceTemperature_C: a.reference_temperature_C, activationEnergy_eV: a.activation_energy_eV)
        case (nil, nil, let l?):
            try require(l.thickness_cm > 0 && l.area_cm2 > 0, "\(path).layer: thickness_cm and area_cm2 must be > 0")
            return .layer(try l.conductivity.law("\(path).layer.conductivity"), thickness_cm: l.thickness_cm, area_cm2: l.area_cm2)
        default:
            throw FileProblem("\(path) must have exactly one of constant_ohm, arrhenius, layer")
        }
    }
}

// MARK: - To the plant's types

extension ChemistryFile {
    /// The chemistry the file defines, every value range-checked (a problem names its key).
    func chemistry() throws -> CellChemistry {
        try require(!name.isEmpty, "name must not be empty")
        try require(capacity_Ah > 0 && capacity_Ah < 1e5, "capacity_Ah must be within (0, 100000)")
        let curve: OCVCurve
        do {
            curve = try OCVCurve(
                soc: ocv.soc, voltage_V: ocv.voltage_V, resistanceFactor: ocv.resistance_factor, hysteresis_V: ocv.hysteresis_V,
                hysteresisCharge: ocv.hysteresis_charge ?? 0)
        } catch {
            throw FileProblem("\(error)")
        }
        try require(curve.soc.first! <= 0 && curve.soc.last! >= 1, "ocv.soc must cover 0 ... 1")
        try require(abs(ocv_temperature_coefficient_V_per_K) < 0.01, "ocv_temperature_coefficient_V_per_K must be within +-0.01")
        try require(ocv_reference_temperature_C > -273.15 && ocv_reference_temperature_C < 1000, "ocv_reference_temperature_C must be within -273.15 ... 1000")
        try require(electrolyte_area_cm2 > 0 && electrolyte_area_cm2.isFinite, "electrolyte_area_cm2 must be > 0")
        try require(elements.count <= ImpedanceElement.maxElements, "elements: at most \(ImpedanceElement.maxElements)")
        let elementList = try elements.enumerated().map { k, e -> ImpedanceElement in
            guard let kind = ImpedanceElement.Kind(rawValue: e.kind) else {
                throw FileProblem("elements[\(k)].kind '\(e.kind)' is not one of \(ImpedanceElement.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try require(e.capacitance_F > 0 && e.capacitance_F.isFinite, "elements[\(k)].capacitance_F must be > 0")
            let law = try e.resistance.law("elements[\(k)].resistance")
            guard let shape = ImpedanceElement.Shape(rawValue: e.shape ?? "arc") else {
                throw FileProblem("elements[\(k)].shape '\(e.shape ?? "")' is not one of \(ImpedanceElement.Shape.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if shape == .warburg {
                try require(e.dispersion == nil, "elements[\(k)].dispersion: a warburg element has none (its slope is 45 degrees)")
                return ImpedanceElement(kind, shape: .warburg, resistance: law, capacitance_F: e.capacitance_F)
            }
            guard let n = e.dispersion else { throw FileProblem("elements[\(k)].dispersion is required for an arc") }
            try require(n > 0.5 && n <= 1, "elements[\(k)].dispersion must be within (0.5, 1]")
            return ImpedanceElement(kind, resistance: law, capacitance_F: e.capacitance_F, dispersion: n)
        }
        let front = try reaction_front.map { f -> ReactionFront in
            try require(f.slope_ohm >= 0 && f.slope_ohm.isFinite, "reaction_front.slope_ohm must be >= 0")
            try require((0...3).contains(f.activation_energy_eV), "reaction_front.activation_energy_eV must be within 0 ... 3")
            let width = f.zone_width ?? 0.04
            try require(width > 0 && width <= 0.5, "reaction_front.zone_width must be within (0, 0.5]")
            return ReactionFront(
                slope_ohm: f.slope_ohm, activationEnergy_eV: f.activation_energy_eV, referenceTemperature_C: f.reference_temperature_C,
                zoneWidth: width)
        }
        let degradationRates = try degradation.map { d -> InterfaceDegradation in
            let rates = [
                d.interphase_rate0_cm2_per_s, d.stripping_mA_per_cm2_MPa, d.stack_pressure_MPa, d.contact_loss_rate_per_h,
                d.contact_recovery_rate_per_h, d.critical_current_density_mA_per_cm2, d.short_hazard_per_h, d.delamination_per_100K_cycle,
                d.freeze_thaw_contact_loss, d.capacity_fade_per_cycle,
            ]
            try require(rates.allSatisfy { $0 >= 0 && $0.isFinite }, "degradation: rates, currents and pressures must be >= 0")
            try require(d.stack_pressure_MPa > 0 && d.stripping_mA_per_cm2_MPa > 0 && d.critical_current_density_mA_per_cm2 > 0,
                      "degradation: stack_pressure_MPa, stripping_mA_per_cm2_MPa and critical_current_density_mA_per_cm2 must be > 0")
            try require(d.freeze_thaw_contact_loss <= 1 && d.capacity_fade_per_cycle < 1, "degradation: losses per cycle must be below 1")
            return InterfaceDegradation(
                interphaseRate0_cm2_per_s: d.interphase_rate0_cm2_per_s, interphaseActivationEnergy_eV: d.interphase_activation_energy_eV,
                interphaseConductivity: try d.interphase_conductivity.law("degradation.interphase_conductivity"),
                stripping_mA_per_cm2_MPa: d.stripping_mA_per_cm2_MPa, stackPressure_MPa: d.stack_pressure_MPa,
                strippingActivationEnergy_eV: d.stripping_activation_energy_eV, strippingReferenceTemperature_C: d.stripping_reference_temperature_C,
                contactLossRate_per_h: d.contact_loss_rate_per_h, contactRecoveryRate_per_h: d.contact_recovery_rate_per_h,
                criticalCurrentDensity_mA_per_cm2: d.critical_current_density_mA_per_cm2,
                criticalCurrentActivationEnergy_eV: d.critical_current_activation_energy_eV,
                criticalCurrentReferenceTemperature_C: d.critical_current_reference_temperature_C, shortHazard_per_h: d.short_hazard_per_h,
                delaminationPer100KCycle: d.delamination_per_100K_cycle, freezeThawContactLoss: d.freeze_thaw_contact_loss,
                capacityFadePerCycle: d.capacity_fade_per_cycle)
        }
        let ageingLaw = try ageing.map { a -> AgeingLaw in
            let law = AgeingLaw(
                calendarFadePerYear: a.calendar_fade_per_year, calendarActivationEnergy_eV: a.calendar_activation_energy_eV,
                calendarSoCStress: a.calendar_soc_stress, cycleDepthExponent: a.cycle_depth_exponent,
                cycleActivationEnergy_eV: a.cycle_activation_energy_eV, cRateStress: a.c_rate_stress, referenceCRate: a.reference_c_rate,
                referenceTemperature_C: a.reference_temperature_C, resistanceGrowthPerFade: a.resistance_growth_per_fade,
                fracturePer100KHalfCycle: a.fracture_per_100K_half_cycle, fracturePerFreezeThaw: a.fracture_per_freeze_thaw,
                strengthWeibullModulus: a.strength_weibull_modulus)
            if let problem = law.problems.first { throw FileProblem("ageing: \(problem)") }
            return law
        }
        guard let failure = FailureMode(rawValue: failure_mode) else {
            throw FileProblem("failure_mode '\(failure_mode)' is not one of short, open, leakage")
        }
        var survivable: ClosedRange<Double>?
        if let s = survivable_soc {
            try require(s.count == 2 && s[0] <= 0 && s[1] >= 1 && s[0] < s[1], "survivable_soc must be [low <= 0, high >= 1]")
            survivable = s[0]...s[1]
        }
        let freeze = try freezing.map { f -> Freezing in
            try require(f.frozen_resistance_factor >= 1 && f.transition_K > 0, "freezing: frozen_resistance_factor must be >= 1, transition_K > 0")
            return Freezing(point_C: f.point_C, frozenResistanceFactor: f.frozen_resistance_factor, transition_K: f.transition_K)
        }
        try require(self_discharge_per_day >= 0 && self_discharge_per_day < 1, "self_discharge_per_day must be within 0 ... 1")
        try require((0...3).contains(self_discharge_activation_energy_eV), "self_discharge_activation_energy_eV must be within 0 ... 3")
        try require(heat_capacity_J_per_K > 0 && heat_capacity_J_per_K.isFinite, "heat_capacity_J_per_K must be > 0")
        try require(limits.minimum_voltage_V < limits.maximum_voltage_V, "limits.minimum_voltage_V must be below limits.maximum_voltage_V")
        try require(limits.minimum_temperature_C < limits.maximum_temperature_C, "limits.minimum_temperature_C must be below limits.maximum_temperature_C")
        return CellChemistry(
            name: name, capacity_Ah: capacity_Ah, ocv: curve, ocvTemperatureCoefficient_V_per_K: ocv_temperature_coefficient_V_per_K,
            ocvReferenceTemperature_C: ocv_reference_temperature_C, electrolyteArea_cm2: electrolyte_area_cm2,
            bulk: try bulk.law("bulk"), elements: elementList, reactionFront: front, degradation: degradationRates,
            ageing: ageingLaw, failureMode: failure, survivableSoC: survivable, freezing: freeze, selfDischarge_per_day: self_discharge_per_day,
            selfDischargeActivationEnergy_eV: self_discharge_activation_energy_eV, heatCapacity_J_per_K: heat_capacity_J_per_K,
            limits: CellLimits(
                minimumVoltage_V: limits.minimum_voltage_V, maximumVoltage_V: limits.maximum_voltage_V,
                minimumTemperature_C: limits.minimum_temperature_C, maximumTemperature_C: limits.maximum_temperature_C))
    }

    /// Reads a chemistry file (unknown keys and out-of-range values are errors with their line).
    static func load(path: String) throws(PlantFileError) -> CellChemistry {
        try StrictFile.load(path: path, as: ChemistryFile.self, kind: \.kind, named: "chemistry") { try $0.chemistry() }
    }
}

/// Chemistry files as the command line reads and writes them.
public enum ChemistryFiles {
    /// `chemistry` as a chemistry file: pretty, key-sorted JSON with a final newline.
    public static func json(of chemistry: CellChemistry) throws -> String {
        String(decoding: try ChemistryFile(chemistry).jsonData(), as: UTF8.self) + "\n"
    }

    /// The chemistry a file defines (unknown keys and out-of-range values are errors with their line).
    public static func load(path: String) throws(PlantFileError) -> CellChemistry {
        try ChemistryFile.load(path: path)
    }
}
