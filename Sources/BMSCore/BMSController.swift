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
    @inlinable public var status: CoreStatus { _read { yield _status } }
    @usableFromInline var _status: CoreStatus
    /// What the EMS or the operator asks for (`SystemMode` documents the modes). Standby at
    /// power-up: nothing connects until a request does.
    public var modeRequest = ModeRequest.standby
    /// Whether the EMS wants the pack connected (SunSpec SetOp): `normal` or `standby`. False
    /// opens the contactors the usual way, current first.
    @inlinable public var connectionRequested: Bool {
        get { SystemMode.resolve(request: modeRequest, faulted: false, service: false).connects }
        set { modeRequest = newValue ? .normal : .standby }
    }
    /// The local service switch (`enterService()`).
    @usableFromInline var serviceSwitch = false
    /// Trips, warnings, mode changes, requests and resets, newest 64 (`eventLog`).
    @usableFromInline var events = EventLog<64>()
    /// What the event log compares each step with: the last step's mode, request and warnings.
    @usableFromInline var loggedMode = SystemMode.standby
    @usableFromInline var loggedRequest = ModeRequest.standby
    @usableFromInline var loggedWarnings = FaultFlags.clear
    @usableFromInline var freezeReserve: FreezeReserve

    @usableFromInline var validator: MeasurementValidator<maxCells, maxModules>
    @usableFromInline var soc: SoCEstimation<maxCells, maxModules>
    @usableFromInline var health: HealthEstimation<maxCells, maxModules>
    @usableFromInline var protection = ProtectionMonitor<maxCells, maxModules>()
    @usableFromInline var thermal: ThermalManager<maxCells, maxModules>
    @usableFromInline var thermocouples: ThermocouplePairs<maxModules>
    @usableFromInline var sequencer: ContactorSequencer
    @usableFromInline var bleeding = BalancingControl<maxCells, maxModules>()
    /// The voltage window's derating factors (they recover slowly).
    @usableFromInline var voltageWindow = VoltageWindowDerating()
    /// Faults that stay set until `resetFaults(by:)`.
    @usableFromInline var latched: FaultFlags = .clear
    /// Precharge failures latched since the last connection or service reset.
    @usableFromInline var prechargeFailures: Int32 = 0
    /// Remote resets accepted in the present window, and when the window started.
    @usableFromInline var emsResetCount: Int32 = 0
    @usableFromInline var emsWindowStart = Milliseconds.zero
    /// The newest frame's time (the clock remote resets are counted on).
    @usableFromInline var now = Milliseconds.zero
    /// Stale frames in a row, against `ValidationSettings.frameTimeout`.
    @usableFromInline var staleFrames: Debouncer
    /// The EMS heartbeat's last value, when it last changed, and whether one has come at all
    /// (`emsHeartbeat(_:)`).
    @usableFromInline var emsHeartbeatValue: UInt16 = 0
    @usableFromInline var emsHeartbeatAt = Milliseconds.zero
    @usableFromInline var emsSupervised = false
    /// When the persistent record was last written, and what it held then (`persist(to:)`).
    @usableFromInline var keeper = RecordKeeper()

    /// Builds a controller, refusing configurations that do not fit or contradict themselves.
    @inlinable public init(configuration c: CoreConfiguration) throws(ConfigurationError) {
        try c.validate(maxCells: maxCells, maxModules: maxModules)
        self.init(validated: c)
    }

    /// Returns the controller to its power-up state with configuration `c`, as a reset of the
    /// processor would, refusing configurations that do not fit or contradict themselves (the
    /// controller is then unchanged).
    ///
    /// The firmware's way to build its controller in static memory (40 kB for 240 cells): built
    /// in place, where `init` returns a value that passes through the stack. The controller holds
    /// no references, so zeroed memory bound to its type may be restarted (tools/firmware).
    @inlinable public mutating func restart(configuration c: CoreConfiguration) throws(ConfigurationError) {
        try c.validate(maxCells: maxCells, maxModules: maxModules)
        self = Self(validated: c)
    }

    /// A controller at power-up for a configuration already validated.
    @inlinable init(validated c: CoreConfiguration) {
        configuration = c
        validator = MeasurementValidator(configuration: c)
        soc = SoCEstimation(configuration: c)
        health = HealthEstimation(configuration: c)
        thermal = ThermalManager(configuration: c)
        thermocouples = ThermocouplePairs(configuration: c)
        freezeReserve = FreezeReserve(configuration: c)
        sequencer = ContactorSequencer(settings: c.contactors)
        staleFrames = Debouncer(time: c.validation.frameTimeout, step: c.step)
        _status = CoreStatus(soc: c.initialSoC)
        var counter = RecordWordCounter()
        visitRecord(&counter)
        keeper.payloadWords = counter.words
    }

    /// Runs one control step on `frame` and returns the commands for the actuators and the EMS.
    @inlinable public mutating func step(_ sample: MeasurementFrame<maxCells, maxModules>) -> CommandFrame<maxCells, maxModules> {
        let c = configuration
        // 0. Each module's thermocouple pair resolved into the one reading the phases use.
        var resolved = sample
        let pairFault = c.validation.edgeThermocouples && thermocouples.resolve(&resolved, fresh: resolved.time > now, configuration: c)
        // Read-only from here. (Each phase call still gets its own copy, 1.2 kB: the host's
        // compiler stores the frame again per call, whether a `let`, a `var` or a parameter,
        // and with the phases inlined; measured 2026-12-04.)
        let frame = resolved
        if frame.time > now { now = frame.time }
        let latchedBefore = latched
        if modeRequest != loggedRequest {
            loggedRequest = modeRequest
            events.append(Event(time: now, kind: .modeRequested, detail: UInt32(truncatingIfNeeded: modeRequest.rawValue)))
        }
        // 1. Validate.
        let v = validator.validate(frame, configuration: c)
        _status.measurement = v.flags
        if v.invalidConfirmed { latched.insert(.measurementInvalid) }
        // The core's own watchdog on its input: no fresh frame for the frame timeout is a lost
        // measurement link, whatever the host noticed.
        if staleFrames.update(v.stale), !latched.contains(.communicationLoss) { reportCommunicationLoss() }

        // 2. Estimate: a missing current reading is held at its last valid value while a current
        // can flow; with no path (the sequence open and the relays reading open) it is zero, so
        // a dead sensor does not go on counting its last reading.
        let fb = frame.contactorFeedback
        let noPath = sequencer.state == .open && (!fb.mainNegative || (!fb.mainPositive && !fb.precharge))
        let current = v.currentValid ? frame.packCurrent : noPath ? .zero : _status.current
        estimate(frame, v, current: current, configuration: c)

        // 3. Protect. A current beyond the sensor's range is at least that large: the current
        // tiers see the reading itself, not the last valid value.
        let tiers = protection.check(v, current: v.currentSaturated ? frame.packCurrent : current, configuration: c)
        latched.insert(tiers.trips)
        // An over-current trip opens at once: the current is the hazard, and the usual wait for
        // it to fall would hold a short for the opening timeout.
        if tiers.trips.contains(.dischargeOverCurrent) || tiers.trips.contains(.chargeOverCurrent) { sequencer.openNow() }
        _status.warnings = tiers.warnings
        _status.alarms = tiers.alarms
        var faults = latched
        if protection.tooCold { faults.insert(.underTemperature) }
        if v.stale { faults.insert(.staleFrame) }
        _status.faults = faults

        // 4. Manage: heaters; the connection (the pack stays connected through a transient invalid
        // frame, its current limited to zero instead; a latched fault or a cold pack disconnects,
        // current first); the current limits; balancing.
        let mode = SystemMode.resolve(request: modeRequest, faulted: !latched.isEmpty, service: serviceSwitch)
        _status.mode = mode
        let overheated = latched.contains(.overTemperature)
        let heat = thermal.update(frame, current: current, heatersOff: overheated || mode == .off, overheated: overheated, configuration: c)
        if heat.heaterFault { _status.warnings.insert(.heaterFault) }
        if heat.sensorFault || pairFault { _status.warnings.insert(.temperatureSensorFault) }
        if heat.rising { _status.warnings.insert(.temperatureRising) }
        if heat.coolingFault { _status.warnings.insert(.coolingFault) }
        if keeper.restartWarningSteps > 0 {
            keeper.restartWarningSteps &-= 1
            _status.warnings.insert(.uncleanRestart)
        }
        if heat.freezeRisk { _status.warnings.insert(.freezeRisk) }
        let sequence = sequencer.update(
            connect: mode.connects && !protection.tooCold, feedback: frame.contactorFeedback, feedbackFresh: v.fresh,
            packVoltage: frame.packVoltage, packVoltageConfirmed: v.packVoltageConfirmed, linkVoltage: frame.linkVoltage, current: current,
            step: c.step)
        if sequence.faults.contains(.prechargeFailed) { prechargeFailures &+= 1 }
        if sequencer.state == .closed { prechargeFailures = 0 }
        latched.insert(sequence.faults)
        faults.insert(sequence.faults)
        _status.faults = faults
        manageLimits(v, current: current, tiers: tiers, currentInhibited: sequence.currentInhibited, configuration: c)
        // The mode of this step's start: a fault the sequence latched just now opens next step.
        var before = _status.limits
        if !mode.allowsCharge { _status.limits.charge = .zero }
        if !mode.allowsDischarge { _status.limits.discharge = .zero }
        _status.limitReasons.note(.mode, before: before, after: _status.limits)
        if let hold = reserveHolds(frame, heat: heat, configuration: c) {
            _status.freezeReserve = StateOfCharge(freezeReserve.reserve)
            before = _status.limits
            if hold { _status.limits.discharge = .zero }
            _status.limitReasons.note(.freezeReserve, before: before, after: _status.limits)
        }
        if emsSupervised && now - emsHeartbeatAt > c.emsLink.heartbeatTimeout {
            _status.warnings.insert(.emsLinkLost)
            before = _status.limits
            _status.limits.charge = .zero
            _status.limits.discharge = .zero
            _status.limitReasons.note(.emsLink, before: before, after: _status.limits)
        }
        // The resistors pause (keeping their decisions) for a rest read come due.
        let pause = soc.rest.wantsPause(needed: RestDetector<maxCells, maxModules>.stepsNeeded(c), configuration: c)
        if bleeding.tick(
            allowed: latched.isEmpty && !protection.tooCold && v.allValid, paused: pause, cellCount: c.cellCount, settings: c.balancing, step: c.step)
        {
            bleeding.update(
                deltas: soc.cellDeltas._delta.span, variances: soc.cellDeltas._variance.span, voltages: frame.cellVoltages.span,
                cellCount: c.cellCount, excluded: validator.failedShort.excluded.span, settings: c.balancing)
        }
        _status.balancingCells = bleeding.count

        // 5. Command.
        var command = CommandFrame<maxCells, maxModules>(
            contactors: sequence.commands, connection: sequencer.state, heaterDuty: heat.duty,
            chargeCurrentLimit: _status.limits.charge, dischargeCurrentLimit: _status.limits.discharge, faults: faults)
        command.warnings = _status.warnings
        command.alarms = tiers.alarms
        command.balance = bleeding.mask
        command.mode = mode
        command.blower = heat.blower
        logStep(latchedBefore: latchedBefore, mode: mode)
        return command
    }

    /// The freeze reserve (nil when none is configured): whether discharge is held at it.
    @inlinable mutating func reserveHolds(
        _ frame: MeasurementFrame<maxCells, maxModules>, heat: ThermalCommand<maxModules>, configuration c: CoreConfiguration
    ) -> Bool? {
        guard let hours = c.heater.freezeReserveHours, let rated = c.heater.ratedPower?.value else { return nil }
        var power: Float = 0
        for m in 0..<c.moduleCount {
            let metered = frame.heaterPower[m].value
            power += metered.isFinite ? metered : heat.duty[m] * rated
        }
        return freezeReserve.update(
            heaterPower: power, idle: heat.idleNow, soc: _status.soc.value, hours: hours, ratedPower: rated, configuration: c)
    }

    /// Records this step's new trips and warnings and a mode change in the event log.
    @inlinable mutating func logStep(latchedBefore: FaultFlags, mode: SystemMode) {
        let tripped = latched.rawValue & ~latchedBefore.rawValue
        if tripped != 0 { events.append(Event(time: now, kind: .faultLatched, detail: tripped)) }
        let raised = _status.warnings.rawValue & ~loggedWarnings.rawValue
        if raised != 0 { events.append(Event(time: now, kind: .warningRaised, detail: raised)) }
        loggedWarnings = _status.warnings
        if mode != loggedMode {
            events.append(Event(time: now, kind: .modeChanged, detail: UInt32(truncatingIfNeeded: loggedMode.rawValue) << 8 | UInt32(truncatingIfNeeded: mode.rawValue)))
            loggedMode = mode
        }
    }

    /// Phase 2: counts the charge (with what balancing bled), then estimates SoC and health.
    @inlinable mutating func estimate(
        _ frame: MeasurementFrame<maxCells, maxModules>, _ v: ValidatedFrame<maxCells, maxModules>, current: Amperes,
        configuration c: CoreConfiguration
    ) {
        soc.count(current, configuration: c)
        if bleeding.count > 0 { soc.bookBleed(bleeding._mask.span, frame, configuration: c) }
        if v.temperatures.valid { health.countCycles(v.temperatures, configuration: c) }
        // While the converter follows a limit the voltage ramps hold down, the current is the
        // voltage's echo, not an excitation: a resistance fit there regresses the voltage on
        // itself (closed-loop identification; ZEBRA peak-shaving runs read +92 %, an end-of-life
        // Na-S string's scale 0.66 times its law). Neither the health fit nor the SoC filter's
        // resistance gauge takes such a step (the limits are the ones the converter obeyed in it).
        let held = voltageWindow.holds(current, at: _status.limits)
        soc.estimate(
            frame, v, current: current, excluded: validator.failedShort.excluded.span, meanTemperature: validator.meanTemperature,
            limits: _status.limits, heldByLimit: held, configuration: c, status: &_status)
        if held {
            health.interrupt(configuration: c)
        }
        if v.allValid {
            health.update(
                frame, current: current, polarisation: soc.filter.polarisation, front: soc.stepFront, cellDeltas: soc.cellDeltas._delta.span,
                rest: (soc.rest.steps > 0, soc.rest.readTaken), restVoltages: soc.rest.voltages.span, bleedSwitches: bleeding.switches,
                excluded: validator.failedShort.excluded.span, meanTemperature: validator.meanTemperature, configuration: c, status: &_status)
            // A fall at rest or on charge: a soft short's onset (`ResistanceStepWatch`).
            if health.resistance.stepWatch.leakCell != 0 {
                let resistance = health.meanResistance(_status, configuration: c)
                soc.cellDeltas.judgeLeak(
                    &health.resistance.stepWatch, excluded: validator.failedShort.excluded.span,
                    lostContact: health.interface._contactLoss.span, resistance: resistance, capacity: c.ratedCapacity.value)
            }
        } else {
            health.interrupt(configuration: c)
        }
        _status.current = current
        if v.cells.valid {
            _status.minimumCellVoltage = v.cells.minimum
            _status.maximumCellVoltage = v.cells.maximum
        }
        if v.temperatures.valid {
            _status.minimumTemperature = v.temperatures.minimum
            _status.maximumTemperature = v.temperatures.maximum
        }
    }

    /// Phase 4b: the current limits and the health warnings; too many failed cells latch
    /// `stringOutOfService`.
    @inlinable mutating func manageLimits(
        _ v: ValidatedFrame<maxCells, maxModules>, current: Amperes, tiers: ProtectionResult, currentInhibited: Bool,
        configuration c: CoreConfiguration
    ) {
        let failed = validator.failedShort.failedCount
        _status.failedShortCells = failed
        _status.softShortCells = soc.cellDeltas._softShortCount
        if soc.cellDeltas._softShortCount > 0 { _status.warnings.insert(.softShort) }
        if health.interface._contactLossCount > 0 { _status.warnings.insert(.contactLoss) }
        if failed > 0 { _status.warnings.insert(.cellFailedShort) }
        let mayConduct = latched.isEmpty && !protection.tooCold && v.allValid && !v.invalidRecently && !currentInhibited
        voltageWindow.update(settings: c.currentLimits, minimumCell: _status.minimumCellVoltage, maximumCell: _status.maximumCellVoltage, step: c.step)
        let derated = Derating.limits(
            mayConduct: mayConduct, status: _status, voltage: voltageWindow, protection: tiers, failedCells: failed, current: current,
            coldest: v.temperatures.valid ? v.temperatures.minimum : validator.meanTemperature,
            smallestContact: health.smallestContact, configuration: c)
        if derated.outOfService { latched.insert(.stringOutOfService) }
        _status.ccdMargin = derated.ccdMargin
        _status.limits = derated.limits
        _status.limitReasons = derated.reasons
    }

    /// Reports that the measurement link is down (call it, then `step` the last frame received).
    ///
    /// Latches `communicationLoss`: that step gives zero current limits and opens the contactors
    /// without the usual wait for the current to fall (the current can no longer be measured).
    /// Heater commands follow the last temperatures received: a molten-electrode pack must not
    /// freeze because a cable dropped. Cleared by `resetFaults(by:)` (either authority).
    @inlinable public mutating func reportCommunicationLoss() {
        latched.insert(.communicationLoss)
        sequencer.openNow()
    }

    /// Takes the EMS's heartbeat counter (SunSpec CtrlHb), as often as the host reads it.
    ///
    /// A change of value proves the EMS alive at the last frame's time; the first call starts the
    /// supervision (`EMSLinkSettings`). A value that stands still longer than the heartbeat
    /// timeout raises `emsLinkLost` and holds both current limits at zero until it changes.
    @inlinable public mutating func emsHeartbeat(_ value: UInt16) {
        guard !emsSupervised || value != emsHeartbeatValue else { return }
        emsSupervised = true
        emsHeartbeatValue = value
        emsHeartbeatAt = now
    }

    /// Turns the local service switch on: the pack disconnects and stays open whatever the EMS
    /// asks; a service reset (`resetFaults(by: .service)`) is possible only now. Not reachable
    /// over any network interface.
    @inlinable public mutating func enterService() {
        if !serviceSwitch { events.append(Event(time: now, kind: .serviceSwitch, detail: 1)) }
        serviceSwitch = true
    }
    /// Turns the service switch off: back to fault (anything still latched) or the request.
    @inlinable public mutating func leaveService() {
        if serviceSwitch { events.append(Event(time: now, kind: .serviceSwitch, detail: 0)) }
        serviceSwitch = false
    }

    /// Who asks for a reset of latched faults.
    public enum ResetAuthority: UInt8, Sendable {
        /// The energy-management system, remotely (SunSpec AlmRst): unauthenticated, so it clears
        /// only `FaultFlags.emsResettable` faults (not `prechargeFailed` once it has repeated), at
        /// most `FaultResetSettings.emsResets` times per window.
        case ems
        /// A service technician on site, in service mode (`enterService()`): clears every latched
        /// fault and the contact-loss flags. Refused outside service mode.
        case service
    }

    /// Clears latched faults as far as `authority` may; returns the faults still latched (all of
    /// them when a remote reset is refused for the rate limit). Conditions still present trip
    /// again after their debounce time. The relays must read open for the feedback time again
    /// before a connection.
    @discardableResult
    @inlinable public mutating func resetFaults(by authority: ResetAuthority) -> FaultFlags {
        switch authority {
        case .service:
            guard serviceSwitch else {
                events.append(Event(time: now, kind: .resetRefused, detail: 1))
                return latched
            }
            events.append(Event(time: now, kind: .faultsReset, detail: latched.rawValue | 1 << 31))
            latched = .clear
            prechargeFailures = 0
            health.interface.reset()
            sequencer.reset()
        case .ems:
            let r = configuration.faultResets
            if now - emsWindowStart >= r.emsResetWindow {
                emsWindowStart = now
                emsResetCount = 0
            }
            guard emsResetCount < r.emsResets else {
                events.append(Event(time: now, kind: .resetRefused, detail: 0))
                return latched
            }
            emsResetCount &+= 1
            var clearable = FaultFlags.emsResettable
            if prechargeFailures >= r.prechargeFailuresBeforeService { clearable.remove(.prechargeFailed) }
            let precharge = latched.contains(.prechargeFailed) && clearable.contains(.prechargeFailed)
            events.append(Event(time: now, kind: .faultsReset, detail: latched.rawValue & clearable.rawValue))
            latched.remove(clearable)
            if precharge { sequencer.reset() }
        }
        return latched
    }
}

