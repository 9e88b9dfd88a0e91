#!/usr/bin/env bash
# Builds bmssim-fuzz as a libFuzzer binary (AddressSanitizer, coverage for libFuzzer) in
# .build-fuzz, then fuzzes the in-process targets (Sources/FuzzTargets) for a bounded time,
# starting from the committed seeds (tools/fuzz/corpus) and past failures (tools/fuzz/regressions).
#
#   tools/fuzz.sh [SECONDS] [libFuzzer options ...]     (default 60 s; CI runs `make fuzz`)
#
# New inputs libFuzzer finds go to out/fuzz/corpus (the committed corpus is left as it is); an
# input that breaks an invariant is written to out/fuzz/crash-* and the script exits non-zero.
# Replay one with the package's own build: .build/release/bmssim-fuzz out/fuzz/crash-...
# Why not -sanitize=fuzzer: SwiftPM's executables have their own main, and libFuzzer's main
# would be a second one; the binary links libFuzzer without its main and calls its driver.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tools' executables are in the package only when asked for (Package.swift).
export BMSSIM_TOOLS=1
seconds=${1:-60}
shift || true
runtime=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
fuzzer=$(ls "$runtime"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | sed -n 1p)
if [ -z "$fuzzer" ]; then
  echo "tools/fuzz.sh: this Swift toolchain has no libFuzzer (libclang_rt.fuzzer_no_main) under $runtime" >&2
  exit 2
fi
swift build -c release --scratch-path .build-fuzz --product bmssim-fuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp,indirect-calls \
  -Xswiftc -DFUZZING -Xlinker "$fuzzer" -Xlinker -lstdc++ 2>&1 | grep -v "Cannot export local symbol" || true
binary=.build-fuzz/release/bmssim-fuzz
[ -x "$binary" ] || { echo "tools/fuzz.sh: the build failed" >&2; exit 2; }
mkdir -p out/fuzz/corpus
# The Swift runtime's own crash handler fights AddressSanitizer's; libFuzzer reports crashes.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix=out/fuzz/ "$@" out/fuzz/corpus tools/fuzz/corpus tools/fuzz/regressions
