#!/usr/bin/env bash
# Works around an incremental-build hole (swiftlang/swift-package-manager#10502): when a struct in
# a library target gains or loses a stored property, SwiftPM may not recompile the targets that
# depend on it through another module, and those keep the old size baked in (memory corruption,
# seen here as garbage in a run summary). Before each build this script hashes the library
# sources; when the hash changed since the last build it touches every dependent target's sources
# so the compiler rebuilds them. A fresh clone (CI) builds everything anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.build/layout-guard.sha
mkdir -p .build
now=$(find Sources/BMSCore Sources/BatteryPlant Sources/Modbus Sources/HIL Sources/CellLab Sources/Simulation -name '*.swift' -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [[ -f $stamp && "$(cat "$stamp")" != "$now" ]]; then
    find Sources Tests -name '*.swift' -not -path 'Sources/BMSCore/*' -exec touch {} +
fi
echo "$now" > "$stamp"
