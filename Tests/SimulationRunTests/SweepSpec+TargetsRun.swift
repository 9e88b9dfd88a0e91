@testable import Simulation

extension SweepSpec {
    /// Run `run` of regress/sweeps/targets-200-per-chemistry.json, drawn with `seed` instead of
    /// the file's when one is given, and from `packs` alone instead of the file's five when
    /// given: a sweep's quoted failure, reproduced on its own.
    static func targetsRun(_ run: Int, seed: UInt64? = nil, packs: [String]? = nil) throws -> (Scenario, SweepRunDraw) {
        var spec = try SweepSpec.load(path: "regress/sweeps/targets-200-per-chemistry.json")
        if let seed { spec.seed = seed }
        if let packs { spec.pack = NameDraw(packs) }
        return try spec.scenario(run: run)
    }
}
