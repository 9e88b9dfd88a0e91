#!/usr/bin/env bash
# Modbus HIL speed: full poll + command cycles per second of `bmssim controller` against a
# lockstep `bmssim plant-server` over loopback TCP, next to a raw libmodbus C client doing the
# same requests against the same server (tools/modbus-bench/raw_client.c: the practical limit).
# Usage: tools/bench-modbus.sh [CELLS] [CYCLES]      (default 240 cells, 5000 cycles)
# Targets (issue 6): controller >= 80 % of the raw rate, and >= 500 lockstep cycles/s.
set -euo pipefail
cd "$(dirname "$0")/.."
cells=${1:-240}
cycles=${2:-5000}
tools/setup.sh >/dev/null
tools/layout-guard.sh
swift build -c release --product bmssim >/dev/null
mkdir -p .build/modbus-bench out/bench-modbus
gcc -O2 -o .build/modbus-bench/raw_client tools/modbus-bench/raw_client.c $(pkg-config --cflags --libs libmodbus)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.build/release/bmssim plant-server --cells "$cells" --listen "127.0.0.1:$port" > out/bench-modbus/plant.log 2>&1 &
plant=$!
trap 'kill -INT $plant 2>/dev/null; wait $plant 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "plant on" out/bench-modbus/plant.log && break; sleep 0.1; done
# The module count comes from the device's own header (input register 2).
modules=$(python3 - "$port" <<'PY'
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(struct.pack(">HHHBBHH", 1, 0, 6, 1, 4, 2, 1))
print(struct.unpack(">H", s.recv(64)[9:11])[0])
PY
)
days=$(python3 -c "print($cycles / 864000)")

# Three rounds, each client in turn, so that a drift of this shared machine hits all three alike;
# the medians are reported.
raws=(); plains=(); emss=()
ems_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
rate() { sed -n 's/.* \([0-9.e+]*\) cycles\/s$/\1/p'; }
for round in 1 2 3; do
    raws+=("$(.build/modbus-bench/raw_client 127.0.0.1 "$port" "$cells" "$modules" "$cycles" | awk '{print $3}')")
    plains+=("$(.build/release/bmssim controller --cells "$cells" --plant "tcp://127.0.0.1:$port" --days "$days" --ems none --out out/bench-modbus | rate)")
    emss+=("$(.build/release/bmssim controller --cells "$cells" --plant "tcp://127.0.0.1:$port" --days "$days" --ems "127.0.0.1:$ems_port" --out out/bench-modbus | rate)")
done
python3 - "$cells" "$modules" "$cycles" "${raws[*]}" "${plains[*]}" "${emss[*]}" <<'PY'
import statistics, sys
cells, modules, cycles = sys.argv[1:4]
raw, plain, ems = ([float(x) for x in a.split()] for a in sys.argv[4:7])
r, p, e = statistics.median(raw), statistics.median(plain), statistics.median(ems)
fmt = lambda xs: " ".join(f"{x:.0f}" for x in xs)
print(f"Modbus TCP loopback, {cells} cells in {modules} modules, {cycles} lockstep cycles per client, 3 rounds (medians)")
print(f"  raw libmodbus C client (same requests)   {r:8.0f} cycles/s             [{fmt(raw)}]")
print(f"  bmssim controller (BMSCore each cycle)   {p:8.0f} cycles/s  {100*p/r:5.1f} % of raw  [{fmt(plain)}]")
print(f"  bmssim controller + SunSpec EMS face     {e:8.0f} cycles/s  {100*e/r:5.1f} % of raw  [{fmt(ems)}]")
ok = p >= 0.8 * r and p >= 500
print(f"targets: >= 80 % of raw and >= 500 cycles/s: {'met' if ok else 'NOT met'}")
PY
