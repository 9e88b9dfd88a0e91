#!/usr/bin/env bash
# Speed figures of bmssim. Usage: tools/bench.sh [--portable] plant [--year]
#
# By default the benchmark is built for this machine's CPU (-target-cpu native, so SIMD4<Double>
# uses AVX where the CPU has it), into .build-native; --portable uses the default x86-64 target,
# like `swift build -c release`. Both figures are quoted in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tools' executables are in the package only when asked for (Package.swift).
export BMSSIM_TOOLS=1
tools/layout-guard.sh
if [ "${1:-}" = "--portable" ]; then
    shift
    swift build -c release --product bmssim-bench >/dev/null
    exec .build/release/bmssim-bench "$@"
fi
swift build -c release --product bmssim-bench --scratch-path .build-native \
    -Xswiftc -target-cpu -Xswiftc native -Xcc -march=native >/dev/null
exec .build-native/release/bmssim-bench "$@"
