import BMSCore
import BatteryPlant

/// One closed-loop experiment: the pack, the duty cycle, how long, and what the firmware is told.
public struct Scenario: Sendable {
    /// The plant (truth).
    public var pack: PackDefinition
    /// The duty cycle the EMS asks for.
    public var profile: DutyProfile
    /// Power that `power_pu` = 1 stands for, W (ignored by power_W and current_A profiles).
    public var rating_W: Double
    /// Simulated duration, ms.
    public var duration_ms: Int64
    /// Seed of every random draw (cell spread, sensor offsets and noise).
    public var seed: UInt64
    /// Error of the firmware's initial SoC (estimate - truth), fraction.
    public var initialSoCError: Double
    /// Rated current the firmware offers to the EMS, A.
    public var ratedCurrent_A: Double
    /// Datasheet capacity the firmware is configured with, Ah. Deliberately a number of its own:
    /// the plant's cells spread around their nominal capacity and the firmware does not know how.
    public var ratedCapacity_Ah: Double
    /// Time between rows of the time series, ms.
    public var outputInterval_ms: Int64

    public init(
        pack: PackDefinition, profile: DutyProfile, rating_W: Double, duration_ms: Int64, seed: UInt64,
        initialSoCError: Double = 0, ratedCurrent_A: Double = 38, ratedCapacity_Ah: Double = 38,
        outputInterval_ms: Int64 = 10_000
    ) {
        self.pack = pack
        self.profile = profile
        self.rating_W = rating_W
        self.duration_ms = duration_ms
        self.seed = seed
        self.initialSoCError = initialSoCError
        self.ratedCurrent_A = ratedCurrent_A
        self.ratedCapacity_Ah = ratedCapacity_Ah
        self.outputInterval_ms = outputInterval_ms
    }

    /// The firmware's configuration: topology and datasheet values only, never the plant's truth.
    public var coreConfiguration: CoreConfiguration {
        CoreConfiguration.naNiCl2(
            cellCount: pack.cellCount, moduleCount: pack.moduleCount,
            ratedCapacity: AmpereHours(Float(ratedCapacity_Ah)),
            initialSoC: StateOfCharge(Float(pack.initialSoC + initialSoCError)),
            ratedCurrent: Amperes(Float(ratedCurrent_A)))
    }
}
