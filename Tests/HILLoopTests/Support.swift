import BatteryPlant
import Foundation
import HIL
import Modbus
import Simulation
import TestSupport

typealias PlantServer = ModbusServer<FieldDeviceService<ScenarioPlant>>

/// A 20-cell ZEBRA string on the frequency-regulation duty (5 kW per 240 cells).
func frequencyRegulationScenario(cells: Int = 20, minutes: Double = 10, seed: UInt64 = 3) throws -> Scenario {
    let profile = try DutyProfile.load(path: repositoryPath("profiles/duty/frequency-regulation-24h.csv"))
    return Scenario(
        pack: .zebraString(cellCount: cells), profile: profile, rating_W: 5_000 * Double(cells) / 240,
        duration_ms: Int64(minutes * 60_000), seed: seed)
}

/// The scenario's plant served on 127.0.0.1 (an ephemeral port unless `port` is given), on
/// `clock` (a manual one moves only when told), with the gateway's command watchdog in real time.
func startPlantServer(
    _ scenario: Scenario, mode: FieldDeviceMap.RunMode = .lockstep, acceleration: Double = 1, commandTimeout: Duration? = nil, port: Int = 0,
    clock: any HostClock = SystemClock()
) throws -> PlantServer {
    let service = FieldDeviceService(
        plant: try ScenarioPlant(scenario: scenario), mode: mode, acceleration: acceleration, commandTimeout: commandTimeout)
    let server = try PlantServer(endpoint: .tcp(host: "127.0.0.1", port: port), layout: service.layout, service: service, clock: clock)
    server.withService { s, t in s.publish(t) }
    server.start()
    return server
}
