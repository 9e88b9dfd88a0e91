// Processor in the loop (issue 17, item 4): the image polls the field device as a Modbus RTU
// master on its UART (`RTUMaster`, Sources/ModbusRTU) through QEMU's serial port, steps its
// static controller on what it read and writes the commands back, with `lockstep_advance` as
// the command block's last word: the cycle of `bmssim controller` (Sources/Simulation/
// FieldBusController.swift), in Embedded Swift on the target. hil/run-pil.sh runs it against
// `bmssim plant-server --rtu` and compares its digests with the in-process run's.

@_silgen_name("board_uart_init") func boardUARTInit(_ baud: UInt32)
@_silgen_name("board_uart_put") func boardUARTPut(_ byte: UInt8)
@_silgen_name("board_uart_get") func boardUARTGet() -> Int32
@_silgen_name("board_clock_us") func boardClockMicroseconds() -> UInt32

/// The board's UART0 and its SysTick clock as the master's serial line.
struct BoardLine: SerialLine {
    mutating func send(_ byte: UInt8) { boardUARTPut(byte) }
    mutating func receive() -> UInt8? {
        let b = boardUARTGet()
        return b < 0 ? nil : UInt8(truncatingIfNeeded: b)
    }
    mutating func microseconds() -> UInt32 { boardClockMicroseconds() }
}

/// Why a cycle could not poll: the line (`RTUError`), or a device that serves another map or
/// another pack than the image was configured for.
enum PollError: Error {
    case line(RTUError)
    case mismatch
}

/// The header's words, in static memory. (The master lives in `processorInTheLoop`'s frame: as
/// an optional global its `nil` tag put all 573 bytes of it in `.data`, flash and RAM both.)
nonisolated(unsafe) var header16 = InlineArray<20, UInt16>(repeating: 0)

/// The physical value of a raw code, as `RegisterPoint.decode` computes it on the host (raw x
/// scale in double precision, NaN for the not-available code), then to single precision as
/// `MeasurementFrame.refresh(from:)` does: the same bits on both.
@inline(__always) func physical(_ raw: Int, notAvailable: Bool, scale: Double) -> Float {
    notAvailable ? .nan : Float(Double(raw) * scale)
}
@inline(__always) func physical32(_ raw: UInt32, notAvailable: Bool, scale: Double) -> Float {
    // Double(UInt32) goes through a generic conversion that allocates on this target: in halves,
    // exactly.
    notAvailable ? .nan : Float((Double(Int(raw >> 16)) * 65_536 + Double(Int(raw & 0xFFFF))) * scale)
}
/// The 32-bit code at `address` of the header just read (high word first).
@inline(__always) func headerWord32(at address: Int) -> UInt32 { UInt32(header16[address]) << 16 | UInt32(header16[address + 1]) }

