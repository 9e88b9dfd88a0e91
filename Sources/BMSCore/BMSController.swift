/// The fixed-step battery-management controller: the firmware's main loop body.
///
/// Configure it once, then call `step(_:)` every `configuration.step` with the newest measurement
/// frame. `step` does no heap allocation and takes bounded time (linear in the cell count).
/// The controller sees only measurement frames; it never reads the plant.
///
/// One step is a pipeline of phases, each a type that owns its state:
/// 1. validate (`MeasurementValidator`): plausibility of every reading;
/// 2. estimate (`SoCEstimation`, `HealthEstimation`): SoC, per-cell SoC, capacity, resistance,
///    interface health, cycles;
/// 3. protect (`ProtectionMonitor`): three limit tiers per quantity, the cold inhibit; trips latch;
/// 4. manage (`ThermalManager`, `ContactorSequencer`, `Derating`, `BalancingControl`): heaters,
///    the connection sequence, the current limits, the bleed mask;
/// 5. command: the `CommandFrame` for the actuators and the EMS.
public struct BMSController<let maxCells: Int, let maxModules: Int> {
    /// The configuration the controller was built with.
    public let configuration: CoreConfiguration
    /// The estimates and status after the last step.
    public private(set) var status: CoreStatus
    /// Whether the EMS or the operator wants the pack connected (SunSpec SetOp). False opens the
    /// contactors the usual way, current first; true lets the sequence connect when nothing forbids it.
    public var connectionRequested = true

    var validator: MeasurementValidator<maxCells, maxModules>
    var soc: SoCEstimation<maxCells, maxModules>
    var health = HealthEstimation<maxCells, maxModules>()
    var protection = ProtectionMonitor<maxCells, maxModules>()
    var thermal: ThermalManager<maxCells, maxModules>
    var sequencer: ContactorSequencer
    var bleeding = BalancingControl<maxCells, maxModules>()
    /// Faults that stay set until `resetFaults()`.
    var latched: FaultFlags = .clear

    /// Builds a controller, refusing configurations that do not fit or contradict themselves.
    public init(configuration c: CoreConfiguration) throws(ConfigurationError) {
        try c.validate(maxCells: maxCells, maxModules: maxModules)
        configuration = c
        validator = MeasurementValidator(configuration: c)
        soc = SoCEstimation(configuration: c)
        thermal = ThermalManager(configuration: c)
        sequencer = ContactorSequencer(settings: c.contactors)
        status = CoreStatus(soc: c.initialSoC)
    }

    /// Runs one control step on `frame` and returns the commands for the actuators and the EMS.
    public mutating func step(_ frame: MeasurementFrame<maxCells, maxModules>) -> CommandFrame<maxCells, maxModules> {
        let c = configuration
        // 1. Validate.
        let v = validator.validate(frame, configuration: c)
        status.measurement = v.flags
        if v.invalidConfirmed { latched.insert(.measurementInvalid) }

        // 2. Estimate: a missing current reading is held at its last valid value.
        let current = v.currentValid ? frame.packCurrent : status.current
        estimate(frame, v, current: current)

        // 3. Protect.
        let tiers = protection.check(v, current: current, configuration: c)
        latched.insert(tiers.trips)
        status.warnings = tiers.warnings
        status.alarms = tiers.alarms
        var faults = latched
        if protection.tooCold { faults.insert(.underTemperature) }
        if v.stale { faults.insert(.staleFrame) }
        status.faults = faults

        // 4. Manage: heaters; the connection (the pack stays connected through a transient invalid
        // frame, its current limited to zero instead; a latched fault or a cold pack disconnects,
        // current first); the current limits; balancing.
        let heat = thermal.update(frame, current: current, configuration: c)
        if heat.heaterFault { status.warnings.insert(.heaterFault) }
        if heat.freezeRisk { status.warnings.insert(.freezeRisk) }
        let sequence = sequencer.update(
            connect: connectionRequested && latched.isEmpty && !protection.tooCold, feedback: frame.contactorFeedback,
            packVoltage: frame.packVoltage, linkVoltage: frame.linkVoltage, current: current, step: c.step)
        latched.insert(sequence.faults)
        faults.insert(sequence.faults)
        status.faults = faults
        manageLimits(v, current: current, tiers: tiers, currentInhibited: sequence.currentInhibited)
        bleeding.step(
            allowed: latched.isEmpty && !protection.tooCold && v.allValid, deltas: soc.cellDeltas, voltages: frame.cellVoltages,
            cellCount: c.cellCount, excluded: validator.excluded, settings: c.balancing, step: c.step)
        status.balancingCells = bleeding.count

        // 5. Command.
        var command = CommandFrame<maxCells, maxModules>(
            contactors: sequence.commands, connection: sequencer.state, heaterDuty: heat.duty,
            chargeCurrentLimit: status.limits.charge, dischargeCurrentLimit: status.limits.discharge, faults: faults)
        command.warnings = status.warnings
        command.alarms = tiers.alarms
        command.balance = bleeding.mask
        return command
    }

