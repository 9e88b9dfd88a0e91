/// The few numbers of a cell's datasheet that set a configuration's limits
/// (`CoreConfiguration.datasheet`): voltage tiers as (low, high) pairs, the current-limit windows
/// as (zero at, derating starts at), the operating temperatures and the heater setpoint and band,
/// and the over-temperature tiers (maximum operating, recommended safety, maximum safety).
public struct DatasheetLimits: Sendable {
    public var safetyVoltage: (Float, Float)
    public var recommendedVoltage: (Float, Float)
    public var operatingVoltage: (Float, Float)
    public var dischargeWindow: (Float, Float)
    public var chargeWindow: (Float, Float)
    public var minimumTemperature: Float
    public var setpoint: Float
    public var band: Float
    public var overTemperature: (Float, Float, Float)

    @inlinable public init(
        safetyVoltage: (Float, Float), recommendedVoltage: (Float, Float), operatingVoltage: (Float, Float),
        dischargeWindow: (Float, Float), chargeWindow: (Float, Float), minimumTemperature: Float, setpoint: Float, band: Float,
        overTemperature: (Float, Float, Float)
    ) {
        self.safetyVoltage = safetyVoltage
        self.recommendedVoltage = recommendedVoltage
        self.operatingVoltage = operatingVoltage
        self.dischargeWindow = dischargeWindow
        self.chargeWindow = chargeWindow
        self.minimumTemperature = minimumTemperature
        self.setpoint = setpoint
        self.band = band
        self.overTemperature = overTemperature
    }
}
