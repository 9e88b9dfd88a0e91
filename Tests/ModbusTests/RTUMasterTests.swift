import ModbusRTU
import Testing

/// A simulated RTU line with a device on it: it answers function 4 from `inputs` and stores
/// function 16 in `holding`, on a virtual clock that moves `tick` microseconds each time the
/// master looks at it. `mangle` can drop, corrupt or replace the n-th reply (0-based).
struct SimulatedLine: SerialLine {
    var inputs: [UInt16] = (0..<300).map { UInt16($0 * 7) }
    var holding: [UInt16] = Array(repeating: 0, count: 300)
    var unit: UInt8 = 1
    var now: UInt32 = 0
    var tick: UInt32 = 10
    /// Bytes the device has received since its last reply, and the replies not yet read.
    var incoming: [UInt8] = []
    var outgoing: [UInt8] = []
    /// When the last request byte came (the device answers after a silence, as a real one).
    var requestsSeen = 0
    var writesApplied = 0
    var mangle: (Int, inout [UInt8]) -> Void = { _, _ in }
    /// Bytes that arrive on the line unasked (a late reply to an earlier request).
    var stray: [UInt8] = []

    mutating func send(_ byte: UInt8) {
        now &+= tick
        incoming.append(byte)
        if let length = Self.requestLength(incoming), incoming.count == length { answer() }
    }

    mutating func receive() -> UInt8? {
        now &+= tick
        if !stray.isEmpty { return stray.removeFirst() }
        return outgoing.isEmpty ? nil : outgoing.removeFirst()
    }

    mutating func microseconds() -> UInt32 {
        now &+= tick
        return now
    }

    static func requestLength(_ b: [UInt8]) -> Int? {
        guard b.count >= 2 else { return nil }
        switch b[1] {
        case 4: return 8
        case 16: return b.count >= 7 ? 9 + Int(b[6]) : nil
        default: return 8
        }
    }

    static func crc(_ bytes: [UInt8]) -> [UInt8] {
        var c: UInt16 = 0xFFFF
        for b in bytes {
            c ^= UInt16(b)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xA001 : c >> 1 }
        }
        return bytes + [UInt8(c & 0xFF), UInt8(c >> 8)]
    }

    mutating func answer() {
        let r = incoming
        incoming = []
        guard Array(Self.crc(Array(r.dropLast(2)))) == r, r[0] == unit else { return }   // not for us: silence
        let address = Int(r[2]) << 8 | Int(r[3]), count = Int(r[4]) << 8 | Int(r[5])
        var reply: [UInt8]
        if address + count > inputs.count {
            reply = Self.crc([unit, r[1] | 0x80, 2])
        } else if r[1] == 4 {
            reply = [unit, 4, UInt8(2 * count)]
            for i in 0..<count { reply += [UInt8(inputs[address + i] >> 8), UInt8(inputs[address + i] & 0xFF)] }
            reply = Self.crc(reply)
        } else {
            for i in 0..<count { holding[address + i] = UInt16(r[7 + 2 * i]) << 8 | UInt16(r[8 + 2 * i]) }
            writesApplied += 1
            reply = Self.crc(Array(r[0..<6]))
        }
        mangle(requestsSeen, &reply)
        requestsSeen += 1
        outgoing += reply
    }
}

@Suite("Modbus RTU master (the firmware image's)")
struct RTUMasterTests {
    @Test func crcMatchesTheSpecificationsExample() {
        // Modbus over serial line, 6.2.2: 02 07 gives CRC 0x1241, sent 41 12.
        var bytes = InlineArray<4, UInt8>(repeating: 0)
        bytes[0] = 0x02
        bytes[1] = 0x07
        #expect(ModbusCRC.of(bytes.span, count: 2) == 0x1241)
        #expect(SimulatedLine.crc([0x02, 0x07]) == [0x02, 0x07, 0x41, 0x12])
    }

    @Test func readsAndWritesThroughTheDevice() throws {
        var master = RTUMaster(line: SimulatedLine(), unit: 1)
        var got = [UInt16](repeating: 0, count: 125)
        try master.readInputRegisters(address: 100, count: 125) { i, v in got[i] = v }
        let written: [UInt16] = (100..<225).map { (i: Int) -> UInt16 in UInt16(i * 7) }
        #expect(got == written)
        try master.writeRegisters(address: 10, count: 3) { i in UInt16(1000 + i) }
        #expect(Array(master.line.holding[10..<13]) == [1000, 1001, 1002])
        var expected = RTUStatistics()
        expected.requests = 2
        #expect(master.statistics == expected)
    }

    @Test func silentIntervalSeparatesFrames() throws {
        var master = RTUMaster(line: SimulatedLine(), unit: 1, settings: RTUMasterSettings(baud: 9600))
        #expect(master.settings.silence == 11_000_000 / 9600 * 7 / 2)
        #expect(RTUMasterSettings(baud: 115_200).silence == 1_750)
        let before = master.line.now
        try master.readInputRegisters(address: 0, count: 1) { _, _ in }
        try master.readInputRegisters(address: 0, count: 1) { _, _ in }
        #expect(master.line.now &- before >= 2 * master.settings.silence)
    }

