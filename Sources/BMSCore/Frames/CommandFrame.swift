/// What the core asks of the actuators and of the energy-management system after one step.
public struct CommandFrame<let maxCells: Int, let maxModules: Int>: Sendable {
    /// The relays: main positive, main negative, precharge.
    public var contactors: ContactorCommands
    /// Where the connection sequence is.
    public var connection: ConnectionState

    /// Both mains commanded closed.
    @inlinable public var closeContactors: Bool { contactors.mainPositive && contactors.mainNegative }
    /// Heater duty per module, 0 = off ... 1 = fully on.
    public var heaterDuty: InlineArray<maxModules, Float>
    /// Balancing: bleed resistor of cell k on.
    public var balance: InlineArray<maxCells, Bool>
    /// Largest charge current the pack accepts now (a magnitude, >= 0).
    public var chargeCurrentLimit: Amperes
    /// Largest discharge current the pack delivers now (>= 0).
    public var dischargeCurrentLimit: Amperes
    /// Active and latched faults after this step.
    public var faults: FaultFlags
    /// Warnings (maximum operating limits exceeded) and alarms (recommended safety limits).
    public var warnings: FaultFlags
    public var alarms: FaultFlags
    /// The mode this step ran in.
    public var mode = SystemMode.standby
    /// Run the cooling blower.
    public var blower: Bool

    /// The safe state: contactors open, heaters off, no current allowed.
    @inlinable public static var safe: CommandFrame {
        CommandFrame(
            contactors: .open, connection: .open, heaterDuty: InlineArray(repeating: 0),
            chargeCurrentLimit: .zero, dischargeCurrentLimit: .zero, faults: .clear)
    }

    @inlinable public init(
        contactors: ContactorCommands, connection: ConnectionState, heaterDuty: InlineArray<maxModules, Float>,
        chargeCurrentLimit: Amperes, dischargeCurrentLimit: Amperes, faults: FaultFlags
    ) {
        self.contactors = contactors
        self.connection = connection
        self.heaterDuty = heaterDuty
        self.chargeCurrentLimit = chargeCurrentLimit
        self.dischargeCurrentLimit = dischargeCurrentLimit
        self.faults = faults
        // Set here, not as property defaults: a default's initialiser is not inlinable, and the
        // client module would run it unspecialised on every step.
        self.balance = InlineArray(repeating: false)
        self.blower = false
        self.warnings = .clear
        self.alarms = .clear
    }
}
