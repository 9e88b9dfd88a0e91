import Foundation

/// A CSV file read as text: a header and rows of fields, every row exactly as wide as the
/// header (a short or long row is an error naming its line). What `ColumnTable` (numbers) and
/// `SessionSummary` (a join of two logs) read.
struct CSVTable {
    let path: String
    let names: [String]
    let rows: [[Substring]]

    init(path: String) throws(InputFileError) {
        self.path = path
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw InputFileError(file: path, line: 0, problem: "cannot read: \(error.localizedDescription)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first, !header.isEmpty else { throw InputFileError(file: path, line: 1, problem: "no header row") }
        names = header.split(separator: ",").map(String.init)
        var rows: [[Substring]] = []
        rows.reserveCapacity(lines.count)
        for (k, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == names.count else {
                throw InputFileError(file: path, line: k + 2, problem: "expected \(names.count) fields, found \(fields.count)")
            }
            rows.append(fields)
        }
        self.rows = rows
    }

    /// The column `name`'s index.
    func index(_ name: String) throws(InputFileError) -> Int {
        guard let i = names.firstIndex(of: name) else { throw InputFileError(file: path, line: 1, problem: "no column '\(name)'") }
        return i
    }

    /// A field as a number ("nan" and "inf" read as such); `line` names it in the error.
    func number(_ field: Substring, line: Int) throws(InputFileError) -> Double {
        guard let v = Double(field) else { throw InputFileError(file: path, line: line, problem: "'\(field)' is not a number") }
        return v
    }

    /// A time in seconds as whole milliseconds (within Int64's range).
    func milliseconds(_ field: Substring, line: Int) throws(InputFileError) -> Int64 {
        let s = try number(field, line: line)
        guard s.isFinite, abs(s) < 9e15 else { throw InputFileError(file: path, line: line, problem: "time '\(field)' out of range") }
        return Int64((s * 1000).rounded())
    }
}
