/// A Modbus RTU master for the firmware image (Embedded Swift, no allocation): functions 4 (read
/// input registers) and 16 (write multiple registers), CRC-16, the silent interval between frames,
/// a response timeout and retries.
///
/// One request at a time: the request is framed with its CRC in `request`, sent after the line has
/// been silent for `RTUMasterSettings.silence`, and the reply gathered in `reply` until its length
/// (known from the function code, or 5 bytes for an exception) is reached or the line stays
/// silent. A reply with a bad CRC, from another unit or for another function is a failed attempt;
/// an exception is the device's answer and is returned at once. After a request that failed every
/// attempt, requests get one attempt each until one is answered (a dead line fails fast). Bytes that arrive before a
/// request (a late reply to an earlier one) are discarded.
public struct RTUMaster<Line: SerialLine> {
    /// The serial line (the board's UART on the image).
    public var line: Line
    public var settings: RTUMasterSettings
    /// The unit (slave address) polled, 1 ... 247.
    public var unit: UInt8
    /// What the master has seen on the line so far.
    @inlinable public var statistics: RTUStatistics { _statistics }
    @usableFromInline var _statistics = RTUStatistics()
    @usableFromInline var request = InlineArray<256, UInt8>(repeating: 0)
    @usableFromInline var reply = InlineArray<256, UInt8>(repeating: 0)
    @usableFromInline var requestLength = 0
    @usableFromInline var replyLength = 0
    /// When the line last carried a byte, either way.
    @usableFromInline var lastActivity: UInt32
    /// The last request failed after every attempt: until one succeeds, each request gets one
    /// attempt (a dead line costs a response timeout a request, not three).
    @usableFromInline var lineDown = false

    /// Most registers one read may ask for (function 4), and one write may carry (function 16).
    public static var maximumRead: Int { 125 }
    public static var maximumWrite: Int { 123 }

    @inlinable public init(line: Line, unit: UInt8, settings: RTUMasterSettings = RTUMasterSettings()) {
        self.line = line
        self.unit = unit
        self.settings = settings
        lastActivity = self.line.microseconds()
    }

    /// Reads `count` input registers from `address` (function 4), handing each to `body` with its
    /// index (0 ..< count).
    @inlinable public mutating func readInputRegisters(
        address: UInt16, count: Int, _ body: (Int, UInt16) -> Void
    ) throws(RTUError) {
        try begin(function: 4, address: address, count: count, most: Self.maximumRead)
        requestLength = 6
        try transact(replyLength: 5 + 2 * count, attempts: lineDown ? 1 : 1 + settings.retries)
        guard Int(reply[2]) == 2 * count else { throw unexpectedReply() }
        for i in 0..<count { body(i, UInt16(reply[3 + 2 * i]) << 8 | UInt16(reply[4 + 2 * i])) }
    }

    /// Writes `count` holding registers from `address` (function 16), each value from `value(i)`.
    /// `idempotent` false (a write that moves the device's time, `lockstep_advance`) sends it
    /// once: a retry after a lost reply would act twice.
    @inlinable public mutating func writeRegisters(
        address: UInt16, count: Int, idempotent: Bool = true, _ value: (Int) -> UInt16
    ) throws(RTUError) {
        try begin(function: 16, address: address, count: count, most: Self.maximumWrite)
        request[6] = UInt8(truncatingIfNeeded: 2 * count)
        for i in 0..<count { put(value(i), at: 7 + 2 * i) }
        requestLength = 7 + 2 * count
        try transact(replyLength: 8, attempts: idempotent && !lineDown ? 1 + settings.retries : 1)
        // The echo: the address and count written.
        guard reply[2] == request[2], reply[3] == request[3], reply[4] == request[4], reply[5] == request[5] else { throw unexpectedReply() }
    }

    /// Frames the request's unit, function, address and count, refusing a count outside
    /// 1 ... `most` or past the last address.
    @inlinable mutating func begin(function: UInt8, address: UInt16, count: Int, most: Int) throws(RTUError) {
        guard count >= 1, count <= most, Int(address) + count <= 0x1_0000 else { throw .invalidRequest }
        request[0] = unit
        request[1] = function
        put(address, at: 2)
        put(UInt16(truncatingIfNeeded: count), at: 4)
    }

    /// Counts a complete, well-framed reply whose contents do not answer the request (a byte
    /// count or an echo that differs): the request failed.
    @inlinable mutating func unexpectedReply() -> RTUError {
        _statistics.unexpected += 1
        _statistics.failures += 1
        return .unexpectedReply
    }

    @inlinable mutating func put(_ word: UInt16, at i: Int) {
        request[i] = UInt8(truncatingIfNeeded: word >> 8)
        request[i + 1] = UInt8(truncatingIfNeeded: word)
    }

    /// Sends the framed request and gathers a reply of `replyLength` bytes, up to `attempts` times.
    @inlinable mutating func transact(replyLength expected: Int, attempts: Int) throws(RTUError) {
        _statistics.requests += 1
        let crc = ModbusCRC.of(request.span, count: requestLength)
        request[requestLength] = UInt8(truncatingIfNeeded: crc)
        request[requestLength + 1] = UInt8(truncatingIfNeeded: crc >> 8)
        var failure = RTUError.timeout
        for attempt in 0..<attempts {
            if attempt > 0 { _statistics.retries += 1 }
            send()
            switch receive(expected: expected) {
            case .complete:
                lineDown = false
                if reply[1] == request[1] | 0x80 {
                    _statistics.exceptions += 1
                    throw .exception(reply[2])
                }
                return
            case .timeout:
                _statistics.timeouts += 1
                failure = .timeout
            case .badCRC:
                _statistics.badCRC += 1
                failure = .badCRC
            case .unexpected:
                _statistics.unexpected += 1
                failure = .unexpectedReply
            }
        }
        _statistics.failures += 1
        lineDown = true
        throw failure
    }

    /// Waits for the silent interval (discarding what arrives meanwhile: nothing is due), then
    /// sends the request with its CRC.
    @inlinable mutating func send() {
        while true {
            if line.receive() != nil {
                lastActivity = line.microseconds()
            } else if line.microseconds() &- lastActivity >= settings.silence {
                break
            }
        }
        for i in 0..<requestLength + 2 { line.send(request[i]) }
        lastActivity = line.microseconds()
    }

    @usableFromInline enum Outcome { case complete, timeout, badCRC, unexpected }

    /// Gathers a reply: `expected` bytes, or 5 when the function code says exception.
    @inlinable mutating func receive(expected: Int) -> Outcome {
        replyLength = 0
        var length = expected
        let sent = lastActivity
        while true {
            let now = line.microseconds()
            if let byte = line.receive() {
                lastActivity = now
                if replyLength < 256 { reply[replyLength] = byte }
                replyLength += 1
                if replyLength == 2 && byte & 0x80 != 0 { length = 5 }
                if replyLength >= length { break }
            } else if replyLength == 0 ? now &- sent >= settings.responseTimeout : now &- lastActivity >= settings.byteTimeout {
                return .timeout   // nothing, or an incomplete reply
            }
        }
        // Too long a reply shows as a CRC error or as bytes the next request's silence discards.
        let crc = ModbusCRC.of(reply.span, count: length - 2)
        guard reply[length - 2] == UInt8(truncatingIfNeeded: crc), reply[length - 1] == UInt8(truncatingIfNeeded: crc >> 8) else {
            return .badCRC
        }
        guard reply[0] == request[0], reply[1] & 0x7F == request[1] else { return .unexpected }
        return .complete
    }
}
