/// The in-process fuzz targets: the request admission of both Modbus services (field device and
/// SunSpec EMS face) through the server's own frame assembly and answer path, and the register
/// codecs. `bmssim-fuzz` hands libFuzzer's inputs to `run`; the seed corpus in tools/fuzz/corpus
/// is replayed by the test suite through the same function.
///
/// An input's first byte picks the target (its value modulo 4); each target reads the rest as
/// `FuzzBytes`. A target checks its invariants itself and returns what broke, so a replay
/// reports and libFuzzer crashes (saving the input).
public enum FuzzTarget {
    /// The targets, by the value of an input's first byte modulo 4.
    public enum Kind: UInt8, CaseIterable, Sendable {
        case fieldDeviceRequests = 0
        case sunSpecRequests = 1
        case fieldMapCodec = 2
        case sunSpecCodec = 3
    }

    /// Runs one input; returns a description of the first invariant it broke, nil when none.
    public static func run(_ data: UnsafeRawBufferPointer) -> String? {
        var input = FuzzBytes(data)
        let kind = Kind(rawValue: input.byte() % 4)!
        switch kind {
        case .fieldDeviceRequests: return FieldDeviceRequests.run(&input)
        case .sunSpecRequests: return SunSpecRequests.run(&input)
        case .fieldMapCodec: return FieldMapCodec.run(&input)
        case .sunSpecCodec: return SunSpecCodec.run(&input)
        }
    }

    /// Runs one input from a byte array.
    public static func run(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { run($0) }
    }
}
