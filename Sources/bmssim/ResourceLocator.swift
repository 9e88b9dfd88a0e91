import Foundation

/// Finds the bundled profiles/ folder: in the working directory, or above the executable.
enum ResourceLocator {
    static let defaultProfileName = "profiles/duty/frequency-regulation-24h.csv"

    static var defaultProfile: String { bundled(defaultProfileName) }

    /// The bundled file `name` (a path below the repository's top): in the working directory, or
    /// above the executable; `name` itself when neither has it.
    static func bundled(_ name: String) -> String {
        let fm = FileManager.default
        if fm.fileExists(atPath: name) { return name }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent(name).path
            if fm.fileExists(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return name
    }
}
