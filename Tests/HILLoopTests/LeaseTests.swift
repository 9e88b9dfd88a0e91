import Foundation
import HIL
import Modbus
import Simulation
import Testing

/// The controlling master holds the field device's command words: a second master's writes are
/// refused (exception 6) until the first one's connection closes or its lease lapses.
@Suite("Field device: one controlling master")
struct LeaseTests {
    @Test func aSecondMasterIsRefusedUntilTheFirstLetsGo() throws {
        let scenario = try frequencyRegulationScenario(minutes: 5)
        let clock = ManualClock()
        let service = FieldDeviceService(plant: try ScenarioPlant(scenario: scenario))
        let server = try PlantServer(endpoint: .tcp(host: "127.0.0.1", port: 0), layout: service.layout, service: service, clock: clock)
        server.withService { s, t in s.publish(t) }
        server.start()
        defer { server.stop() }
        var first: ModbusClient? = try ModbusClient(endpoint: server.endpoint)
        try first?.writeRegisters(address: 0, values: [0, 0, 1000, 0, 1000])
        let second = try ModbusClient(endpoint: server.endpoint)
        let busy = #expect(throws: ModbusError.self) { try second.writeRegister(address: 0, value: 3) }
        #expect(busy?.exception == .serverDeviceBusy, "the second master may not command the contactors")
        #expect(try second.readHoldingRegisters(address: 0, count: 1) == [0], "nothing stored; reading is free")
        #expect(server.withService { s, _ in s.leaseRefusals } == 1)

        // The holder keeps writing: still refused; then it goes away: the second takes over.
        try first?.writeRegister(address: 0, value: 0)
        #expect(throws: ModbusError.self) { try second.writeRegister(address: 0, value: 3) }
        first = nil
        var taken = false
        for _ in 0..<100 where !taken {
            Thread.sleep(forTimeInterval: 0.02)
            taken = (try? second.writeRegister(address: 0, value: 0)) != nil
        }
        #expect(taken, "a closed connection releases the lease")

        // A holder that stops writing (its link hangs open) loses the lease after 5 s.
        let third = try ModbusClient(endpoint: server.endpoint)
        #expect(throws: ModbusError.self) { try third.writeRegister(address: 0, value: 0) }
        clock.advance(by: .seconds(4))
        server.tickNow()
        #expect(throws: ModbusError.self) { try third.writeRegister(address: 0, value: 0) }
        clock.advance(by: .seconds(2))
        server.tickNow()
        try third.writeRegister(address: 0, value: 0)
    }
}
