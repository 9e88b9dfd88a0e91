import Foundation

/// A duty cycle: a step-wise signal of power or current against time, held until the next row.
///
/// CSV format (docs/profiles.md): a header `time_s,power_W`, `time_s,power_kW`, `time_s,current_A`
/// or `time_s,power_pu` (normalised power, the scenario's rating applied), then one row per
/// change. Times start at 0, strictly increase and end within ten years; positive = discharge.
/// `#` starts a comment line; CRLF line ends and a UTF-8 byte-order mark are accepted.
///
/// A profile repeats: its period is the whole days that cover its last row (`period_ms`, also
/// the default run length), and a run longer than that starts it over from its first row (a
/// 30-day run of a 24 h profile is thirty such days, not one day and 29 of its last value).
public struct DutyProfile: Sendable, Equatable {
    /// What the value column means.
    public enum Quantity: String, Sendable, CaseIterable {
        case power_W, current_A, power_pu
    }

    /// The value columns a file may name, with the quantity and the factor each is read with
    /// (`power_kW` is read as watts).
    static let columns: [(name: String, quantity: Quantity, scale: Double)] = [
        ("power_W", .power_W, 1), ("power_kW", .power_W, 1000), ("current_A", .current_A, 1), ("power_pu", .power_pu, 1),
    ]

    /// The latest a row may be: ten years, the longest run.
    public static let latestRow_s: Double = 87_600 * 3600

    public let quantity: Quantity
    /// Row times in milliseconds (strictly increasing, first = 0).
    public let times_ms: [Int64]
    public let values: [Double]
    /// Where the profile came from (for messages).
    public let source: String

    public init(quantity: Quantity, times_ms: [Int64], values: [Double], source: String) throws(ProfileError) {
        guard !times_ms.isEmpty, times_ms.count == values.count else {
            throw ProfileError(file: source, line: 0, problem: "a profile needs at least one row")
        }
        guard times_ms[0] == 0 else {
            throw ProfileError(file: source, line: 0, problem: "the first row must be at time_s = 0")
        }
        self.quantity = quantity
        self.times_ms = times_ms
        self.values = values
        self.source = source
    }

    /// A generator's power_pu rows, valid by construction (at least one, the first at 0).
    init(generated times_ms: [Int64], values: [Double], source: String) {
        quantity = .power_pu
        self.times_ms = times_ms
        self.values = values
        self.source = source
    }

    /// Time of the last row; its value holds until the period ends.
    public var lastRowTime_ms: Int64 { times_ms[times_ms.count - 1] }

    /// The profile's period: the whole days that cover its last row (at least one).
    public var period_ms: Int64 {
        let day: Int64 = 86_400_000
        return max(1, (lastRowTime_ms + day - 1) / day) * day
    }

    /// The value in force at `time_ms` (the profile repeating every `period_ms`), advancing
    /// `cursor` (pass the same cursor for increasing times).
    public func value(at time_ms: Int64, cursor: inout Int) -> Double {
        let local = time_ms >= 0 ? time_ms % period_ms : 0
        if cursor >= times_ms.count || times_ms[cursor] > local { cursor = 0 }
        while cursor + 1 < times_ms.count, times_ms[cursor + 1] <= local { cursor += 1 }
        return values[cursor]
    }
}

/// A profile file that could not be read (the input-file error of profiles).
public typealias ProfileError = InputFileError

/// An input file (profile, scenario, pack) that could not be used: the file, line and problem.
public struct InputFileError: Error, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based line number; 0 when the problem concerns the whole file.
    public let line: Int
    public let problem: String

    public var description: String { line > 0 ? "\(file):\(line): \(problem)" : "\(file): \(problem)" }
}

extension DutyProfile {
    /// Reads a profile CSV file.
    public static func load(path: String) throws(ProfileError) -> DutyProfile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ProfileError(file: path, line: 0, problem: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// Parses profile CSV text; `source` names it in error messages.
    public static func parse(_ text: String, source: String) throws(ProfileError) -> DutyProfile {
        var column: (name: String, quantity: Quantity, scale: Double)?
        var times: [Int64] = []
        var values: [Double] = []
        var lineNumber = 0
        // "\r\n" is one Character: splitting on "\n" alone left a CRLF file one line long.
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        for rawLine in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let c = column else {
                guard fields.count == 2, fields[0] == "time_s", let c = columns.first(where: { $0.name == fields[1] }) else {
                    let allowed = columns.map { "time_s,\($0.name)" }.joined(separator: " | ")
                    throw ProfileError(file: source, line: lineNumber, problem: "header must be one of \(allowed), found '\(line.prefix(80))'")
                }
                column = c
                continue
            }
            guard fields.count == 2 else {
                throw ProfileError(file: source, line: lineNumber, problem: "expected 2 fields, found \(fields.count)")
            }
            guard let t = Double(fields[0]), t.isFinite, t >= 0, t <= latestRow_s else {
                throw ProfileError(
                    file: source, line: lineNumber, problem: "time_s '\(fields[0].prefix(40))' is not a time within 0 ... \(Int(latestRow_s)) s (ten years)")
            }
            let limit = c.quantity == .power_pu ? 1.000001 : largestValue / c.scale
            guard let v = Double(fields[1]), v.isFinite, abs(v) <= limit else {
                throw ProfileError(
                    file: source, line: lineNumber, problem: "\(c.name) '\(fields[1].prefix(40))' is not a number within -\(Format.compact(limit)) ... \(Format.compact(limit))")
            }
            let ms = Int64((t * 1000).rounded())
            if let last = times.last, ms <= last {
                throw ProfileError(file: source, line: lineNumber, problem: "time_s must increase strictly (1 ms resolution)")
            }
            times.append(ms)
            values.append(v * c.scale)
        }
        guard let c = column else { throw ProfileError(file: source, line: 0, problem: "empty file: no header") }
        guard !times.isEmpty else { throw ProfileError(file: source, line: 0, problem: "no data rows after the header") }
        return try DutyProfile(quantity: c.quantity, times_ms: times, values: values, source: source)
    }

    /// The largest magnitude a power (W) or current (A) row may hold, 1e9: a value past it is a
    /// unit mix-up, not a pack.
    static let largestValue: Double = 1e9
}
