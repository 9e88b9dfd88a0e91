import BMSCore

extension FieldBusController {
    /// Columns of controller.csv (what the firmware saw and decided; no plant truth over a bus).
    /// `time_s` is the end of the control step the row closes (the frame's time + one step), as
    /// in `simulate`'s timeseries.csv, so the two files line up row by row.
    public static let columns = [
        "time_s", "link_up", "current_A", "soc_est", "soc_sigma", "cell_voltage_min_V", "cell_voltage_max_V",
        "temperature_min_C", "temperature_max_C", "charge_limit_A", "discharge_limit_A", "contactor", "heater_duty",
        "faults", "warnings", "alarms",
    ]

    /// One row of controller.csv for the cycle just run.
    public func logRow() -> [String] {
        let s = controller.status
        let c = lastCommands
        var duty = 0.0
        let modules = controller.configuration.moduleCount
        for m in 0..<modules { duty += Double(c.heaterDuty[m]) }
        return [
            Format.fixed(Double(time_ms + controller.configuration.step.count) / 1000, 1), linkDown ? "0" : "1", Format.fixed(Double(s.current.value), 3),
            Format.fixed(Double(s.soc.value), 6), Format.fixed(Double(s.socSigma), 6),
            Format.fixed(Double(s.minimumCellVoltage.value), 4), Format.fixed(Double(s.maximumCellVoltage.value), 4),
            Format.fixed(Double(s.minimumTemperature.value), 2), Format.fixed(Double(s.maximumTemperature.value), 2),
            Format.fixed(Double(c.chargeCurrentLimit.value), 3), Format.fixed(Double(c.dischargeCurrentLimit.value), 3),
            c.closeContactors ? "1" : "0", Format.fixed(modules > 0 ? duty / Double(modules) : 0, 3),
            String(c.faults.rawValue), String(c.warnings.rawValue), String(c.alarms.rawValue),
        ]
    }
}
