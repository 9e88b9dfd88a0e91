import Foundation
import Testing

/// A path inside the repository (tests run from any working directory).
func repositoryPath(_ relative: String) -> String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent(relative).path
}

extension Tag {
    /// The long accuracy matrix (every duty cycle x chemistry x offset sign, 24 h each, and the
    /// unknown populations). `make test` leaves it out and `make test-accuracy` runs it, by the
    /// tests' names (`ACCURACY_MATRIX` in the Makefile: swift test filters by name); CI runs both.
    @Tag static var accuracyMatrix: Self
}
