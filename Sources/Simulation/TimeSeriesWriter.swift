import Foundation

/// Streams CSV rows to a file as a run goes. By default every row is handed to the operating
/// system as it is made (one write each), so a run that is killed, even with SIGKILL, leaves a
/// file complete up to its last row; `flushEveryRows` > 1 trades that for fewer writes.
public final class TimeSeriesWriter {
    private let handle: FileHandle
    private var buffer = ""
    private let flushEveryRows: Int
    private var pendingRows = 0
    /// The file being written.
    public let path: String

    /// Creates (or truncates) `path` and writes the header.
    public init(path: String, columns: [String], flushEveryRows: Int = 1) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw SimulationError.cannotWrite(path)
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        self.path = path
        self.flushEveryRows = flushEveryRows
        buffer = columns.joined(separator: ",") + "\n"
        try flush()
    }

    deinit { try? flush() }

    /// Appends one row of already formatted fields.
    public func append(_ fields: [String]) throws {
        buffer += fields.joined(separator: ",")
        buffer += "\n"
        pendingRows += 1
        if pendingRows >= flushEveryRows { try flush() }
    }

    /// Writes buffered rows to the file.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
        pendingRows = 0
    }
}

/// Errors of the simulation layer that are not parse errors.
public enum SimulationError: Error, CustomStringConvertible {
    case cannotWrite(String)
    case controllerRejected(String)
    case invalidOption(String)
    /// The firmware's parameters do not fit the pack (`Scenario.firmwareFit`).
    case firmwareDoesNotFit(String)

    public var description: String {
        switch self {
        case .cannotWrite(let p): "cannot write \(p)"
        case .controllerRejected(let why): "the controller refused its configuration: \(why)"
        case .invalidOption(let why): why
        case .firmwareDoesNotFit(let why): "the firmware does not fit the pack: \(why)"
        }
    }
}

/// Fixed, locale-independent number formatting for output files, tables and terminal lines.
public enum Format {
    /// `digits` decimals, 0 ... 40 ("nan", "inf" and "-inf" spelled out).
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        printf("%.*f", Int32(clamping: max(0, min(digits, 40))), x)
    }

    /// Up to six significant digits, no trailing zeros (for messages and tables).
    public static func compact(_ x: Double) -> String {
        printf("%.*g", 6, x)
    }

    /// A count with its noun, singular for one ("1 scenario", "2 scenarios", "0 runs").
    public static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// Six significant digits in exponent form (resistances spanning many decades).
    public static func scientific(_ x: Double) -> String {
        printf("%.*e", 6, x)
    }

    /// Hours with two decimals and the unit ("1.50 h").
    public static func hours(_ h: Double) -> String { fixed(h, 2) + " h" }

    /// C's `snprintf` of one double with a precision (`format` is "%.*f", "%.*g" or "%.*e"), and
    /// "nan", "inf" and "-inf" spelled out (C would write "-nan" for a negative NaN): the C
    /// library's own conversion, as `String(format:)` gives, without building an
    /// NSString for each number (the time series formats about 40 numbers a row; this took 8 % of
    /// a run's time through Foundation). 64 bytes hold any of these with up to 40 decimals below
    /// 1e22; a longer result (1e300 in fixed form) goes through `String(format:)`.
    private static func printf(_ format: StaticString, _ precision: Int32, _ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        return withVaList([precision, x]) { arguments in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
                // A string literal's StaticString ends in a NUL, as C wants.
                let c = UnsafeRawPointer(format.utf8Start).assumingMemoryBound(to: CChar.self)
                let needed = vsnprintf(buffer.baseAddress, 64, c, arguments)
                if needed >= 0 && needed < 64 {
                    return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(needed)), as: UTF8.self)
                }
                return String(format: String(describing: format), precision, x)
            }
        }
    }
}
