#!/bin/sh
# The type I study of docs/statistics.md: every test of `compare`, under both --intervals settings, on
# the null designs in experiments/coverage/ (arms with the same response), at 5, 10, 20 and 40
# postings per arm. Usage: scripts/type-one-study.sh [REPLICATES] [OUT] (default 4000 replicates,
# results in experiments/coverage/type-one/; about half an hour on two cores). Writes one CSV per
# design and setting (`decoy coverage … --table type-one --format csv`) and prints docs/statistics.md's
# table (scripts/type-one-table.py).
set -eu
cd "$(dirname "$0")/.."
replicates=${1:-4000}
out=${2:-experiments/coverage/type-one}
swift build -c release --product decoy >/dev/null
decoy=$(swift build -c release --show-bin-path)/decoy
mkdir -p "$out"
for design in poisson decay-removal decay-removal-01 decay-removal-03 decay-removal-differs hawkes-bursty-removal diurnal-hours; do
    for intervals in corrected classic; do
        echo "experiments/coverage/$design.yaml --intervals $intervals --replicates $replicates" >&2
        "$decoy" coverage "experiments/coverage/$design.yaml" --postings 5,10,20,40 --replicates "$replicates" \
            --intervals "$intervals" --table type-one --format csv > "$out/$design-$intervals.csv"
    done
done
python3 scripts/type-one-table.py "$out"
