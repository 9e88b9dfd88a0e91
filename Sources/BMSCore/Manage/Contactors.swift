/// Commands to the three relays of the pack: main positive, main negative, precharge.
public struct ContactorCommands: Sendable, Equatable {
    public var mainPositive: Bool
    public var mainNegative: Bool
    public var precharge: Bool

    @inlinable public init(mainPositive: Bool, mainNegative: Bool, precharge: Bool) {
        self.mainPositive = mainPositive
        self.mainNegative = mainNegative
        self.precharge = precharge
    }

    /// Every relay open.
    public static let open = ContactorCommands(mainPositive: false, mainNegative: false, precharge: false)
    /// Main negative and precharge closed: the DC link charges through the precharge resistor.
    public static let precharge = ContactorCommands(mainPositive: false, mainNegative: true, precharge: true)
    /// Both mains and precharge closed (the moment the main positive closes).
    public static let closing = ContactorCommands(mainPositive: true, mainNegative: true, precharge: true)
    /// Both mains closed, precharge open: connected.
    public static let closed = ContactorCommands(mainPositive: true, mainNegative: true, precharge: false)
}

/// The auxiliary contacts of the three relays, as read back (true = closed): what the relays
/// did, a different thing from what they were told (`ContactorCommands`).
public struct ContactorFeedback: Sendable, Equatable {
    public var mainPositive: Bool
    public var mainNegative: Bool
    public var precharge: Bool

    @inlinable public init(mainPositive: Bool, mainNegative: Bool, precharge: Bool) {
        self.mainPositive = mainPositive
        self.mainNegative = mainNegative
        self.precharge = precharge
    }

    /// Contacts that read what `commands` asked (relays that followed their coils).
    @inlinable public init(following commands: ContactorCommands) {
        self.init(mainPositive: commands.mainPositive, mainNegative: commands.mainNegative, precharge: commands.precharge)
    }

    /// Every contact open.
    public static let open = ContactorFeedback(mainPositive: false, mainNegative: false, precharge: false)
    /// Both mains closed, precharge open.
    public static let closed = ContactorFeedback(mainPositive: true, mainNegative: true, precharge: false)

    /// Whether every relay reads what `commands` asks.
    @inlinable public func matches(_ commands: ContactorCommands) -> Bool {
        mainPositive == commands.mainPositive && mainNegative == commands.mainNegative && precharge == commands.precharge
    }
}

/// Where the connection sequence is.
public enum ConnectionState: UInt8, Sendable, Equatable {
    /// Everything open (possibly waiting to retry a failed precharge).
    case open
    /// Main negative and precharge closed, waiting for the link to reach the pack voltage.
    case precharging
    /// Main positive closing while the precharge relay still holds.
    case closing
    /// Connected: both mains closed.
    case closed
    /// Zero current requested before opening; the relays open when it is reached or on timeout.
    case opening
}

/// Timing and thresholds of the connection sequence.
public struct ContactorSettings: Sendable {
    /// Longest precharge before the attempt counts as failed.
    public var prechargeTimeout: Milliseconds
    /// Precharge done when |link - pack| <= this fraction of the pack voltage ...
    public var prechargeVoltageTolerance: Ratio
    /// ... and the precharge current is below this.
    public var prechargeCurrentLimit: Amperes
    /// Failed attempts before a latched `prechargeFailed`.
    public var maximumPrechargeAttempts: Int32
    /// Wait between attempts.
    public var retryDelay: Milliseconds
    /// Opening waits for the current to fall below this ...
    public var openingCurrent: Amperes
    /// ... or for this long, then opens anyway.
    public var openingTimeout: Milliseconds
    /// A relay's feedback must follow its command within this time; every relay must also have
    /// read open this long before a connection starts (a weld is found before anything closes).
    public var feedbackTimeout: Milliseconds
    /// The precharge circuit's time constant, R_precharge x C_link (the pack's hardware design):
    /// the link must close its gap to the pack at least half as fast as this RC predicts, or the
    /// attempt fails at once (a precharge resistor gone open, a shorted link, a dead link
    /// channel). Nil: only the timeout judges.
    public var prechargeTimeConstant: Milliseconds?

