import BMSCore
import BatteryPlant

/// What the controller commands the field device: contactors, the load's current limits, heaters
/// and balancing switches, in the map's resolution.
public struct FieldCommands: Sendable, Equatable {
    public var contactors: ContactorCoils
    /// Largest charge current the load may draw, A (magnitude; infinity = no limit).
    public var chargeLimit_A: Double
    /// Largest discharge current the load may draw, A (infinity = no limit).
    public var dischargeLimit_A: Double
    /// Heater duty per module, 0 ... 1.
    public var heaterDuty: [Double]
    /// Balancing switch per cell (true = bleed).
    public var balancing: [Bool]
    /// The cooling blower (true = run).
    public var blower = false

    /// Everything open and off, no current allowed: what the device holds before a first command.
    public init(cellCount: Int, moduleCount: Int) {
        contactors = .open
        chargeLimit_A = 0
        dischargeLimit_A = 0
        heaterDuty = Array(repeating: 0, count: moduleCount)
        balancing = Array(repeating: false, count: cellCount)
    }
}

extension FieldDeviceMap {
    /// Writes `commands` into a holding-register image (the command block, heater duties and
    /// balancing words; `lockstep_advance` is left as it is).
    public static func encode<R: MutableCollection<UInt16>>(_ commands: FieldCommands, into registers: inout R) where R.Index == Int {
        let k = commands.contactors
        Point.contactorCommand.put(
            raw: (k.mainPositive ? 1 : 0) | (k.mainNegative ? 2 : 0) | (k.precharge ? 4 : 0) | (commands.blower ? 8 : 0), into: &registers)
        Point.chargeCurrentLimit.put(raw: UInt64(limitCode(commands.chargeLimit_A)), into: &registers)
        Point.dischargeCurrentLimit.put(raw: UInt64(limitCode(commands.dischargeLimit_A)), into: &registers)
        for m in commands.heaterDuty.indices {
            Point.heaterDuty.put(raw: UInt64(dutyCode(commands.heaterDuty[m])), into: &registers, instance: m)
        }
        for j in 0..<balancingWords(cellCount: commands.balancing.count) {
            var word: UInt64 = 0
            for b in 0..<16 where 16 * j + b < commands.balancing.count && commands.balancing[16 * j + b] { word |= 1 << UInt64(b) }
            Point.balancing.put(raw: word, into: &registers, instance: j)
        }
    }

    /// Reads the commands for `cellCount` cells and `moduleCount` modules from a holding-register
    /// image into `c` (arrays are reused when their counts match).
    public static func decodeCommands<R: RandomAccessCollection<UInt16>>(
        _ registers: R, cellCount: Int, moduleCount: Int, into c: inout FieldCommands
    ) where R.Index == Int {
        let k = Point.contactorCommand.raw(registers)
        c.contactors = ContactorCoils(mainPositive: k & 1 != 0, mainNegative: k & 2 != 0, precharge: k & 4 != 0)
        c.blower = k & 8 != 0
        c.chargeLimit_A = limit(UInt32(truncatingIfNeeded: Point.chargeCurrentLimit.raw(registers)))
        c.dischargeLimit_A = limit(UInt32(truncatingIfNeeded: Point.dischargeCurrentLimit.raw(registers)))
        if c.heaterDuty.count != moduleCount { c.heaterDuty = Array(repeating: 0, count: moduleCount) }
        if c.balancing.count != cellCount { c.balancing = Array(repeating: false, count: cellCount) }
        for m in 0..<moduleCount { c.heaterDuty[m] = Double(Point.heaterDuty.raw(registers, instance: m)) * Point.heaterDuty.scale }
        for i in 0..<cellCount { c.balancing[i] = Point.balancing.raw(registers, instance: i / 16) & (1 << UInt64(i % 16)) != 0 }
    }

    /// `commands` as the map carries them (encoded and decoded again).
    public static func quantise(_ commands: inout FieldCommands) {
        commands.chargeLimit_A = limit(limitCode(commands.chargeLimit_A))
        commands.dischargeLimit_A = limit(limitCode(commands.dischargeLimit_A))
        for m in commands.heaterDuty.indices {
            commands.heaterDuty[m] = Double(dutyCode(commands.heaterDuty[m])) * Point.heaterDuty.scale
        }
    }

    /// A duty 0 ... 1 in per mille, clamped.
    static func dutyCode(_ duty: Double) -> UInt16 {
        UInt16(min(Double(Point.heaterDuty.writeRange!.upperBound), max(0, (duty / Point.heaterDuty.scale).roundedHalfAwayFromZero)))
    }
    static func limitCode(_ a: Double) -> UInt32 {
        a.isInfinite && a > 0 ? noLimit : UInt32(scaled: max(0, a.isNaN ? 0 : a), by: Point.chargeCurrentLimit.scale)
    }
    static func limit(_ code: UInt32) -> Double {
        code == noLimit ? .infinity : Double(code) * Point.chargeCurrentLimit.scale
    }
}

extension FieldCommands {
    /// Overwrites every field from the core's commands, in the map's resolution.
    public mutating func update<let cells: Int, let modules: Int>(from frame: CommandFrame<cells, modules>) {
        let k = frame.contactors
        contactors = ContactorCoils(mainPositive: k.mainPositive, mainNegative: k.mainNegative, precharge: k.precharge)
        chargeLimit_A = Double(frame.chargeCurrentLimit.value)
        dischargeLimit_A = Double(frame.dischargeCurrentLimit.value)
        for m in heaterDuty.indices { heaterDuty[m] = Double(frame.heaterDuty[m]) }
        for i in balancing.indices { balancing[i] = frame.balance[i] }
        blower = frame.blower
        FieldDeviceMap.quantise(&self)
    }
}