/// Reads the device into `imageFrame` (the header, both thermocouples and the heater power of
/// each module, the cell voltages in reads of 125), decoded as the host's controller decodes.
func poll(_ master: inout RTUMaster<BoardLine>, cells: Int, modules: Int) throws(PollError) {
    do {
        try master.readInputRegisters(address: 0, count: FieldMap.headerCount) { i, v in header16[i] = v }
    } catch { throw .line(error) }
    guard header16[FieldMap.mapVersion.address] == FieldMap.version, Int(header16[FieldMap.cellCount.address]) == cells,
        Int(header16[FieldMap.moduleCount.address]) == modules
    else { throw .mismatch }
    let t = FieldMap.time.address
    let high = headerWord32(at: t), low = headerWord32(at: t + 2)
    // Int64(clamping:) of the unsigned code, as the host.
    imageFrame.pointee.time = Milliseconds(high & 0x8000_0000 != 0 ? Int64.max : RecordWords.join(low: low, high: high))
    let current = headerWord32(at: FieldMap.packCurrent.address)
    imageFrame.pointee.packCurrent = Amperes(physical(Int(Int32(bitPattern: current)), notAvailable: current == 0x8000_0000, scale: FieldMap.packCurrent.scale))
    let second = headerWord32(at: FieldMap.secondCurrent.address)
    imageFrame.pointee.secondCurrent = Amperes(physical(Int(Int32(bitPattern: second)), notAvailable: second == 0x8000_0000, scale: FieldMap.secondCurrent.scale))
    let voltage = headerWord32(at: FieldMap.packVoltage.address)
    imageFrame.pointee.packVoltage = Volts(physical32(voltage, notAvailable: voltage == 0xFFFF_FFFF, scale: FieldMap.packVoltage.scale))
    let link = headerWord32(at: FieldMap.linkVoltage.address)
    imageFrame.pointee.linkVoltage = Volts(physical32(link, notAvailable: link == 0xFFFF_FFFF, scale: FieldMap.linkVoltage.scale))
    let status = header16[FieldMap.status.address]
    imageFrame.pointee.contactorFeedback = ContactorFeedback(mainPositive: status & 1 != 0, mainNegative: status & 2 != 0, precharge: status & 4 != 0)
    imageFrame.pointee.blowerAirflow = status & 8 != 0
    do {
        try master.readInputRegisters(address: UInt16(FieldMap.moduleTemperature.address), count: modules) { m, v in
            imageFrame.pointee.moduleTemperatures[m] = Celsius(physical(Int(Int16(bitPattern: v)), notAvailable: v == 0x8000, scale: FieldMap.moduleTemperature.scale))
        }
        try master.readInputRegisters(address: UInt16(FieldMap.edgeTemperature.address), count: modules) { m, v in
            imageFrame.pointee.edgeTemperatures[m] = Celsius(physical(Int(Int16(bitPattern: v)), notAvailable: v == 0x8000, scale: FieldMap.edgeTemperature.scale))
        }
        try master.readInputRegisters(address: UInt16(FieldMap.heaterPower.address), count: modules) { m, v in
            imageFrame.pointee.heaterPower[m] = Watts(physical(Int(v), notAvailable: v == 0xFFFF, scale: FieldMap.heaterPower.scale))
        }
        var done = 0
        while done < cells {
            let n = min(125, cells - done)
            let first = done
            try master.readInputRegisters(address: UInt16(FieldMap.cellVoltage.address + first), count: n) { i, v in
                imageFrame.pointee.cellVoltages[first + i] = Volts(physical(Int(v), notAvailable: v == 0xFFFF, scale: FieldMap.cellVoltage.scale))
            }
            done += n
        }
    } catch { throw .line(error) }
}

/// A current limit's code, as `FieldDeviceMap.limitCode` (a float limit in double precision,
/// rounded to the point's resolution, clamped below the no-limit code).
func limitCode(_ limit: Amperes) -> UInt32 {
    let a = Double(limit.value)
    if a.isInfinite && a > 0 { return FieldMap.noLimit }
    let x = (max(0, a.isNaN ? 0 : a) / FieldMap.chargeCurrentLimit.scale).rounded()
    if x <= 0 { return 0 }
    if x >= Double(Int(FieldMap.noLimit >> 1)) * 2 { return FieldMap.noLimit - 1 }
    return UInt32(x)
}

/// A heater duty's code, as `FieldDeviceMap.dutyCode`.
func dutyCode(_ duty: Float) -> UInt16 {
    UInt16(min(Double(Int(FieldMap.dutyMaximum)), max(0, (Double(duty) / FieldMap.heaterDuty.scale).rounded())))
}

/// Writes the heater duties, the balancing words and the command block (with `lockstep_advance`
/// when `advance`: sent once, a retry would move the device's time twice).
func send(_ master: inout RTUMaster<BoardLine>, _ c: CommandFrame<240, 12>, cells: Int, modules: Int, advance: Bool) throws(RTUError) {
    try master.writeRegisters(address: UInt16(FieldMap.heaterDuty.address), count: modules) { m in dutyCode(c.heaterDuty[m]) }
    try master.writeRegisters(address: UInt16(FieldMap.balancing.address), count: (cells + 15) / 16) { j in
        var word: UInt16 = 0
        for b in 0..<16 where 16 * j + b < cells && c.balance[16 * j + b] { word |= 1 << UInt16(b) }
        return word
    }
    let k = c.contactors
    let relays: UInt16 = (k.mainPositive ? 1 : 0) | (k.mainNegative ? 2 : 0) | (k.precharge ? 4 : 0) | (c.blower ? 8 : 0)
    let charge = limitCode(c.chargeCurrentLimit), discharge = limitCode(c.dischargeCurrentLimit)
    try master.writeRegisters(address: 0, count: advance ? FieldMap.commandCount : FieldMap.lockstepAdvance.address, idempotent: !advance) { i in
        switch i {
        case 0: relays
        case 1: UInt16(truncatingIfNeeded: charge >> 16)
        case 2: UInt16(truncatingIfNeeded: charge)
        case 3: UInt16(truncatingIfNeeded: discharge >> 16)
        case 4: UInt16(truncatingIfNeeded: discharge)
        default: 1
        }
    }
}

