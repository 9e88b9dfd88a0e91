/// When the pack rests, and what the estimate phase reads at rest (`RestDetector`,
/// `SoCEstimation`).
public struct RestSettings: Sendable {
    /// The pack rests below this current (C/100: the usual rest criterion of OCV tests; about the
    /// self-discharge-free floor of a converter on standby).
    public var restCurrent: CRate
    /// The current is judged averaged over this time: a 50 mA noisy sensor alone would break
    /// every rest of a 10 Ah cell (C/100 = 100 mA); 2 s average it down by about 4.5.
    public var currentAveraging: Seconds
    /// A rest becomes an OCV read after this many polarisation time constants (5: 99.3 % relaxed) ...
    public var relaxationTimeConstants: Float
    /// ... and no sooner than this (one minute: slower arcs the one-RC model lacks).
    public var minimumRest: Milliseconds
    /// Weight of each frame in every cell's rest-voltage average (0.05: about 20 frames, 2 s at
    /// 10 Hz, noise down by about 6).
    public var restVoltageWeight: Ratio
    /// How far two cells' resting voltages differ by channel offsets and cell-to-cell OCV spread
    /// besides noise (1.5 mV: a 0.1 % class AFE channel plus a few tenths of a millivolt of spread).
    public var cellVoltageMatch: Volts
    /// During a lasting rest the averaged current is read as the sensor's offset this often (once
    /// a minute: the reads of one rest are not independent).
    public var offsetReadPeriod: Milliseconds
    /// Behind open contactors the current reading is the sensor's offset once this long has passed
    /// since they opened (5 s: the link capacitor and the relays have settled).
    public var openContactorSettling: Milliseconds
    /// The rest's OCV read waits, past the relaxation time, for the mean cell's rest voltage to
    /// have settled: it moved by at most `settlingVoltage` (or three sigmas of its own noise)
    /// over the last `settlingPeriod` (0.1 mV in 30 s). The one-RC model's relaxation time does
    /// not cover the slow arcs of a real cell, and after a long discharge a ZEBRA cell still
    /// recovers millivolts for many minutes: read too early, a plateau cell reads off its end.
    public var settlingPeriod: Milliseconds
    public var settlingVoltage: Volts
    /// During a rest that lasts, the cells (not the mean cell: its reads of one rest are not
    /// independent) are read again this often (1 h), so a cell that self-discharges while the
    /// pack stands is seen: the soft-short check compares reads an hour apart, and a day of
    /// standby is one rest.
    public var cellRereadPeriod = Milliseconds(3_600_000)

    @inlinable public init(
        restCurrent: CRate = .per(hours: 100), currentAveraging: Seconds = Seconds(2), relaxationTimeConstants: Float = 5,
        minimumRest: Milliseconds = Milliseconds(60_000), restVoltageWeight: Ratio = Ratio(0.05), cellVoltageMatch: Volts = Volts(0.0015),
        offsetReadPeriod: Milliseconds = Milliseconds(60_000), openContactorSettling: Milliseconds = Milliseconds(5000),
        settlingPeriod: Milliseconds = Milliseconds(30_000), settlingVoltage: Volts = Volts(0.0001)
    ) {
        self.restCurrent = restCurrent
        self.currentAveraging = currentAveraging
        self.relaxationTimeConstants = relaxationTimeConstants
        self.minimumRest = minimumRest
        self.restVoltageWeight = restVoltageWeight
        self.cellVoltageMatch = cellVoltageMatch
        self.offsetReadPeriod = offsetReadPeriod
        self.openContactorSettling = openContactorSettling
        self.settlingPeriod = settlingPeriod
        self.settlingVoltage = settlingVoltage
    }
}
