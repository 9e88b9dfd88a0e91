/// A serial port as the RTU master sees it: bytes out, bytes in without waiting, and a clock.
///
/// The firmware image implements it on the board's UART and SysTick (tools/firmware); tests
/// interpose a simulated line (a device, a loss, a corruption, a silence). Generic, never an
/// existential: the master is specialised for its line.
public protocol SerialLine {
    /// Sends one byte (waits while the transmitter is full).
    mutating func send(_ byte: UInt8)
    /// The next received byte, or nil when none has arrived.
    mutating func receive() -> UInt8?
    /// A free-running clock in microseconds (it may wrap: only differences are used).
    mutating func microseconds() -> UInt32
}
