# Shared by hil/run-*.sh: splits --realtime X from the scenario options and builds bmssim.
# Sets: realtime (default 1), args (the rest), bin.
realtime=1
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --realtime) realtime="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
make -s build >/dev/null
bin=.build/release/bmssim
