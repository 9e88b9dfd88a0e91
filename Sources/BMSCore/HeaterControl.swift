/// Two-point (hysteresis) heater control for one module.
///
/// A missing or invalid temperature reading turns the heater off: a heater must never run blind
/// (IEC 62984-2 asks the BMS to guard against failure of the thermal control itself).
public struct HeaterControl: Sendable {
    public let settings: HeaterSettings
    /// Whether the heater is on after the last update.
    public private(set) var isOn: Bool = false

    public init(settings: HeaterSettings) { self.settings = settings }

    /// Updates the on/off state from the module temperature; nil = no valid reading.
    public mutating func update(temperature: Celsius?) -> Bool {
        guard let t = temperature else {
            isOn = false
            return isOn
        }
        let half = settings.band / 2
        if t.value < settings.setpoint.value - half {
            isOn = true
        } else if t.value > settings.setpoint.value + half {
            isOn = false
        }
        return isOn
    }
}
