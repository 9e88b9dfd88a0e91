import Foundation

extension SweepRunResult {
    /// Whether `folder` is a sweep's (or a shard's, or a merge's) output folder: it holds runs/.
    public static func isSweepFolder(_ folder: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder + "/runs", isDirectory: &isFolder) && isFolder.boolValue
    }

    /// Every run result in `folder/runs/` (a sweep's or a shard's output folder).
    public static func load(folder: String) throws(InputFileError) -> [SweepRunResult] {
        let runs = folder + "/runs"
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: runs).filter { $0.hasPrefix("run-") && $0.hasSuffix(".json") }.sorted()
        } catch {
            throw InputFileError(file: runs, line: 0, problem: "cannot list the runs: \(error.localizedDescription)")
        }
        var results: [SweepRunResult] = []
        for name in names {
            let path = runs + "/" + name
            do {
                results.append(try RunSummary.decoder.decode(SweepRunResult.self, from: Data(contentsOf: URL(fileURLWithPath: path))))
            } catch {
                throw InputFileError(file: path, line: 0, problem: "not a sweep run result: \(error)")
            }
        }
        return results
    }

    /// The results of several shard folders joined: every run once, in run order. A run found
    /// twice (two shards that overlap) or a run of another sweep is an error.
    public static func merge(_ shards: [[SweepRunResult]], spec: SweepSpec) throws(InputFileError) -> [SweepRunResult] {
        var byRun: [Int: SweepRunResult] = [:]
        for results in shards {
            for r in results {
                guard r.run >= 0, r.run < spec.runs else {
                    throw InputFileError(file: spec.name, line: 0, problem: "run \(r.run) is not a run of this sweep (0 ... \(spec.runs - 1))")
                }
                guard byRun[r.run] == nil else {
                    throw InputFileError(file: spec.name, line: 0, problem: "run \(r.run) appears in two shards")
                }
                byRun[r.run] = r
            }
        }
        return byRun.keys.sorted().map { byRun[$0]! }
    }
}