    /// Phase 2: counts the charge (with what balancing bled), then estimates SoC and health.
    mutating func estimate(_ frame: MeasurementFrame<maxCells, maxModules>, _ v: ValidatedFrame<maxCells, maxModules>, current: Amperes) {
        let c = configuration
        soc.count(current, configuration: c)
        if bleeding.count > 0 { soc.bookBleed(bleeding.mask, frame, configuration: c) }
        if v.temperatures.valid { health.countCycles(v.temperatures, configuration: c) }
        soc.estimate(
            frame, v, current: current, excluded: validator.excluded, meanTemperature: validator.meanTemperature,
            chargeLimit: status.limits.charge, configuration: c, status: &status)
        if v.allValid {
            health.update(
                frame, current: current, polarisation: soc.filter.polarisation, soc: status.soc, cellDeltas: soc.cellDeltas.delta,
                excluded: validator.excluded, meanTemperature: validator.meanTemperature, configuration: c, status: &status)
        } else {
            health.interrupt(configuration: c)
        }
        status.current = current
        if v.cells.valid {
            status.minimumCellVoltage = v.cells.minimum
            status.maximumCellVoltage = v.cells.maximum
        }
        if v.temperatures.valid {
            status.minimumTemperature = v.temperatures.minimum
            status.maximumTemperature = v.temperatures.maximum
        }
    }

    /// Phase 4b: the current limits and the health warnings; too many failed cells latch
    /// `stringOutOfService`.
    mutating func manageLimits(_ v: ValidatedFrame<maxCells, maxModules>, current: Amperes, tiers: ProtectionResult, currentInhibited: Bool) {
        let c = configuration
        let failed = validator.failedShort.failedCount
        status.failedShortCells = failed
        status.softShortCells = soc.cellDeltas.softShortCount
        if soc.cellDeltas.softShortCount > 0 { status.warnings.insert(.softShort) }
        if health.interface.contactLossCount > 0 { status.warnings.insert(.contactLoss) }
        if failed > 0 { status.warnings.insert(.cellFailedShort) }
        let mayConduct = latched.isEmpty && !protection.tooCold && v.allValid && !currentInhibited
        let derated = Derating.limits(
            mayConduct: mayConduct, status: status, protection: tiers, failedCells: failed, current: current,
            coldest: v.temperatures.valid ? v.temperatures.minimum : validator.meanTemperature,
            smallestContact: health.smallestContact, configuration: c)
        if derated.outOfService { latched.insert(.stringOutOfService) }
        status.ccdMargin = derated.ccdMargin
        status.limits = derated.limits
    }

    /// Reports that the measurement link is down (call it, then `step` the last frame received).
    ///
    /// Latches `communicationLoss`: that step gives zero current limits and opens the contactors
    /// without the usual wait for the current to fall (the current can no longer be measured).
    /// Heater commands follow the last temperatures received: a molten-electrode pack must not
    /// freeze because a cable dropped. Cleared by `resetFaults()`.
    public mutating func reportCommunicationLoss() {
        latched.insert(.communicationLoss)
        sequencer.openNow()
    }

    /// Clears latched faults (an operator's explicit reset). Conditions still present trip again
    /// after their debounce time.
    public mutating func resetFaults() {
        latched = .clear
        health.interface.reset()
        sequencer.reset()
    }
}

extension BMSController {
    /// Estimated state of charge of cell `k`: the mean cell's plus the cell's difference.
    public func cellSoC(_ k: Int) -> StateOfCharge { StateOfCharge(status.soc.value + soc.cellDeltas.delta[k]) }
    /// The relay commands of the last step.
    public var contactorCommands: ContactorCommands { sequencer.commands }
    /// Thermal and freeze-thaw cycles.
    public var cycles: CycleCounters { health.cycles }
    /// Per-cell SoC differences from the mean cell.
    public var cellDeltas: CellDeltaFilter<maxCells, maxModules> { soc.cellDeltas }
    /// Per-cell ohmic resistance at the reference temperature (and full charge).
    public var resistance: ResistanceEstimator<maxCells, maxModules> { health.resistance }
    /// Capacity of the mean cell from the charge between SoC anchors.
    public var capacityEstimator: CapacityEstimator<maxCells> { soc.capacity }
    /// Per-cell interface part, its trend, contact fraction and contact-loss steps.
    public var interfaceHealth: InterfaceHealth<maxCells, maxModules> { health.interface }
    /// Cells being bled.
    public var balancing: BalancingControl<maxCells, maxModules> { bleeding }
}
