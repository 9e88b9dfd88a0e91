import BMSCore
import Testing
import BMSCoreTestSupport

/// Every tier of every monitored quantity, tested just inside and just beyond its limit.
@Suite("Protection tiers")
struct TierTests {
    enum Tier: String, CaseIterable { case operating, recommended, safety }
    enum Quantity: String, CaseIterable { case overVoltage, underVoltage, overTemperature, dischargeOverCurrent, chargeOverCurrent }

    static let cases: [(Quantity, Tier)] = Quantity.allCases.flatMap { q in Tier.allCases.map { (q, $0) } }

    func limit(_ q: Quantity, _ t: Tier, _ p: ProtectionLimits) -> Float {
        let set: LimitSet =
            switch t {
            case .operating: p.maximumOperating
            case .recommended: p.recommendedSafety
            case .safety: LimitSet(
                cellOverVoltage: p.cellOverVoltage, cellUnderVoltage: p.cellUnderVoltage, overTemperature: p.overTemperature,
                dischargeOverCurrent: p.dischargeOverCurrent, chargeOverCurrent: p.chargeOverCurrent)
            }
        return switch q {
        case .overVoltage: set.cellOverVoltage.value
        case .underVoltage: set.cellUnderVoltage.value
        case .overTemperature: set.overTemperature.value
        case .dischargeOverCurrent: set.dischargeOverCurrent.value
        case .chargeOverCurrent: set.chargeOverCurrent.value
        }
    }

    /// A frame with quantity `q` at `value`, everything else nominal.
    func frame(_ q: Quantity, _ value: Float, time: Int64) -> TestFrame {
        var f = nominalFrame(time: time)
        switch q {
        case .overVoltage, .underVoltage: f.cellVoltages[5] = Volts(value)
        case .overTemperature: f.moduleTemperatures[1] = Celsius(value)
        case .dischargeOverCurrent: f.packCurrent = Amperes(value)
        case .chargeOverCurrent: f.packCurrent = Amperes(-value)
        }
        return f
    }

    func flag(_ q: Quantity) -> FaultFlags {
        switch q {
        case .overVoltage: .cellOverVoltage
        case .underVoltage: .cellUnderVoltage
        case .overTemperature: .overTemperature
        case .dischargeOverCurrent: .dischargeOverCurrent
        case .chargeOverCurrent: .chargeOverCurrent
        }
    }

    func raised(_ cmd: CommandFrame<32, 4>, _ t: Tier, _ q: Quantity) -> Bool {
        switch t {
        case .operating: cmd.warnings.contains(flag(q))
        case .recommended: cmd.alarms.contains(flag(q))
        case .safety: cmd.faults.contains(flag(q))
        }
    }

    @Test(arguments: cases)
    func tierAtItsThresholdOnBothSides(quantity q: Quantity, tier t: Tier) throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        run(&c, steps: 10) { nominalFrame(time: $0) }
        let l = limit(q, t, c.configuration.protection)
        let upper = q != .underVoltage
        let epsilon: Float = q == .overVoltage || q == .underVoltage ? 0.001 : 0.1
        let inside = upper ? l - epsilon : l + epsilon
        let beyond = upper ? l + epsilon : l - epsilon
        var cmd = run(&c, steps: 30, from: 1100) { frame(q, inside, time: $0) }
        #expect(!raised(cmd, t, q), "\(q) \(t) just inside \(l)")
        cmd = run(&c, steps: 4, from: 4100) { frame(q, beyond, time: $0) }
        #expect(!raised(cmd, t, q), "not before the 500 ms debounce")
        cmd = run(&c, steps: 1, from: 4500) { frame(q, beyond, time: $0) }
        #expect(raised(cmd, t, q), "\(q) \(t) just beyond \(l)")
    }

    @Test func warningHalvesAndAlarmZeroesTheCurrentThatWay() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        run(&c, steps: 10) { nominalFrame(time: $0) }
        var cmd = run(&c, steps: 6, from: 1100) { frame(.overVoltage, 2.765, time: $0) }
        #expect(cmd.warnings.contains(.cellOverVoltage) && !cmd.alarms.contains(.cellOverVoltage))
        #expect(cmd.dischargeCurrentLimit == Amperes(38), "discharge untouched")
        // Halved by the warning, and the 2.75 V ramp's factor falling towards zero with its 1 s lag.
        #expect(cmd.chargeCurrentLimit.value < 38 * 0.5 * 0.6, "charge \(cmd.chargeCurrentLimit.value) A")
        cmd = run(&c, steps: 44, from: 1700) { frame(.overVoltage, 2.765, time: $0) }
        #expect(cmd.chargeCurrentLimit == .zero, "beyond the window's edge the charge derating reaches zero within 5 s")
        cmd = run(&c, steps: 6, from: 6100) { frame(.underVoltage, 1.94, time: $0) }
        #expect(cmd.warnings.contains(.cellUnderVoltage))
        cmd = run(&c, steps: 6, from: 6700) { frame(.overTemperature, 346, time: $0) }
        #expect(cmd.alarms.contains(.overTemperature))
        #expect(cmd.chargeCurrentLimit == .zero && cmd.dischargeCurrentLimit == .zero)
        #expect(cmd.closeContactors, "an alarm limits current; only the safety tier disconnects")
    }

    /// A warning releases only after the value is back inside by the margin for the release time.
    @Test func releaseNeedsMarginAndTime() throws {
        var c = try TestController.requesting(configuration: zebraConfiguration())
        run(&c, steps: 10) { nominalFrame(time: $0) }
        var cmd = run(&c, steps: 6, from: 1100) { frame(.overTemperature, 341, time: $0) }
        #expect(cmd.warnings.contains(.overTemperature))
        cmd = run(&c, steps: 100, from: 1700) { frame(.overTemperature, 339, time: $0) }
        #expect(cmd.warnings.contains(.overTemperature), "inside by 1 K, less than the 2 K margin")
        cmd = run(&c, steps: 49, from: 11_700) { frame(.overTemperature, 337, time: $0) }
        #expect(cmd.warnings.contains(.overTemperature), "4.9 s of the 5 s release time")
        cmd = run(&c, steps: 2, from: 16_600) { frame(.overTemperature, 337, time: $0) }
        #expect(!cmd.warnings.contains(.overTemperature))
    }

    /// Debounce by count: with no debounce time, three fresh samples are needed.
    @Test func debounceByCount() throws {
        var cfg = zebraConfiguration()
        cfg.protection.debounce = .zero
        cfg.protection.debounceCount = 3
        var c = try TestController.requesting(configuration: cfg)
        run(&c, steps: 10) { nominalFrame(time: $0) }
        var cmd = run(&c, steps: 2, from: 1100) { frame(.overTemperature, 351, time: $0) }
        #expect(!cmd.faults.contains(.overTemperature))
        cmd = run(&c, steps: 1, from: 1300) { frame(.overTemperature, 351, time: $0) }
        #expect(cmd.faults.contains(.overTemperature))
    }

    @Test func tiersOutOfOrderAreRefused() {
        var cfg = zebraConfiguration()
        cfg.protection.maximumOperating.cellOverVoltage = Volts(2.9)
        #expect(throws: ConfigurationError.inconsistentLimits(.tiers)) { _ = try TestController.requesting(configuration: cfg) }
    }
}
