import BMSCore
import CellLab
import Foundation

struct FirmwareFile: Codable, Equatable {
    struct OCV: Codable, Equatable {
        var soc: [Float]
        var voltage_V: [Float]
        /// Half the charge/discharge gap at each point, V (optional: no hysteresis).
        var hysteresis_V: [Float]?
        /// Charge (fraction of capacity) over which a reversal crosses 1 - 1/e of the gap
        /// (required with `hysteresis_V`).
        var hysteresis_charge: Float?
    }
    struct CCD: Codable, Equatable {
        var reference_mA_per_cm2: Float
        var reference_temperature_C: Float
        var activation_energy_eV: Float
        var area_cm2: Float
    }
    struct Voltages: Codable, Equatable {
        var safety_V: [Float]
        var recommended_V: [Float]
        var operating_V: [Float]
        var discharge_window_V: [Float]
        var charge_window_V: [Float]
    }
    struct Temperatures: Codable, Equatable {
        var minimum_C: Float
        var setpoint_C: Float
        var band_K: Float
        var over_C: [Float]
    }

    var kind = "firmware"
    var capacity_Ah: Float
    var ocv: OCV
    var ocv_uncertainty_V: Float?
    var ocv_temperature_coefficient_V_per_K: Float
    var ocv_reference_C: Float
    var ohmic_resistance_ohm: Float
    var interface_resistance_ohm: Float
    var resistance_per_depth_of_discharge_ohm: Float
    var reaction_zone_width: Float?
    var resistance_activation_energy_eV: Float
    var front_activation_energy_eV: Float?
    var resistance_reference_C: Float
    var polarisation_resistance_ohm: Float
    var polarisation_time_constant_s: Float
    /// The polarisation's Butler-Volmer exchange current at the resistance reference (absent: linear).
    var polarisation_exchange_current_A: Float?
    var full_charge_voltage_V: Float
    var flat_plateau: Bool
    var fails_short: Bool
    var freezing_point_C: Float?
    var critical_current: CCD?
    var voltages: Voltages
    var temperatures: Temperatures
    var balancing: Bool
    var minimum_ocv_slope_V: Float?
    var characterisation: CharacterisationRecord?
}

extension FirmwareFile {
    /// A table's uncertainty when the file does not give one (2 mV: a datasheet's table).
    static let defaultOCVUncertainty_V: Float = 0.002
    /// A reaction front's zone width when the file does not give one (5 % of capacity: an
    /// assumption until a partial-cycle test has measured it).
    static let defaultReactionZoneWidth: Float = 0.05

    init(_ f: FirmwareDefinition) {
        let m = f.model
        capacity_Ah = m.capacity.value
        let points = (0..<m.ocv.count).map { m.ocv.point($0) }
        ocv = OCV(
            soc: points.map(\.soc), voltage_V: points.map(\.voltage),
            hysteresis_V: m.hysteresis.map { h in (0..<h.count).map { h.halfGap(point: $0) } }, hysteresis_charge: m.hysteresis?.transitionCharge)
        ocv_uncertainty_V = m.ocvUncertainty.value
        ocv_temperature_coefficient_V_per_K = m.ocvTemperatureCoefficient
        ocv_reference_C = m.ocvReference.value
        ohmic_resistance_ohm = m.ohmicResistance.value
        interface_resistance_ohm = m.interfaceResistance.value
        resistance_per_depth_of_discharge_ohm = m.resistancePerDepthOfDischarge.value
        reaction_zone_width = m.resistancePerDepthOfDischarge.value > 0 ? m.reactionZoneWidth : nil
        resistance_activation_energy_eV = m.resistanceActivationEnergy_eV
        front_activation_energy_eV = m.frontActivationEnergy_eV
        resistance_reference_C = m.resistanceReference.value
        polarisation_resistance_ohm = m.polarisationResistance.value
        polarisation_time_constant_s = m.polarisationTimeConstant.value
        polarisation_exchange_current_A = m.polarisationExchangeCurrent?.value
        full_charge_voltage_V = m.fullChargeVoltage.value
        flat_plateau = m.flatPlateau
        fails_short = m.failsShort
        freezing_point_C = m.freezingPoint?.value
        critical_current = m.criticalCurrent.map {
            CCD(reference_mA_per_cm2: $0.reference_mA_per_cm2, reference_temperature_C: $0.referenceTemperature.value,
                activation_energy_eV: $0.activationEnergy_eV, area_cm2: $0.area_cm2)
        }
        let l = f.limits
        voltages = Voltages(
            safety_V: [l.safetyVoltage.0, l.safetyVoltage.1], recommended_V: [l.recommendedVoltage.0, l.recommendedVoltage.1],
            operating_V: [l.operatingVoltage.0, l.operatingVoltage.1], discharge_window_V: [l.dischargeWindow.0, l.dischargeWindow.1],
            charge_window_V: [l.chargeWindow.0, l.chargeWindow.1])
        temperatures = Temperatures(
            minimum_C: l.minimumTemperature, setpoint_C: l.setpoint, band_K: l.band,
            over_C: [l.overTemperature.0, l.overTemperature.1, l.overTemperature.2])
        balancing = f.balancing
        minimum_ocv_slope_V = f.minimumOCVSlope
        characterisation = f.characterisation
    }