    @Test func aLostOrCorruptReplyIsRetried() throws {
        var line = SimulatedLine()
        line.mangle = { n, reply in
            if n == 0 { reply = [] }   // lost
            if n == 1 { reply[3] ^= 0x10 }   // a bit flipped: the CRC catches it
            if n == 2 { reply[0] = 9; reply = SimulatedLine.crc(Array(reply.dropLast(2))) }   // another unit
        }
        var master = RTUMaster(line: line, unit: 1, settings: RTUMasterSettings(retries: 3))
        var value: UInt16 = 0
        try master.readInputRegisters(address: 5, count: 1) { _, v in value = v }
        #expect(value == 35)
        #expect(master.statistics.retries == 3)
        #expect(master.statistics.timeouts == 1)
        #expect(master.statistics.badCRC == 1)
        #expect(master.statistics.unexpected == 1)
        #expect(master.statistics.failures == 0)
    }

    @Test func aDeadLineTimesOutAfterEveryAttempt() {
        var line = SimulatedLine()
        line.unit = 7   // nobody answers unit 1
        var master = RTUMaster(line: line, unit: 1, settings: RTUMasterSettings(responseTimeout: 20_000, retries: 2))
        #expect(throws: RTUError.timeout) { try master.readInputRegisters(address: 0, count: 4) { _, _ in } }
        #expect(master.statistics.timeouts == 3)
        #expect(master.statistics.failures == 1)
    }

    @Test func aDeadLineFailsFastUntilItAnswersAgain() throws {
        var line = SimulatedLine()
        line.unit = 7
        var master = RTUMaster(line: line, unit: 1, settings: RTUMasterSettings(responseTimeout: 20_000, retries: 2))
        #expect(throws: RTUError.timeout) { try master.readInputRegisters(address: 0, count: 1) { _, _ in } }
        #expect(master.statistics.timeouts == 3)
        #expect(throws: RTUError.timeout) { try master.writeRegisters(address: 0, count: 1) { _ in 0 } }
        #expect(master.statistics.timeouts == 4)
        master.line.unit = 1   // back
        try master.readInputRegisters(address: 0, count: 1) { _, _ in }
        master.line.mangle = { n, reply in if n == 1 { reply = [] } }
        var value: UInt16 = 0
        let before = master.statistics.retries
        try master.readInputRegisters(address: 2, count: 1) { _, v in value = v }
        #expect(value == 14)
        #expect(master.statistics.retries == before + 1, "up again: a lost reply is retried")
    }

    @Test func anIncompleteReplyIsATimeout() {
        var line = SimulatedLine()
        line.mangle = { _, reply in reply.removeLast(3) }
        var master = RTUMaster(line: line, unit: 1, settings: RTUMasterSettings(retries: 1))
        #expect(throws: RTUError.timeout) { try master.readInputRegisters(address: 0, count: 4) { _, _ in } }
        #expect(master.statistics.timeouts == 2)
    }

    @Test func anExceptionIsTheDevicesAnswerAndIsNotRepeated() {
        var master = RTUMaster(line: SimulatedLine(), unit: 1)
        #expect(throws: RTUError.exception(2)) { try master.readInputRegisters(address: 290, count: 20) { _, _ in } }
        #expect(master.statistics.exceptions == 1)
        #expect(master.statistics.retries == 0)
        #expect(master.line.requestsSeen == 1)
    }

    @Test func aWriteThatMovesTimeIsSentOnce() {
        var line = SimulatedLine()
        line.mangle = { n, reply in if n == 0 { reply = [] } }
        var master = RTUMaster(line: line, unit: 1, settings: RTUMasterSettings(retries: 3))
        #expect(throws: RTUError.timeout) { try master.writeRegisters(address: 0, count: 6, idempotent: false) { _ in 1 } }
        #expect(master.line.writesApplied == 1)
        #expect(master.statistics.retries == 0)
    }

    @Test func aLateReplyBeforeARequestIsDiscarded() throws {
        var line = SimulatedLine()
        line.stray = SimulatedLine.crc([1, 4, 2, 0xAB, 0xCD])
        var master = RTUMaster(line: line, unit: 1)
        var value: UInt16 = 0
        try master.readInputRegisters(address: 3, count: 1) { _, v in value = v }
        #expect(value == 21)
        #expect(master.statistics.retries == 0)
    }

    @Test func requestsOutsideTheProtocolAreRefused() {
        var master = RTUMaster(line: SimulatedLine(), unit: 1)
        #expect(throws: RTUError.invalidRequest) { try master.readInputRegisters(address: 0, count: 126) { _, _ in } }
        #expect(throws: RTUError.invalidRequest) { try master.readInputRegisters(address: 0xFFFF, count: 2) { _, _ in } }
        #expect(throws: RTUError.invalidRequest) { try master.writeRegisters(address: 0, count: 0) { _ in 0 } }
        #expect(master.line.requestsSeen == 0)
    }
}
