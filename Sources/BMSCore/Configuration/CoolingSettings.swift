/// The pack's cooling blower (a beta''-alumina box blows air through its cell blocks when hot):
/// on while the hottest believed module is above `onAbove`, off once it is `band` below; always
/// on after an over-temperature trip. Supervised by its airflow switch
/// (`MeasurementFrame.blowerAirflow`): air missing while commanded on, or moving while commanded
/// off, for `airflowCheckTime` raises `coolingFault` (a failed fan; a relay stuck closed).
public struct CoolingSettings: Sendable {
    public var onAbove: Celsius
    /// Full hysteresis band (10 K: minutes of blowing, not seconds).
    public var band: TemperatureDifference = .kelvin(10)
    /// How long the airflow may disagree with the command (10 s: a fan spins up in a few).
    public var airflowCheckTime = Milliseconds(10_000)

    @inlinable public init(onAbove: Celsius) {
        self.onAbove = onAbove
    }
}
