# Shared by hil/run-*.sh: splits its own options from the scenario options of bmssim.
#   --realtime X   simulated seconds per wall second (default 1)
#   --bin PATH     an existing bmssim to run (default: build .build/release/bmssim with make)
#   --out DIR      the session's folder: logs, controller.csv, the write logs, the plant's truth
#                  and, at the end, summary.json and timeseries.csv (default: OUT, or each
#                  script's own folder)
# Sets: realtime, args (the rest, for bmssim), bin, out_option (empty unless --out).
realtime=1
args=()
bin=""
out_option=""
while [ $# -gt 0 ]; do
    case "$1" in
        --realtime) realtime="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --out) out_option="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
if [ -z "$bin" ]; then
    make -s build >/dev/null
    bin=.build/release/bmssim
elif [ ! -x "$bin" ]; then
    echo "--bin $bin: not an executable" >&2
    exit 2
fi

# The session's summary.json and timeseries.csv (as simulate writes them), joined from the
# plant's truth and the controller's log once both have stopped; `bmssim plot "$out"` draws it.
session_summary() {
    if [ -f "$out/plant-final.json" ] && [ -f "$out/controller.csv" ]; then
        "$bin" hil-summary "$out" > "$out/summary.txt" 2>&1 && cat "$out/summary.txt" \
            || echo "hil-summary failed: see $out/summary.txt" >&2
    fi
}
