/// Everything needed to build a plant: chemistry, topology, spread, thermal, electrics and sensors.
public struct PackDefinition: Sendable, Equatable {
    /// Cell type.
    public var chemistry: CellChemistry
    /// Strings, cells and thermal modules.
    public var topology: PackTopology
    /// Seeded cell-to-cell spread.
    public var spread: CellSpread
    /// Mean initial state of charge (fraction).
    public var initialSoC: Double
    /// Initial temperature of every node, C.
    public var initialTemperature_C: Double
    /// Thermal model of the modules and the room.
    public var thermal: ThermalDefinition
    /// Contactors, precharge, DC link and balancing.
    public var electrics: PackElectrics
    /// Sensor errors.
    public var sensors: SensorSpecification
    /// Whether interfacial degradation and capacity fade run (the chemistry must define rates).
    public var degradationEnabled: Bool

    public init(
        chemistry: CellChemistry, topology: PackTopology, spread: CellSpread = .none, initialSoC: Double,
        initialTemperature_C: Double, thermal: ThermalDefinition, electrics: PackElectrics = .standard,
        sensors: SensorSpecification = .typicalBMS, degradationEnabled: Bool = true
    ) {
        self.chemistry = chemistry
        self.topology = topology
        self.spread = spread
        self.initialSoC = initialSoC
        self.initialTemperature_C = initialTemperature_C
        self.thermal = thermal
        self.electrics = electrics
        self.sensors = sensors
        self.degradationEnabled = degradationEnabled
    }

    /// Total number of cells.
    public var cellCount: Int { topology.cellCount }
    /// Number of thermal modules.
    public var moduleCount: Int { topology.moduleCount }
}

/// Series strings connected in parallel, split into thermal modules.
///
/// Cells are numbered string by string (cell `s * cellsPerString + j` is cell `j` of string `s`,
/// `j = 0` at the string's negative end); modules take contiguous, equal blocks of that numbering.
public struct PackTopology: Sendable, Equatable {
    public var stringsInParallel: Int
    public var cellsPerString: Int
    public var moduleCount: Int

    public init(stringsInParallel: Int = 1, cellsPerString: Int, moduleCount: Int = 1) {
        self.stringsInParallel = stringsInParallel
        self.cellsPerString = cellsPerString
        self.moduleCount = moduleCount
    }

    public var cellCount: Int { stringsInParallel * cellsPerString }
}

/// Relative standard deviations of the cell-to-cell spread (normal, seeded, clipped at +/-3 sigma).
public struct CellSpread: Sendable, Equatable {
    public var capacity: Double
    public var resistance: Double
    /// Absolute standard deviation of the initial SoC.
    public var initialSoC: Double
    /// Standard deviation of the self-discharge rate, relative to the chemistry's.
    public var selfDischarge: Double

    public init(capacity: Double, resistance: Double, initialSoC: Double, selfDischarge: Double) {
        self.capacity = capacity
        self.resistance = resistance
        self.initialSoC = initialSoC
        self.selfDischarge = selfDischarge
    }

    /// Identical cells.
    public static let none = CellSpread(capacity: 0, resistance: 0, initialSoC: 0, selfDischarge: 0)
    /// A typical production spread: capacity 1 %, resistance 3 %, initial SoC 0.5 points,
    /// self-discharge 30 % (calibration).
    public static let typical = CellSpread(capacity: 0.01, resistance: 0.03, initialSoC: 0.005, selfDischarge: 0.3)
}

/// Contactors, precharge circuit, DC link and cell balancing of the pack.
public struct PackElectrics: Sendable, Equatable {
    /// Precharge resistor, ohms.
    public var prechargeResistance_ohm: Double
    /// Capacitance of the DC link (inverter input), farads.
    public var linkCapacitance_F: Double
    /// Bleed resistor discharging the link when disconnected, ohms.
    public var linkBleedResistance_ohm: Double
    /// Balancing (bleed) resistor per cell, ohms.
    public var balancingResistance_ohm: Double
    /// Resistance of a ZEBRA cell that has failed short, ohms.
    public var failedShortResistance_ohm: Double

    public init(
        prechargeResistance_ohm: Double, linkCapacitance_F: Double, linkBleedResistance_ohm: Double,
        balancingResistance_ohm: Double, failedShortResistance_ohm: Double
    ) {
        self.prechargeResistance_ohm = prechargeResistance_ohm
        self.linkCapacitance_F = linkCapacitance_F
        self.linkBleedResistance_ohm = linkBleedResistance_ohm
        self.balancingResistance_ohm = balancingResistance_ohm
        self.failedShortResistance_ohm = failedShortResistance_ohm
    }

    /// 50 ohm precharge into a 2 mF link (tau 0.1 s), 10 kohm bleed, 30 ohm balancing resistors,
    /// 0.5 mOhm for a failed-short cell (calibration).
    public static let standard = PackElectrics(
        prechargeResistance_ohm: 50, linkCapacitance_F: 2e-3, linkBleedResistance_ohm: 10_000,
        balancingResistance_ohm: 30, failedShortResistance_ohm: 5e-4)
}
