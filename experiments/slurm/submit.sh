#!/usr/bin/env bash
# Submits a sharded decoy run: one array task per shard, then a merge job that waits for all of
# them (afterok). Usage:
#
#   experiments/slurm/submit.sh CONFIG SHARDS OUT [MAX_ARRAY_SIZE]
#
# CONFIG is the experiment config, SHARDS the number of shards N, OUT a folder on the shared file
# system (created if missing) that collects shard-K.sqlite, logs/ and finally merged.sqlite.
# DECOY names the decoy binary (default: decoy on PATH); it must be reachable at the same path on
# the compute nodes.
#
# Slurm caps array task ids below MaxArraySize (read from scontrol show config unless
# MAX_ARRAY_SIZE is given), so with 1-based ids one array holds at most MaxArraySize-1 shards.
# More shards are split into several arrays, each submitted as --array=1-M with SHARD_OFFSET set
# to the shards before it: shards 1..M, M+1..2M, ... The merge job depends on all of them.
set -euo pipefail

fail() { echo "submit: error: $*" >&2; exit 1; }
[ $# -ge 3 ] && [ $# -le 4 ] || { echo "usage: $0 CONFIG SHARDS OUT [MAX_ARRAY_SIZE]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
config=$1 shards=$2 out=$3

command -v sbatch >/dev/null || fail "sbatch not found (for the local cluster: eval \"\$(scripts/slurm-cluster.sh env)\")"
[[ $shards =~ ^[1-9][0-9]*$ ]] || fail "SHARDS must be a positive integer, not '$shards'"
[ -f "$config" ] || fail "no config file $config"
config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
decoy=${DECOY:-decoy}
if [[ $decoy != /* ]]; then
    resolved=$(command -v "$decoy") || fail "decoy binary '$decoy' not found; set DECOY to its absolute path"
    decoy=$(cd "$(dirname "$resolved")" && pwd)/$(basename "$resolved")
fi
[ -x "$decoy" ] || fail "DECOY=$decoy is not executable"
for value in "$decoy" "$config" "$out"; do
    [[ $value != *,* ]] || fail "'$value' contains a comma, which sbatch --export cannot pass"
done

max=${4:-$(scontrol show config | awk '$1 == "MaxArraySize" { print $3 }')}
[[ $max =~ ^[0-9]+$ ]] || fail "cannot read MaxArraySize (got '$max'); pass MAX_ARRAY_SIZE"
per_array=$((max - 1))
[ "$per_array" -ge 1 ] || fail "MaxArraySize=$max leaves no 1-based task id: job arrays are disabled"

exports="ALL,DECOY=$decoy,CONFIG=$config,SHARDS=$shards,OUT=$out"
ids=()
for ((offset = 0; offset < shards; offset += per_array)); do
    count=$((shards - offset < per_array ? shards - offset : per_array))
    id=$(sbatch --parsable --array="1-$count" --kill-on-invalid-dep=yes \
        --output="$out/logs/shard-%A_%a.out" \
        --export="$exports,SHARD_OFFSET=$offset" "$here/shard-array.sbatch") || fail "sbatch of shards $((offset + 1))-$((offset + count)) failed"
    id=${id%%;*}
    ids+=("$id")
    echo "shards $((offset + 1))-$((offset + count)) of $shards: array job $id (--array=1-$count, SHARD_OFFSET=$offset)"
done

dependency=afterok$(printf ':%s' "${ids[@]}")
merge=$(sbatch --parsable --dependency="$dependency" --kill-on-invalid-dep=yes \
    --output="$out/logs/merge-%j.out" \
    --export="ALL,DECOY=$decoy,OUT=$out" "$here/merge.sbatch") || fail "sbatch of the merge job failed"
merge=${merge%%;*}
echo "merge: job $merge (--dependency=$dependency)"

all=$(IFS=,; echo "${ids[*]},$merge")
cat <<MSG

watch:   squeue -j $all
detail:  scontrol show job $merge     (kept for a few minutes after the end; no sacct without accounting)
logs:    $out/logs/
result:  $out/merged.sqlite, written only when every shard succeeded and decoy rerun reproduced it
MSG
