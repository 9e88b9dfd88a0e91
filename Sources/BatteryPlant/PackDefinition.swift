/// Everything needed to build a plant: topology, chemistry, spread, thermal and sensor data.
public struct PackDefinition: Sendable, Equatable {
    /// Cell type.
    public var chemistry: CellChemistry
    /// Cells in series in the string.
    public var cellCount: Int
    /// Thermal modules; cells are split into contiguous equal blocks, one heater and sensor each.
    public var moduleCount: Int
    /// Relative standard deviation of cell capacity (seeded spread), e.g. 0.01 = 1 %.
    public var capacitySpread: Double
    /// Relative standard deviation of cell resistance.
    public var resistanceSpread: Double
    /// Standard deviation of the initial cell SoC (absolute fraction).
    public var initialSoCSpread: Double
    /// Mean initial state of charge.
    public var initialSoC: Double
    /// Initial cell temperature, C.
    public var initialTemperature_C: Double
    /// Thermal data per module.
    public var thermal: ModuleThermalData
    /// Sensor errors.
    public var sensors: SensorSpecification

    public init(
        chemistry: CellChemistry, cellCount: Int, moduleCount: Int, capacitySpread: Double,
        resistanceSpread: Double, initialSoCSpread: Double, initialSoC: Double,
        initialTemperature_C: Double, thermal: ModuleThermalData, sensors: SensorSpecification
    ) {
        self.chemistry = chemistry
        self.cellCount = cellCount
        self.moduleCount = moduleCount
        self.capacitySpread = capacitySpread
        self.resistanceSpread = resistanceSpread
        self.initialSoCSpread = initialSoCSpread
        self.initialSoC = initialSoC
        self.initialTemperature_C = initialTemperature_C
        self.thermal = thermal
        self.sensors = sensors
    }
}

/// Lumped thermal data of one module (cells + enclosure as a single node).
public struct ModuleThermalData: Sendable, Equatable {
    /// Insulation conductance to ambient, W/K.
    public var insulationConductance_WperK: Double
    /// Extra heat capacity beyond the cells' (enclosure, insulation), J/K.
    public var enclosureHeatCapacity_JperK: Double
    /// Electrical power of the module heater when fully on, W.
    public var heaterPower_W: Double
    /// Ambient temperature, C.
    public var ambient_C: Double

    public init(
        insulationConductance_WperK: Double, enclosureHeatCapacity_JperK: Double, heaterPower_W: Double,
        ambient_C: Double
    ) {
        self.insulationConductance_WperK = insulationConductance_WperK
        self.enclosureHeatCapacity_JperK = enclosureHeatCapacity_JperK
        self.heaterPower_W = heaterPower_W
        self.ambient_C = ambient_C
    }
}

extension PackDefinition {
    /// A ZEBRA-type string of 240 Na-NiCl2 cells (about 620 V, 23.5 kWh) in one insulated enclosure.
    ///
    /// Thermal numbers scale REFERENCE section 4 (UA about 0.35 W/K and 175 kJ/K per 20 kWh) to
    /// 23.5 kWh; the 1 kW heater (about 24 h to heat up from cold) is a calibration.
    public static func zebraString(cellCount: Int = 240, initialSoC: Double = 0.6) -> PackDefinition {
        let scale = Double(cellCount) / 240 * 23.5 / 20
        return PackDefinition(
            chemistry: .naNiCl2, cellCount: cellCount, moduleCount: 1, capacitySpread: 0.01,
            resistanceSpread: 0.03, initialSoCSpread: 0.005, initialSoC: initialSoC,
            initialTemperature_C: 285,
            thermal: ModuleThermalData(
                insulationConductance_WperK: 0.35 * scale, enclosureHeatCapacity_JperK: 0,
                heaterPower_W: 1000 * scale, ambient_C: 25),
            sensors: .typicalBMS)
    }
}
