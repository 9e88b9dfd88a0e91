import BMSCore
import Testing
import BMSCoreTestSupport

/// `CoreConfiguration.validate` refuses every setting that is not finite or out of its range,
/// naming it; the shipped presets pass.
@Suite("Configuration validation")
struct ConfigurationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var change: @Sendable (inout CoreConfiguration) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "heater.band") { $0.heater.band = .kelvin(0) },
        Case(name: "heater.band") { $0.heater.band = .kelvin(.nan) },
        Case(name: "heater.setpoint") { $0.heater.setpoint = Celsius(.infinity) },
        Case(name: "heater.heatingEvidence") { $0.heater.heatingEvidence = .kelvin(-1) },
        Case(name: "heater.idleCurrent") { $0.heater.idleCurrent = .per(hours: 0) },
        Case(name: "cellModel.capacity") { $0.cellModel.capacity = AmpereHours(0) },
        Case(name: "cellModel.ohmicResistance") { $0.cellModel.ohmicResistance = Ohms(.nan) },
        Case(name: "cellModel.polarisationTimeConstant") { $0.cellModel.polarisationTimeConstant = Seconds(0) },
        Case(name: "cellModel.interfaceResistance") { $0.cellModel.interfaceResistance = Ohms(1) },
        Case(name: "cellVoltageNoise") { $0.cellVoltageNoise = Volts(0) },
        Case(name: "initialSoC") { $0.initialSoC = StateOfCharge(1.5) },
        Case(name: "estimator.voltageModelError") { $0.estimator.voltageModelError = Volts(-0.001) },
        Case(name: "estimator.initialSoCSigma") { $0.estimator.initialSoCSigma = StateOfCharge(.nan) },
        Case(name: "contactors.prechargeVoltageTolerance") { $0.contactors.prechargeVoltageTolerance = Ratio(0) },
        Case(name: "contactors.maximumPrechargeAttempts") { $0.contactors.maximumPrechargeAttempts = 0 },
        Case(name: "balancing.threshold") { $0.balancing.release = StateOfCharge(0.05) },
        Case(name: "currentLimits.ccdFraction") { $0.currentLimits.ccdFraction = Ratio(1.5) },
        Case(name: "currentLimits.voltageRecoveryTime") { $0.currentLimits.voltageRecoveryTime = Milliseconds(-1) },
        Case(name: "protection.temperatureHysteresis") { $0.protection.temperatureHysteresis = .kelvin(-2) },
        Case(name: "protection.debounceCount") { $0.protection.debounceCount = 0 },
        Case(name: "validation.cellSumRelativeTolerance") { $0.validation.cellSumRelativeTolerance = Ratio(-0.01) },
        Case(name: "validation.openWireHighFraction") { $0.validation.openWireHighFraction = Ratio(0.9) },
        Case(name: "rest.restCurrent") { $0.rest.restCurrent = .per(hours: -100) },
        Case(name: "rest.restVoltageWeight") { $0.rest.restVoltageWeight = Ratio(0) },
        Case(name: "fullCharge.hold") { $0.fullCharge.hold = Milliseconds(10) },
        Case(name: "derating.healthResistanceFactor") { $0.derating.healthResistanceFactor = Ratio(0.8) },
        Case(name: "cycleCounting.thermalSwing") { $0.cycleCounting.thermalSwing = .kelvin(0) },
        Case(name: "estimator.readBandSigmas") { $0.estimator.readBandSigmas = 0 },
        Case(name: "cellDeltas.readSigmaFloor") { $0.cellDeltas.readSigmaFloor = StateOfCharge(-1) },
        Case(name: "capacity.forgetting") { $0.capacity.forgetting = Ratio(1.1) },
        Case(name: "frontGauge.window") { $0.frontGauge.window = Milliseconds(0) },
        Case(name: "scaleGauge.window") {
            $0.assumeUnknownHistory()
            $0.scaleGauge?.window = Milliseconds(0)
        },
        Case(name: "frontGauge.blockFrames") { $0.frontGauge.blockFrames = 0 },
        // A block longer than the window could never close in it.
        Case(name: "scaleGauge.blockFrames") {
            $0.assumeUnknownHistory()
            $0.scaleGauge?.blockFrames = 1000
            $0.scaleGauge?.window = Milliseconds(60_000)
        },
        Case(name: "resistanceFit.recentStepsDivisor") { $0.resistanceFit.recentStepsDivisor = 0.5 },
        Case(name: "interfaceHealth.confirmEvidence") { $0.interfaceHealth.confirmEvidence = 0 },
        Case(name: "interfaceHealth.confirmEvidence") { $0.interfaceHealth.confirmEvidence = .nan },
        Case(name: "interfaceHealth.referenceLag") { $0.interfaceHealth.referenceLag = Milliseconds(0) },
        Case(name: "interfaceHealth.plausibleSpread") { $0.interfaceHealth.plausibleSpread = 1...2 },
        Case(name: "interfaceHealth.commissionedResistance") { $0.interfaceHealth.commissionedResistance = Ohms(-0.001) },
        Case(name: "interfaceHealth.commissionedResistance") { $0.interfaceHealth.commissionedResistance = Ohms(.nan) },
        Case(name: "interfaceHealth.commissionedCells") { $0.interfaceHealth.commissionedCells = -1 },
        Case(name: "interfaceHealth.commissionedCells") { $0.interfaceHealth.commissionedCells = 10_000 },
        Case(name: "interfaceHealth.commissionedCells") { $0.interfaceHealth.commissionedResistance = Ohms(0.01) },
    ]

    @Test(arguments: cases) func refusesASettingOutOfRange(_ c: Case) {
        var cfg = zebraConfiguration()
        c.change(&cfg)
        do {
            _ = try TestController.requesting(configuration: cfg)
            Issue.record("accepted an invalid \(c.name)")
        } catch {
            guard case .invalidSetting(let name) = error else {
                Issue.record("\(error) instead of invalidSetting(\(c.name))")
                return
            }
            #expect(name.description == c.name)
        }
    }

    /// A zero or negative step, or one slower than a second, is refused (every step-count timer is
    /// sized for at most a second).
    @Test(arguments: [0, -100, 1001, 2148]) func refusesAStepOutsideItsRange(_ ms: Int64) {
        var cfg = zebraConfiguration()
        cfg.step = Milliseconds(ms)
        #expect(throws: ConfigurationError.stepOutOfRange(Milliseconds(ms))) { _ = try TestController.requesting(configuration: cfg) }
    }

    @Test(arguments: [FirmwareChemistry.naNiCl2, .naS, .nasicon, .sulfide, .polymer])
    func everyPresetIsValid(_ chemistry: FirmwareChemistry) throws {
        let cfg = CoreConfiguration.preset(chemistry, cellCount: 20, moduleCount: 2, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(10))
        try cfg.validate(maxCells: 32, maxModules: 4)
    }
}

