#!/usr/bin/env bash
# The single-seed accuracy matrix of docs/core.md as a table: 24 h of every duty cycle in
# profiles/duty on every chemistry preset, 20-cell strings at 0.2 C, the accuracy-check sensors
# with the current offset's two signs (what AccuracyTests.socWithinBoundsFor24Hours runs), one
# `bmssim simulate` per entry, two at a time. Prints "RMS/max, RMS/max" (+50 mA, -50 mA; SoC
# error, %) per chemistry and duty cycle, and every protection trip.
# Usage: [BMSSIM=path] [JOBS=2] tools/accuracy-table.sh [OUT_DIR]     (default: out/accuracy-table)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/out/accuracy-table}"
bmssim="${BMSSIM:-$root/.build/release/bmssim}"   # BMSSIM: another binary (a copy, while the tree rebuilds)
[ -x "$bmssim" ] || swift build -c release --product bmssim --package-path "$root" >/dev/null
mkdir -p "$out"
chems="NaNiCl2 NaS NASICON sulfide polymer"
duties=$(cd "$root/profiles/duty" && ls *.csv | sed 's/\.csv$//')
for c in $chems; do for d in $duties; do for s in accuracy-check accuracy-check-neg; do
    echo "$c $d $s"
done; done; done | xargs -P "${JOBS:-2}" -L 1 sh -c \
    "'$bmssim' simulate --chemistry \$0 --cells 20 --profile '$root/profiles/duty/'\$1.csv --hours 24 \
     --sensors \$2 --output-interval 600 --out '$out/'\$0-\$1-\$2 > '$out/'\$0-\$1-\$2.log 2>&1"
python3 - "$out" $chems -- $duties <<'PY'
import json, sys
out = sys.argv[1]; i = sys.argv.index('--'); chems = sys.argv[2:i]; duties = sys.argv[i + 1:]
print('| chemistry | ' + ' | '.join(duties) + ' |')
print('|---' * (len(duties) + 1) + '|')
trips = []
for c in chems:
    cells = []
    for d in duties:
        pair = []
        for s in ('accuracy-check', 'accuracy-check-neg'):
            r = json.load(open(f'{out}/{c}-{d}-{s}/summary.json'))
            rms, mx = r['soc_error_rms_pct'], r['soc_error_max_pct']
            mark = '**' if rms > 1 or mx > 3 else ''
            pair.append(f'{mark}{rms:.2f}/{mx:.2f}{mark}')
            if r['protection_trips']: trips.append(f'{c} {d} {s}: {r["protection_trips"]} trips')
        cells.append(', '.join(pair))
    print(f'| {c} | ' + ' | '.join(cells) + ' |')
print('protection trips: ' + ('; '.join(trips) if trips else 'none'))
PY
