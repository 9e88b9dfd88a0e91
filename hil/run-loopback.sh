#!/usr/bin/env bash
# One command for a HIL session on loopback: the plant served as a Modbus field device, the BMS
# controller polling it, and the controller's SunSpec EMS face. Ctrl-C stops all three.
#
#   hil/run-loopback.sh [--realtime X] [--bin BMSSIM] [--out DIR] [any scenario options of bmssim, e.g. --pack NaS --cells 120]
#
# Defaults: real time x1 (the plant runs by the wall clock; --realtime 60 runs a minute a second),
# plant on 127.0.0.1:1502, EMS face on 127.0.0.1:1503 (override with PLANT_PORT / EMS_PORT), logs
# and controller.csv in out/hil. Poll it from another terminal, e.g.:
#   mbpoll -m tcp -p 1503 -0 -r 40000 -c 4 -1 127.0.0.1     # 'SunS', model 1, length 66
#   mbpoll -m tcp -p 1503 -0 -r 40081 -1 127.0.0.1          # SoC in 0.1 %
#   mbpoll -m tcp -p 1502 -0 -t 3 -r 1000 -c 20 -1 127.0.0.1 # cell voltages in 0.1 mV
set -euo pipefail
cd "$(dirname "$0")/.."
source hil/common.sh
plant_port=${PLANT_PORT:-1502}
ems_port=${EMS_PORT:-1503}
out=${out_option:-${OUT:-out/hil}}
mkdir -p "$out"

"$bin" plant-server "${args[@]}" --listen "127.0.0.1:$plant_port" --realtime "$realtime" --out "$out" > "$out/plant.log" 2>&1 &
plant=$!
# Once only. On Ctrl-C in a terminal the bmssim processes get the signal themselves: give them a
# moment to stop with their summaries before signalling those still running (a second signal makes
# bmssim quit at once).
cleanup() {
    trap - EXIT INT TERM
    sleep 0.5
    for p in ${controller:-} $plant; do kill -0 $p 2>/dev/null && kill -INT $p; done
    wait 2>/dev/null || true
    session_summary
}
trap cleanup EXIT INT TERM
for _ in $(seq 100); do grep -q "plant on" "$out/plant.log" && break; sleep 0.1; done
cat "$out/plant.log"
"$bin" controller "${args[@]}" --plant "tcp://127.0.0.1:$plant_port" --realtime "$realtime" \
    --ems "127.0.0.1:$ems_port" --days 3650 --out "$out" &
controller=$!
echo "plant 127.0.0.1:$plant_port (field map), EMS face 127.0.0.1:$ems_port (SunSpec); Ctrl-C stops"
wait $controller
