import BatteryPlant

/// The plant's field-device register map: what an analogue front end and I/O gateway would serve.
///
/// Measurements are input registers (function 4) in scaled integers; commands are holding
/// registers (functions 3, 6, 16). Signs follow DESIGN.md (current positive = discharge). The
/// Markdown in hil/field-device-map.md is generated from `FieldDeviceMap.registers`
/// (`bmssim hil-map`); a test fails when it is stale.
public enum FieldDeviceMap {
    /// Version of this layout, served at input register 0.
    public static let version: UInt16 = 4
    /// Largest cell count the map addresses (cell voltages at 1000 ..< 1000 + maxCells).
    public static let maxCells = 1000
    /// Largest module count the map addresses.
    public static let maxModules = 100
    /// Most steps one lockstep write may ask for.
    public static let maxLockstepSteps = 1000

    /// Every point of the map, each declared once (address, encoding, scale, unit, access, the
    /// raw values a write may carry, meaning); addresses, codecs, write checks and the docs
    /// derive from these.
    public enum Point {
        public static let mapVersion = RegisterPoint("map_version", .input, address: 0, .uint16, "layout version of this map (\(version))")
        public static let cellCount = RegisterPoint("cell_count", .input, address: 1, .uint16, "cells in series served by this device")
        public static let moduleCount = RegisterPoint("module_count", .input, address: 2, .uint16, "thermal modules")
        public static let time = RegisterPoint("time", .input, address: 3, .uint64, unit: "ms", "simulated time of the sample")
        public static let packCurrent = RegisterPoint(
            "pack_current", .input, address: 7, .int32, scale: 0.001, unit: "A", "pack current, positive = discharge; 0x80000000 = not available")
        public static let packVoltage = RegisterPoint("pack_voltage", .input, address: 9, .uint32, scale: 0.001, unit: "V", "string terminal voltage")
        public static let status = RegisterPoint(
            "status", .input, address: 11, .uint16,
            "auxiliary contacts: bit 0 main positive, bit 1 main negative, bit 2 precharge (1 = closed); bit 3 the blower's airflow switch (1 = air moving); bit 8: the command watchdog holds the outputs safe (real time: no command write for --command-timeout)")
        public static let linkVoltage = RegisterPoint(
            "link_voltage", .input, address: 12, .uint32, scale: 0.001, unit: "V", "DC-link voltage behind the main positive")
        public static let stepLength = RegisterPoint(
            "step_length", .input, address: 14, .uint16, unit: "ms", "simulated time one step advances (the controller's fixed step)")
        public static let runMode = RegisterPoint("run_mode", .input, address: 15, .uint16, "0 lockstep (time moves only on lockstep_advance), 1 real time")
        public static let stepsDone = RegisterPoint("steps_done", .input, address: 16, .uint32, "steps simulated since start (wraps)")
        public static let secondCurrent = RegisterPoint(
            "second_current", .input, address: 18, .int32, scale: 0.001, unit: "A",
            "the pack current from the second, independent sensor (the strings' own), positive = discharge; 0x80000000 = not available")
        public static let moduleTemperature = RegisterPoint(
            "module_temperature", .input, address: 100, count: maxModules, .int16, scale: 0.1, unit: "C",
            "temperature of module i (the thermocouple at the centre of its cell block); 0x8000 = not available")
        public static let edgeTemperature = RegisterPoint(
            "edge_temperature", .input, address: 300, count: maxModules, .int16, scale: 0.1, unit: "C",
            "temperature of module i from its second thermocouple, at the edge of the cell block; 0x8000 = not available (or none fitted)")
        public static let heaterPower = RegisterPoint(
            "heater_power", .input, address: 200, count: maxModules, .uint16, scale: 1.0, unit: "W",
            "power the heater of module i delivers (0 when off or failed)")
        public static let cellVoltage = RegisterPoint(
            "cell_voltage", .input, address: 1000, count: maxCells, .uint16, scale: 0.0001, unit: "V",
            "voltage of cell i (0 = most negative); 0xFFFF = not available")
        public static let contactorCommand = RegisterPoint(
            "contactor_command", .holding, address: 0, .uint16, accepts: 0...15,
            "relay outputs: bit 0 main positive, bit 1 main negative, bit 2 precharge (1 = close), bit 3 cooling blower (1 = run); 0 ... 15")
        public static let chargeCurrentLimit = RegisterPoint(
            "charge_current_limit", .holding, address: 1, .uint32, scale: 0.001, unit: "A",
            "largest charge current the load may draw (magnitude); 0xFFFFFFFF = no limit")
        public static let dischargeCurrentLimit = RegisterPoint(
            "discharge_current_limit", .holding, address: 3, .uint32, scale: 0.001, unit: "A",
            "largest discharge current the load may draw; 0xFFFFFFFF = no limit")
        public static let lockstepAdvance = RegisterPoint(
            "lockstep_advance", .holding, address: 5, .uint16, accepts: 1...UInt32(maxLockstepSteps), fixed: 0,
            "write N (1 ... \(maxLockstepSteps)): apply the commands and simulate N steps before the next request is answered; lockstep mode only; reads 0")
        public static let heaterDuty = RegisterPoint(
            "heater_duty", .holding, address: 100, count: maxModules, .uint16, scale: 0.001, unit: "1", accepts: 0...1000,
            "heater duty of module i, 0 ... 1000 per mille")
        public static let balancing = RegisterPoint(
            "balancing", .holding, address: 200, count: (maxCells + 15) / 16, .uint16,
            "balancing switches: bit b of word j drives cell 16 j + b (1 = bleed); bits beyond cell_count must be 0")
    }

