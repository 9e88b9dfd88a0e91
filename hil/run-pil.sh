#!/usr/bin/env bash
# Processor in the loop: the firmware image (tools/firmware, Cortex-M4F under QEMU) polls the
# simulated plant as a Modbus RTU master on its UART, through QEMU's serial port and a socat pty
# pair, against `bmssim plant-server --rtu` in lockstep. At the end the image's step digests are
# compared byte for byte with the same scenario closed in process (`bmssim firmware-trace --pil`).
#
#   hil/run-pil.sh [--minutes M] [--cut-after-s S] [--image ELF] [--bin BMSSIM] [--out DIR] [scenario options]
#
# --cut-after-s S stops the plant server S seconds into the session: the image must then give up
# with status 6 after 20 dead cycles, having latched communicationLoss with its contactors open
# and no current allowed, and every cycle before the cut must equal the in-process run's.
#
# Defaults: one simulated hour (36,000 cycles of 100 ms), 20 cells of the default pack, the image
# built by tools/firmware/build.sh --image-only, out/pil. Exit status 0 when the run completed
# without a failed poll or write and the digests are equal.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=60
cut=""
image=""
rest=()
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes="$2"; shift 2 ;;
        --image) image="$2"; shift 2 ;;
        --cut-after-s) cut="$2"; shift 2 ;;
        *) rest+=("$1"); shift ;;
    esac
done
set -- "${rest[@]+"${rest[@]}"}"
source hil/common.sh
[ ${#args[@]} -eq 0 ] && args=(--cells 20)
out=${out_option:-${OUT:-out/pil}}
out="$(mkdir -p "$out" && cd "$out" && pwd)"
command -v qemu-system-arm > /dev/null && command -v socat > /dev/null \
    || { echo "run-pil: needs qemu-system-arm and socat: tools/setup.sh firmware" >&2; exit 2; }
if [ -z "$image" ]; then
    tools/firmware/build.sh --image-only "$out/image" > "$out/image.log" || { cat "$out/image.log"; exit 1; }
    image="$out/image/bmssim-firmware.elf"
fi
[ -f "$image" ] || { echo "run-pil: no image at $image" >&2; exit 2; }
image="$(cd "$(dirname "$image")" && pwd)/$(basename "$image")"   # QEMU runs in $out
steps=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 600 }')
rm -f "$out/pil-digests.bin" "$out/host-digests.bin"

# The reference first: the same scenario closed in process with the image's configuration.
"$bin" firmware-trace --pil --steps "$steps" "${args[@]}" --out "$out" > "$out/reference.log"
cat "$out/reference.log"

socat -d -d "pty,raw,echo=0,link=$out/plant" "pty,raw,echo=0,link=$out/image-port" 2> "$out/socat.log" &
pair=$!
cleanup() {
    trap - EXIT INT TERM
    for p in ${qemu:-} ${plant:-}; do kill -0 $p 2>/dev/null && kill -INT $p; done
    kill $pair 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for _ in $(seq 100); do grep -q "starting data transfer loop" "$out/socat.log" && break; sleep 0.1; done
"$bin" plant-server "${args[@]}" --rtu "$out/plant" --out "$out" > "$out/plant.log" 2>&1 &
plant=$!
for _ in $(seq 100); do grep -q "plant on" "$out/plant.log" && break; sleep 0.1; done
echo "pil: $steps lockstep cycles; the image on $out/image-port, the plant on $out/plant"
# The image: its self-test, then pil.bin's session over UART0 (QEMU's first serial port); its
# files (pil.bin, pil-digests.bin) through semihosting in $out. No -icount: SysTick follows the
# wall clock, which the master's timeouts are in.
set +e
(cd "$out" && qemu-system-arm -M mps2-an386 -nographic -monitor none \
    -chardev serial,id=field,path="$out/image-port" -serial chardev:field \
    -semihosting-config enable=on,target=native -kernel "$image" > "$out/image-run.txt" 2>&1) &
qemu=$!
if [ -n "$cut" ]; then
    sleep "$cut"
    kill -INT $plant
    wait $plant 2>/dev/null
    plant=""
fi
wait $qemu
status=$?
set -e
qemu=""
grep "^pil " "$out/image-run.txt" || cat "$out/image-run.txt"
if [ -n "$cut" ]; then
    value() { awk -v k="$1" 'index($0, k) == 1 { print $NF }' "$out/image-run.txt"; }
    cycles=$(( $(stat -c %s "$out/pil-digests.bin") / 64 ))
    good=$(( cycles - $(value "pil failed polls ") ))
    if [ $status -eq 6 ] && [ "$(value "pil communication loss latched ")" = 1 ] && [ "$(value "pil contactors open ")" = 1 ] \
        && [ "$(value "pil current limits zero ")" = 1 ] && [ $good -gt 0 ] && cmp -n $((good * 64)) "$out/pil-digests.bin" "$out/host-digests.bin"; then
        echo "pil: link cut after $cut s: $good cycles bit-identical before it; then communicationLoss latched, contactors open, no current, the image gave up (status 6)"
        exit 0
    fi
    echo "pil: after the link was cut the image did not reach the safe state and stop (status $status; $out/image-run.txt)" >&2
    exit 1
fi
if [ $status -ne 0 ]; then
    echo "pil: the image ended with status $status ($out/image-run.txt)" >&2
    exit 1
fi
if cmp "$out/pil-digests.bin" "$out/host-digests.bin"; then
    echo "pil: $steps cycles bit-identical to the in-process run ($(( $(stat -c %s "$out/pil-digests.bin") / 64 )) digests)"
else
    echo "pil: the image's digests differ from the in-process run's ($out)" >&2
    exit 1
fi
