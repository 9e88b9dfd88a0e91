// bmssim's firmware image (tools/firmware/build.sh, `make firmware`): BMSCore at the image's
// capacity, run on the board layer (board/) of QEMU's mps2-an386. Compiled with BMSCore's sources
// as one Embedded Swift module, under -no-allocations like the core itself.
//
// The controller lives in static memory (40 kB for 240 cells: never on the stack), and so do
// the frames. `bmssim_firmware_main` is called by the reset handler; its result is the exit
// status QEMU returns (0: the run held every check).

// MARK: The board layer (board/board.h)

@_silgen_name("board_print") func boardPrint(_ text: UnsafePointer<CChar>)
@_silgen_name("board_systick_start") func boardSysTickStart()
@_silgen_name("board_systick_now") func boardSysTickNow() -> UInt32
@_silgen_name("board_core_clock_hz") func boardCoreClockHz() -> UInt32
@_silgen_name("board_stack_used") func boardStackUsed() -> UInt32
@_silgen_name("board_stack_size") func boardStackSize() -> UInt32
@_silgen_name("board_stack_repaint") func boardStackRepaint()
@_silgen_name("board_instruction_loop") func boardInstructionLoop(_ n: UInt32)
@_silgen_name("board_file_open") func boardFileOpen(_ path: UnsafePointer<CChar>, _ mode: Int32) -> Int32
@_silgen_name("board_file_read") func boardFileRead(_ handle: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int32) -> Int32
@_silgen_name("board_file_write") func boardFileWrite(_ handle: Int32, _ buffer: UnsafeRawPointer, _ count: Int32) -> Int32
@_silgen_name("board_file_close") func boardFileClose(_ handle: Int32) -> Int32

/// The image's capacity: a 240-cell string in 12 thermal modules.
typealias ImageController = BMSController<240, 12>
/// The frame type of the image's string.
typealias ImageFrame = MeasurementFrame<240, 12>

/// Prints text and numbers through semihosting without touching the heap.
enum Console {
    /// Room for a 64-bit number's digits, its sign and the NUL.
    nonisolated(unsafe) static var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)

    /// A string literal (its bytes end with a NUL).
    static func text(_ s: StaticString) {
        boardPrint(UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self))
    }

    static func number(_ value: Int) {
        withUnsafeMutableBytes(of: &digits) { raw in
            let t = raw.bindMemory(to: CChar.self)
            var v = value.magnitude
            var i = t.count - 1
            t[i] = 0
            repeat {
                i -= 1
                t[i] = CChar(48 + Int(v % 10))
                v /= 10
            } while v > 0
            if value < 0 {
                i -= 1
                t[i] = 45
            }
            boardPrint(t.baseAddress! + i)
        }
    }

    static func line(_ label: StaticString, _ value: Int, _ unit: StaticString = "") {
        text(label)
        number(value)
        text(unit)
        text("\n")
    }
}

/// Static memory for the controller (it is initialised in place and stepped through a pointer,
/// so no copy of it ever lands on the stack; 46,392 bytes for 240 cells, at least the size the image
/// checks at power-up), and for the frame. Both are zero-filled (.bss): a frame declared with
/// its initial value sat in .data, and its 1,132-byte image took that much flash as well.
nonisolated(unsafe) var controllerStorage = InlineArray<5800, UInt64>(repeating: 0)
nonisolated(unsafe) var frameStorage = InlineArray<142, UInt64>(repeating: 0)

extension MeasurementFrame {
    /// Replaces this frame with a fresh one at time zero. Assigned inside a mutating method, the
    /// new frame is written straight into the static memory; `frame = Frame(...)` built it on
    /// the stack first (1,132 bytes more of the self-test's stack).
    @inline(never) mutating func clear() { self = Self(time: .zero) }
}

/// The frame in `frameStorage` (a plain value: zero bytes are a frame, and every session
/// assigns a fresh one before use).
var imageFrame: UnsafeMutablePointer<ImageFrame> {
    withUnsafeMutablePointer(to: &frameStorage) { UnsafeMutableRawPointer($0).assumingMemoryBound(to: ImageFrame.self) }
}

/// The controller in `controllerStorage`.
var imageController: UnsafeMutablePointer<ImageController> {
    withUnsafeMutablePointer(to: &controllerStorage) { UnsafeMutableRawPointer($0).assumingMemoryBound(to: ImageController.self) }
}

/// A 240-cell ZEBRA string at 50 % SoC, at rest with its contactors open (the self-test's
/// configuration, as in tools/embedded/FirmwareEntry.swift).
func imageConfiguration() -> CoreConfiguration {
    CoreConfiguration.preset(.naNiCl2, cellCount: 240, moduleCount: 12, initialSoC: StateOfCharge(0.5), ratedCurrent: Amperes(32))
}