    /// Every point of the map, in table and address order.
    public static let registers: [RegisterPoint] = [
        Point.mapVersion, Point.cellCount, Point.moduleCount, Point.time, Point.packCurrent, Point.packVoltage, Point.status,
        Point.linkVoltage, Point.stepLength, Point.runMode, Point.stepsDone, Point.secondCurrent, Point.moduleTemperature,
        Point.heaterPower, Point.edgeTemperature,
        Point.cellVoltage, Point.contactorCommand, Point.chargeCurrentLimit, Point.dischargeCurrentLimit, Point.lockstepAdvance,
        Point.heaterDuty, Point.balancing,
    ]

    /// Input-register addresses (read with function 4), from the points.
    public enum Input {
        public static var mapVersion: Int { Point.mapVersion.address }
        public static var cellCount: Int { Point.cellCount.address }
        public static var moduleCount: Int { Point.moduleCount.address }
        public static var time: Int { Point.time.address }
        public static var packCurrent: Int { Point.packCurrent.address }
        public static var packVoltage: Int { Point.packVoltage.address }
        public static var status: Int { Point.status.address }
        public static var linkVoltage: Int { Point.linkVoltage.address }
        public static var stepLength: Int { Point.stepLength.address }
        public static var runMode: Int { Point.runMode.address }
        public static var stepsDone: Int { Point.stepsDone.address }
        public static var secondCurrent: Int { Point.secondCurrent.address }
        /// Registers 0 ..< headerCount are the header (one read).
        public static var headerCount: Int { Point.secondCurrent.addresses.upperBound }
        public static var moduleTemperature: Int { Point.moduleTemperature.address }
        public static var heaterPower: Int { Point.heaterPower.address }
        public static var edgeTemperature: Int { Point.edgeTemperature.address }
        public static var cellVoltage: Int { Point.cellVoltage.address }
    }

    /// Holding-register addresses (written with function 6 or 16, read back with function 3), from the points.
    public enum Holding {
        public static var contactorCommand: Int { Point.contactorCommand.address }
        public static var chargeCurrentLimit: Int { Point.chargeCurrentLimit.address }
        public static var dischargeCurrentLimit: Int { Point.dischargeCurrentLimit.address }
        public static var lockstepAdvance: Int { Point.lockstepAdvance.address }
        /// Registers 0 ..< commandCount are the command block (one write, lockstep last).
        public static var commandCount: Int { Point.lockstepAdvance.addresses.upperBound }
        public static var heaterDuty: Int { Point.heaterDuty.address }
        public static var balancing: Int { Point.balancing.address }
    }

    /// How the device advances simulated time (input register `run_mode`).
    public enum RunMode: UInt16, Sendable {
        /// Time stands still until a client writes `lockstep_advance`.
        case lockstep = 0
        /// Time runs with the wall clock times an acceleration factor.
        case realTime = 1
    }

    /// Bit of `status` set while the gateway's command watchdog holds the outputs safe.
    public static let watchdogBit: UInt16 = 1 << 8
    /// The limit code meaning "no limit" (the load is not clamped).
    public static let noLimit: UInt32 = 0xFFFF_FFFF

    /// Number of input registers the map needs for `cellCount` cells.
    public static func inputRegisterCount(cellCount: Int) -> Int { Input.cellVoltage + cellCount }
    /// Number of holding registers the map needs for `cellCount` cells.
    public static func holdingRegisterCount(cellCount: Int) -> Int { Holding.balancing + balancingWords(cellCount: cellCount) }
    /// Balancing words for `cellCount` cells.
    public static func balancingWords(cellCount: Int) -> Int { (cellCount + 15) / 16 }
}
