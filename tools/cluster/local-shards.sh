#!/usr/bin/env bash
# Runs a sweep as N shard processes on this machine, the way a cluster would (each process sees
# only BMSSIM_SHARD_INDEX/COUNT), then merges them: a rehearsal of a cluster run (docs/cluster.md).
#   tools/cluster/local-shards.sh 4 regress/sweeps/nominal-20cell.json out/local-shards
set -euo pipefail
N=${1:?usage: local-shards.sh N SPEC [OUT]}
SPEC=${2:?usage: local-shards.sh N SPEC [OUT]}
OUT=${3:-out/local-shards}
BMSSIM=${BMSSIM:-.build/release/bmssim}
mkdir -p "$OUT"
pids=()
for i in $(seq 1 "$N"); do
    BMSSIM_SHARD_INDEX=$i BMSSIM_SHARD_COUNT=$N "$BMSSIM" sweep "$SPEC" --shard auto --jobs 1 --quiet --out "$OUT/shard-$i" >"$OUT/log-shard-$i.txt" 2>&1 &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
"$BMSSIM" merge --sweep "$SPEC" --out "$OUT/merged" "$OUT"/shard-*
exit $status
