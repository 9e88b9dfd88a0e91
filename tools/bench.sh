#!/usr/bin/env bash
# Speed figures of bmssim (release build). Usage: tools/bench.sh plant [--year]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bmssim-bench >/dev/null
.build/release/bmssim-bench "$@"
