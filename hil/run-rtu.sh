#!/usr/bin/env bash
# The field bus over Modbus RTU without hardware: a socat pty pair, the plant served on one end
# (as an RTU slave, unit 1, 19200 8E1), the controller polling the other end. The EMS face stays
# on loopback TCP. Ctrl-C stops everything.
#
#   hil/run-rtu.sh [--realtime X] [scenario options]      (default: real time x1, 20 cells)
#
# mbpoll can take the controller's place on the master end, e.g.:
#   mbpoll -m rtu -b 19200 -P even -a 1 -0 -t 3 -r 0 -c 3 -1 out/hil-rtu/master
set -euo pipefail
cd "$(dirname "$0")/.."
source hil/common.sh
[ ${#args[@]} -eq 0 ] && args=(--cells 20)
ems_port=${EMS_PORT:-1503}
out=${out_option:-${OUT:-out/hil-rtu}}
mkdir -p "$out"

socat -d -d "pty,raw,echo=0,link=$out/plant" "pty,raw,echo=0,link=$out/master" 2> "$out/socat.log" &
pair=$!
# Once only. On Ctrl-C in a terminal the bmssim processes get the signal themselves: give them a
# moment to stop with their summaries before signalling those still running (a second signal makes
# bmssim quit at once).
cleanup() {
    trap - EXIT INT TERM
    sleep 0.5
    for p in ${controller:-} ${plant:-}; do kill -0 $p 2>/dev/null && kill -INT $p; done
    wait ${controller:-} ${plant:-} 2>/dev/null || true
    kill $pair 2>/dev/null || true
    session_summary
}
trap cleanup EXIT INT TERM
for _ in $(seq 100); do grep -q "starting data transfer loop" "$out/socat.log" && break; sleep 0.1; done
"$bin" plant-server "${args[@]}" --rtu "$out/plant" --realtime "$realtime" --out "$out" > "$out/plant.log" 2>&1 &
plant=$!
for _ in $(seq 100); do grep -q "plant on" "$out/plant.log" && break; sleep 0.1; done
cat "$out/plant.log"
"$bin" controller "${args[@]}" --plant "rtu:$out/master" --realtime "$realtime" --ems "127.0.0.1:$ems_port" \
    --days 3650 --out "$out" &
controller=$!
echo "field bus: RTU over $out/plant <-> $out/master; EMS face 127.0.0.1:$ems_port; Ctrl-C stops"
wait $controller
