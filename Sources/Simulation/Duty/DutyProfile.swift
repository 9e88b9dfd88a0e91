import Foundation

/// A duty cycle: a step-wise signal of power or current against time, held until the next row.
///
/// CSV format (docs/profiles.md): a header `time_s,power_W`, `time_s,current_A` or
/// `time_s,power_pu` (normalised power, the scenario's rating applied), then one row per change.
/// Times start at 0 and strictly increase; positive = discharge. `#` starts a comment line.
public struct DutyProfile: Sendable, Equatable {
    /// What the value column means.
    public enum Quantity: String, Sendable, CaseIterable {
        case power_W, current_A, power_pu
    }

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

    /// Time of the last row; the profile holds its last value after it.
    public var lastRowTime_ms: Int64 { times_ms[times_ms.count - 1] }

    /// The value in force at `time_ms`, advancing `cursor` (pass the same cursor for increasing times).
    public func value(at time_ms: Int64, cursor: inout Int) -> Double {
        if cursor >= times_ms.count || times_ms[cursor] > time_ms { cursor = 0 }
        while cursor + 1 < times_ms.count, times_ms[cursor + 1] <= time_ms { cursor += 1 }
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
        var quantity: Quantity?
        var times: [Int64] = []
        var values: [Double] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let q = quantity else {
                guard fields.count == 2, fields[0] == "time_s", let q = Quantity(rawValue: fields[1]) else {
                    let allowed = Quantity.allCases.map { "time_s,\($0.rawValue)" }.joined(separator: " | ")
                    throw ProfileError(file: source, line: lineNumber, problem: "header must be one of \(allowed), found '\(line)'")
                }
                quantity = q
                continue
            }
            guard fields.count == 2 else {
                throw ProfileError(file: source, line: lineNumber, problem: "expected 2 fields, found \(fields.count)")
            }
            guard let t = Double(fields[0]), t.isFinite, t >= 0, t < 1e12 else {
                throw ProfileError(file: source, line: lineNumber, problem: "time_s '\(fields[0])' is not a time in seconds >= 0")
            }
            guard let v = Double(fields[1]), v.isFinite else {
                throw ProfileError(file: source, line: lineNumber, problem: "\(q.rawValue) '\(fields[1])' is not a finite number")
            }
            if q == .power_pu, abs(v) > 1.000001 {
                throw ProfileError(file: source, line: lineNumber, problem: "power_pu \(v) is outside -1 ... 1")
            }
            let ms = Int64((t * 1000).rounded())
            if let last = times.last, ms <= last {
                throw ProfileError(file: source, line: lineNumber, problem: "time_s must increase strictly (1 ms resolution)")
            }
            times.append(ms)
            values.append(v)
        }
        guard let q = quantity else { throw ProfileError(file: source, line: 0, problem: "empty file: no header") }
        guard !times.isEmpty else { throw ProfileError(file: source, line: 0, problem: "no data rows after the header") }
        return try DutyProfile(quantity: q, times_ms: times, values: values, source: source)
    }
}
