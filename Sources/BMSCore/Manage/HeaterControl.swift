/// Two-point (hysteresis) heater control for one module, with an idle setback and a check that
/// the heater really heats.
///
/// A missing or invalid temperature reading turns the heater off: a heater must never run blind
/// (IEC 62984-2 asks the BMS to guard against failure of the thermal control itself).
public struct HeaterControl: Sendable {
    public let settings: HeaterSettings
    /// Whether the heater is on after the last update.
    @inlinable public var isOn: Bool { _read { yield _isOn } }
    @usableFromInline var _isOn: Bool = false
    /// The heater has been on for `heaterCheckTime` without warming its module (latched until
    /// the module warms).
    @inlinable public var notHeating: Bool { _read { yield _notHeating } }
    @usableFromInline var _notHeating: Bool = false
    @usableFromInline var onSince = Milliseconds.zero
    @usableFromInline var temperatureWhenOn: Float = .nan

    @inlinable public init(settings: HeaterSettings) { self.settings = settings }

    /// Updates the on/off state from the module temperature (nil = no valid reading); `idle`
    /// says whether the pack has stood without current for `standbyAfter`.
    @inlinable public mutating func update(temperature: Celsius?, idle: Bool = false, step: Milliseconds = Milliseconds(100)) -> Bool {
        guard let t = temperature else {
            _isOn = false
            temperatureWhenOn = .nan
            return _isOn
        }
        let half = settings.band.value / 2
        let setpoint = idle ? (settings.standbySetpoint ?? settings.setpoint) : settings.setpoint
        let wasOn = _isOn
        if t.value < setpoint.value - half {
            _isOn = true
        } else if t.value > setpoint.value + half {
            _isOn = false
        }
        // Is it heating? Measured from the moment it came on; a module that warmed by the
        // evidence margin clears the flag and restarts the clock.
        if _isOn {
            if !wasOn || !temperatureWhenOn.isFinite {
                onSince = .zero
                temperatureWhenOn = t.value
            }
            onSince = onSince + step
            if t.value >= temperatureWhenOn + settings.heatingEvidence.value {
                _notHeating = false
                onSince = .zero
                temperatureWhenOn = t.value
            } else if onSince >= settings.heaterCheckTime {
                _notHeating = true
            }
        } else {
            temperatureWhenOn = .nan
        }
        return _isOn
    }
}
