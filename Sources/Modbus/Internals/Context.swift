import CModbus

/// The one place that creates libmodbus contexts (the platform edge of this module).
enum Context {
    /// A new, unconnected libmodbus context for `endpoint`.
    static func make(_ endpoint: ModbusEndpoint, role: String) throws(ModbusError) -> OpaquePointer {
        switch endpoint {
        case .tcp(let host, let port):
            guard (0...65535).contains(port) else { throw .invalidArgument("new \(role) \(endpoint)", "port \(port) is outside 0...65535") }
            guard let ctx = modbus_new_tcp(host, Int32(port)) else { throw .last("new \(role) \(endpoint)") }
            return ctx
        case .rtu(let s):
            let parity = Int8(bitPattern: s.parity.rawValue.asciiValue!)
            guard let ctx = modbus_new_rtu(s.device, Int32(s.baud), CChar(parity), Int32(s.dataBits), Int32(s.stopBits)) else {
                throw .last("new \(role) \(endpoint)")
            }
            return ctx
        }
    }

    /// Sets a libmodbus timeout from a Duration (seconds + microseconds).
    static func timeout(_ d: Duration) -> (seconds: UInt32, microseconds: UInt32) {
        let (s, atto) = d.components
        return (UInt32(clamping: max(0, s)), UInt32(clamping: max(0, atto / 1_000_000_000_000)))
    }
}