    func definition() throws -> FirmwareDefinition {
        func pair(_ v: [Float], _ name: String) throws -> (Float, Float) {
            try require(v.count == 2 && v.allSatisfy(\.isFinite), "\(name) must be [low, high]")
            return (v[0], v[1])
        }
        try require(capacity_Ah > 0 && capacity_Ah < 1e5, "capacity_Ah must be within (0, 100000)")
        try require(ocv.soc.count == ocv.voltage_V.count, "ocv: as many voltage_V as soc")
        try require(ocv.soc.first == 0 && ocv.soc.last == 1, "ocv.soc must run from 0 to 1")
        try require(zip(ocv.voltage_V, ocv.voltage_V.dropFirst()).allSatisfy { $0 <= $1 }, "ocv.voltage_V must not fall with SoC")
        let table: OCVTable
        do { table = try OCVTable(count: ocv.soc.count, point: { (ocv.soc[$0], ocv.voltage_V[$0]) }) } catch {
            throw FileProblem("ocv: \(error) (2 ... \(OCVTable.capacity) points, SoC strictly increasing)")
        }
        var hysteresis: OCVHysteresis? = nil
        if ocv.hysteresis_V != nil || ocv.hysteresis_charge != nil {
            guard let gaps = ocv.hysteresis_V, let charge = ocv.hysteresis_charge else {
                throw FileProblem("ocv: hysteresis_V and hysteresis_charge go together")
            }
            try require(gaps.count == ocv.soc.count, "ocv.hysteresis_V: one half gap per soc point")
            do { hysteresis = try OCVHysteresis(count: gaps.count, halfGap: { gaps[$0] }, transitionCharge: charge) } catch {
                throw FileProblem("ocv: \(error) (half gaps within 0 ... 0.5 V, hysteresis_charge within (0, 0.5])")
            }
        }
        let resistances = [ohmic_resistance_ohm, interface_resistance_ohm, resistance_per_depth_of_discharge_ohm, polarisation_resistance_ohm]
        try require(resistances.allSatisfy { $0 >= 0 && $0.isFinite } && ohmic_resistance_ohm > 0, "resistances must be >= 0 (ohmic > 0)")
        try require(interface_resistance_ohm <= ohmic_resistance_ohm, "interface_resistance_ohm is a share of ohmic_resistance_ohm")
        try require((0...3).contains(resistance_activation_energy_eV), "resistance_activation_energy_eV must be within 0 ... 3")
        if let e = front_activation_energy_eV { try require((0...3).contains(e), "front_activation_energy_eV must be within 0 ... 3") }
        try require(polarisation_time_constant_s > 0 && polarisation_time_constant_s < 1e5, "polarisation_time_constant_s must be within (0, 100000)")
        if let i0 = polarisation_exchange_current_A {
            try require(i0 > 0 && i0 < 1e6, "polarisation_exchange_current_A must be within (0, 1000000)")
        }
        try require(abs(ocv_temperature_coefficient_V_per_K) < 0.01, "ocv_temperature_coefficient_V_per_K must be within +-0.01")
        let zone = reaction_zone_width ?? Self.defaultReactionZoneWidth
        try require(zone > 0 && zone <= 0.5, "reaction_zone_width must be within (0, 0.5]")
        let uncertainty = ocv_uncertainty_V ?? Self.defaultOCVUncertainty_V
        try require(uncertainty > 0 && uncertainty < 0.1, "ocv_uncertainty_V must be within (0, 0.1)")
        let ccd = try critical_current.map { c -> CriticalCurrentDensity in
            try require(c.reference_mA_per_cm2 > 0 && c.area_cm2 > 0 && (0...3).contains(c.activation_energy_eV),
                      "critical_current: reference_mA_per_cm2 and area_cm2 > 0, activation_energy_eV within 0 ... 3")
            return CriticalCurrentDensity(
                reference_mA_per_cm2: c.reference_mA_per_cm2, referenceTemperature: Celsius(c.reference_temperature_C),
                activationEnergy_eV: c.activation_energy_eV, area_cm2: c.area_cm2)
        }
        let model = CellModel(
            interfaceResistance: Ohms(interface_resistance_ohm), capacity: AmpereHours(capacity_Ah), ocv: table,
            ocvTemperatureCoefficient: ocv_temperature_coefficient_V_per_K, ocvReference: Celsius(ocv_reference_C),
            ohmicResistance: Ohms(ohmic_resistance_ohm), resistancePerDepthOfDischarge: Ohms(resistance_per_depth_of_discharge_ohm),
            resistanceActivationEnergy_eV: resistance_activation_energy_eV, resistanceReference: Celsius(resistance_reference_C),
            polarisationResistance: Ohms(polarisation_resistance_ohm), polarisationTimeConstant: Seconds(polarisation_time_constant_s),
            fullChargeVoltage: Volts(full_charge_voltage_V), flatPlateau: flat_plateau, criticalCurrent: ccd, failsShort: fails_short,
            freezingPoint: freezing_point_C.map { Celsius($0) }, ocvUncertainty: Volts(uncertainty), reactionZoneWidth: zone,
            frontActivationEnergy_eV: front_activation_energy_eV, hysteresis: hysteresis,
            polarisationExchangeCurrent: polarisation_exchange_current_A.map { Amperes($0) })
        let v = voltages
        let over = temperatures.over_C
        try require(over.count == 3 && over[0] <= over[1] && over[1] <= over[2], "temperatures.over_C must be [operating, recommended, safety], rising")
        try require(temperatures.minimum_C < temperatures.setpoint_C && temperatures.setpoint_C < over[0],
                  "temperatures: minimum_C < setpoint_C < over_C[0]")
        try require(temperatures.band_K > 0, "temperatures.band_K must be > 0")
        let limits = DatasheetLimits(
            safetyVoltage: try pair(v.safety_V, "voltages.safety_V"), recommendedVoltage: try pair(v.recommended_V, "voltages.recommended_V"),
            operatingVoltage: try pair(v.operating_V, "voltages.operating_V"),
            dischargeWindow: try pair(v.discharge_window_V, "voltages.discharge_window_V"),
            chargeWindow: try pair(v.charge_window_V, "voltages.charge_window_V"), minimumTemperature: temperatures.minimum_C,
            setpoint: temperatures.setpoint_C, band: temperatures.band_K, overTemperature: (over[0], over[1], over[2]))
        try require(limits.safetyVoltage.0 <= limits.recommendedVoltage.0 && limits.recommendedVoltage.0 <= limits.operatingVoltage.0
                  && limits.operatingVoltage.1 <= limits.recommendedVoltage.1 && limits.recommendedVoltage.1 <= limits.safetyVoltage.1
                  && limits.operatingVoltage.0 < limits.operatingVoltage.1,
                  "voltages: the tiers must nest (safety outside recommended outside operating)")
        return FirmwareDefinition(
            model: model, limits: limits, balancing: balancing, minimumOCVSlope: minimum_ocv_slope_V, characterisation: characterisation)
    }
}

