/// Two-point (hysteresis) heater control for one module, with an idle setback and a check that
/// the heater really heats.
///
/// A missing or invalid temperature reading turns the heater off: a heater must never run blind
/// (IEC 62984-2 asks the BMS to guard against failure of the thermal control itself).
public struct HeaterControl: Sendable {
    public let settings: HeaterSettings
    /// Whether the heater is on after the last update.
    public private(set) var isOn: Bool = false
    /// The heater has been on for `heaterCheckTime` without warming its module (latched until
    /// the module warms).
    public private(set) var notHeating: Bool = false
    var onSince = Milliseconds.zero
    var temperatureWhenOn: Float = .nan

    public init(settings: HeaterSettings) { self.settings = settings }

    /// Updates the on/off state from the module temperature (nil = no valid reading); `idle`
    /// says whether the pack has stood without current for `standbyAfter`.
    public mutating func update(temperature: Celsius?, idle: Bool = false, step: Milliseconds = Milliseconds(100)) -> Bool {
        guard let t = temperature else {
            isOn = false
            temperatureWhenOn = .nan
            return isOn
        }
        let half = settings.band.value / 2
        let setpoint = idle ? (settings.standbySetpoint ?? settings.setpoint) : settings.setpoint
        let wasOn = isOn
        if t.value < setpoint.value - half {
            isOn = true
        } else if t.value > setpoint.value + half {
            isOn = false
        }
        // Is it heating? Measured from the moment it came on; a module that warmed by the
        // evidence margin clears the flag and restarts the clock.
        if isOn {
            if !wasOn || !temperatureWhenOn.isFinite {
                onSince = .zero
                temperatureWhenOn = t.value
            }
            onSince = onSince + step
            if t.value >= temperatureWhenOn + settings.heatingEvidence.value {
                notHeating = false
                onSince = .zero
                temperatureWhenOn = t.value
            } else if onSince >= settings.heaterCheckTime {
                notHeating = true
            }
        } else {
            temperatureWhenOn = .nan
        }
        return isOn
    }
}
