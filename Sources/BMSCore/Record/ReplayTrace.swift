/// A replay trace: a host run's measurement frames, replayed by the firmware image under QEMU
/// (tools/firmware) so that host and target can be compared bit for bit (`StepDigest`).
///
/// File layout, little-endian 32-bit words: the header (`ReplayTraceHeader.words`: magic,
/// version, chemistry, cells, modules, initial SoC, rated current, the step in ms as two words,
/// steps), then `steps`
/// frames of `MeasurementFrame.traceWords(cells:modules:)` words. The digests a replay writes
/// are `StepDigest.count` words a step.
public struct ReplayTraceHeader: Sendable {
    /// "BMST".
    public static let magic: UInt32 = 0x5453_4D42
    public static let version: UInt32 = 1
    /// Words of the header.
    public static let words = 10

    public var chemistry: FirmwareChemistry
    public var cells: Int
    public var modules: Int
    public var initialSoC: StateOfCharge
    public var ratedCurrent: Amperes
    public var step: Milliseconds
    public var steps: Int

    @inlinable public init(
        chemistry: FirmwareChemistry, cells: Int, modules: Int, initialSoC: StateOfCharge, ratedCurrent: Amperes, step: Milliseconds, steps: Int
    ) {
        self.chemistry = chemistry
        self.cells = cells
        self.modules = modules
        self.initialSoC = initialSoC
        self.ratedCurrent = ratedCurrent
        self.step = step
        self.steps = steps
    }

    /// The firmware's configuration for the replay: the chemistry's preset for this string, at
    /// this step (host and target build it with this same code).
    @inlinable public var configuration: CoreConfiguration {
        var c = CoreConfiguration.preset(chemistry, cellCount: cells, moduleCount: modules, initialSoC: initialSoC, ratedCurrent: ratedCurrent)
        c.step = step
        return c
    }

    /// Bytes of one frame of this trace.
    @inlinable public var frameBytes: Int { 4 * MeasurementFrame<1, 1>.traceWords(cells: cells, modules: modules) }

    @inlinable public func write(to p: UnsafeMutableRawPointer) {
        var k = 0
        func put(_ w: UInt32) {
            p.storeBytes(of: w.littleEndian, toByteOffset: 4 * k, as: UInt32.self)
            k += 1
        }
        put(Self.magic)
        put(Self.version)
        put(UInt32(chemistry.rawValue))
        put(UInt32(truncatingIfNeeded: cells))
        put(UInt32(truncatingIfNeeded: modules))
        put(initialSoC.value.bitPattern)
        put(ratedCurrent.value.bitPattern)
        let (low, high) = RecordWords.split(step.count)
        put(low)
        put(high)
        put(UInt32(truncatingIfNeeded: steps))
    }

    /// The header at `p`, nil when it is not one (magic, version, chemistry, sizes).
    @inlinable public init?(reading p: UnsafeRawPointer, maxCells: Int, maxModules: Int) {
        var w = (UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0))
        withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: UnsafeRawBufferPointer(start: p, count: 40)) }
        let step = RecordWords.join(low: UInt32(littleEndian: w.7), high: UInt32(littleEndian: w.8))
        let cells = Int(truncatingIfNeeded: UInt32(littleEndian: w.3)), modules = Int(truncatingIfNeeded: UInt32(littleEndian: w.4))
        let code = UInt32(littleEndian: w.2)
        guard UInt32(littleEndian: w.0) == Self.magic, UInt32(littleEndian: w.1) == Self.version, cells >= 1, cells <= maxCells, modules >= 1,
            modules <= maxModules, step > 0, code <= UInt32(UInt8.max), let chemistry = FirmwareChemistry(rawValue: UInt8(truncatingIfNeeded: code))
        else { return nil }
        self.init(
            chemistry: chemistry, cells: cells, modules: modules, initialSoC: StateOfCharge(Float(bitPattern: UInt32(littleEndian: w.5))),
            ratedCurrent: Amperes(Float(bitPattern: UInt32(littleEndian: w.6))),
            step: Milliseconds(step), steps: Int(truncatingIfNeeded: UInt32(littleEndian: w.9)))
    }
}

extension StepDigest {
    /// Writes the digest's words at `p` (little-endian).
    @inlinable public func write(to p: UnsafeMutableRawPointer) {
        for k in 0..<Self.count { p.storeBytes(of: words[k].littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
    }
}
