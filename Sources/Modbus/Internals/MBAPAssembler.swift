/// Assembles Modbus/TCP frames (a 7-byte MBAP header and a PDU) from one connection's bytes as
/// they come, never waiting for more: the server feeds it whatever a non-blocking read gave and
/// answers each complete frame, so a client that sends a frame a byte at a time holds nobody
/// but itself.
///
/// A frame is refused (the connection is not speaking Modbus and is dropped) when its protocol
/// identifier is not 0, its MBAP length is outside 2 ... 254 (unit and function code at least;
/// a 260-byte ADU at most), its function code is 128 or more (an exception response's: the
/// exception reply, function + 0x80, would wrap to another function), or its PDU's length disagrees with what its function code needs (the
/// counts libmodbus reads a request by, checked before libmodbus sees it).
struct MBAPAssembler {
    /// The largest Modbus/TCP ADU (MBAP header + PDU).
    static let maxADU = 260

    /// Why a connection's bytes are not Modbus.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case protocolIdentifier(UInt16)
        case length(Int)
        case pduLength(function: UInt8, expected: Int, found: Int)
        case function(UInt8)

        var description: String {
            switch self {
            case .protocolIdentifier(let p): "protocol identifier \(p), not 0"
            case .length(let l): "MBAP length \(l) outside 2 ... 254"
            case .pduLength(let f, let e, let found): "function \(f) needs a \(e)-byte PDU, the frame carries \(found)"
            case .function(let f): "function code \(f) is an exception response's (128 ... 255), not a request's"
            }
        }
    }

    /// Bytes of the frame being received (empty between frames).
    private(set) var pending: [UInt8] = []

    init() { pending.reserveCapacity(Self.maxADU) }

    /// Whether a frame has begun and not ended.
    var hasPartialFrame: Bool { !pending.isEmpty }

    /// Takes `bytes` in; calls `frame` with each complete frame in order (valid only during the
    /// call). Throws at the first byte that cannot be Modbus (the rest is not read).
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, frame: (UnsafeBufferPointer<UInt8>) -> Void) throws(Problem) {
        var i = 0
        while i < bytes.count {
            // Enough of the header to know the frame's length, then the rest of the frame.
            let needed = pending.count < 6 ? 6 : 6 + Self.length(pending)
            let take = min(needed - pending.count, bytes.count - i)
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<i + take]))
            i += take
            if pending.count >= 4 {
                let protocolID = UInt16(pending[2]) << 8 | UInt16(pending[3])
                guard protocolID == 0 else { throw .protocolIdentifier(protocolID) }
            }
            if pending.count >= 6 {
                let length = Self.length(pending)
                guard (2...Self.maxADU - 6).contains(length) else { throw .length(length) }
                if pending.count == 6 + length {
                    try Self.check(pending)
                    pending.withUnsafeBufferPointer { frame($0) }
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    /// The MBAP length field: the bytes after it (unit identifier and PDU).
    static func length(_ header: [UInt8]) -> Int { Int(header[4]) << 8 | Int(header[5]) }

    /// The PDU's length against what its function code needs (libmodbus reads by those counts).
    static func check(_ frame: [UInt8]) throws(Problem) {
        let pdu = frame[7...]
        let function = pdu[pdu.startIndex]
        guard function < 0x80 else { throw .function(function) }
        func byte(_ k: Int) -> Int { k < pdu.count ? Int(pdu[pdu.startIndex + k]) : 0 }
        let expected: Int? =
            switch function {
            case 1, 2, 3, 4, 5, 6: 5
            case 0x0F, 0x10: pdu.count >= 6 ? 6 + byte(5) : 6
            case 0x16: 7
            case 0x17: pdu.count >= 10 ? 10 + byte(9) : 10
            case 0x07, 0x11: 1
            default: nil  // libmodbus answers an unknown function with exception 1 whatever follows
            }
        if let expected, expected != pdu.count { throw .pduLength(function: function, expected: expected, found: pdu.count) }
    }
}
