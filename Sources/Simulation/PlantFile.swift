import BatteryPlant
import CellLab
import Foundation

/// A cell or pack definition file (JSON), as documented in docs/plant-files.md.
///
/// Three kinds:
/// - `"kind": "thevenin"`: one equivalent-circuit cell, isothermal, no degradation (the exact form
///   shared with other equivalent-circuit tools).
/// - `"kind": "cell"`: one cell of a bundled chemistry (`"chemistry": "NaNiCl2"`), isothermal.
/// - `"kind": "pack"`: strings, modules, spread, thermal, sensors, degradation and faults.
public enum PlantFile {
    /// Reads a definition file into a plant definition plus its scheduled faults.
    public static func load(path: String) throws(PlantFileError) -> PlantSetup {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PlantFileError(file: path, problem: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, source: path)
    }

    /// Parses definition JSON; `source` names it in errors.
    public static func parse(_ data: Data, source: String) throws(PlantFileError) -> PlantSetup {
        let kind: String
        do {
            kind = try JSONDecoder().decode(KindOnly.self, from: data).kind
        } catch {
            throw PlantFileError(error, file: source, data: data)
        }
        let folder = PathName.folder(of: source)
        do {
            func decode<T: Decodable>(_: T.Type) throws -> T { try StrictFile.decode(T.self, from: data, allowed: ["kind"]) }
            switch kind {
            case "thevenin":
                let t = try decode(TheveninFile.self)
                return PlantSetup(definition: try t.definition(), faults: [])
            case "cell":
                let c = try decode(CellFile.self)
                return PlantSetup(definition: try c.definition(folder: folder), faults: [])
            case "pack":
                let p = try decode(PackFile.self)
                return PlantSetup(definition: try p.definition(folder: folder), faults: try p.plantFaults())
            default:
                throw FileProblem("kind '\(kind)' is not one of thevenin, cell, pack")
            }
        } catch {
            throw PlantFileError(error, file: source, data: data)
        }
    }

    /// A readable account of a decoding error: the key path and what was wrong, or the line of a
    /// syntax error.
    static func describe(_ error: Error, in data: Data) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            let at = path(context.codingPath)
            return "missing key '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)")
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
            return "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            // Foundation reports a number its key's type cannot hold (a negative count, a value
            // past UInt64) as "not valid JSON" without a path; the text itself may be valid.
            if (try? JSONSerialization.jsonObject(with: data)) != nil {
                return "a number does not fit its key (negative where a count or seed is expected, or too large)"
            }
            return "not valid JSON" + (JSONSyntax.firstErrorLine(in: data).map { " (near line \($0))" } ?? "")
        }
    }
}

/// A definition file that could not be used, with the file, the line (of the key at fault or of
/// the syntax error; 0 when the problem concerns the whole file) and the problem.
public struct PlantFileError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let problem: String

    public init(file: String, line: Int = 0, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String { line > 0 ? "\(file):\(line): \(problem)" : "\(file): \(problem)" }
}

extension PlantFileError {
    /// A problem met while reading `data` from `file`: a `FileProblem`'s message or a decoding
    /// error's account, with the line it points at.
    init(_ error: Error, file: String, data: Data) {
        let problem = (error as? FileProblem)?.message ?? PlantFile.describe(error, in: data)
        self.init(file: file, line: JSONSyntax.line(ofProblem: problem, in: data), problem: problem)
    }
}

/// JSON files read strictly: every key must be one the decoded type has.
enum StrictFile {
    /// Decodes `T` from `data` and refuses keys it has no property for (`allowed` excepted).
    static func decode<T: Decodable>(_: T.Type, from data: Data, allowed: Set<String> = []) throws -> T {
        let value = try JSONDecoder().decode(T.self, from: data)
        if let unknown = UnknownKeys.first(in: data, decoded: value, allowed: allowed) { throw FileProblem("\(unknown): unknown key") }
        return value
    }

    /// Reads the file at `path` as `T`, checks its `kind`, then converts it; any problem becomes
    /// `FILE:LINE: problem`.
    static func load<T: Decodable, Value>(
        path: String, as: T.Type, kind: KeyPath<T, String>, named expected: String, convert: (T) throws -> Value
    ) throws(PlantFileError) -> Value {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PlantFileError(file: path, problem: "cannot read: \(error.localizedDescription)")
        }
        do {
            let file = try decode(T.self, from: data)
            try require(file[keyPath: kind] == expected, "kind must be '\(expected)'")
            return try convert(file)
        } catch {
            throw PlantFileError(error, file: path, data: data)
        }
    }
}

/// Throws `message` as a file problem unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw FileProblem(message()) }
}

/// The plant a definition file describes, and the faults it schedules.
public struct PlantSetup: Sendable {
    public var definition: PackDefinition
    public var faults: [PlantFault]
}

struct FileProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

private struct KindOnly: Decodable { let kind: String }

/// The exact Thevenin form: {"kind": "thevenin", "capacity_Ah", "initial_soc", "ocv": {"soc", "voltage_V"},
/// "r0_ohm", "rc": [{"r_ohm", "c_F"}]}; optional "temperature_C" (default 25).
struct TheveninFile: Decodable {
    struct OCV: Decodable {
        let soc: [Double]
        let voltage_V: [Double]
    }
    struct RC: Decodable {
        let r_ohm: Double
        let c_F: Double
    }
    let capacity_Ah: Double
    let initial_soc: Double
    let ocv: OCV
    let r0_ohm: Double
    let rc: [RC]
    let temperature_C: Double?

