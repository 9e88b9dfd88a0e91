import Testing

@testable import Simulation

/// Path arithmetic on what users type: Foundation's `deletingLastPathComponent` trapped on
/// `--out 0`.
@Suite("Path names")
struct PathNameTests {
    @Test(arguments: [
        ("0", ""), ("a", ""), ("run.json", ""), ("/", "/"), ("/x", "/"), ("a/b", "a"), ("a/b/", "a"), ("/a/b/c.json", "/a/b"),
        ("a//b", "a"), ("./x", "."), ("", ""),
    ])
    func theFolderIsEverythingBeforeTheLastSlash(_ path: String, _ folder: String) {
        #expect(PathName.folder(of: path) == folder)
    }
}
