import Foundation
import Testing

// What several test targets share (a plain target, linked into the test product only).

/// A path inside the repository (tests run from any working directory).
public func repositoryPath(_ relative: String) -> String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent(relative).path
}

/// A fresh folder under the system's temporary folder (the caller removes it).
public func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("bmssim-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

extension Tag {
    /// The long accuracy matrix (every duty cycle x chemistry x offset sign, 24 h each, and the
    /// unknown populations). `make test` leaves it out and `make test-accuracy` runs it, by the
    /// tests' names (`ACCURACY_MATRIX` in the Makefile: swift test filters by name); CI runs both.
    @Tag public static var accuracyMatrix: Self
    /// A test of ten seconds or more of the 2 cores (a day's closed loop, a characterisation of
    /// every preset): `make test` leaves these out by name (`LONG_TESTS` in the Makefile) to stay
    /// within its 6 minutes and `make test-accuracy`, which CI runs after it, runs them.
    @Tag public static var long: Self
}
