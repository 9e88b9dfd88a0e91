import ArgumentParser
import BatteryPlant
import Modbus
import Simulation

// Options with a fixed set of values: parsed (and so checked) once by ArgumentParser, and listed
// by `--help`.

extension SensorPreset: ExpressibleByArgument {}

extension ChemistryPreset: ExpressibleByArgument {
    /// Case-insensitive ("nanicl2" is NaNiCl2).
    public init?(argument: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else { return nil }
        self = match
    }
}

/// The parity of a Modbus RTU line (8 data bits, 1 stop bit).
enum ParityChoice: String, CaseIterable, ExpressibleByArgument {
    case none = "N", even = "E", odd = "O"

    init?(argument: String) { self.init(rawValue: argument.uppercased()) }

    /// The Modbus layer's parity.
    var parity: ModbusEndpoint.RTUSettings.Parity {
        switch self {
        case .none: .none
        case .even: .even
        case .odd: .odd
        }
    }
}

/// One shard of a regression suite: `i/n`, 1 <= i <= n.
struct Shard: ExpressibleByArgument, CustomStringConvertible {
    var index: Int
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        index = i
        count = n
    }

    var description: String { "\(index)/\(count)" }
    static var defaultValueDescription: String { "i/n" }
}

extension DutyGenerator.Service: ExpressibleByArgument {}
