import BMSCore
import BatteryPlant

/// The controller instance the host simulator runs: room for 256 cells in 16 modules (the one
/// place these numbers are written: everything else asks `HostController.cellCapacity` and
/// `moduleCapacity`). The firmware image picks its own capacity (tools/embedded/FirmwareEntry.swift).
public typealias HostController = BMSController<256, 16>
/// The measurement frame of `HostController`.
public typealias HostFrame = HostController.Frame
/// The command frame of `HostController`.
public typealias HostCommands = HostController.Commands

extension MeasurementFrame {
    /// Converts sensor readings (SI, Double) to the core's frame (typed, Float).
    public init(_ r: SensorReadings) {
        self.init(time: Milliseconds(r.time_ms))
        refresh(from: r)
    }

    /// Overwrites every field from `r` (the same cell and module counts as before).
    public mutating func refresh(from r: SensorReadings) {
        time = Milliseconds(r.time_ms)
        packCurrent = Amperes(Float(r.current_A))
        secondCurrent = Amperes(Float(r.secondCurrent_A))
        packVoltage = Volts(Float(r.packVoltage_V))
        precondition(r.cellVoltages_V.count <= maxCells && r.moduleTemperatures_C.count <= maxModules,
                     "pack larger than the host controller's capacity")
        for i in r.cellVoltages_V.indices { cellVoltages[i] = Volts(Float(r.cellVoltages_V[i])) }
        for m in r.moduleTemperatures_C.indices { moduleTemperatures[m] = Celsius(Float(r.moduleTemperatures_C[m])) }
        for m in r.edgeTemperatures_C.indices where m < maxModules { edgeTemperatures[m] = Celsius(Float(r.edgeTemperatures_C[m])) }
        linkVoltage = Volts(Float(r.linkVoltage_V))
        for m in r.heaterPower_W.indices where m < maxModules { heaterPower[m] = Watts(Float(r.heaterPower_W[m])) }
        contactorFeedback = ContactorFeedback(mainPositive: r.mainPositiveClosed, mainNegative: r.mainNegativeClosed, precharge: r.prechargeClosed)
        blowerAirflow = r.blowerAirflow
    }
}
