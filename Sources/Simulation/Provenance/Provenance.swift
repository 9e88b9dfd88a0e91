import Foundation

/// What made a run, in its summary.json: the tool, the inputs (with checksums), the choices and
/// the wall time, so that a result can be traced to what produced it and run again.
public struct Provenance: Codable, Sendable, Equatable {
    /// `bmssim --version`'s number, and the source commit (`unknown` outside a git checkout;
    /// `-dirty` with uncommitted changes; the environment's `BMSSIM_COMMIT` wins, for builds
    /// without the repository such as the container's).
    public var bmssim_version: String
    public var commit: String
    /// The command line as given.
    public var command: [String]
    /// The scenario file (or sweep run) the run came from, and the file's SHA-256 (nil: the
    /// run was set by options alone).
    public var scenario: String?
    public var scenario_sha256: String?
    /// The pack: cells, strings, modules and chemistry, its ageing and its initial SoC.
    public var pack: String
    public var chemistry: String
    public var ageing: String
    public var initial_soc: Double
    /// Where the duty cycle came from (a file, or a generator and its seed), and the SHA-256 of
    /// the file's bytes (of the generated rows as `bmssim duty` writes them for a generator).
    public var profile: String
    public var profile_sha256: String
    public var rating_W: Double
    public var seed: UInt64
    public var duration_h: Double
    public var control_step_ms: Int64
    public var plant_substeps: Int
    /// The sensors' errors: cell-voltage noise, current offset and gain error.
    public var sensors: String
    /// The firmware's parameters (the chemistry's characterised preset, or a firmware file) and
    /// its options.
    public var firmware: String
    public var ccd_aware_derating: Bool
    public var cell_balancing: Bool
    public var heater_setback: Bool
    /// Injected plant faults, firmware resets, grid outages.
    public var faults: Int
    public var resets: Int
    public var grid_outages: Int
    /// When the run started (UTC, ISO 8601) and how long it took, s.
    public var started_utc: String
    public var wall_s: Double

    /// The record of `scenario` as a command ran it (`openLoop`: the plant alone, no firmware;
    /// `scenarioFile` is then the definition file).
    public init(
        _ s: Scenario, version: String, commit: String, command: [String], scenarioFile: String?, started: Date, wall_s: Double,
        openLoop: Bool = false
    ) {
        bmssim_version = version
        self.commit = commit
        self.command = command
        scenario = scenarioFile
        scenario_sha256 = scenarioFile.flatMap { Self.fileChecksum($0) }
        let t = s.pack.topology
        pack = "\(t.cellCount) cells: \(t.stringsInParallel) string(s) of \(t.cellsPerString) in \(t.moduleCount) module(s)"
        chemistry = s.pack.chemistry.name
        ageing = s.pack.ageing.rawValue
        initial_soc = s.pack.initialSoC
        profile = s.profile.source
        profile_sha256 = Self.fileChecksum(s.profile.source) ?? SHA256.hex(Array(s.profile.csv(comments: []).utf8))
        rating_W = s.rating_W
        seed = s.seed
        duration_h = Double(s.duration_ms) / 3_600_000
        control_step_ms = s.controlStep_ms
        plant_substeps = s.plantSubsteps
        let sensor = s.pack.sensors
        sensors = "cell voltage noise \(Format.compact(sensor.cellVoltage.noise * 1000)) mV, current offset \(Format.compact(sensor.current.offset * 1000)) mA, gain error \(Format.compact(sensor.current.gainError * 100)) %"
        firmware = openLoop ? "none (the plant alone)" : s.firmware == nil ? "characterised preset \(s.firmwareChemistry)" : "firmware file"
        ccd_aware_derating = s.ccdAwareDerating
        cell_balancing = s.cellBalancing
        heater_setback = s.heaterSetback
        faults = s.faults.count
        resets = s.resets.count
        grid_outages = s.gridOutages.count
        let formatter = ISO8601DateFormatter()
        started_utc = formatter.string(from: started)
        self.wall_s = wall_s
    }

    /// The SHA-256 of a file's bytes (nil when it cannot be read).
    public static func fileChecksum(_ path: String) -> String? {
        if let data = FileManager.default.contents(atPath: path) { return SHA256.hex(data) }
        // A sweep run, SPEC:K: the spec's.
        guard let colon = path.lastIndex(of: ":"), let data = FileManager.default.contents(atPath: String(path[..<colon])) else { return nil }
        return SHA256.hex(data)
    }
}
