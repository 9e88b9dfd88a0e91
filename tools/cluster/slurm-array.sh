#!/usr/bin/env bash
# A sweep (or a regression suite) as a Slurm job array: task i runs shard i of the array
# (`--shard auto` reads SLURM_ARRAY_TASK_ID, _MIN and _COUNT), then a dependent job merges.
# Runbook: docs/cluster.md.
#   sbatch tools/cluster/slurm-array.sh                     # the shipped 20-cell sweep
#   SPEC=my-sweep.json sbatch --array=0-31 tools/cluster/slurm-array.sh
#SBATCH --job-name=bmssim-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=02:00:00
#SBATCH --output=out/slurm/%x-%A_%a.log
set -euo pipefail
SPEC=${SPEC:-regress/sweeps/nominal-20cell.json}
BMSSIM=${BMSSIM:-.build/release/bmssim}
OUT=${OUT:-out/cluster/$(basename "$SPEC" .json)}
"$BMSSIM" sweep "$SPEC" --shard auto --jobs "${SLURM_CPUS_PER_TASK:-2}" --quiet --out "$OUT/shard-$SLURM_ARRAY_TASK_ID"
# The last task to finish is not known here: submit the merge as a dependent job instead, e.g.
#   sbatch --dependency=afterok:$ARRAY_JOB_ID --wrap "$BMSSIM merge --sweep $SPEC --out $OUT/merged $OUT/shard-*"
