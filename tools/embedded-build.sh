#!/usr/bin/env bash
# Compiles BMSCore's sources (and the RTU master's, Sources/ModbusRTU) as Embedded Swift for a Cortex-M4F (armv7em-none-none-eabi, hard float)
# with heap allocation forbidden (-Xfrontend -no-allocations), and reports the object's size.
# Usage: tools/embedded-build.sh [OUTPUT_DIR]     (default: .build/embedded)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/.build/embedded}"
mkdir -p "$out"

# Every source of BMSCore, in its phase folders (sorted: the same order on every machine).
mapfile -t sources < <(find "$root/Sources/BMSCore" -name '*.swift' | LC_ALL=C sort)

swiftc \
    -target armv7em-none-none-eabi \
    -enable-experimental-feature Embedded \
    -wmo -Osize -parse-as-library \
    -Xfrontend -no-allocations \
    -Xcc -mcpu=cortex-m4 -Xcc -mfloat-abi=hard -Xcc -mfpu=fpv4-sp-d16 \
    -module-name BMSCore \
    "${sources[@]}" "$root"/tools/embedded/FirmwareEntry.swift \
    -c -o "$out/BMSCore.o"

# The firmware image's RTU master (Sources/ModbusRTU) compiles on its own for the target too.
mapfile -t rtu < <(find "$root/Sources/ModbusRTU" -name '*.swift' | LC_ALL=C sort)
swiftc -target armv7em-none-none-eabi -enable-experimental-feature Embedded -wmo -Osize -parse-as-library \
    -Xfrontend -no-allocations -Xcc -mcpu=cortex-m4 -Xcc -mfloat-abi=hard -Xcc -mfpu=fpv4-sp-d16 \
    -module-name ModbusRTU "${rtu[@]}" -c -o "$out/ModbusRTU.o"
# The ABI attributes prove the object is built for hard-float Cortex-M4 code.
if command -v readelf >/dev/null; then
    attributes="$(readelf -A "$out/BMSCore.o")"   # read whole: `| grep -q` can SIGPIPE under pipefail
    grep -q 'Tag_ABI_VFP_args: VFP registers' <<<"$attributes" \
        || { echo "embedded-build: object is not hard-float (VFP argument passing)" >&2; exit 1; }
fi
echo "embedded-build: OK  armv7em-none-none-eabi hard-float, -no-allocations"
size "$out/BMSCore.o" | tee "$out/size.txt"
