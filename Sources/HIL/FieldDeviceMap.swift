import BatteryPlant

/// The plant's field-device register map: what an analogue front end and I/O gateway would serve.
///
/// Measurements are input registers in scaled integers; commands are holding registers.
/// Signs follow DESIGN.md (current positive = discharge). The Markdown in
/// hil/field-device-map.md is generated from `FieldDeviceMap.registers` (`bmssim hil-map`).
public enum FieldDeviceMap {
    /// Version of this layout, served at input register 0.
    public static let version: UInt16 = 1
    /// Largest cell count the map addresses (cell voltages at 1000 ..< 1000 + maxCells).
    public static let maxCells = 1000
    /// Largest module count the map addresses.
    public static let maxModules = 100

    public enum Input {
        public static let mapVersion = 0
        public static let cellCount = 1
        public static let moduleCount = 2
        public static let time = 3  // uint64, 4 words
        public static let packCurrent = 7  // int32, 2 words
        public static let packVoltage = 9  // uint32, 2 words
        public static let status = 11
        public static let linkVoltage = 12  // uint32, 2 words
        public static let moduleTemperature = 100
        public static let cellVoltage = 1000
    }

    public enum Holding {
        public static let contactorCommand = 0
        public static let heaterDuty = 100
    }

    /// Scaling of the integer encodings (physical = raw x scale).
    public static let currentScale_A = 0.001
    public static let packVoltageScale_V = 0.001
    public static let temperatureScale_C = 0.1
    public static let cellVoltageScale_V = 0.0001
    public static let heaterDutyScale = 0.001

    /// Every point of the map, in address order.
    public static let registers: [RegisterDescription] = [
        RegisterDescription("map_version", .input, address: Input.mapVersion, .uint16, "layout version of this map (\(version))"),
        RegisterDescription("cell_count", .input, address: Input.cellCount, .uint16, "cells in series served by this device"),
        RegisterDescription("module_count", .input, address: Input.moduleCount, .uint16, "thermal modules"),
        RegisterDescription("time", .input, address: Input.time, .uint64, unit: "ms", "simulated time of the sample"),
        RegisterDescription("pack_current", .input, address: Input.packCurrent, .int32, scale: currentScale_A, unit: "A", "pack current, positive = discharge"),
        RegisterDescription("pack_voltage", .input, address: Input.packVoltage, .uint32, scale: packVoltageScale_V, unit: "V", "string terminal voltage"),
        RegisterDescription("status", .input, address: Input.status, .uint16, "auxiliary contacts: bit 0 main positive, bit 1 main negative, bit 2 precharge (1 = closed)"),
        RegisterDescription("link_voltage", .input, address: Input.linkVoltage, .uint32, scale: packVoltageScale_V, unit: "V", "DC-link voltage behind the main positive"),
        RegisterDescription("module_temperature", .input, address: Input.moduleTemperature, count: maxModules, .int16, scale: temperatureScale_C, unit: "C", "temperature of module i; 0x8000 = not available"),
        RegisterDescription("cell_voltage", .input, address: Input.cellVoltage, count: maxCells, .uint16, scale: cellVoltageScale_V, unit: "V", "voltage of cell i (0 = most negative); 0xFFFF = not available"),
        RegisterDescription("contactor_command", .holding, address: Holding.contactorCommand, .uint16, "bit 0 main positive, bit 1 main negative, bit 2 precharge (1 = close)"),
        RegisterDescription("heater_duty", .holding, address: Holding.heaterDuty, count: maxModules, .uint16, scale: heaterDutyScale, unit: "1", "heater duty of module i, 0 ... 1000 per mille"),
    ]

    /// Number of input registers the map needs for `cellCount` cells.
    public static func inputRegisterCount(cellCount: Int) -> Int { Input.cellVoltage + cellCount }
    /// Number of holding registers the map needs for `moduleCount` modules.
    public static func holdingRegisterCount(moduleCount: Int) -> Int { Holding.heaterDuty + moduleCount }
}
