import Foundation
import ArgumentParser
import BatteryPlant
import Modbus
import Simulation

// Options with a fixed set of values: parsed (and so checked) once by ArgumentParser, and listed
// by `--help`.

extension SensorPreset: ExpressibleByArgument {}

extension RegressionSuite.SeriesPolicy: ExpressibleByArgument {}

extension ChemistryPreset: ExpressibleByArgument {
    /// Case-insensitive, with aliases ("nanicl2" and "ZEBRA" are NaNiCl2).
    public init?(argument: String) {
        guard let match = Self.named(argument) else { return nil }
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

/// `--shard i/n` (1-based) or `--shard auto` (the index and count of a cluster or CI job, from
/// its environment: `ShardAssignment.fromEnvironment`).
enum ShardOption: ExpressibleByArgument, CustomStringConvertible {
    case fixed(ShardAssignment)
    case auto

    init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let s = ShardAssignment(text: argument) {
            self = .fixed(s)
        } else {
            return nil
        }
    }

    /// The shard, reading the environment for `auto`.
    func resolved() throws -> ShardAssignment {
        switch self {
        case .fixed(let s): s
        case .auto: try ShardAssignment.fromEnvironment(ProcessInfo.processInfo.environment)
        }
    }

    var description: String {
        switch self {
        case .fixed(let s): s.description
        case .auto: "auto"
        }
    }
    static var defaultValueDescription: String { "i/n | auto" }
}

extension DutyGenerator.Service: ExpressibleByArgument {}
