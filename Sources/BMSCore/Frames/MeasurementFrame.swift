/// One sample of everything the BMS hardware measures, as the core receives it.
///
/// Arrays have a fixed capacity (`maxCells`, `maxModules`) so that the firmware never allocates;
/// only the first `cellCount` / `moduleCount` entries of the controller's configuration are read.
/// Unused or unsampled entries hold NaN, which validation treats as a missing reading.
public struct MeasurementFrame<let maxCells: Int, let maxModules: Int>: Sendable {
    /// Time the sample was taken (simulated or hardware clock).
    public var time: Milliseconds
    /// Pack current, positive = discharge.
    public var packCurrent: Amperes
    /// The same current from a second, independent sensor (NaN: the pack has none).
    public var secondCurrent: Amperes
    /// Pack (string) terminal voltage.
    public var packVoltage: Volts
    /// Cell voltages, index 0 = most negative cell of the string.
    public var cellVoltages: InlineArray<maxCells, Volts>
    /// One temperature per module (the thermocouple at the centre of its cell block).
    public var moduleTemperatures: InlineArray<maxModules, Celsius>
    /// Each module's second thermocouple, at the edge of its cell block (read only with
    /// `ValidationSettings.edgeThermocouples`; NaN: none fitted or no reading).
    public var edgeTemperatures: InlineArray<maxModules, Celsius>
    /// Voltage on the load side of the main positive (the DC link), for the precharge check.
    public var linkVoltage: Volts
    /// Power each module's heater draws (its supply's current transducer); NaN: not measured.
    public var heaterPower: InlineArray<maxModules, Watts>
    /// Auxiliary contacts of the relays (true = closed).
    public var contactorFeedback: ContactorFeedback
    /// The cooling blower's airflow switch (true = air moving).
    public var blowerAirflow: Bool

    /// Both main contactors read closed (setting it sets both mains and opens the precharge).
    @inlinable public var contactorClosed: Bool {
        get { contactorFeedback.mainPositive && contactorFeedback.mainNegative }
        set { contactorFeedback = newValue ? .closed : .open }
    }

    /// A frame at `time` with every reading missing (NaN) and the contactor open.
    @inlinable public init(time: Milliseconds) {
        self.time = time
        self.packCurrent = Amperes(.nan)
        self.secondCurrent = Amperes(.nan)
        self.packVoltage = Volts(.nan)
        self.cellVoltages = InlineArray(repeating: Volts(.nan))
        self.moduleTemperatures = InlineArray(repeating: Celsius(.nan))
        self.edgeTemperatures = InlineArray(repeating: Celsius(.nan))
        self.linkVoltage = Volts(.nan)
        self.heaterPower = InlineArray(repeating: Watts(.nan))
        self.contactorFeedback = .open
        self.blowerAirflow = false
    }
}
