import Foundation

/// Finds the bundled profiles/ folder: in the working directory, or above the executable.
enum ResourceLocator {
    static let defaultProfileName = "profiles/duty/frequency-regulation-24h.csv"

    static var defaultProfile: String {
        let fm = FileManager.default
        if fm.fileExists(atPath: defaultProfileName) { return defaultProfileName }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent(defaultProfileName).path
            if fm.fileExists(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return defaultProfileName
    }
}