    @inlinable public init(
        prechargeTimeout: Milliseconds = Milliseconds(3000), prechargeVoltageTolerance: Ratio = Ratio(0.02),
        prechargeCurrentLimit: Amperes = Amperes(2), maximumPrechargeAttempts: Int32 = 3, retryDelay: Milliseconds = Milliseconds(5000),
        openingCurrent: Amperes = Amperes(1), openingTimeout: Milliseconds = Milliseconds(2000),
        feedbackTimeout: Milliseconds = Milliseconds(500), prechargeTimeConstant: Milliseconds? = nil
    ) {
        self.prechargeTimeConstant = prechargeTimeConstant
        self.prechargeTimeout = prechargeTimeout
        self.prechargeVoltageTolerance = prechargeVoltageTolerance
        self.prechargeCurrentLimit = prechargeCurrentLimit
        self.maximumPrechargeAttempts = maximumPrechargeAttempts
        self.retryDelay = retryDelay
        self.openingCurrent = openingCurrent
        self.openingTimeout = openingTimeout
        self.feedbackTimeout = feedbackTimeout
    }
}

/// The contactor state machine: precharge with voltage and current confirmation, timeouts and
/// retries, feedback supervision and weld detection, and a zero-current request before opening.
///
/// A connection starts only after every relay has read open for the feedback timeout (so a weld
/// at power-up or after a reset is found before any relay closes) and with a pack-voltage reading
/// the cells' sum confirms. A precharge completes when the link has reached the pack, the
/// precharge current is low, and (with `prechargeTimeConstant`) the link rose as the RC predicts.
/// Only failed precharges count towards `maximumPrechargeAttempts`; one withdrawn by the
/// connection request does not.
public struct ContactorSequencer: Sendable {
    public let settings: ContactorSettings
    @inlinable public var state: ConnectionState { _read { yield _state } }
    @usableFromInline var _state: ConnectionState = .open
    /// Failed precharge attempts since the last successful connection.
    @inlinable public var attempts: Int32 { _read { yield _attempts } }
    @usableFromInline var _attempts: Int32 = 0
    /// Time spent in the present state.
    @inlinable public var elapsed: Milliseconds { _read { yield _elapsed } }
    @usableFromInline var _elapsed: Milliseconds = .zero
    @usableFromInline var feedbackMismatch = Milliseconds.zero
    @usableFromInline var retryWait = Milliseconds.zero
    /// How long every relay has read open while the sequence was open.
    @usableFromInline var openConfirmed = Milliseconds.zero
    /// The link's gap to the pack when the present precharge's relay was first seen closed, V.
    @usableFromInline var prechargeGap: Float = 0
    /// When (in the state's elapsed time) a fresh frame first showed the precharge relay closed:
    /// the link's RC is timed from there, not from the command (a command and a sample each take
    /// their time over a real link). Negative: not yet.
    @usableFromInline var prechargeSeen = Milliseconds(-1)

    @inlinable public init(settings: ContactorSettings) { self.settings = settings }

    /// The relay commands of the present state.
    @inlinable public var commands: ContactorCommands { commands(for: _state) }

    /// What the sequence commands and which latched faults it raised in this step.
    public struct Output: Sendable {
        public var commands: ContactorCommands
        public var faults: FaultFlags
        /// True while the sequence wants no current (precharging, closing, opening, open).
        public var currentInhibited: Bool

        @inlinable init(commands: ContactorCommands, faults: FaultFlags, currentInhibited: Bool) {
            self.commands = commands
            self.faults = faults
            self.currentInhibited = currentInhibited
        }
    }

