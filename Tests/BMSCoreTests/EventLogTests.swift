import BMSCore
import Testing
import BMSCoreTestSupport

/// The event log (issue 13): a bounded ring of trips, warnings, mode changes, requests and
/// resets, numbered so that a reader polling it can tell what it missed.
struct EventLogTests {
    @Test func theRingKeepsTheNewestAndTheirNumbers() {
        var log = EventLog<4>()
        for k in 1...6 { log.append(Event(time: Milliseconds(Int64(k)), kind: .warningRaised, detail: UInt32(k))) }
        #expect(log.recorded == 6)
        #expect(log.count == 4)
        #expect(log.event(number: 2) == nil, "overwritten")
        #expect(log.event(number: 3)?.detail == 3)
        #expect(log.event(number: 6)?.detail == 6)
        #expect(log.event(number: 7) == nil)
        #expect(log.event(number: 0) == nil)
    }

    @Test func theControllerLogsRequestsModesTripsAndResets() throws {
        var c = try TestController(configuration: zebraConfiguration())
        _ = run(&c, steps: 5) { nominalFrame(time: $0) }
        c.modeRequest = .normal
        _ = run(&c, steps: 30, from: 600) { nominalFrame(time: $0) }
        _ = run(&c, steps: 20, from: 3600) { nominalFrame(time: $0, cell: 2.9) }  // over-voltage
        c.resetFaults(by: .service)  // refused: not in service mode
        c.enterService()
        c.resetFaults(by: .service)
        let kinds = (1...c.eventLog.recorded).compactMap { c.eventLog.event(number: $0)?.kind }
        #expect(kinds.first == .modeRequested)
        #expect(kinds.contains(.modeChanged))
        let trip = (1...c.eventLog.recorded).compactMap { c.eventLog.event(number: $0) }.first { $0.kind == .faultLatched }
        #expect(trip.map { FaultFlags(rawValue: $0.detail).contains(.cellOverVoltage) } == true)
        #expect(trip.map { $0.time.count >= 3600 } == true)
        #expect(Array(kinds.suffix(3)) == [.resetRefused, .serviceSwitch, .faultsReset])
    }
}
