#!/usr/bin/env bash
# Times a sharded run against the unsharded one on this machine: the benchmark workload
# (benchmarks/workload.yaml, N postings, about 803 contacts each) run whole, then as SHARDS
# shards started at once (each with --jobs 1), then merged; and checks that the merged digest is
# the whole run's. Prints the median of REPEATS runs of each step.
#
#   bash benchmarks/run_shard_comparison.sh            # N = 12500, about 10 million contacts
#   SHARDS=2 REPEATS=3 bash benchmarks/run_shard_comparison.sh 1250
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
n=${1:-12500}
shards=${SHARDS:-2}
repeats=${REPEATS:-3}
decoy=${DECOY:-$here/../.build/release/decoy}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config=$here/workload.yaml
now() { date +%s.%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; N = $n postings; $shards shards; $repeats repeats"
: > "$work/whole.t"; : > "$work/shards.t"; : > "$work/merge.t"
for ((r = 1; r <= repeats; r++)); do
    rm -f "$work"/*.sqlite*
    t0=$(now)
    "$decoy" run "$config" --set "arms.decoy.postings=$n" --db "$work/whole.sqlite" --quiet --format json > "$work/whole.json"
    t1=$(now)
    pids=()
    for ((k = 1; k <= shards; k++)); do
        "$decoy" run "$config" --set "arms.decoy.postings=$n" --shard "$k/$shards" --jobs 1 --db "$work/shard-$k.sqlite" --quiet --format json > "$work/shard-$k.json" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    t2=$(now)
    "$decoy" merge runs "$work"/shard-*.sqlite --into "$work/merged.sqlite" --quiet --format json > "$work/merged.json"
    t3=$(now)
    echo "$t1 - $t0" | bc >> "$work/whole.t"
    echo "$t2 - $t1" | bc >> "$work/shards.t"
    echo "$t3 - $t2" | bc >> "$work/merge.t"
    whole=$(python3 -c "import json; print(json.load(open('$work/whole.json'))['digest'])")
    merged=$(python3 -c "import json; print(json.load(open('$work/merged.json'))['digest'])")
    contacts=$(python3 -c "import json; print(json.load(open('$work/merged.json'))['contacts'])")
    [ "$whole" = "$merged" ] || { echo "digests differ: whole $whole, merged $merged" >&2; exit 1; }
    echo "run $r: whole $(tail -1 "$work/whole.t") s, $shards shards at once $(tail -1 "$work/shards.t") s, merge $(tail -1 "$work/merge.t") s; digest ${whole:0:12}… both"
done
w=$(median < "$work/whole.t"); s=$(median < "$work/shards.t"); m=$(median < "$work/merge.t")
echo
echo "| step | median s |"
echo "|---|---:|"
echo "| whole run ($contacts contacts) | $w |"
echo "| $shards shards at once, --jobs 1 each | $s |"
echo "| merge of the $shards shards | $m ($(echo "$contacts / $m" | bc) contacts/s) |"
echo "| shards + merge | $(echo "$s + $m" | bc) |"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
