/// What one control step decided, as fixed-width words, for comparing two runs of the firmware
/// bit for bit (the firmware image's replay under QEMU against the host's, tools/firmware/).
///
/// The words hold the estimates' and the commands' bit patterns: time, SoC and its sigma, both
/// current limits, faults, warnings and alarms, the relay and mode states, the resistance and
/// capacity estimates, and a hash (FNV-1a over the bit patterns) of the heater duties, the bleed
/// switches and the cell SoC extremes. Equal digests: equal decisions, to the last bit.
public struct StepDigest: Sendable {
    /// Words in a digest (its bytes: 4 a word, little-endian on both targets).
    public static let count = 16
    public var words: InlineArray<16, UInt32>

    @inlinable public init<let cells: Int, let modules: Int>(
        commands c: CommandFrame<cells, modules>, status s: CoreStatus, time: Milliseconds, cellCount: Int, moduleCount: Int
    ) {
        words = InlineArray(repeating: 0)
        (words[0], words[1]) = RecordWords.split(time.count)
        words[2] = s.soc.value.bitPattern
        words[3] = s.socSigma.bitPattern
        words[4] = c.chargeCurrentLimit.value.bitPattern
        words[5] = c.dischargeCurrentLimit.value.bitPattern
        words[6] = c.faults.rawValue
        words[7] = c.warnings.rawValue
        words[8] = c.alarms.rawValue
        let k = c.contactors
        words[9] = (k.mainPositive ? 1 : 0) | (k.mainNegative ? 2 : 0) | (k.precharge ? 4 : 0) | (c.blower ? 8 : 0)
            | UInt32(c.connection.rawValue) << 8 | UInt32(c.mode.rawValue) << 16
        words[10] = s.resistanceAtReference.value.bitPattern
        words[11] = s.capacitySoH.bitPattern
        words[12] = s.currentOffset.value.bitPattern
        var heat: UInt32 = 2_166_136_261
        for m in 0..<moduleCount { heat = Self.fnv(heat, c.heaterDuty[m].bitPattern) }
        words[13] = heat
        var bleed: UInt32 = 2_166_136_261
        for i in 0..<cellCount { bleed = Self.fnv(bleed, c.balance[i] ? 1 : 0) }
        words[14] = bleed
        words[15] = Self.fnv(Self.fnv(2_166_136_261, s.minimumCellSoC.value.bitPattern), s.maximumCellSoC.value.bitPattern)
    }

    /// One FNV-1a round over a word's four bytes.
    @inlinable static func fnv(_ h: UInt32, _ word: UInt32) -> UInt32 {
        var h = h
        for b in 0..<4 {
            h ^= (word >> UInt32(8 * b)) & 0xFF
            h = h &* 16_777_619
        }
        return h
    }
}
