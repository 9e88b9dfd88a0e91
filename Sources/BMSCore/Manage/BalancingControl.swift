/// Passive (bleed-resistor) cell balancing on estimated SoC, not on voltage.
///
/// A cell bleeds while its SoC stands above the emptiest cell's by more than `threshold` plus
/// twice its own difference's uncertainty (so a cell is bled only on what the estimator knows: on
/// a plateau the per-cell differences are uncertain and nothing is bled until rests at the
/// plateau ends make them sharp), and stops once it is within `release`. Bleeding is allowed only
/// while nothing is faulted, the frame is valid and the cell is above `minimumCellVoltage`. The
/// bleed current (cell voltage / bleed resistance) is fed to the per-cell SoC filter, so the
/// estimate follows what the balancing does. A pause for a rest read (`RestDetector.wantsPause`:
/// a bled cell is not at rest) turns the resistors off but keeps each cell's decision: a cell
/// bleeding before it goes on to `release` after it. (Forgetting it, as a fault's stop does,
/// asked the cell to cross `threshold` again: at a week of sulfide duty's top-of-charge rest the
/// cells stood 1.1 points apart, just under the threshold and two sigmas, and bled nothing for
/// 3.5 h instead of coming to 0.8 points in half an hour.)
public struct BalancingControl<let maxCells: Int, let maxModules: Int>: Sendable {
    /// Cells bleeding now: the decided cells, none while paused.
    @inlinable public var mask: InlineArray<maxCells, Bool> { paused ? InlineArray(repeating: false) : _mask }
    /// The cells decided to bleed (kept through a pause).
    @usableFromInline var _mask: InlineArray<maxCells, Bool> = InlineArray(repeating: false)
    /// How many cells bleed now (none while paused).
    @inlinable public var count: Int { paused ? 0 : _count }
    @usableFromInline var _count: Int = 0
    /// Whether the resistors are off for a read (`tick`'s `paused`).
    @usableFromInline var paused = false
    @usableFromInline var decisionTimer = PeriodicTimer()
    /// Counts (wrapping) the steps on which some cell's resistor switched, on or off: each
    /// switch moves its cell's voltage by the bleed current through the cell, which
    /// `ResistanceStepWatch` must not take for a resistance step.
    @inlinable public var switches: UInt8 { _read { yield _switches } }
    @usableFromInline var _switches: UInt8 = 0

    @inlinable public init() {}

    /// One control step's timing: stops every bleed at once and forgets the decisions when
    /// balancing is not `allowed` (a fault, a cold pack, an invalid frame); turns the resistors
    /// off while `paused` (a rest read come due, `RestDetector.wantsPause`), keeping the
    /// decisions; otherwise returns whether a decision is due, which the caller then makes with
    /// `update` (so the per-cell filter is read only on decision steps, not copied every step).
    @inlinable mutating func tick(allowed: Bool, paused: Bool = false, cellCount: Int, settings: BalancingSettings, step: Milliseconds) -> Bool {
        let due = decisionTimer.tick(step, period: settings.decisionPeriod)
        if allowed && paused != self.paused && _count > 0 { _switches &+= 1 }
        self.paused = allowed && paused
        if !allowed {
            stop(cellCount: cellCount)
            return false
        }
        return due && !paused
    }

    /// Decides the bleed mask from each cell's SoC difference and its variance.
    @inlinable mutating func update(
        deltas: Span<Float>, variances: Span<Float>, voltages: Span<Volts>, cellCount: Int, excluded: Span<Bool>,
        settings: BalancingSettings
    ) {
        guard settings.enabled else {
            stop(cellCount: cellCount)
            return
        }
        let before = _switches
        _count = 0
        var lowest = Float.infinity
        for k in 0..<cellCount where !excluded[k] { lowest = min(lowest, deltas[k]) }
        for k in 0..<cellCount {
            let above = deltas[k] - lowest
            let sure = 2 * variances[k].squareRoot()
            // (The reading is taken before the condition: a span read inside `||`'s autoclosure
            // crashes the 6.3.1 compiler's copy propagation.)
            let low = voltages[k] < settings.minimumCellVoltage
            let on: Bool =
                excluded[k] || low ? false
                : _mask[k] ? above > settings.release.value + sure : above > settings.threshold.value + sure
            if on != _mask[k] && _switches == before { _switches &+= 1 }
            _mask[k] = on
            if on { _count += 1 }
        }
    }

    /// Stops all bleeding (a fault, an invalid frame).
    @inlinable mutating func stop(cellCount: Int) {
        if _count > 0 { _switches &+= 1 }
        for k in 0..<cellCount { _mask[k] = false }
        _count = 0
    }
}
