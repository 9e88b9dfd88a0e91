/// A fault injected into the plant at a scheduled time, optionally cleared at `until_ms`.
public struct PlantFault: Sendable, Equatable {
    /// What breaks.
    public enum Kind: Sendable, Equatable {
        /// A cell-voltage channel keeps its last reading.
        case cellVoltageStuck(cell: Int)
        /// A cell sense wire opens: the cell reads 0 V and its upper neighbour reads both cells.
        case cellVoltageOpenWire(cell: Int)
        /// A cell-voltage channel is dead: it reads 0 V.
        case cellVoltageDead(cell: Int)
        /// A cell-voltage channel's samples are invalid (the front end reports no value: NaN).
        case cellVoltageInvalid(cell: Int)
        /// A cell-voltage channel drifts away from the truth, V per hour.
        case cellVoltageDrift(cell: Int, volts_per_h: Double)
        /// A module temperature channel keeps its last reading (`edge`: the module's edge
        /// thermocouple, else its centre one).
        case temperatureStuck(module: Int, edge: Bool = false)
        /// A module's thermocouple has come loose: its reading relaxes to the ambient air with a
        /// two-minute time constant.
        case temperatureDetached(module: Int, edge: Bool = false)
        /// A module temperature channel drifts, K per hour.
        case temperatureDrift(module: Int, kelvin_per_h: Double, edge: Bool = false)
        /// The pack current channel keeps its last reading.
        case currentStuck
        /// The pack current channel reads a fixed value, A (a dead sensor reads 0; one at its rail
        /// reads its full scale).
        case currentStuckAt(amperes: Double)
        /// The pack current channel's offset steps by this much, A.
        case currentOffset(amperes: Double)
        /// The pack current channel drifts, A per hour.
        case currentDrift(amperes_per_h: Double)
        /// A heater element is broken: no heat whatever the duty.
        case heaterOpen(module: Int)
        /// A heater relay is welded: full heat whatever the duty.
        case heaterStuckOn(module: Int)
        /// The main contactors weld closed: they stay closed whatever the command.
        case contactorWeld
        /// The main contactors are welded closed already (closed at the fault's time whatever
        /// the command: a weld found at power-up).
        case contactorWeldClosed
        /// A cell shorts: with nil resistance it fails the way its chemistry fails; with a value it
        /// gets a fixed leakage path of that resistance.
        case cellShort(cell: Int, resistance_ohm: Double?)
        /// A cell's anode loses contact with its electrolyte at once (a delamination): the contact
        /// fraction drops to `fraction` (0 < fraction <= 1) and the interface and interphase
        /// resistances rise by 1 / fraction. Permanent (the plant's own recovery may follow).
        case contactLoss(cell: Int, fraction: Double)
        /// The precharge resistor is open: the link does not charge through the precharge path.
        case prechargeResistorOpen
        /// The DC link is shorted (a failed inverter stage or cable): the link stays at 0 V; the
        /// precharge path then carries the pack voltage over its resistor, and closed mains carry
        /// the pack's short-circuit current through 10 mOhm.
        case dcLinkShort
        /// The cooling blower has failed (a seized fan, a blown fuse): no air whatever the command.
        case blowerFailed
        /// The blower's relay is welded: it runs whatever the command.
        case blowerStuckOn
        /// The sensor bus goes silent: no new sample arrives (readings and their time freeze).
        case sensorBusSilence
    }

    public var kind: Kind
    /// When the fault appears, ms of simulated time.
    public var at_ms: Int64
    /// When it disappears (nil = never). Cell shorts and welds never heal.
    public var until_ms: Int64?

    public init(_ kind: Kind, at_ms: Int64, until_ms: Int64? = nil) {
        self.kind = kind
        self.at_ms = at_ms
        self.until_ms = until_ms
    }

    /// Whether the fault is in force at `time_ms`.
    public func isActive(at time_ms: Int64) -> Bool {
        time_ms >= at_ms && (until_ms.map { time_ms < $0 } ?? true)
    }
}
