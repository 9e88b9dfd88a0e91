import BMSCore
import Testing
import BMSCoreTestSupport

/// The freeze reserve (issue 13): a molten-electrode pack keeps the charge its heaters need to
/// ride through a grid outage of a configured length.
struct FreezeReserveTests {
    /// 20 ZEBRA cells (38 Ah, about 1.96 kWh), two 10 W heaters: half their rating for 24 h is
    /// 240 Wh, a 12 % reserve.
    static func dischargeLimit(soc: Float, reserveHours: Float?) throws -> (limit: Float, reserve: Float) {
        var configuration = zebraConfiguration()
        configuration.initialSoC = StateOfCharge(soc)
        configuration.heater.ratedPower = Watts(10)
        configuration.heater.freezeReserveHours = reserveHours
        var c = try TestController.requesting(configuration: configuration)
        let cmd = run(&c, steps: 30) { nominalFrame(time: $0) }
        return (cmd.dischargeCurrentLimit.value, c.status.freezeReserve.value)
    }

    @Test func dischargeStopsAtTheReserve() throws {
        let low = try Self.dischargeLimit(soc: 0.10, reserveHours: 24)
        #expect(abs(low.reserve - 0.122) < 0.005, "\(low.reserve)")
        #expect(low.limit == 0)
        let above = try Self.dischargeLimit(soc: 0.30, reserveHours: 24)
        #expect(above.limit > 0)
        let none = try Self.dischargeLimit(soc: 0.10, reserveHours: nil)
        #expect(none.limit > 0, "without a reserve the pack discharges at 10 %")
    }

    @Test func aReserveWithoutTheHeatersRatingIsRefused() {
        var configuration = zebraConfiguration()
        configuration.heater.freezeReserveHours = 24
        #expect(throws: ConfigurationError.self) { try TestController(configuration: configuration) }
    }
}
