import AllocationCounter
import BMSCore
import Testing
import BMSCoreTestSupport

/// The firmware must not allocate in `step`: counted on the host with an interposed malloc (the
/// Embedded build with -no-allocations proves it at compile time for the target).
@Suite("Zero allocation")
struct AllocationTests {
    typealias Controller240 = BMSController<240, 12>
    typealias Frame240 = MeasurementFrame<240, 12>

    #if canImport(Glibc)
    /// Where the interposer is built, it must be in: else the tests below would be skipped.
    @Test func counterIsActiveOnGlibc() {
        #expect(bmssim_allocation_counter_active() == 1)
    }
    #endif

    @Test(.enabled(if: bmssim_allocation_counter_active() == 1, "the interposer is built for glibc only"))
    func counterSeesAllocations() {
        let before = bmssim_thread_allocations()
        let array = [Int](repeating: 7, count: 1000)
        #expect(array.count == 1000)
        #expect(bmssim_thread_allocations() > before, "the counter must be able to fail")
    }

    @Test(.enabled(if: bmssim_allocation_counter_active() == 1, "the interposer is built for glibc only"))
    func tenThousandStepsOf240CellsAllocateNothing() throws {
        var configuration = CoreConfiguration.preset(
            .naNiCl2, cellCount: 240, moduleCount: 12, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(38))
        configuration.heater.ratedPower = Watts(200)
        configuration.heater.freezeReserveHours = 24
        var controller = try Controller240(configuration: configuration)
        controller.modeRequest = .normal
        var frame = Frame240(time: .zero)
        frame.packVoltage = Volts(619)
        for i in 0..<240 { frame.cellVoltages[i] = Volts(2.58 + Float(i % 7) * 0.001) }
        for m in 0..<12 { frame.moduleTemperatures[m] = Celsius(285 + Float(m)) }
        frame.contactorClosed = true
        var faults: UInt32 = 0
        // Warm up once (lazy globals, metadata), then count.
        frame.time = Milliseconds(100)
        frame.packCurrent = Amperes(5)
        faults |= controller.step(frame).faults.rawValue
        let before = bmssim_thread_allocations()
        for k in 2...10_001 {
            frame.time = Milliseconds(Int64(k) * 100)
            frame.packCurrent = Amperes(Float(k % 41) - 20)
            if k % 1000 == 0 { frame.cellVoltages[17] = Volts(.nan) } else { frame.cellVoltages[17] = Volts(2.58) }
            faults |= controller.step(frame).faults.rawValue
        }
        let allocations = bmssim_thread_allocations() - before
        #expect(allocations == 0)
        #expect(faults & FaultFlags.staleFrame.rawValue == 0)
    }

    /// The persistent record's paths (power-up, periodic writes, shutdown) allocate nothing
    /// either: they run on the firmware beside `step`.
    @Test(.enabled(if: bmssim_allocation_counter_active() == 1, "the interposer is built for glibc only"))
    func theRecordAllocatesNothing() throws {
        let configuration = CoreConfiguration.preset(
            .naNiCl2, cellCount: 240, moduleCount: 12, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(38))
        var controller = try Controller240(configuration: configuration)
        controller.modeRequest = .normal
        var storage = MemoryRecordStorage<4096>()
        #expect(controller.recordWords <= 4096)
        var frame = Frame240(time: Milliseconds(100))
        frame.packVoltage = Volts(619)
        for i in 0..<240 { frame.cellVoltages[i] = Volts(2.58) }
        for m in 0..<12 { frame.moduleTemperatures[m] = Celsius(290) }
        frame.contactorClosed = true
        _ = controller.step(frame)
        try controller.persist(to: &storage)
        // A power-up, half an hour of steps with the writes that fall due, a shutdown.
        func cycle(_ c: inout Controller240, from start: Int64) throws -> PowerUpReport {
            let report = c.powerUp(from: &storage)
            for k in 2...18_000 {
                frame.time = Milliseconds(start + Int64(k) * 100)
                frame.packCurrent = Amperes(Float(k % 41) - 20)
                _ = c.step(frame)
                try c.persist(to: &storage)
            }
            try c.shutDown(to: &storage)
            return report
        }
        // Warm up once (the runtime instantiates generic metadata lazily, once), then count.
        var first = try Controller240(configuration: configuration)
        _ = try cycle(&first, from: 0)
        var again = try Controller240(configuration: configuration)
        let before = bmssim_thread_allocations()
        let report = try cycle(&again, from: 1_800_000)
        let allocations = bmssim_thread_allocations() - before
        #expect(report.restored && report.clean)
        #expect(again.recordWrites >= 3)
        #expect(allocations == 0)
    }
}