extension BMSController {
    /// The measurement frame this controller steps on.
    public typealias Frame = MeasurementFrame<maxCells, maxModules>
    /// The command frame this controller returns.
    public typealias Commands = CommandFrame<maxCells, maxModules>

    /// The most cells this controller type monitors (its `maxCells`).
    @inlinable public static var cellCapacity: Int { maxCells }
    /// The most thermal modules this controller type manages (its `maxModules`).
    @inlinable public static var moduleCapacity: Int { maxModules }

    /// Estimated state of charge of cell `k`: the mean cell's plus the cell's difference.
    @inlinable public func cellSoC(_ k: Int) -> StateOfCharge { StateOfCharge(_status.soc.value + soc.cellDeltas._delta[k]) }
    /// Each cell's SoC difference from the mean cell (`cellSoC(k)` is `status.soc` plus it),
    /// borrowed in place: a host reading every cell through `cellSoC(_:)` on a stored controller
    /// copied the whole controller for each call.
    @inlinable public var cellSoCDifferences: InlineArray<maxCells, Float> { _read { yield soc.cellDeltas._delta } }
    /// The relay commands of the last step.
    @inlinable public var contactorCommands: ContactorCommands { sequencer.commands }
    /// Thermal and freeze-thaw cycles.
    @inlinable public var cycles: CycleCounters { _read { yield health.cycles } }
    /// Per-cell SoC differences from the mean cell.
    @inlinable public var cellDeltas: CellDeltaFilter<maxCells, maxModules> { _read { yield soc.cellDeltas } }
    /// Per-cell ohmic resistance at the reference temperature (and full charge).
    @inlinable public var resistance: ResistanceEstimator<maxCells, maxModules> { _read { yield health.resistance } }
    /// Capacity of the mean cell from the charge between SoC anchors.
    @inlinable public var capacityEstimator: CapacityEstimator<maxCells> { _read { yield soc.capacity } }
    /// Per-cell interface part, its trend, contact fraction and contact-loss steps.
    @inlinable public var interfaceHealth: InterfaceHealth<maxCells, maxModules> { _read { yield health.interface } }
    /// Trips, warnings, mode changes, requests and resets since power-up, the newest 64.
    @inlinable public var eventLog: EventLog<64> { _read { yield events } }
    /// Cells being bled.
    @inlinable public var balancing: BalancingControl<maxCells, maxModules> { _read { yield bleeding } }
}
