// swift-tools-version: 6.2
// bmssim: battery-management firmware simulator for stationary solid-state sodium packs.
// Dependency rule (DESIGN.md): bmssim -> Simulation -> {HIL, BMSCore, BatteryPlant},
// HIL -> {Modbus, BMSCore, BatteryPlant}, Modbus -> CModbus. BMSCore and BatteryPlant never meet.
import PackageDescription

// The test targets whose own code is set-up and assertions (BMSCore's unit tests, the plant's,
// the Modbus, HIL, HIL-loop and end-to-end tests: the work they test runs in the optimised
// libraries, in the bmssim binary or over a socket) compile unoptimised even in the optimised
// test build: less compile for little test time (README "Tests"). BMSCoreLoopTests and
// SimulationRunTests stay optimised: they step the controller (specialised for their own
// capacities; the zero-allocation test must measure the optimised code the firmware runs) in
// loops of their own, which run 1.3 to 6 times slower unoptimised. SimulationTests (file formats,
// the lab, generators, plots) is unoptimised too. These flags touch test targets only: no product contains
// one, so a package that depends on this one never builds them (and SwiftPM 6.2, this
// manifest's floor, no longer refuses dependencies with unsafe flags at all).
// `-no-emit-module-separately-wmo`: an unoptimised whole-module compile otherwise emits its
// module in a second job that type-checks every file again; nothing imports a test target, so
// the one job does both (a clean test build 7 % less CPU and wall, README "Tests").
let unoptimised: [SwiftSetting] = [.unsafeFlags(["-Onone", "-no-emit-module-separately-wmo"])]