    func chemistry() throws -> CellChemistry {
        guard capacity_Ah > 0, capacity_Ah.isFinite else { throw FileProblem("capacity_Ah must be positive") }
        guard r0_ohm >= 0, r0_ohm.isFinite else { throw FileProblem("r0_ohm must be >= 0") }
        guard rc.count <= ImpedanceElement.maxElements else { throw FileProblem("rc: at most \(ImpedanceElement.maxElements) elements") }
        for (k, e) in rc.enumerated() where !(e.r_ohm > 0 && e.c_F > 0 && e.r_ohm.isFinite && e.c_F.isFinite) {
            throw FileProblem("rc[\(k)]: r_ohm and c_F must be positive")
        }
        let curve: OCVCurve
        do { curve = try OCVCurve(soc: ocv.soc, voltage_V: ocv.voltage_V) } catch { throw FileProblem("\(error)") }
        return .thevenin(capacity_Ah: capacity_Ah, ocv: curve, r0_ohm: r0_ohm, rc: rc.map { ($0.r_ohm, $0.c_F) })
    }

    func definition() throws -> PackDefinition {
        guard (0...1).contains(initial_soc) else { throw FileProblem("initial_soc must be within 0 ... 1") }
        let t = temperature_C ?? 25
        return PackDefinition(
            chemistry: try chemistry(), topology: PackTopology(cellsPerString: 1), spread: .none, initialSoC: initial_soc,
            initialTemperature_C: t, thermal: .isothermal(ambient_C: t), electrics: .directConnection, sensors: .ideal,
            degradationEnabled: false)
    }
}

/// One cell of a bundled chemistry or of a chemistry file: {"kind": "cell", "chemistry": "NASICON"
/// | "my-cell.json", "initial_soc": 0.5, "temperature_C": 30, "degradation": true}; isothermal.
struct CellFile: Decodable {
    let chemistry: String
    let initial_soc: Double
    let temperature_C: Double?
    let degradation: Bool?

    func definition(folder: String) throws -> PackDefinition {
        let cell: CellChemistry
        let standard: PackDefinition
        if chemistry.hasSuffix(".json") {
            cell = try ChemistryName.file(chemistry, folder: folder)
            standard = .standard(chemistry: cell, cellsPerString: 1)
        } else {
            let preset = try ChemistryName.preset(chemistry)
            cell = preset.chemistry
            standard = .standard(preset, cellsPerString: 1)
        }
        guard (0...1).contains(initial_soc) else { throw FileProblem("initial_soc must be within 0 ... 1") }
        let t = temperature_C ?? standard.initialTemperature_C
        return PackDefinition(
            chemistry: cell, topology: PackTopology(cellsPerString: 1), spread: .none,
            initialSoC: initial_soc, initialTemperature_C: t, thermal: .isothermal(ambient_C: t),
            electrics: .directConnection, sensors: .ideal, degradationEnabled: degradation ?? true)
    }
}

enum ChemistryName {
    /// The chemistry file at `path` (relative to `folder`); its own problems come with its line.
    static func file(_ path: String, folder: String) throws -> CellChemistry {
        let full = path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path
        do { return try ChemistryFile.load(path: full) } catch { throw FileProblem("chemistry: \(error)") }
    }

    static func preset(_ name: String) throws -> ChemistryPreset {
        guard let p = ChemistryPreset.named(name) else {
            throw FileProblem("chemistry '\(name)' is not one of \(ChemistryPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return p
    }
}

/// Where the first syntax error of a JSON text is, from JSONSerialization's report
/// ("around line L" on some platforms, "around character N" on others).
enum JSONSyntax {
    /// The line a problem message points at: a syntax error's "(near line N)"; else the key its
    /// path starts with ("faults[2].cell must be ..." -> the third entry of "faults", "thermal.ambient_C
    /// ..." -> "ambient_C", "missing key 'x'" -> nothing to point at). 0 when unknown.
    static func line(ofProblem problem: String, in data: Data) -> Int {
        if let r = problem.range(of: "(near line ") { return Int(problem[r.upperBound...].prefix { $0.isNumber }) ?? 0 }
        if problem.hasPrefix("missing key") { return 0 }
        let path = problem.prefix { $0 != " " && $0 != ":" }
        let components = path.split(separator: ".").map(String.init)
        guard let first = components.first else { return 0 }
        // An array entry: the line of the entry's n-th "kind" (fault entries) or the array's key.
        if let open = first.firstIndex(of: "["), let index = Int(first[first.index(after: open)...].prefix { $0.isNumber }) {
            let key = String(first[..<open])
            guard let arrayLine = line(ofKey: key, in: data) else { return 0 }
            guard let text = String(data: data, encoding: .utf8) else { return arrayLine }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            var seen = -1
            for n in (arrayLine - 1)..<lines.count where lines[n].contains("{") {
                seen += lines[n].components(separatedBy: "{").count - 1
                if seen >= index { return n + 1 }
            }
            return arrayLine
        }
        let last = components.last.map { String($0.prefix { $0 != "[" }) } ?? first
        return line(ofKey: last, in: data) ?? line(ofKey: first, in: data) ?? 0
    }

    /// The line where `"key"` first appears as a key (nil when it does not).
    static func line(ofKey key: String, in data: Data) -> Int? {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        var line = 1
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = l.range(of: "\"\(key)\""), l[r.upperBound...].drop(while: { $0 == " " }).first == ":" { return line }
            line += 1
        }
        return nil
    }

    static func firstErrorLine(in data: Data) -> Int? {
        do {
            _ = try JSONSerialization.jsonObject(with: data)
            return nil
        } catch {
            let text = "\((error as NSError).userInfo)"
            if let range = text.range(of: "line ") {
                return Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            guard let range = text.range(of: "character "), let offset = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
                return nil
            }
            return data.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }
    }
}
