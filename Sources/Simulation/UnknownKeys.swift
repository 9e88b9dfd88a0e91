import Foundation

/// Finds keys in a JSON document that the value decoded from it has no property for: the check
/// behind "an unknown key in any file is an error" (a typo such as `"cells_per_strng"` would
/// otherwise be dropped by `JSONDecoder` and the default used in silence).
///
/// It walks the JSON object beside the decoded value's `Mirror`: every key of a JSON object must
/// name a stored property of the struct decoded from it (whose coding keys are the property
/// names), recursively through optionals, arrays, dictionaries (their keys are data; their values
/// are checked) and enums with a payload. `allowed` names keys that are read elsewhere (a file's
/// `kind`).
enum UnknownKeys {
    /// The path of the first unknown key ("thermal.ambient_dialy", "faults[2].cel"), or nil.
    static func first(in data: Data, decoded value: Any, allowed: Set<String> = ["kind"]) -> String? {
        guard let json = try? JSONSerialization.jsonObject(with: data) else { return nil }
        return first(json: json, value: value, path: "", allowed: allowed)
    }

    private static func first(json: Any, value: Any, path: String, allowed: Set<String>) -> String? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return first(json: json, value: wrapped, path: path, allowed: allowed)
        }
        if mirror.displayStyle == .enum {
            // A payload case decoded from this JSON value: check against the payload.
            guard let payload = mirror.children.first?.value else { return nil }
            return first(json: json, value: payload, path: path, allowed: allowed)
        }
        switch json {
        case let array as [Any]:
            guard mirror.displayStyle == .collection else { return nil }
            let elements = mirror.children.map(\.value)
            for (k, (j, v)) in zip(array, elements).enumerated() {
                if let found = first(json: j, value: v, path: "\(path)[\(k)]", allowed: []) { return found }
            }
            return nil
        case let object as [String: Any]:
            let prefix = path.isEmpty ? "" : path + "."
            if mirror.displayStyle == .dictionary {
                for child in mirror.children {
                    let pair = Mirror(reflecting: child.value).children.map(\.value)
                    guard pair.count == 2, let key = pair[0] as? String, let j = object[key] else { continue }
                    if let found = first(json: j, value: pair[1], path: prefix + key, allowed: []) { return found }
                }
                return nil
            }
            guard mirror.displayStyle == .struct || mirror.displayStyle == .class else { return nil }
            var properties: [String: Any] = [:]
            for child in mirror.children { if let label = child.label { properties[label] = child.value } }
            for key in object.keys.sorted() {
                guard let property = properties[key] else {
                    if allowed.contains(key) { continue }
                    return prefix + key
                }
                if let found = first(json: object[key]!, value: property, path: prefix + key, allowed: []) { return found }
            }
            return nil
        default:
            return nil
        }
    }
}

extension UnknownKeys {
    /// Decodes `T` from a file's JSON and refuses any key `T` has no property for, at any depth;
    /// the error names the file and, where it can, the line.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws(InputFileError) -> T {
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch {
            guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
                throw InputFileError(file: path, line: JSONSyntax.firstErrorLine(in: data) ?? 0, problem: "not valid JSON")
            }
            let problem = PlantFile.describe(error, in: data)
            throw InputFileError(file: path, line: JSONSyntax.line(ofProblem: problem, in: data), problem: problem)
        }
        if let unknown = first(in: data, decoded: value, allowed: []) {
            let problem = "\(unknown): unknown key"
            throw InputFileError(file: path, line: JSONSyntax.line(ofProblem: problem, in: data), problem: problem)
        }
        return value
    }
}
