/// Thresholds of the validate phase (`MeasurementValidator`): what makes a frame's readings
/// implausible beyond their plausible ranges.
public struct ValidationSettings: Sendable {
    /// The cells must add up to the pack voltage within this fraction of it ...
    /// (1 %: two independent ADC chains of 0.5 % class each.)
    public var cellSumRelativeTolerance: Ratio
    /// ... plus this, V (busbar and connector drops of a 240-cell string under rated current).
    public var cellSumAbsoluteTolerance: Volts
    /// ... or `cellSumMismatch` is raised after this long (ten frames at 10 Hz: one bad sample of
    /// either chain is not a mismatch).
    public var cellSumDebounce: Milliseconds
    /// A cell reading about 0 V between normal neighbours for this long is confirmed failed short
    /// (ZEBRA); until then it is only left out of the statistics. (5 s: longer than any contactor
    /// or load transient, far shorter than a protection debounce would allow a real fault.)
    public var failedShortConfirmation: Milliseconds
    /// A cell below this fraction of the string's mean reads "about 0 V" (failed short, or the
    /// low side of an open sense wire): a healthy cell never sags below a quarter of its mean.
    public var collapsedCellFraction: Ratio
    /// Neighbours of a failed-short cell read normally: within this fraction of the mean either way.
    public var normalNeighbourBand: Ratio
    /// The high side of an open sense wire reads about two cells: above this multiple of the mean.
    public var openWireHighFraction: Ratio
    /// A cell-voltage channel repeating the bit-identical value for this many fresh frames while
    /// the current swings is stuck (5 s at 10 Hz: a live, noisy, quantised reading moves).
    public var cellStuckSamples: Int32
    /// A temperature channel repeating for this many fresh frames under load is stuck (10 min at
    /// 10 Hz: a loaded module warms by more than a quantisation step in that time).
    public var temperatureStuckSamples: Int32
    /// Readings should move when the current swings by more than this over the cell window (or,
    /// for temperatures, when its magnitude exceeds it), A: about the sensor's noise band.
    public var movingCurrent: Amperes
    /// The models' temperature (the estimators' resistance and OCV laws) is the mean module
    /// temperature low-passed with this time constant (30 s: a module's temperature moves over
    /// minutes; a reading's noise does not belong in the model). Protection reads the raw frames.
    public var temperatureFilterTime: Seconds = Seconds(30)
    /// Frames that do not advance (the host could not poll the front end, and steps the last
    /// frame again) for this long latch `communicationLoss` and open the contactors at once;
    /// shorter gaps only hold the current limits at zero (500 ms: the protection debounce; a
    /// single failed poll must not open the pack under load).
    public var frameTimeout = Milliseconds(500)
    /// The mean cell voltage turning twice by more than this within the cell window says the
    /// current is changing (20 mV: 5 A through a ZEBRA cell's 4 mOhm; a steady current or a
    /// relaxation moves it one way only), so a current reading that repeats meanwhile is stuck.
    public var movingVoltage = Volts(0.02)
    /// Where the frame has a second current sensor, the two must agree within this plus 2 % of
    /// the reading (0.5 A: seven sigmas of two 50 mA-noise sensors' difference) ...
    public var currentAgreement = Amperes(0.5)
    /// ... or `currentMismatch` is raised after this long (10 s: a sample-timing skew under a
    /// load step is not a mismatch).
    public var currentAgreementTime = Milliseconds(10_000)
    /// A voltage channel drifting (`VoltageDriftMonitor`): the cells' sum less the pack voltage,
    /// at zero current, moving more than this from what it was once learnt (30 mV: twelve
    /// standard errors of a 0.2 V-noise pack channel over the filter time; a ZEBRA cell's
    /// over-voltage margin between tiers is 50 mV) ...
    public var voltageDriftLimit = Volts(0.03)
    /// ... plus this fraction of how far the cells' sum has moved since (the two chains' gain
    /// difference: 0.5 %, a pack divider of 0.5 % class against precise cell channels) ...
    public var voltageDriftGainTolerance = Ratio(0.005)
    /// ... for this long (1 min) latches `voltageChannelDrift`. The mismatch and its dependence on
    /// the current are weighted over this time constant (5 min) ...
    public var voltageDriftConfirmation = Milliseconds(60_000)
    public var voltageDriftFilterTime = Seconds(300)
    /// ... and the reference is learnt after this long of trusted frames from power-up (30 min:
    /// six filter times).
    public var voltageDriftLearnTime = Milliseconds(1_800_000)
    /// Each module has a second thermocouple at the edge of its cell block
    /// (`MeasurementFrame.edgeTemperatures`), cross-checked against the centre one
    /// (`ThermocouplePairs`); false: one thermocouple per module, the edge readings ignored.
    public var edgeThermocouples = false
    /// A module's two thermocouples disagree beyond this (20 K: a module's edge reads a few kelvin
    /// below its centre while the heater or the load warms it, up to about 10 K at full heat;
    /// a thermocouple come loose falls far further within a minute) ...
    public var thermocouplePairTolerance = TemperatureDifference.kelvin(20)
    /// ... and a disagreement, or a sensor of the pair without a plausible reading, confirmed for
    /// this long raises `temperatureSensorFault` (30 s: longer than a load step's transient).
    public var thermocouplePairTime = Milliseconds(30_000)

    @inlinable public init(
        cellSumRelativeTolerance: Ratio = Ratio(0.01), cellSumAbsoluteTolerance: Volts = Volts(1),
        cellSumDebounce: Milliseconds = Milliseconds(1000), failedShortConfirmation: Milliseconds = Milliseconds(5000),
        collapsedCellFraction: Ratio = Ratio(0.25), normalNeighbourBand: Ratio = Ratio(0.5), openWireHighFraction: Ratio = Ratio(1.6),
        cellStuckSamples: Int32 = 50, temperatureStuckSamples: Int32 = 6000, movingCurrent: Amperes = Amperes(1)
    ) {
        self.cellSumRelativeTolerance = cellSumRelativeTolerance
        self.cellSumAbsoluteTolerance = cellSumAbsoluteTolerance
        self.cellSumDebounce = cellSumDebounce
        self.failedShortConfirmation = failedShortConfirmation
        self.collapsedCellFraction = collapsedCellFraction
        self.normalNeighbourBand = normalNeighbourBand
        self.openWireHighFraction = openWireHighFraction
        self.cellStuckSamples = cellStuckSamples
        self.temperatureStuckSamples = temperatureStuckSamples
        self.movingCurrent = movingCurrent
    }
}
