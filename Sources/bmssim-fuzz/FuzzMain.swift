// bmssim-fuzz: the in-process fuzz targets (FuzzTargets) as one executable.
//
// Built by tools/fuzz.sh with -sanitize=fuzzer,address -DFUZZING, it is a
// libFuzzer binary: libFuzzer's main calls LLVMFuzzerTestOneInput with each input, and an
// input that breaks an invariant crashes it (libFuzzer saves the input). Built plainly (the
// package's own build), it replays the files or folders it is given and exits 1 on the first
// input that breaks an invariant.
import FuzzTargets

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if FUZZING
/// libFuzzer's entry for a program that has its own main (SwiftPM's executables do).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Hands libFuzzer's command line to its driver, with every input going to `FuzzTarget.run`.
@main
struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, count in
            if let problem = FuzzTarget.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : count)) {
                fatalError("bmssim-fuzz: invariant broken: \(problem)")
            }
            return 0
        })
    }
}
#else
/// Replays the inputs in the files and folders given; exits 1 at the first that breaks an invariant.
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.isEmpty {
            print("usage: bmssim-fuzz FILE|FOLDER ... (replays inputs; tools/fuzz.sh builds the libFuzzer binary)")
            exit(2)
        }
        var inputs = 0
        for path in arguments {
            for file in FuzzCorpus.files(at: path) {
                guard let bytes = FuzzCorpus.read(file) else {
                    print("bmssim-fuzz: cannot read \(file)")
                    exit(2)
                }
                inputs += 1
                if let problem = FuzzTarget.run(bytes) {
                    print("bmssim-fuzz: \(file): \(problem)")
                    exit(1)
                }
            }
        }
        print("bmssim-fuzz: \(inputs) inputs replayed, no invariant broken")
    }
}
#endif
