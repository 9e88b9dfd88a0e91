/// Path arithmetic on the strings users give, in plain Swift.
///
/// Foundation's `NSString.deletingLastPathComponent` traps on a one-character path ("0", "a"):
/// a user's `--out 0` killed the process. These never trap.
public enum PathName {
    /// The folder part of `path`: everything before its last "/" ("" for a bare name, "/" for a
    /// name in the root), trailing slashes ignored.
    public static func folder(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        var folder = p[..<slash]
        while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
        return String(folder)
    }
}