let package = Package(
    name: "bmssim",
    // InlineArray and value generics (`let n: Int` parameters) need the Swift 6.2 language and,
    // on Apple platforms, the OS 26 runtime; Linux has no availability floor.
    platforms: [.macOS(.v26)],
    products: [
        .executable(name: "bmssim", targets: ["bmssim"]),
        .library(name: "BMSCore", targets: ["BMSCore"]),
        .library(name: "BatteryPlant", targets: ["BatteryPlant"]),
        .library(name: "Modbus", targets: ["Modbus"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "CellLab", targets: ["CellLab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The firmware. Also compiled as Embedded Swift by tools/embedded-build.sh.
        // The controller is generic over its capacity (value generics): its step path is
        // @inlinable / @usableFromInline, so every client module (this package's or a dependent
        // package's) specialises it for its own capacity, with no compiler flag.
        // The libm it rounds with (`Float.rounded()` is `roundf`) is named for Linux: a package
        // that depends on BMSCore alone, with no Foundation to bring it in, failed to link.
        .target(name: "BMSCore", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        // The truth side: cells, strings, thermal, sensors.
        .target(name: "BatteryPlant"),
        // libmodbus, found through pkg-config; the shim header exposes macros Swift cannot import.
        .systemLibrary(
            name: "CModbus",
            pkgConfig: "libmodbus",
            providers: [.apt(["libmodbus-dev"]), .brew(["libmodbus"])]
        ),
        .target(name: "Modbus", dependencies: ["CModbus"]),
        // The firmware image's own Modbus RTU master (Embedded Swift, no C): built into the image
        // by tools/firmware/build.sh, tested here against a simulated line.
        .target(name: "ModbusRTU"),
        .target(name: "HIL", dependencies: ["Modbus", "BMSCore", "BatteryPlant"]),
        // The lab: sample cells characterised through the plant's sensors into the firmware's
        // parameters (`FirmwareDefinition`). Beside HIL, not above it: neither waits for the
        // other, and Simulation (the build's longest compile) no longer carries it.
        .target(name: "CellLab", dependencies: ["BMSCore", "BatteryPlant"]),
        .target(name: "Simulation", dependencies: ["CellLab", "HIL", "BMSCore", "BatteryPlant"]),
        .executableTarget(
            name: "bmssim",
            dependencies: [
                "Simulation", "CellLab", "HIL", "Modbus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Counts the calling thread's heap allocations (interposes malloc); linked into tests only.
        .target(name: "AllocationCounter"),
        // The in-process fuzz targets (request admission of both services, register codecs); the
        // tests replay their corpus, bmssim-fuzz (below) runs them under libFuzzer.
        .target(name: "FuzzTargets", dependencies: ["HIL", "Modbus", "BMSCore", "BatteryPlant"]),

        // BMSCore's tests in two targets: the unit tests unoptimised (their compile is most of
        // their cost: Swift Testing's expansions, optimised, took 55 s of CPU for 9 s of running),
        // and the long step loops and the zero-allocation test optimised (the allocation test must
        // measure the optimised code the firmware runs). Their shared helpers (BMSCoreTestSupport)
        // are optimised, so a unit test that steps a controller through them runs the optimised step.
        .target(name: "BMSCoreTestSupport", dependencies: ["BMSCore"], path: "Tests/BMSCoreTestSupport"),
        .testTarget(name: "BMSCoreTests", dependencies: ["BMSCore", "BMSCoreTestSupport"], swiftSettings: unoptimised),
        .testTarget(name: "BMSCoreLoopTests", dependencies: ["BMSCore", "BMSCoreTestSupport", "AllocationCounter"]),
        .testTarget(name: "BatteryPlantTests", dependencies: ["BatteryPlant"], swiftSettings: unoptimised),
        .testTarget(name: "ModbusTests", dependencies: ["Modbus", "ModbusRTU"], swiftSettings: unoptimised),
        .testTarget(name: "HILTests", dependencies: ["HIL", "Modbus", "BatteryPlant", "FuzzTargets", "TestSupport"], swiftSettings: unoptimised),
        // What the test targets share (repository paths, temporary folders, the long-test tags).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Simulation in two targets that compile side by side (the build's longest chain ends
        // here): its file formats, the lab's characterisation (CellLab), duty generators and
        // plots; and its runs (closed loop, accuracy, resets, regression suites, sweeps).
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "CellLab", "BMSCore", "BatteryPlant", "TestSupport"], swiftSettings: unoptimised),
        .testTarget(name: "SimulationRunTests", dependencies: ["Simulation", "CellLab", "BMSCore", "BatteryPlant", "TestSupport"]),
        // The closed loop over real Modbus on loopback: plant server, controller, EMS face.
        .testTarget(name: "HILLoopTests", dependencies: ["Simulation", "HIL", "Modbus", "BMSCore", "BatteryPlant", "TestSupport"], swiftSettings: unoptimised),
        // The bmssim binary through its command line (found beside the test runner, or
        // BMSSIM_BIN). No dependency on the bmssim target: it imports nothing of it, and one would
        // hold its compile back until bmssim's (the end of the build's longest chain); `swift
        // build --build-tests` and `swift test` build every target, the binary included.
        .testTarget(name: "bmssimEndToEndTests", dependencies: ["TestSupport"], swiftSettings: unoptimised),
    ]
)

// The tools' executables, only when a tool asks for them (BMSSIM_TOOLS=1, set by tools/bench.sh
// and tools/fuzz.sh): the test build, which builds every target, does not need them.
// bmssim-bench: speed figures; bmssim-fuzz: a libFuzzer binary when tools/fuzz.sh builds it, a
// corpus replayer otherwise.
if Context.environment["BMSSIM_TOOLS"] != nil {
    package.products += [.executable(name: "bmssim-bench", targets: ["bmssim-bench"]), .executable(name: "bmssim-fuzz", targets: ["bmssim-fuzz"])]
    package.targets += [
        .executableTarget(name: "bmssim-bench", dependencies: ["BatteryPlant", "BMSCore", "Simulation", "Modbus"]),
        .executableTarget(name: "bmssim-fuzz", dependencies: ["FuzzTargets"]),
    ]
}