    /// Advances the sequence by one step.
    ///
    /// - Parameters: `connect` is whether the pack should be connected now; `packVoltage` and
    ///   `linkVoltage` the two sides of the main positive; `packVoltageConfirmed` whether this
    ///   frame's pack voltage agrees with the sum of valid cell readings; `current` the measured
    ///   pack current; `feedbackFresh` whether the frame is a new sample (a stale frame, the last
    ///   one stepped again while the link is down, is no new evidence of the relays: neither a
    ///   weld nor a confirmed open builds up on it).
    @inlinable public mutating func update(
        connect: Bool, feedback: ContactorFeedback, feedbackFresh: Bool, packVoltage: Volts, packVoltageConfirmed: Bool, linkVoltage: Volts,
        current: Amperes, step: Milliseconds
    ) -> Output {
        var faults = FaultFlags.clear
        let s = settings
        let commanded = commands(for: _state)
        // Feedback supervision: every relay must follow its command (timed on fresh frames).
        if !feedback.matches(commanded) {
            if feedbackFresh { feedbackMismatch = feedbackMismatch + step }
            if feedbackMismatch >= s.feedbackTimeout {
                let welded = (feedback.mainPositive && !commanded.mainPositive) || (feedback.mainNegative && !commanded.mainNegative)
                faults.insert(welded ? .contactorWelded : .contactorFeedback)
            }
        } else if feedbackFresh {
            feedbackMismatch = .zero
        }
        _elapsed = _elapsed + step
        switch _state {
        case .open:
            retryWait = retryWait + step
            if feedbackFresh { openConfirmed = feedback == .open ? min(openConfirmed + step, s.feedbackTimeout) : .zero }
            if connect, openConfirmed >= s.feedbackTimeout, packVoltageConfirmed, packVoltage.isFinite, linkVoltage.isFinite,
                _attempts < s.maximumPrechargeAttempts, _attempts == 0 || retryWait >= s.retryDelay
            {
                enter(.precharging)
                prechargeGap = (packVoltage - linkVoltage).magnitude.value
            }
        case .precharging:
            let gap = (packVoltage - linkVoltage).magnitude.value
            if feedbackFresh, prechargeSeen.count < 0, feedback.matches(commanded) {
                prechargeSeen = _elapsed
                if gap.isFinite { prechargeGap = gap }
            }
            if !connect {
                enter(.open)  // only the precharge path carries current: open at once (not a failure)
            } else if !feedbackFresh || (prechargeSeen.count < 0 && !feedback.matches(commanded)) {
                // A stale frame, or the relay not yet seen closed: nothing to judge the link by;
                // the timeout (and the feedback supervision) decide.
                if _elapsed >= s.prechargeTimeout { failPrecharge(&faults) }
            } else if feedback.matches(commanded), packVoltageConfirmed, packVoltage.isFinite, linkVoltage.isFinite,
                gap <= s.prechargeVoltageTolerance.value * packVoltage.magnitude.value, current.magnitude <= s.prechargeCurrentLimit
            {
                enter(.closing)
            } else if _elapsed >= s.prechargeTimeout || !linkFollowsRC(gap: gap, pack: packVoltage) {
                failPrecharge(&faults)
            }
        case .closing:
            if !connect {
                enter(.open)
            } else if feedbackFresh && feedback.mainPositive && feedback.mainNegative {
                enter(.closed)
                _attempts = 0
            }
        case .closed:
            if !connect { enter(.opening) }
        case .opening:
            if connect && _elapsed < s.openingTimeout {
                break  // keep opening: a new connection starts from open, with a fresh precharge
            }
            if current.magnitude <= s.openingCurrent || _elapsed >= s.openingTimeout {
                enter(.open)
                retryWait = s.retryDelay  // no wait for a deliberate reconnection
                _attempts = 0
            }
        }
        return Output(commands: commands(for: _state), faults: faults, currentInhibited: _state != .closed)
    }

    /// Whether the link's gap to the pack has closed at least half as fast as the precharge RC
    /// predicts (gap(t) <= gap(0) exp(-t / 2 tau) + the tolerance, t and gap(0) from the first
    /// fresh frame that showed the precharge relay closed), judged from one time constant on;
    /// true before that, without a time constant or with a non-finite reading (the voltage check
    /// and the timeout judge those).
    @inlinable func linkFollowsRC(gap: Float, pack: Volts) -> Bool {
        guard let tau = settings.prechargeTimeConstant, tau.count > 0, prechargeSeen.count >= 0 else { return true }
        let t = _elapsed - prechargeSeen
        guard t >= tau, gap.isFinite, pack.value.isFinite else { return true }
        let allowed = prechargeGap * CoreMath.exp(-t.seconds / (2 * tau.seconds))
        return gap <= allowed + settings.prechargeVoltageTolerance.value * pack.magnitude.value
    }

    /// Opens everything at once, whatever the current (the current is unknown).
    @inlinable public mutating func openNow() {
        if _state != .open { enter(.open) }
    }

    /// Forgets failed attempts (an operator's reset). The relays must read open for the
    /// feedback timeout again before a connection starts.
    @inlinable public mutating func reset() {
        _attempts = 0
        retryWait = .zero
        openConfirmed = .zero
        feedbackMismatch = .zero
    }

    /// Ends a precharge attempt as failed: open, count it, latch prechargeFailed at the last.
    @inlinable mutating func failPrecharge(_ faults: inout FaultFlags) {
        enter(.open)
        retryWait = .zero
        _attempts &+= 1
        if _attempts >= settings.maximumPrechargeAttempts { faults.insert(.prechargeFailed) }
    }

    @inlinable mutating func enter(_ next: ConnectionState) {
        _state = next
        _elapsed = .zero
        openConfirmed = .zero
        prechargeSeen = Milliseconds(-1)
    }

    @inlinable func commands(for state: ConnectionState) -> ContactorCommands {
        switch _state {
        case .open: .open
        case .precharging: .precharge
        case .closing: .closing
        case .closed: .closed
        // Opening keeps the mains closed until the current is down (they open on the next step).
        case .opening: .closed
        }
    }
}