/// `restart(configuration:)`, the firmware's in-place power-up: the state a fresh controller has,
/// whatever ran before; a refused configuration changes nothing.
@Suite("Restart in place")
struct RestartTests {
    /// Steps a controller and records each step's digest.
    static func digests(_ c: inout TestController, steps: Int, current: Float) -> [InlineArray<16, UInt32>] {
        var last = CommandFrame<32, 4>.safe
        last.contactors = c.contactorCommands
        var out: [InlineArray<16, UInt32>] = []
        for k in 0..<steps {
            let f = nominalFrame(time: 100 + Int64(k) * 100, current: k > 40 ? current : 0)
            last = step(&c, f, after: last)
            out.append(StepDigest(commands: last, status: c.status, time: f.time, cellCount: 20, moduleCount: 2).words)
        }
        return out
    }

    static func same(_ a: [InlineArray<16, UInt32>], _ b: [InlineArray<16, UInt32>]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in (0..<16).allSatisfy { x[$0] == y[$0] } }
    }

    @Test func restartedControllerStepsAsAFreshOne() throws {
        let c = zebraConfiguration()
        var fresh = try TestController.requesting(configuration: c)
        let expected = Self.digests(&fresh, steps: 200, current: 20)
        // Another controller: another chemistry, a latched fault, an hour of history.
        var used = try TestController.requesting(
            configuration: .preset(.naS, cellCount: 16, moduleCount: 3, initialSoC: StateOfCharge(0.9), ratedCurrent: Amperes(10)))
        used.reportCommunicationLoss()
        _ = Self.digests(&used, steps: 300, current: -5)
        try used.restart(configuration: c)
        #expect(used.status.faults.isEmpty)
        #expect(used.configuration.cellCount == 20)
        used.modeRequest = .normal
        #expect(Self.same(Self.digests(&used, steps: 200, current: 20), expected))
    }

    @Test func refusedConfigurationLeavesTheControllerAsItWas() throws {
        var controller = try TestController.requesting(configuration: zebraConfiguration())
        _ = Self.digests(&controller, steps: 50, current: 10)
        var twin = controller
        var bad = zebraConfiguration()
        bad.cellCount = 33
        #expect(throws: ConfigurationError.self) { try controller.restart(configuration: bad) }
        #expect(Self.same(Self.digests(&controller, steps: 100, current: 10), Self.digests(&twin, steps: 100, current: 10)))
    }
}
