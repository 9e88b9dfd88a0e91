/// When the persistent record is written (`BMSController.persist(to:)`), and what an unclean
/// power-up assumes was lost.
///
/// A record is written at power-up (marking the run unclean until an orderly `shutDown(to:)`),
/// at once when a latched fault or the precharge-failure count changes, after `socChange` of SoC
/// or new events (but not sooner than `minimumInterval` after the last write), and at least every
/// `period`. The SoC cannot move further unrecorded than `socChange` plus what the largest trip
/// current moves it in `minimumInterval`: that much is added (in quadrature) to the restored
/// sigma after an unclean power-up.
public struct RecordSettings: Sendable {
    /// The longest time between two writes.
    public var period: Milliseconds
    /// The shortest time between two writes for SoC or event changes (bounds the write rate:
    /// the storage's endurance is sized against it, docs/core.md "Persistent record").
    public var minimumInterval: Milliseconds
    /// The SoC change that makes a write due.
    public var socChange: StateOfCharge
    /// How long `FaultFlags.uncleanRestart` is held after an unclean power-up (long enough for
    /// any EMS poll to see it; the event log keeps it).
    public var restartWarningTime: Milliseconds

    @inlinable public init(
        period: Milliseconds = .seconds(900), minimumInterval: Milliseconds = .seconds(60), socChange: StateOfCharge = StateOfCharge(0.01),
        restartWarningTime: Milliseconds = .seconds(900)
    ) {
        self.period = period
        self.minimumInterval = minimumInterval
        self.socChange = socChange
        self.restartWarningTime = restartWarningTime
    }
}
