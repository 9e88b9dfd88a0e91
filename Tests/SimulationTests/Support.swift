import Foundation
import Testing

/// A path inside the repository (tests run from any working directory).
func repositoryPath(_ relative: String) -> String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent(relative).path
}

extension Tag {
    /// The long accuracy matrix (every duty cycle x chemistry x offset sign, 24 h each). `make test`
    /// runs it; `swift test --skip accuracyMatrix` leaves it out of a quick local run.
    @Tag static var accuracyMatrix: Self
}
