import ArgumentParser
import Simulation

/// Range checks for numeric options where they enter (`validate()`): a value outside its range,
/// not a number or infinite is refused with the option's name, so nothing later converts it
/// (a Double past Int64 traps) or divides by it.
enum OptionCheck {
    /// `value` is finite and within `range`.
    static func within(_ value: Double, _ range: ClosedRange<Double>, _ option: String, _ unit: String = "") throws {
        guard value.isFinite, range.contains(value) else {
            let u = unit.isEmpty ? "" : " " + unit
            throw ValidationError("--\(option) must be within \(Format.compact(range.lowerBound)) ... \(Format.compact(range.upperBound))\(u)")
        }
    }

    /// `value`, when given, is finite and within `range`.
    static func within(_ value: Double?, _ range: ClosedRange<Double>, _ option: String, _ unit: String = "") throws {
        if let v = value { try within(v, range, option, unit) }
    }
}