/// SysTick ticks from `start` to now (a 24-bit down counter).
func ticks(since start: UInt32) -> Int { Int((start &- boardSysTickNow()) & 0x00FF_FFFF) }

/// Runs the self-test: `steps` steps of a nominal string at rest, each timed, and prints the
/// figures. Returns 0 when the controller is healthy at the end, 1 otherwise.
@inline(never) func selfTest() -> Int32 {
    boardSysTickStart()
    Console.text("bmssim firmware: BMSCore on Cortex-M4F (mps2-an386)\n")
    guard MemoryLayout<ImageController>.size <= MemoryLayout.size(ofValue: controllerStorage) else {
        Console.line("firmware: the controller needs more static memory: ", MemoryLayout<ImageController>.size, " bytes")
        return 2
    }
    guard MemoryLayout<ImageFrame>.size <= MemoryLayout.size(ofValue: frameStorage) else {
        Console.line("firmware: the frame needs more static memory: ", MemoryLayout<ImageFrame>.size, " bytes")
        return 2
    }
    do {
        try imageController.pointee.restart(configuration: imageConfiguration())
    } catch {
        Console.text("firmware: the configuration was refused\n")
        return 2
    }
    let step = imageController.pointee.configuration.step
    imageFrame.pointee.clear()
    imageFrame.pointee.packCurrent = Amperes(0)
    imageFrame.pointee.packVoltage = Volts(240 * 2.58)
    imageFrame.pointee.cellVoltages = InlineArray(repeating: Volts(2.58))
    imageFrame.pointee.moduleTemperatures = InlineArray(repeating: Celsius(290))
    imageFrame.pointee.contactorClosed = false
    // Calibration: 200,000 loop instructions in SysTick ticks (under QEMU's -icount the virtual
    // clock counts instructions, so build.sh turns ticks into instructions with this).
    let calibrationStart = boardSysTickNow()
    boardInstructionLoop(100_000)
    let calibration = ticks(since: calibrationStart)
    let bootStack = Int(boardStackUsed())
    boardStackRepaint()
    let steps = 200
    var total = 0, worst = 0
    var faults: UInt32 = 0
    for _ in 0..<steps {
        imageFrame.pointee.time = imageFrame.pointee.time + step
        let start = boardSysTickNow()
        faults = imageController.pointee.step(imageFrame.pointee).faults.rawValue
        let t = ticks(since: start)
        total += t
        worst = max(worst, t)
    }
    Console.line("steps ", steps)
    Console.line("ticks per step, mean ", total / steps)
    Console.line("ticks per step, worst ", worst)
    Console.line("calibration: 200000 instructions in ticks ", calibration)
    Console.line("core clock ", Int(boardCoreClockHz()), " Hz")
    Console.line("stack used at power-up ", bootStack, " bytes")
    Console.line("stack used by steps ", Int(boardStackUsed()), " bytes")
    Console.line("stack size ", Int(boardStackSize()), " bytes")
    Console.line("faults ", Int(faults))
    return faults != 0 ? 1 : 0
}

/// The image's program: the self-test, then the replay of trace.bin and the processor-in-the-loop
/// session of pil.bin when the working folder has them. Each runs in its own frame, none below
/// another's (a step's stack is not the self-test's plus its own).
@_cdecl("bmssim_firmware_main")
public func firmwareMain() -> Int32 {
    let tested = selfTest()
    guard tested == 0 else { return tested }
    let replayed = replay()
    guard replayed == 0 else { return replayed }
    return processorInTheLoop()
}

/// Static buffers of the replay: one frame of the trace (up to 240 cells and 12 modules), one
/// digest.
nonisolated(unsafe) var traceBuffer = InlineArray<300, UInt32>(repeating: 0)
nonisolated(unsafe) var digestBuffer = InlineArray<16, UInt32>(repeating: 0)

/// Opens `name` in the semihosting host's working folder (mode 1 read, 5 write); -1 on failure.
func openFile(_ name: StaticString, mode: Int32) -> Int32 {
    boardFileOpen(UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self), mode)
}

/// Reads a `ReplayTraceHeader` (trace.bin's, pil.bin's) from `handle`; nil when it is not one
/// this image can run.
func readHeader(_ handle: Int32) -> ReplayTraceHeader? {
    let headerBytes = Int32(4 * ReplayTraceHeader.words)
    return withUnsafeMutableBytes(of: &traceBuffer) { b in
        guard boardFileRead(handle, b.baseAddress!, headerBytes) == headerBytes else { return nil }
        return ReplayTraceHeader(reading: UnsafeRawPointer(b.baseAddress!), maxCells: 240, maxModules: 12)
    }
}

