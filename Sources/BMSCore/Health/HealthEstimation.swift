/// Phase 2b, estimate health: per-cell ohmic resistance at the reference temperature, its
/// interface part and contact fraction, thermal and freeze-thaw cycles, and the derating factor a
/// worn cell asks for.
@usableFromInline struct HealthEstimation<let maxCells: Int, let maxModules: Int>: Sendable {
    /// Per-cell ohmic resistance at the reference temperature (and full charge).
    @usableFromInline var resistance: ResistanceEstimator<maxCells, maxModules>
    /// Per-cell interface part, its trend, contact fraction and contact-loss steps.
    @usableFromInline var interface: InterfaceHealth<maxCells, maxModules>
    /// Thermal and freeze-thaw cycles.
    @usableFromInline var cycles = CycleCounters()
    /// The smallest estimated contact fraction, refreshed when a resistance window closes.
    @usableFromInline var smallestContact: Float = 1

    @inlinable init(configuration c: CoreConfiguration) {
        resistance = ResistanceEstimator(settings: c.resistanceFit)
        interface = InterfaceHealth(settings: c.interfaceHealth)
    }

    /// Counts thermal cycles on a frame whose temperatures are all valid.
    @inlinable mutating func countCycles(_ temps: TemperatureSummary<maxCells, maxModules>, configuration c: CoreConfiguration) {
        cycles.update(warmest: temps.maximum, coldest: temps.minimum, freezingPoint: c.cellModel.freezingPoint, settings: c.cycleCounting)
    }

    /// Feeds a valid frame (`current` is the pack's, `polarisation` the mean cell's modelled
    /// polarisation, `front` the active reaction front's depth and its sensitivity to the SoC,
    /// `ReactionFrontTracker`, and the rest detector's state, `rest`, with its averaged cell
    /// voltages `restVoltages`, for a rest edge, and the balancing's switch count
    /// `bleedSwitches`, `BalancingControl.switches`); when a resistance window closes, refreshes
    /// the interface split and the health figures in `status`.
    @inlinable mutating func update(
        _ frame: MeasurementFrame<maxCells, maxModules>, current: Amperes, polarisation: Volts, front: (depth: Float, sensitivity: Float),
        cellDeltas: Span<Float>, rest: (resting: Bool, settled: Bool), restVoltages: Span<Float>, bleedSwitches: UInt8 = 0,
        excluded: Span<Bool>, meanTemperature: Celsius, configuration c: CoreConfiguration, status: inout CoreStatus
    ) {
        let cellCurrent = current.value / Float(c.parallelStrings)
        resistance.noteRest(resting: rest.resting, settled: rest.settled)
        let thermal = c.cellModel.resistanceFactor(meanTemperature)
        let element = c.cellModel.polarisationElement(carrying: Amperes(cellCurrent), temperature: meanTemperature, factor: thermal)
        // Edges only where the lab measured the resistance law (two sigmas of the SoC inside
        // `evidenceSoC`): near empty a Na-S cell's resistance rises with its own SoC, and an
        // end-of-life Na-S string on arbitrage had two healthy cells at 1.5 times the median.
        let closed = resistance.update(
            frame, cellCount: c.cellCount, cellCurrent: cellCurrent, polarisation: polarisation.value, temperatureFactor: thermal,
            frontRise: c.cellModel.resistancePerDepthOfDischarge.value / c.cellModel.ohmicResistance.value,
            front: front, cellDeltas: cellDeltas, element: (element.resistance.value, element.timeConstant.value), step: c.step,
            edgesInside: c.interfaceHealth.evidenceSoCHolds(status.soc, sigma: status.socSigma), restVoltages: restVoltages,
            leastStepCurrent: ResistanceStepWatch.leastCRate * c.ratedCapacity.value, bleedSwitches: bleedSwitches)
        status.resistanceAtReference = Ohms(resistance._reference.span.mean(count: c.cellCount, excluded: excluded))
        guard resistance.windowClosed else { return }
        let interfaceResistance = c.interfaceHealth.commissionedInterface > .zero ? c.interfaceHealth.commissionedInterface : c.cellModel.interfaceResistance
        if closed {
            interface.update(
                &resistance, cellCount: c.cellCount, excluded: excluded, interfaceResistance: interfaceResistance,
                window: resistance.settings.window, soc: status.soc, socSigma: status.socSigma)
            status.interfaceGrowthPerDay = Ohms(interface.meanGrowthPerDay)
            status.healthDerating = Self.healthDerating(
                worst: resistance._reference.span.maximumFinite(count: c.cellCount, excluded: excluded, atLeast: 0), configuration: c)
        }
        // Every window, fitted or not: a block duty's edges come without fits.
        interface.judgeEdges(&resistance.edges, cellCount: c.cellCount, excluded: excluded, interfaceResistance: interfaceResistance)
        let meanResistance = meanResistance(status, configuration: c)
        interface.judgeStep(&resistance.stepWatch, excluded: excluded, interfaceResistance: interfaceResistance, resistance: meanResistance)
        status.contactLossCells = interface.contactLossCount
        smallestContact = min(interface.provisionalContact, interface._contactFraction.span.minimum(count: c.cellCount, excluded: excluded, atMost: 1))
    }

    /// The mean cell's resistance at the reference a step is measured against
    /// (`ResistanceStepWatch`): the fits', else the edges', else the datasheet's.
    @inlinable func meanResistance(_ status: CoreStatus, configuration c: CoreConfiguration) -> Float {
        let fitted = status.resistanceAtReference.value
        return fitted.isFinite && fitted > 0 ? fitted : resistance.edges.resistance > 0 ? resistance.edges.resistance : c.cellModel.ohmicResistance.value
    }

    /// An invalid frame: the resistance fit's blocks restart.
    @inlinable mutating func interrupt(configuration c: CoreConfiguration) {
        resistance.interrupt(cellCount: c.cellCount)
    }

    /// The factor on both current limits for the worst cell's resistance: a cell whose ohmic
    /// resistance (at the reference) exceeds the datasheet's by more than
    /// `DeratingSettings.healthResistanceFactor` carries sqrt(factor R0 / R) of the rated
    /// current, which keeps its Joule heat at that of a cell that far above the datasheet.
    /// `worst` is the largest estimate (0 before the first: 1).
    @inlinable static func healthDerating(worst: Float, configuration c: CoreConfiguration) -> Float {
        let r0 = c.cellModel.ohmicResistance.value
        let factor = c.derating.healthResistanceFactor.value
        guard worst > factor * r0 else { return 1 }
        return (factor * r0 / worst).squareRoot()
    }
}
