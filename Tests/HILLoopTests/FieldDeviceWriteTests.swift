import HIL
import Modbus
import Simulation
import Testing

/// The field device takes only the writes a real I/O gateway would: the command registers, in
/// range. Anything else gets a Modbus exception and changes nothing.
@Suite("Field device: writes")
struct FieldDeviceWriteTests {
    /// The device enforces each point's declared range: just beyond either end of every declared
    /// write range is refused with exception 3.
    @Test func everyDeclaredWriteRangeIsEnforced() throws {
        let server = try startPlantServer(try frequencyRegulationScenario(cells: 20, minutes: 1))
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        let ranged = FieldDeviceMap.registers.filter { $0.writable && $0.writeRange != nil && $0.encoding.words == 1 }
        #expect(ranged.count >= 3)
        for point in ranged {
            let range = point.writeRange!
            var beyond: [UInt32] = [range.upperBound + 1]
            if range.lowerBound > 0 { beyond.append(range.lowerBound - 1) }
            for v in beyond where v <= UInt32(UInt16.max) {
                let error = #expect(throws: ModbusError.self, "\(point.name) = \(v)") {
                    try client.writeRegister(address: point.address, value: UInt16(v))
                }
                #expect(error?.exception == .illegalDataValue, "\(point.name) = \(v)")
            }
        }
        #expect(server.withService { s, _ in s.stepsDone } == 0)
    }

    @Test func badWritesGetExceptionsAndStoreNothing() throws {
        let scenario = try frequencyRegulationScenario(cells: 20, minutes: 1)
        let server = try startPlantServer(scenario)
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        let before = server.withRegisters { Array($0.holdingRegisters) }
        let H = FieldDeviceMap.Holding.self
        let cases: [(address: Int, values: [UInt16], exception: ModbusException, why: String)] = [
            (H.contactorCommand, [16], .illegalDataValue, "output bits beyond 0...15"),
            (H.heaterDuty, [1001], .illegalDataValue, "duty above 1000 per mille"),
            (H.heaterDuty + 1, [5], .illegalDataAddress, "a module the pack does not have (1 module)"),
            (H.lockstepAdvance, [0], .illegalDataValue, "zero steps"),
            (H.lockstepAdvance, [1001], .illegalDataValue, "more than 1000 steps"),
            (H.balancing + 1, [0x0010], .illegalDataValue, "balancing cell 20 of a 20-cell string"),
            (H.balancing + 2, [0], .illegalDataAddress, "beyond the balancing words"),
            (50, [1], .illegalDataAddress, "a gap in the map"),
            (H.contactorCommand, [7, 0, 0, 0, 0, 1, 0], .illegalDataAddress, "a block running past lockstep_advance"),
        ]
        for c in cases {
            let error = #expect(throws: ModbusError.self, "\(c.why)") { try client.writeRegisters(address: c.address, values: c.values) }
            #expect(error?.exception == c.exception, "\(c.why)")
        }
        #expect(server.withRegisters { Array($0.holdingRegisters) } == before, "nothing was stored")
        #expect(server.withService { s, _ in s.stepsDone } == 0, "no step was taken")
        let inputWrite = #expect(throws: ModbusError.self) { try client.writeRegister(address: 2000, value: 1) }
        #expect(inputWrite?.exception == .illegalDataAddress)

        try client.writeRegisters(address: H.balancing, values: [0x8001, 0x000F])
        try client.writeRegister(address: H.lockstepAdvance, value: 3)
        #expect(server.withService { s, _ in s.stepsDone } == 3)
        #expect(server.withService { s, _ in s.plant.pack.balancing.enumerated().filter(\.element).map(\.offset) } == [0, 15, 16, 17, 18, 19])
        #expect(try client.readHoldingRegisters(address: H.lockstepAdvance, count: 1) == [0], "reads 0 once done")
    }

    @Test func theServedImageDecodesToThePlantsReadings() throws {
        let scenario = try frequencyRegulationScenario(cells: 240, minutes: 1)
        let server = try startPlantServer(scenario)
        defer { server.stop() }
        let client = try ModbusClient(endpoint: server.endpoint)
        var image = [UInt16](repeating: 0, count: FieldDeviceMap.inputRegisterCount(cellCount: 240))
        for start in stride(from: 0, to: image.count, by: 125) {
            try client.readInputRegisters(address: start, count: min(125, image.count - start), into: &image, at: start)
        }
        var decoded = try FieldDeviceMap.decode(image)
        let truth = server.withService { s, _ in s.plant.readings }
        decoded.stringCurrents_A = truth.stringCurrents_A  // not in the map (the core does not use them)
        #expect(decoded == truth)
        #expect(image[FieldDeviceMap.Input.stepLength] == 100)
    }
}