/// Runs the processor-in-the-loop session pil.bin asks for (`bmssim firmware-trace --pil`), when
/// there is one: each cycle polls the device, steps the static controller (on the last frame,
/// stale, when the poll failed), writes its `StepDigest` to pil-digests.bin and sends the
/// commands. Returns 0 when every cycle polled and commanded, 6 when some failed (or 20 in a
/// row: the session ends there), 5 on a file error, 7 when the device serves another map or pack.
@inline(never) func processorInTheLoop() -> Int32 {
    let header: ReplayTraceHeader, output: Int32
    switch openSession("pil", input: "pil.bin", output: "pil-digests.bin") {
    case .absent:
        return 0
    case .failed:
        return 5
    case .started(let h, let input, let o):
        _ = boardFileClose(input)
        (header, output) = (h, o)
    }
    defer { _ = boardFileClose(output) }
    boardUARTInit(19_200)
    var master = RTUMaster(line: BoardLine(), unit: 1)
    let cells = header.cells, modules = header.modules
    var failedPolls = 0, failedWrites = 0, failedInARow = 0
    let started = boardClockMicroseconds()
    boardStackRepaint()
    for _ in 0..<header.steps {
        var fresh = true
        do {
            try poll(&master, cells: cells, modules: modules)
        } catch .mismatch {
            Console.text("pil: the device serves another map version, cell count or module count than pil.bin\n")
            return 7
        } catch {
            fresh = false
            failedPolls += 1
        }
        failedInARow = fresh ? 0 : failedInARow + 1
        let commands = imageController.pointee.step(imageFrame.pointee)
        guard writeDigest(commands, to: output, cells: cells, modules: modules) else {
            Console.text("pil: writing pil-digests.bin failed\n")
            return 5
        }
        do { try send(&master, commands, cells: cells, modules: modules, advance: fresh) } catch { failedWrites += 1 }
        // A device that stopped answering (the plant server ended, the line was cut) ends the
        // session after 20 cycles of it (2 s of control time: the core's 500 ms frame timeout has
        // latched communicationLoss long before), rather than trying every remaining cycle. What
        // the controller decided on the dead link is printed for the runbook's check.
        if failedInARow >= 20 {
            Console.text("pil: the device stopped answering\n")
            Console.line("pil failed polls ", failedPolls)
            Console.line("pil communication loss latched ", commands.faults.contains(.communicationLoss) ? 1 : 0)
            Console.line("pil contactors open ", commands.contactors == .open ? 1 : 0)
            Console.line("pil current limits zero ", commands.chargeCurrentLimit.value == 0 && commands.dischargeCurrentLimit.value == 0 ? 1 : 0)
            return 6
        }
    }
    let s = master.statistics
    Console.line("pil cycles ", header.steps)
    Console.line("pil cells ", cells)
    Console.line("pil wall ms ", Int((boardClockMicroseconds() &- started) / 1000))
    Console.line("pil requests ", s.requests)
    Console.line("pil retries ", s.retries)
    Console.line("pil timeouts ", s.timeouts)
    Console.line("pil bad crc ", s.badCRC)
    Console.line("pil unexpected ", s.unexpected)
    Console.line("pil exceptions ", s.exceptions)
    Console.line("pil failed polls ", failedPolls)
    Console.line("pil failed writes ", failedWrites)
    Console.line("pil stack used ", Int(boardStackUsed()), " bytes")
    return failedPolls == 0 && failedWrites == 0 ? 0 : 6
}
