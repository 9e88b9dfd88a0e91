/// Where a Modbus peer lives: a TCP host and port, or a serial line (RTU).
public enum ModbusEndpoint: Sendable, Equatable {
    case tcp(host: String, port: Int)
    case rtu(RTUSettings)

    /// Serial-line settings of a Modbus RTU link (defaults: 19200 baud, 8E1, the Modbus
    /// specification's default and mbpoll's).
    public struct RTUSettings: Sendable, Equatable {
        /// Parity of each character.
        public enum Parity: Character, Sendable {
            case none = "N", even = "E", odd = "O"
        }
        public var device: String
        public var baud: Int
        public var parity: Parity
        public var dataBits: Int
        public var stopBits: Int

        public init(device: String, baud: Int = 19_200, parity: Parity = .even, dataBits: Int = 8, stopBits: Int = 1) {
            self.device = device
            self.baud = baud
            self.parity = parity
            self.dataBits = dataBits
            self.stopBits = stopBits
        }
    }

    /// Parses `tcp://HOST:PORT`, `HOST:PORT`, or `rtu:DEVICE[?baud=N&parity=N|E|O]`.
    public init(parsing text: String) throws(ModbusError) {
        let op = "endpoint \"\(text)\""
        if text.hasPrefix("rtu:") {
            var rest = Substring(text.dropFirst(4))
            if rest.hasPrefix("//") { rest = rest.dropFirst(2) }
            let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            guard let device = parts.first, !device.isEmpty else { throw .invalidArgument(op, "no serial device after rtu:") }
            var settings = RTUSettings(device: String(device))
            if parts.count == 2 {
                for pair in parts[1].split(separator: "&") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { throw .invalidArgument(op, "option \"\(pair)\" is not key=value") }
                    switch kv[0] {
                    case "baud":
                        guard let b = Int(kv[1]), b > 0 else { throw .invalidArgument(op, "baud \"\(kv[1])\" is not a positive integer") }
                        settings.baud = b
                    case "parity":
                        guard kv[1].count == 1, let p = RTUSettings.Parity(rawValue: kv[1].uppercased().first!) else {
                            throw .invalidArgument(op, "parity must be N, E or O")
                        }
                        settings.parity = p
                    default: throw .invalidArgument(op, "unknown option \"\(kv[0])\" (baud, parity)")
                    }
                }
            }
            self = .rtu(settings)
            return
        }
        var rest = Substring(text)
        if rest.hasPrefix("tcp://") { rest = rest.dropFirst(6) }
        guard let colon = rest.lastIndex(of: ":") else { throw .invalidArgument(op, "expected HOST:PORT, tcp://HOST:PORT or rtu:DEVICE") }
        let host = rest[..<colon]
        guard !host.isEmpty else { throw .invalidArgument(op, "no host before the port") }
        guard let port = Int(rest[rest.index(after: colon)...]), (0...65535).contains(port) else {
            throw .invalidArgument(op, "port must be an integer in 0...65535")
        }
        self = .tcp(host: String(host), port: port)
    }
}

extension ModbusEndpoint: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tcp(let host, let port): "tcp://\(host):\(port)"
        case .rtu(let s): "rtu:\(s.device)?baud=\(s.baud)&parity=\(s.parity.rawValue)"
        }
    }
}