/// Restarts the static controller with `header`'s configuration, asked for normal operation, and
/// clears the frame; false when the configuration is refused.
func startSession(_ header: ReplayTraceHeader) -> Bool {
    do {
        try imageController.pointee.restart(configuration: header.configuration)
    } catch {
        return false
    }
    imageController.pointee.modeRequest = .normal
    imageFrame.pointee.clear()
    return true
}

/// How a session (the replay, the processor in the loop) began.
enum SessionStart {
    /// Its header file is not in the working folder: nothing to run.
    case absent
    /// Its files or its configuration failed (the reason is printed).
    case failed
    /// The controller is restarted with the header's configuration; both files are open.
    case started(header: ReplayTraceHeader, input: Int32, output: Int32)
}

/// Opens a session: reads the header of `inputName`, opens `outputName` for its digests and
/// restarts the controller (`startSession`). `who` prefixes what is printed when it fails.
func openSession(_ who: StaticString, input inputName: StaticString, output outputName: StaticString) -> SessionStart {
    func fail(_ subject: StaticString, _ why: StaticString) -> SessionStart {
        Console.text(who)
        Console.text(": ")
        Console.text(subject)
        Console.text(why)
        return .failed
    }
    let input = openFile(inputName, mode: 1)
    guard input >= 0 else { return .absent }
    guard let header = readHeader(input), header.frameBytes <= MemoryLayout.size(ofValue: traceBuffer) else {
        _ = boardFileClose(input)
        return fail(inputName, " is not a header this image can run\n")
    }
    let output = openFile(outputName, mode: 5)
    guard output >= 0 else {
        _ = boardFileClose(input)
        return fail(outputName, " cannot be written\n")
    }
    guard startSession(header) else {
        _ = boardFileClose(input)
        _ = boardFileClose(output)
        return fail(inputName, ": the configuration was refused\n")
    }
    return .started(header: header, input: input, output: output)
}

/// Writes the step's `StepDigest` (the controller's status after `commands`) to `handle`; false
/// when the write failed.
func writeDigest(_ commands: CommandFrame<240, 12>, to handle: Int32, cells: Int, modules: Int) -> Bool {
    let digest = StepDigest(commands: commands, status: imageController.pointee.status, time: imageFrame.pointee.time, cellCount: cells, moduleCount: modules)
    return withUnsafeMutableBytes(of: &digestBuffer) { b in
        digest.write(to: b.baseAddress!)
        return boardFileWrite(handle, UnsafeRawPointer(b.baseAddress!), Int32(4 * StepDigest.count))
    } == 0
}

/// Replays trace.bin (`bmssim firmware-trace`) from the semihosting host's working folder, when
/// there is one: each frame stepped by the static controller, each step's `StepDigest` written
/// to digests.bin, each step timed. Returns 0 when done (or when there is no trace), 5 on a bad
/// trace or a file error.
@inline(never) func replay() -> Int32 {
    let header: ReplayTraceHeader, input: Int32, output: Int32
    switch openSession("replay", input: "trace.bin", output: "digests.bin") {
    case .absent:
        Console.text("replay: no trace.bin\n")
        return 0
    case .failed:
        return 5
    case .started(let h, let i, let o):
        (header, input, output) = (h, i, o)
    }
    defer {
        _ = boardFileClose(input)
        _ = boardFileClose(output)
    }
    boardStackRepaint()
    var total = 0, worst = 0
    for _ in 0..<header.steps {
        let read = withUnsafeMutableBytes(of: &traceBuffer) { b in boardFileRead(input, b.baseAddress!, Int32(header.frameBytes)) }
        guard read == Int32(header.frameBytes) else {
            Console.text("replay: trace.bin is cut short\n")
            return 5
        }
        withUnsafeBytes(of: &traceBuffer) { b in imageFrame.pointee.readTrace(cells: header.cells, modules: header.modules, from: b.baseAddress!) }
        let start = boardSysTickNow()
        let commands = imageController.pointee.step(imageFrame.pointee)
        let t = ticks(since: start)
        total += t
        worst = max(worst, t)
        guard writeDigest(commands, to: output, cells: header.cells, modules: header.modules) else {
            Console.text("replay: writing digests.bin failed\n")
            return 5
        }
    }
    Console.line("replay steps ", header.steps)
    Console.line("replay cells ", header.cells)
    Console.line("replay ticks per step, mean ", total / max(1, header.steps))
    Console.line("replay ticks per step, worst ", worst)
    Console.line("replay stack used ", Int(boardStackUsed()), " bytes")
    return 0
}
