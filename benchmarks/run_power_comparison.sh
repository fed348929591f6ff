#!/usr/bin/env bash
# Runs `decoy power` and its peers (benchmarks/peers/power_statsmodels.py, power_sandwich.R) on
# the quickstart design — adult against control, rate-ratio test, 2, 4, …, 20 postings per arm,
# SIMS simulated experiments per size — and prints a table of median wall times with decoy's time
# ratio to each peer, and the power each program found.
#
#   bash benchmarks/run_power_comparison.sh          # SIMS = 1000
#   bash benchmarks/run_power_comparison.sh 200
#
# Environment:
#   REPEATS=3          runs of every program (alternating decoy, statsmodels, sandwich; the
#                      median is reported)
#   PEERS="statsmodels sandwich"   which peers to run
#   DECOY=path         decoy binary (default .build/release/decoy; if it is missing the script
#                      says `decoy: not built` and runs the peers alone, and if `decoy power`
#                      fails it says so and goes on with the peers)
#   CONFIG=path        experiment (default experiments/quickstart.yaml)
#   PYTHON=python3     interpreter for the statsmodels peer
#   RSCRIPT=Rscript    R front end for the sandwich peer
#   WORKDIR=dir        where outputs and results.tsv (the raw figures) go (default a new
#                      temporary directory, removed at the end unless KEEP=1)
#
# Every program is timed as a whole process with /usr/bin/time (wall seconds and peak resident
# set size), so interpreter start-up and package loading are included; the peers also report
# their own loop time (wall_s on standard error), shown in its own column. The machine's load
# average is printed before and after: other work on the machine slows every program, so
# compare figures from one invocation.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

sims=${1:-1000}
[[ "$sims" =~ ^[1-9][0-9]*$ ]] || { echo "error: SIMS is a positive number of simulations, got '$sims'" >&2; exit 64; }
repeats=${REPEATS:-3}
peers=${PEERS:-"statsmodels sandwich"}
decoy=${DECOY:-.build/release/decoy}
config=${CONFIG:-experiments/quickstart.yaml}
python=${PYTHON:-python3}
rscript=${RSCRIPT:-Rscript}
postings=2,4,6,8,10,12,14,16,18,20
timebin=/usr/bin/time
[ -x "$timebin" ] || { echo "error: $timebin is missing (apt-get install -y time)" >&2; exit 1; }

if [ -x "$decoy" ]; then
    decoy=$(cd "$(dirname "$decoy")" && pwd)/$(basename "$decoy")
else
    echo "decoy: not built ($decoy; swift build -c release --product decoy)" >&2
    decoy=
fi
for p in $peers; do
    case $p in
        statsmodels)
            if ! "$python" -c "import numpy, statsmodels" 2>/dev/null; then
                echo "note: $python cannot import numpy, statsmodels: skipping statsmodels (pip install -r benchmarks/peers/requirements.txt)" >&2
                peers=$(echo " $peers " | sed "s/ statsmodels / /")
            fi ;;
        sandwich)
            if ! "$rscript" -e 'library(sandwich)' >/dev/null 2>&1; then
                echo "note: $rscript cannot load sandwich: skipping sandwich (install.packages(\"sandwich\"))" >&2
                peers=$(echo " $peers " | sed "s/ sandwich / /")
            fi ;;
        *) echo "error: unknown peer $p" >&2; exit 64 ;;
    esac
done

