/// The RTU master's timing and retries.
public struct RTUMasterSettings: Sendable {
    /// How long a reply may take to start, microseconds.
    public var responseTimeout: UInt32
    /// A gap inside a reply this long ends it (an incomplete reply is a failed attempt), microseconds.
    public var byteTimeout: UInt32
    /// The silent interval kept between frames on the line (3.5 characters; 1,750 us above 19,200
    /// baud, as the Modbus serial line specification fixes it), microseconds.
    public var silence: UInt32
    /// Attempts after the first for a request that may be repeated (reads, and writes that carry
    /// no lockstep advance; `RTUMaster.writeRegisters(idempotent:)`).
    public var retries: Int

    /// Settings for `baud` (11 bits a character: 8 data bits, parity, start and stop).
    @inlinable public init(baud: UInt32 = 19_200, responseTimeout: UInt32 = 500_000, byteTimeout: UInt32 = 50_000, retries: Int = 2) {
        let character = 11_000_000 / max(1, baud)
        silence = baud > 19_200 ? 1_750 : character * 7 / 2
        self.responseTimeout = responseTimeout
        self.byteTimeout = max(byteTimeout, character * 3 / 2)
        self.retries = max(0, retries)
    }
}
