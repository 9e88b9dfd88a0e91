import Foundation
import Testing
import TestSupport

/// The project's shell scripts, read as text: rules a shell does not check.
@Suite("Shell scripts")
struct ShellScriptTests {
    /// Every shell script the build, CI and HIL sessions run.
    static func scripts() -> [String] {
        var found = [repositoryPath(".ci/run")]
        for folder in ["tools", "hil"] {
            let root = repositoryPath(folder)
            guard let walk = FileManager.default.enumerator(atPath: root) else { continue }
            for case let path as String in walk where path.hasSuffix(".sh") {
                found.append(root + "/" + path)
            }
        }
        return found.sorted()
    }

    /// Readers that may stop before their input ends.
    static let earlyReaders = ["grep -q", "grep -m", "grep --quiet", "head "]

    /// Under `set -o pipefail`, a pipe into a reader that stops early fails whenever the writer
    /// is still writing: it dies of SIGPIPE and the pipe's status is 141. `nm | grep -q` failed
    /// so in CI on a firmware image that held the symbol (191 of 300 tries on this machine).
    @Test func noPipeUnderPipefailEndsInAnEarlyReader() throws {
        let scripts = Self.scripts()
        #expect(scripts.count > 10, "the walk found \(scripts.count) scripts")
        var offending: [String] = []
        for script in scripts {
            let text = try String(contentsOfFile: script, encoding: .utf8)
            guard text.contains("pipefail") else { continue }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let pipes = code.components(separatedBy: "|").dropFirst()
                for stage in pipes {
                    let reader = stage.trimmingCharacters(in: .whitespaces)
                    if Self.earlyReaders.contains(where: { reader.hasPrefix($0) }) || reader == "head" {
                        offending.append("\(script):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                    }
                }
            }
        }
        #expect(offending.isEmpty, "pipes that SIGPIPE under pipefail:\n\(offending.joined(separator: "\n"))")
    }
}
