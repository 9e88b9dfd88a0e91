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
    /// How far the cells have aged before the run starts.
    public var ageing: AgeingState = .new
    /// The cells' OCV hysteresis state at the start (`OCVCurve.hysteresis_V`: -1 on the
    /// discharge branch ... +1 on the charge branch), one for the pack (one history); nil: drawn
    /// from the seed, uniform over -1 ... 1 (the firmware does not know what came before).
    public var initialHysteresis: Double?

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

/// How the cells of a pack differ from their chemistry and from each other: seeded draws, so that
/// the firmware meets cells it does not know and a weakest cell emerges by itself.
///
/// Normal draws are clipped at +/-3 sigma. The interfacial limits are Weibull multipliers with
/// median 1: `m = (ln 2)^(-1/k) (-ln U)^(1/k)` for shape k (weakest-link statistics of a ceramic's
/// flaws, as for its strength; k = 10 spreads them by about 12 %).
public struct CellSpread: Sendable, Equatable {
    /// Relative standard deviation of the capacity.
    public var capacity: Double
    /// Relative standard deviation of a factor common to every resistance of a cell.
    public var resistance: Double
    /// Absolute standard deviation of the initial SoC.
    public var initialSoC: Double
    /// Standard deviation of the self-discharge rate, relative to the chemistry's.
    public var selfDischarge: Double
    /// Relative standard deviation of each RC element's resistance on its own (on top of the
    /// common factor): a cell's spectrum differs in shape, not only in size.
    public var elementResistance: Double
    /// Standard deviation of a cell's OCV offset from its chemistry's table, V.
    public var ocvOffset_V: Double
    /// Weibull shape of the critical current density, the critical stripping current and the
    /// interphase growth rate of each cell (0: no spread).
    public var interfaceWeibullShape: Double

    public init(
        capacity: Double, resistance: Double, initialSoC: Double, selfDischarge: Double, elementResistance: Double = 0,
        ocvOffset_V: Double = 0, interfaceWeibullShape: Double = 0
    ) {
        self.capacity = capacity
        self.resistance = resistance
        self.initialSoC = initialSoC
        self.selfDischarge = selfDischarge
        self.elementResistance = elementResistance
        self.ocvOffset_V = ocvOffset_V
        self.interfaceWeibullShape = interfaceWeibullShape
    }

    /// Identical cells.
    public static let none = CellSpread(capacity: 0, resistance: 0, initialSoC: 0, selfDischarge: 0)
    /// The spread the presets have used so far (calibrations): capacity 1 %, resistance 3 %
    /// (one factor for every element), initial SoC 0.5 points, self-discharge 30 %.
    public static let typical = CellSpread(capacity: 0.01, resistance: 0.03, initialSoC: 0.005, selfDischarge: 0.3)
    /// A production population the firmware does not know (calibrations): `typical`, and each
    /// RC element 5 % on its own, an OCV offset of 1 mV (up to 3 mV), interfacial limits and
    /// interphase growth Weibull k = 10.
    public static let production = CellSpread(
        capacity: 0.01, resistance: 0.03, initialSoC: 0.005, selfDischarge: 0.3, elementResistance: 0.05, ocvOffset_V: 0.001,
        interfaceWeibullShape: 10)
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

/// How far a pack's cells have aged before a run: capacity faded and interphase grown, cell by
/// cell, so that an aged pack is not a new one with a smaller nameplate.
///
/// Mid-life and end of life are this project's definitions for stationary duty: 10 % and 20 %
/// of the capacity faded on average (20 % is the usual end-of-life criterion), spread cell to
/// cell with a standard deviation of a fifth of that; 7.5 and 15 years at the operating
/// temperature for the interphase, which grows parabolically at each cell's own rate (the
/// chemistry's rate times the cell's Weibull factor). Ageing is a starting state: it applies
/// whether or not degradation runs during the simulation.
public enum AgeingState: String, Sendable, CaseIterable {
    case new
    case midLife = "mid-life"
    case endOfLife = "end-of-life"

    /// Mean fraction of the capacity faded.
    public var capacityFade: Double {
        switch self {
        case .new: 0
        case .midLife: 0.10
        case .endOfLife: 0.20
        }
    }

    /// Years in service at the operating temperature (for the interphase).
    public var serviceYears: Double {
        switch self {
        case .new: 0
        case .midLife: 7.5
        case .endOfLife: 15
        }
    }
}
