#!/bin/sh
# The coverage study of docs/statistics.md: every interval of `curves` and `compare`, under both
# --intervals settings, for the four designs in experiments/coverage/, at 5, 10 and 40
# postings per arm. Usage: scripts/coverage-study.sh [REPLICATES] (default 10000; a few
# seconds per design and setting on two cores). Prints one CSV per design and setting.
set -eu
cd "$(dirname "$0")/.."
replicates=${1:-10000}
swift build -c release --product decoy >/dev/null
decoy=$(swift build -c release --show-bin-path)/decoy
for design in poisson decay-removal hawkes hawkes-bursty; do
    for intervals in corrected classic; do
        echo "# experiments/coverage/$design.yaml --intervals $intervals --replicates $replicates"
        "$decoy" coverage "experiments/coverage/$design.yaml" --postings 5,10,40 --replicates "$replicates" \
            --intervals "$intervals" --format csv
    done
done