/// Firmware files as the command line reads and writes them.
public enum FirmwareFiles {
    /// `f` as a firmware file: pretty, key-sorted JSON with a final newline.
    public static func json(of f: FirmwareDefinition) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(FirmwareFile(f)), as: UTF8.self) + "\n"
    }

    /// The firmware definition a file holds (unknown keys and out-of-range values are errors
    /// with their line).
    public static func load(path: String) throws(PlantFileError) -> FirmwareDefinition {
        try StrictFile.load(path: path, as: FirmwareFile.self, kind: \.kind, named: "firmware") { try $0.definition() }
    }

    /// A preset's firmware parameters as a definition (what `bmssim firmware-file` prints).
    public static func preset(_ chemistry: FirmwareChemistry) -> FirmwareDefinition {
        let c = CoreConfiguration.preset(chemistry, cellCount: 1, moduleCount: 1, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(1))
        let p = c.protection
        let l = c.currentLimits
        let limits = DatasheetLimits(
            safetyVoltage: (p.cellUnderVoltage.value, p.cellOverVoltage.value),
            recommendedVoltage: (p.recommendedSafety.cellUnderVoltage.value, p.recommendedSafety.cellOverVoltage.value),
            operatingVoltage: (p.maximumOperating.cellUnderVoltage.value, p.maximumOperating.cellOverVoltage.value),
            dischargeWindow: (l.dischargeEndVoltage.value, l.dischargeDerateStartVoltage.value),
            chargeWindow: (l.chargeEndVoltage.value, l.chargeDerateStartVoltage.value),
            minimumTemperature: p.minimumOperatingTemperature.value, setpoint: c.heater.setpoint.value, band: c.heater.band.value,
            overTemperature: (p.maximumOperating.overTemperature.value, p.recommendedSafety.overTemperature.value, p.overTemperature.value))
        return FirmwareDefinition(
            model: chemistry.cellModel, limits: limits, balancing: c.balancing.enabled, minimumOCVSlope: c.estimator.minimumOCVSlope)
    }
}
