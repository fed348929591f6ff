#!/usr/bin/env bash
# Compares what two builds of decoy print for every example experiment: run digests, every curve
# metric (pooled and by replicate), the events and postings exports, and an imported field run.
#
#   scripts/compare-outputs.sh BASE_REVISION [CANDIDATE_BINARY]
#
# BASE_REVISION is built in a temporary worktree (release); the candidate defaults to this
# checkout's release build. Exits 0 when every output is byte-identical, else prints the first
# differing lines of each file and exits 1. Differences listed in ALLOWED (one grep -E pattern per
# line, matched against the differing lines of the candidate) are reported but tolerated.
set -euo pipefail
base=${1:?usage: compare-outputs.sh BASE_REVISION [CANDIDATE_BINARY]}
top=$(git rev-parse --show-toplevel)
candidate=${2:-$top/.build/release/decoy}
work=$(mktemp -d)
trap 'git -C "$top" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

[ -n "${2:-}" ] || (cd "$top" && swift build -c release >/dev/null)
git -C "$top" worktree add -q --detach "$work/base" "$base"
(cd "$work/base" && swift build -c release >/dev/null)
reference=$work/base/.build/release/decoy

key="comparison-key-0123456789abcdef"
outputs() { # BINARY FOLDER FIELD_TEMPLATE (each build imports its own checkout's template)
    local bin=$1 out=$2 field=$3
    mkdir -p "$out"
    cd "$out"
    local n=0
    for config in "$top"/experiments/*.yaml; do
        n=$((n + 1))
        "$bin" run "$config" --db runs.sqlite --quiet --format csv | cut -d, -f1-4 > "run-$n.csv"
        for by in arm replicate; do
            "$bin" curves "$n" --db runs.sqlite --metric mcf,rate,ttfc,unique,expected --by "$by" --format csv > "curves-$n-$by.csv"
        done
        "$bin" curves "$n" --db runs.sqlite --metric mcf,unique,ttfc --interval plain --grid 30m --format csv > "curves-$n-plain.csv"
        "$bin" export "$n" --db runs.sqlite --table events > "events-$n.csv"
        "$bin" export "$n" --db runs.sqlite --table postings > "postings-$n.csv"
    done
    DECOY_PSEUDONYM_KEY=$key "$bin" import "$field/field.yaml" --postings "$field/postings.csv" --events "$field/events.csv" \
        --db field.sqlite --format csv > import.csv
    "$bin" curves 1 --db field.sqlite --metric mcf,rate,ttfc,unique --format csv > field-curves.csv
    "$bin" export 1 --db field.sqlite --table events > field-events.csv
    "$bin" export 1 --db field.sqlite --table postings > field-postings.csv
    rm -f ./*.sqlite ./*.sqlite-wal ./*.sqlite-shm
}
(outputs "$reference" "$work/before" "$work/base/experiments/field-template")
(outputs "$candidate" "$work/after" "$top/experiments/field-template")

status=0
allowed=${ALLOWED:-}
for file in "$work/before"/*; do
    name=$(basename "$file")
    if ! cmp -s "$file" "$work/after/$name"; then
        changed=$(diff "$file" "$work/after/$name" | grep '^>' | sed 's/^> //' || true)
        if [ -n "$allowed" ] && [ -z "$(printf '%s\n' "$changed" | grep -Ev "$allowed" || true)" ]; then
            echo "allowed difference: $name ($(printf '%s\n' "$changed" | wc -l) lines)"
        else
            echo "DIFFERS: $name"; diff "$file" "$work/after/$name" | head -6; status=1
        fi
    fi
done
echo "$(ls "$work/before" | wc -l) outputs compared"
exit $status
