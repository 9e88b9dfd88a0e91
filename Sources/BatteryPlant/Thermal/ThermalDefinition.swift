/// Thermal model of a pack: two lumped nodes per module (cells, enclosure) and the room.
///
/// cells:     C_c dT_c/dt = P_joule + P_reversible + P_heater + P_balancing - G (T_c - T_e)
/// enclosure: C_e dT_e/dt = G (T_c - T_e) - UA (T_e - T_ambient)
/// `isothermal` holds every temperature at its initial value (equivalent-circuit comparisons).
public struct ThermalDefinition: Sendable, Equatable {
    public var isothermal: Bool
    /// Conductance between a module's cells and its enclosure, W/K.
    public var cellsToEnclosure_W_per_K: Double
    /// Heat capacity of a module's enclosure, J/K (cells bring their own).
    public var enclosureHeatCapacity_J_per_K: Double
    /// Insulation conductance of a module to ambient, W/K.
    public var insulation_W_per_K: Double
    /// Heater power of a module at full duty, W.
    public var heaterPower_W: Double
    /// The room.
    public var ambient: AmbientProfile
    /// The cooling blower: with it running, air through each module's cell block takes this
    /// much from the cells to the room, W/K per module (0: no blower fitted).
    public var blowerConductance_W_per_K = 0.0
    /// The thermal resistance from one cell to its module's cell block, K/W: a failed cell's own
    /// dissipation (a short's leakage) heats it this much above the block at steady state, with
    /// the time constant of its heat capacity (a hot spot; 2 K/W: a calibration).
    public var cellToBlock_K_per_W = 2.0
    /// Each module carries a second thermocouple at the edge of its cell block (true), beside
    /// the one at its centre; false: the centre one only.
    public var edgeThermocouples = true
    /// Where the edge thermocouple sits between the cells' node (0) and the enclosure's (1): it
    /// reads `T_cells + 0.3 (T_enclosure - T_cells)`, a few kelvin below the centre while the
    /// heater or the load warms the cells (the in-module gradient, edge to centre).
    public static let edgeThermocouplePosition = 0.3

    public init(
        isothermal: Bool = false, cellsToEnclosure_W_per_K: Double, enclosureHeatCapacity_J_per_K: Double,
        insulation_W_per_K: Double, heaterPower_W: Double, ambient: AmbientProfile
    ) {
        self.isothermal = isothermal
        self.cellsToEnclosure_W_per_K = cellsToEnclosure_W_per_K
        self.enclosureHeatCapacity_J_per_K = enclosureHeatCapacity_J_per_K
        self.insulation_W_per_K = insulation_W_per_K
        self.heaterPower_W = heaterPower_W
        self.ambient = ambient
    }

    /// No heat flow at all: temperatures stay at their initial values.
    public static func isothermal(ambient_C: Double = 25) -> ThermalDefinition {
        ThermalDefinition(
            isothermal: true, cellsToEnclosure_W_per_K: 1, enclosureHeatCapacity_J_per_K: 1, insulation_W_per_K: 1,
            heaterPower_W: 0, ambient: .constant(ambient_C))
    }
}

/// Ambient temperature against time.
public enum AmbientProfile: Sendable, Equatable {
    case constant(Double)
    /// mean + amplitude cos(2 pi (t - peak) / 24 h), warmest at `peakHour`.
    case daily(mean_C: Double, amplitude_K: Double, peakHour: Double)

    /// Ambient temperature at `time_ms`, C.
    public func temperature_C(at time_ms: Int64) -> Double {
        switch self {
        case .constant(let t):
            return t
        case .daily(let mean, let amplitude, let peak):
            let hours = Double(time_ms) / 3_600_000
            return mean + amplitude * PlantMath.cos(2 * Double.pi * (hours - peak) / 24)
        }
    }
}
