# Shared by hil/run-*.sh: splits its own options from the scenario options of bmssim.
#   --realtime X   simulated seconds per wall second (default 1)
#   --bin PATH     an existing bmssim to run (default: build .build/release/bmssim with make)
#   --out DIR      the session's folder: logs, controller.csv, the write logs (default: OUT, or
#                  each script's own folder)
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
