/// Why a request failed.
public enum RTUError: Error, Equatable, Sendable {
    /// No complete reply in time, after every attempt.
    case timeout
    /// Replies came with a bad CRC, after every attempt.
    case badCRC
    /// Replies came that do not answer the request, after every attempt.
    case unexpectedReply
    /// The device answered with this exception code (not repeated: it is the device's answer).
    case exception(UInt8)
    /// The request itself is not one this master sends (a count out of range).
    case invalidRequest
}