work=${WORKDIR:-$(mktemp -d /tmp/decoy-power-bench.XXXXXX)}
mkdir -p "$work"
if [ -z "${WORKDIR:-}" ] && [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
results="$work/results.tsv"
: >"$results"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; decoy: ${decoy:-not built}; sims: $sims" >&2

# timed LABEL REP -- command…: runs the command under /usr/bin/time, records wall seconds and
# peak RSS, and the wall_s=… field of the last line of its standard error (the peers' own loop
# time); keeps the standard output as LABEL.csv (the last repeat's). Returns 1 if it fails.
timed() {
    local label=$1 rep=$2; shift 3
    local out="$work/$label.csv" err="$work/$label.err" tf="$work/time.txt"
    if ! "$timebin" -f "%e %M" -o "$tf" "$@" >"$out" 2>"$err"; then
        echo "error: $label failed: $*" >&2; cat "$err" >&2; return 1
    fi
    read -r wall rss <"$tf"
    {
        printf '%s\t%s\twall_s\t%s\n' "$label" "$rep" "$wall"
        printf '%s\t%s\trss_kb\t%s\n' "$label" "$rep" "$rss"
        tail -n 1 "$err" | tr ' ' '\n' | grep -E '^wall_s=[0-9.]+$' | sed "s/^wall_s=/$label\t$rep\tloop_s\t/" || true
    } >>"$results"
}

for rep in $(seq 1 "$repeats"); do
    echo "run $rep/$repeats ..." >&2
    if [ -n "$decoy" ]; then
        if ! timed decoy "$rep" -- "$decoy" power "$config" --arms adult,control --test rate-ratio \
            --postings "$postings" --sims "$sims" --format csv --quiet; then
            echo "decoy: \`decoy power\` failed, timing the peers alone" >&2
            decoy=
        fi
    fi
    for p in $peers; do
        case $p in
            statsmodels) timed statsmodels "$rep" -- "$python" "$here/peers/power_statsmodels.py" --sims "$sims" --postings "$postings" || exit 1 ;;
            sandwich) timed sandwich "$rep" -- "$rscript" "$here/peers/power_sandwich.R" "$sims" default "$postings" || exit 1 ;;
        esac
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
[ -n "${WORKDIR:-}" ] && echo "raw results: $results; outputs: $work/*.csv" >&2

"$python" - "$results" "$work" "$sims" <<'EOF'
import collections, csv, os, statistics, sys

results, work, sims = sys.argv[1], sys.argv[2], sys.argv[3]
rows = collections.defaultdict(list)
for line in open(results):
    label, rep, key, value = line.rstrip("\n").split("\t")
    rows[(label, key)].append(float(value))

def med(label, key):
    v = rows.get((label, key))
    return statistics.median(v) if v else None

def fmt(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"

names = {
    "decoy": "decoy power",
    "statsmodels": "statsmodels GLM Poisson, cluster-robust (CR1)",
    "sandwich": "R glm poisson + sandwich::vcovCL",
}
present = [l for l in names if med(l, "wall_s") is not None]
reps = max((len(rows[(l, "wall_s")]) for l in present), default=0)
d = med("decoy", "wall_s")
print(f"\n## Power by simulation, {sims} simulations per size, 10 sizes (median of {reps})\n")
print("Whole-process wall time (start-up and package loading included); loop s is the peer's own")
print("timing of its simulate-fit-test loop. Ratio = decoy's time / the peer's (below 1: decoy is faster).\n")
print("| program | process wall s | loop s | peak RSS MiB | decoy ÷ peer |")
print("|---|---:|---:|---:|---:|")
for l in present:
    w = med(l, "wall_s")
    ratio = "–" if d is None else f"{d / w:.3g}"
    rss = med(l, "rss_kb")
    print(f"| {names[l]} | {fmt(w)} | {fmt(med(l, 'loop_s'))} | {fmt(None if rss is None else rss / 1024, 0)} | {ratio} |")
if d is None:
    print("\n(no decoy figures: not built, or `decoy power` failed)")

# Power per size from each program's last output, when it has n and power columns.
tables = {}
for l in present:
    path = os.path.join(work, f"{l}.csv")
    try:
        with open(path) as f:
            rd = csv.DictReader(f)
            tables[l] = {int(r["n"]): r for r in rd if r.get("n", "").strip().isdigit()}
    except (OSError, KeyError, ValueError):
        tables[l] = {}
cols = [l for l in present if tables.get(l) and all("power" in r for r in tables[l].values())]
if cols:
    print("\nPower (rejections / simulations that did not fail) and failed simulations, last run:\n")
    print("| n per arm | " + " | ".join(f"{l} power | {l} failed" for l in cols) + " |")
    print("|---:|" + "---:|---:|" * len(cols))
    for n in sorted(set().union(*(tables[l].keys() for l in cols))):
        cells = []
        for l in cols:
            r = tables[l].get(n, {})
            cells += [r.get("power", "–"), r.get("failed", "–")]
        print(f"| {n} | " + " | ".join(cells) + " |")
for l in present:
    if l not in cols:
        print(f"\n{l} output (last run), not in n,power columns:\n")
        print(open(os.path.join(work, f"{l}.csv")).read().rstrip())
EOF
