import BMSCore

extension FieldBusController {
    /// What one row of controller.csv shows: what the firmware saw and decided (no plant truth
    /// over a bus).
    public struct LogSample: Sendable {
        /// The end of the control step the row closes (the frame's time + one step), as in
        /// `simulate`'s timeseries.csv, so the two files line up row by row.
        public var time_ms: Int64
        public var linkUp: Bool
        public var status: CoreStatus
        public var commands: HostCommands
        public var heaterDuty: Double
    }

    /// The columns of controller.csv, each declared once with its format: only what the firmware
    /// measured and decided (`_meas` marks a measurement; simulate's timeseries.csv uses the
    /// same names for the same things beside the plant's truth).
    public static let logColumns: [CSVColumn<LogSample>] = [
        CSVColumn("time_s") { Format.fixed(Double($0.time_ms) / 1000, 1) },
        CSVColumn("link_up") { $0.linkUp ? "1" : "0" },
        CSVColumn("current_meas_A") { Format.fixed(Double($0.status.current.value), 3) },
        CSVColumn("soc_est") { Format.fixed(Double($0.status.soc.value), 6) },
        CSVColumn("soc_sigma") { Format.fixed(Double($0.status.socSigma), 6) },
        CSVColumn("cell_voltage_meas_min_V") { Format.fixed(Double($0.status.minimumCellVoltage.value), 4) },
        CSVColumn("cell_voltage_meas_max_V") { Format.fixed(Double($0.status.maximumCellVoltage.value), 4) },
        CSVColumn("temperature_meas_min_C") { Format.fixed(Double($0.status.minimumTemperature.value), 2) },
        CSVColumn("temperature_meas_max_C") { Format.fixed(Double($0.status.maximumTemperature.value), 2) },
        CSVColumn("charge_limit_A") { Format.fixed(Double($0.commands.chargeCurrentLimit.value), 3) },
        CSVColumn("discharge_limit_A") { Format.fixed(Double($0.commands.dischargeCurrentLimit.value), 3) },
        CSVColumn("charge_limit_reasons") { $0.status.limitReasons.charge.name },
        CSVColumn("discharge_limit_reasons") { $0.status.limitReasons.discharge.name },
        CSVColumn("contactor") { $0.commands.closeContactors ? "1" : "0" },
        CSVColumn("mode") { "\($0.commands.mode)" },
        CSVColumn("heater_duty") { Format.fixed($0.heaterDuty, 3) },
        CSVColumn("faults") { $0.commands.faults.name },
        CSVColumn("warnings") { $0.commands.warnings.name },
        CSVColumn("alarms") { $0.commands.alarms.name },
    ]

    /// The header names of controller.csv.
    public static var columns: [String] { logColumns.names() }

    /// The sample of the cycle just run.
    public func logSample() -> LogSample {
        let c = lastCommands
        var duty = 0.0
        let modules = controller.configuration.moduleCount
        for m in 0..<modules { duty += Double(c.heaterDuty[m]) }
        return LogSample(
            time_ms: time_ms + controller.configuration.step.count, linkUp: !linkDown, status: controller.status, commands: c,
            heaterDuty: modules > 0 ? duty / Double(modules) : 0)
    }

    /// One row of controller.csv for the cycle just run.
    public func logRow() -> [String] { Self.logColumns.fields(logSample()) }
}
