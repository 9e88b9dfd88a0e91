import BatteryPlant

/// The plant's field-device register map: what an analogue front end and I/O gateway would serve.
///
/// Measurements are input registers (function 4) in scaled integers; commands are holding
/// registers (functions 3, 6, 16). Signs follow DESIGN.md (current positive = discharge). The
/// Markdown in hil/field-device-map.md is generated from `FieldDeviceMap.registers`
/// (`bmssim hil-map`); a test fails when it is stale.
public enum FieldDeviceMap {
    /// Version of this layout, served at input register 0.
    public static let version: UInt16 = 2
    /// Largest cell count the map addresses (cell voltages at 1000 ..< 1000 + maxCells).
    public static let maxCells = 1000
    /// Largest module count the map addresses.
    public static let maxModules = 100
    /// Most steps one lockstep write may ask for.
    public static let maxLockstepSteps = 1000

    /// Input-register addresses (read with function 4).
    public enum Input {
        public static let mapVersion = 0
        public static let cellCount = 1
        public static let moduleCount = 2
        public static let time = 3  // uint64, 4 words
        public static let packCurrent = 7  // int32, 2 words
        public static let packVoltage = 9  // uint32, 2 words
        public static let status = 11
        public static let linkVoltage = 12  // uint32, 2 words
        public static let stepLength = 14
        public static let runMode = 15
        public static let stepsDone = 16  // uint32, 2 words
        /// Registers 0 ..< headerCount are the header (one read).
        public static let headerCount = 18
        public static let moduleTemperature = 100
        public static let heaterPower = 200
        public static let cellVoltage = 1000
    }

    /// Holding-register addresses (written with function 6 or 16, read back with function 3).
    public enum Holding {
        public static let contactorCommand = 0
        public static let chargeCurrentLimit = 1  // uint32, 2 words
        public static let dischargeCurrentLimit = 3  // uint32, 2 words
        public static let lockstepAdvance = 5
        /// Registers 0 ..< commandCount are the command block (one write, lockstep last).
        public static let commandCount = 6
        public static let heaterDuty = 100
        public static let balancing = 200
    }

    /// How the device advances simulated time (input register `run_mode`).
    public enum RunMode: UInt16, Sendable {
        /// Time stands still until a client writes `lockstep_advance`.
        case lockstep = 0
        /// Time runs with the wall clock times an acceleration factor.
        case realTime = 1
    }

    /// Scaling of the integer encodings (physical = raw x scale).
    public static let currentScale_A = 0.001
    public static let packVoltageScale_V = 0.001
    public static let temperatureScale_C = 0.1
    public static let cellVoltageScale_V = 0.0001
    public static let heaterDutyScale = 0.001
    public static let heaterPowerScale_W = 1.0
    /// Bit of `status` set while the gateway's command watchdog holds the outputs safe.
    public static let watchdogBit: UInt16 = 1 << 8
    /// The limit code meaning "no limit" (the load is not clamped).
    public static let noLimit: UInt32 = 0xFFFF_FFFF

    /// Every point of the map, in table and address order.
    public static let registers: [RegisterDescription] = [
        RegisterDescription("map_version", .input, address: Input.mapVersion, .uint16, "layout version of this map (\(version))"),
        RegisterDescription("cell_count", .input, address: Input.cellCount, .uint16, "cells in series served by this device"),
        RegisterDescription("module_count", .input, address: Input.moduleCount, .uint16, "thermal modules"),
        RegisterDescription("time", .input, address: Input.time, .uint64, unit: "ms", "simulated time of the sample"),
        RegisterDescription("pack_current", .input, address: Input.packCurrent, .int32, scale: currentScale_A, unit: "A", "pack current, positive = discharge; 0x80000000 = not available"),
        RegisterDescription("pack_voltage", .input, address: Input.packVoltage, .uint32, scale: packVoltageScale_V, unit: "V", "string terminal voltage"),
        RegisterDescription("status", .input, address: Input.status, .uint16, "auxiliary contacts: bit 0 main positive, bit 1 main negative, bit 2 precharge (1 = closed); bit 8: the command watchdog holds the outputs safe (real time: no command write for --command-timeout)"),
        RegisterDescription("link_voltage", .input, address: Input.linkVoltage, .uint32, scale: packVoltageScale_V, unit: "V", "DC-link voltage behind the main positive"),
        RegisterDescription("step_length", .input, address: Input.stepLength, .uint16, unit: "ms", "simulated time one step advances (the controller's fixed step)"),
        RegisterDescription("run_mode", .input, address: Input.runMode, .uint16, "0 lockstep (time moves only on lockstep_advance), 1 real time"),
        RegisterDescription("steps_done", .input, address: Input.stepsDone, .uint32, "steps simulated since start (wraps)"),
        RegisterDescription("module_temperature", .input, address: Input.moduleTemperature, count: maxModules, .int16, scale: temperatureScale_C, unit: "C", "temperature of module i; 0x8000 = not available"),
        RegisterDescription("heater_power", .input, address: Input.heaterPower, count: maxModules, .uint16, scale: heaterPowerScale_W, unit: "W", "power the heater of module i delivers (0 when off or failed)"),
        RegisterDescription("cell_voltage", .input, address: Input.cellVoltage, count: maxCells, .uint16, scale: cellVoltageScale_V, unit: "V", "voltage of cell i (0 = most negative); 0xFFFF = not available"),
        RegisterDescription("contactor_command", .holding, address: Holding.contactorCommand, .uint16, "bit 0 main positive, bit 1 main negative, bit 2 precharge (1 = close); 0 ... 7"),
        RegisterDescription("charge_current_limit", .holding, address: Holding.chargeCurrentLimit, .uint32, scale: currentScale_A, unit: "A", "largest charge current the load may draw (magnitude); 0xFFFFFFFF = no limit"),
        RegisterDescription("discharge_current_limit", .holding, address: Holding.dischargeCurrentLimit, .uint32, scale: currentScale_A, unit: "A", "largest discharge current the load may draw; 0xFFFFFFFF = no limit"),
        RegisterDescription("lockstep_advance", .holding, address: Holding.lockstepAdvance, .uint16, "write N (1 ... \(maxLockstepSteps)): apply the commands and simulate N steps before the next request is answered; lockstep mode only; reads 0"),
        RegisterDescription("heater_duty", .holding, address: Holding.heaterDuty, count: maxModules, .uint16, scale: heaterDutyScale, unit: "1", "heater duty of module i, 0 ... 1000 per mille"),
        RegisterDescription("balancing", .holding, address: Holding.balancing, count: (maxCells + 15) / 16, .uint16, "balancing switches: bit b of word j drives cell 16 j + b (1 = bleed); bits beyond cell_count must be 0"),
    ]

    /// Number of input registers the map needs for `cellCount` cells.
    public static func inputRegisterCount(cellCount: Int) -> Int { Input.cellVoltage + cellCount }
    /// Number of holding registers the map needs for `cellCount` cells.
    public static func holdingRegisterCount(cellCount: Int) -> Int { Holding.balancing + balancingWords(cellCount: cellCount) }
    /// Balancing words for `cellCount` cells.
    public static func balancingWords(cellCount: Int) -> Int { (cellCount + 15) / 16 }
}
