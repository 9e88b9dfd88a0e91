import BatteryPlant

/// A plant the field device serves: it takes the commands, advances by one fixed step, and has
/// its sensors' readings in the map's resolution.
public protocol FieldDevicePlant {
    var cellCount: Int { get }
    var moduleCount: Int { get }
    /// Simulated time one step advances, ms.
    var step_ms: Int64 { get }
    /// The present readings, already in the map's resolution (`FieldDeviceMap.quantise`).
    var readings: SensorReadings { get }
    /// Power each module's heater delivers now, W.
    var heaterPower_W: [Double] { get }
    /// Applies `commands` and simulates one step.
    mutating func advance(_ commands: FieldCommands)
}
