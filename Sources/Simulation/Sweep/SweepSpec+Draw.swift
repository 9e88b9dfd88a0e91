import BatteryPlant
import Foundation

/// What one run of a sweep drew (written beside its summary, so any run can be rerun alone with
/// `bmssim simulate`).
public struct SweepRunDraw: Codable, Sendable, Equatable {
    /// The run's number, 0 ... runs - 1.
    public var run: Int
    public var pack: String
    public var cells: Int
    /// The scenario's seed: the cell population, sensor offsets and noise.
    public var seed: UInt64
    public var duty: String
    public var duty_seed: UInt64
    public var grid_outages_per_day: Double
    /// nil: the pack's own ambient.
    public var ambient_C: Double?
    public var initial_soc: Double
    public var initial_soc_error: Double
    public var current_offset_A: Double
    public var current_gain_error: Double
    public var cell_voltage_noise_V: Double
    public var ageing: String
    /// The power rating as a C-rate (nil: the pack's default).
    public var c_rate: Double?
    /// The contact loss and the soft short injected (nil: none).
    public var contact_loss: InjectedHealthFault?
    public var soft_short: InjectedHealthFault?
}

extension SweepSpec {
    /// The stream of key `name` in run `k` (FNV-1a of the name).
    static func stream(_ root: SeededRandom, _ name: String) -> SeededRandom {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return root.derived(h)
    }

    /// Run `k`'s draws and the scenario they make.
    public func scenario(run k: Int) throws(InputFileError) -> (Scenario, SweepRunDraw) {
        let root = SeededRandom(seed: seed).derived(UInt64(k))
        var r = Self.stream(root, "pack")
        let packName = packPerRun ? pack.choices[k % pack.choices.count] : pack.draw(&r)
        r = Self.stream(root, "cells_per_string")
        let cells = cellsPerString.map { Int($0.draw(&r, within: Self.cellsRange).rounded()) }
        var definition: PackDefinition
        var faults: [PlantFault]
        do {
            (definition, faults) = try PackChoice.resolve(packName, cellsPerString: cells) { p in
                p.hasPrefix("/") || folder.isEmpty ? p : folder + "/" + p
            }
        } catch let p as KeyedProblem {
            throw InputFileError(file: name, line: 0, problem: "run \(k): \(p.message)")
        } catch {
            throw InputFileError(file: name, line: 0, problem: "run \(k): \(error)")
        }
        r = Self.stream(root, "initial_soc")
        definition.initialSoC = initialSoC.draw(&r, within: Self.socRange)
        r = Self.stream(root, "ambient_C")
        let ambient = ambient_C?.draw(&r, within: Self.ambientRange)
        if let t = ambient { definition.thermal.ambient = .constant(t) }
        r = Self.stream(root, "ageing")
        let ageingName = ageing.draw(&r)
        definition.ageing = AgeingState(rawValue: ageingName) ?? .new
        var sensors = self.sensors.specification
        r = Self.stream(root, "current_offset_A")
        if let d = currentOffset_A { sensors.current.offset = d.draw(&r, within: Self.offsetRange) }
        r = Self.stream(root, "current_gain_error")
        if let d = currentGainError { sensors.current.gainError = d.draw(&r, within: Self.gainRange) }
        r = Self.stream(root, "cell_voltage_noise_V")
        if let d = cellVoltageNoise_V { sensors.cellVoltage.noise = d.draw(&r, within: Self.noiseRange) }
        definition.sensors = sensors
        r = Self.stream(root, "initial_soc_error")
        // The firmware's estimate starts within 0 ... 1 whatever the draw.
        let socError = min(max(initialSoCError.draw(&r, within: Self.socErrorRange), -definition.initialSoC), 1 - definition.initialSoC)
        r = Self.stream(root, "duty")
        let service = DutyGenerator.Service(rawValue: duty.draw(&r)) ?? .standby
        // Seeds below 2^53, so any JSON reader holds them exactly.
        var seeds = Self.stream(root, "duty_seed")
        let dutySeed = seeds.next() >> 11
        r = Self.stream(root, "grid_outages_per_day")
        let outages = gridOutagesPerDay.draw(&r, within: DutyGenerator.gridOutageRange)
        seeds = Self.stream(root, "seed")
        let scenarioSeed = seeds.next() >> 11
        let sample = DutyGenerator(service: service, seed: dutySeed, gridOutagesPerDay: outages)
            .sample(covering: duration_h)
        r = Self.stream(root, "c_rate")
        let rate = cRate?.draw(&r, within: Self.cRateRange)
        let rating_W = rate.map { PackChoice.rating_W(definition, cRate: $0) } ?? PackChoice.defaultRating_W(definition)
        var contact: InjectedHealthFault?
        if let d = contactLoss, let hit = Self.injection(root, "contact_loss", share: d.share, at_h: d.at_h, cells: definition.cellCount, hours: duration_h) {
            var r = hit.stream
            let left = d.contact.draw(&r, within: Self.contactRange)
            contact = InjectedHealthFault(cell: hit.cell, at_h: hit.at_h, value: left)
            faults.append(PlantFault(.contactLoss(cell: hit.cell, fraction: left), at_ms: Self.milliseconds(hit.at_h)))
        }
        var short: InjectedHealthFault?
        if let d = softShort, let hit = Self.injection(root, "soft_short", share: d.share, at_h: d.at_h, cells: definition.cellCount, hours: duration_h) {
            var r = hit.stream
            let leakRate = d.discharge_pct_per_h.draw(&r, within: Self.leakageRateRange)
            let chemistry = definition.chemistry
            let resistance = chemistry.ocv.voltage(atSoC: 0.5) / (leakRate / 100 * chemistry.capacity_Ah)
            short = InjectedHealthFault(cell: hit.cell, at_h: hit.at_h, value: resistance, discharge_pct_per_h: leakRate)
            faults.append(PlantFault(.cellShort(cell: hit.cell, resistance_ohm: resistance), at_ms: Self.milliseconds(hit.at_h)))
        }
        var scenario = Scenario(
            pack: definition, profile: sample.profile, rating_W: rating_W,
            duration_ms: Int64((duration_h * 3_600_000).rounded()), seed: scenarioSeed, initialSoCError: socError)
        scenario.faults = faults
        scenario.gridOutages = sample.gridOutages
        scenario.plantSubsteps = plantSubsteps
        scenario.reportsHealthFigures = true
        scenario.commissioningImpedanceCells = min(commissioningImpedanceCells, definition.cellCount)
        let draw = SweepRunDraw(
            run: k, pack: packName, cells: definition.cellCount, seed: scenarioSeed, duty: service.rawValue, duty_seed: dutySeed,
            grid_outages_per_day: outages, ambient_C: ambient, initial_soc: definition.initialSoC, initial_soc_error: socError,
            current_offset_A: sensors.current.offset, current_gain_error: sensors.current.gainError,
            cell_voltage_noise_V: sensors.cellVoltage.noise, ageing: ageingName, c_rate: rate, contact_loss: contact, soft_short: short)
        return (scenario, draw)
    }

    /// Hours as whole milliseconds.
    static func milliseconds(_ hours: Double) -> Int64 { Int64((hours * 3_600_000).rounded()) }
}
