#!/usr/bin/env bash
# Runs decoy and its peers (benchmarks/peers/) side by side on one workload and prints tables
# of medians with decoy's time ratio to each peer.
#
#   bash benchmarks/run_comparison.sh            # N = 1250 postings (~1 million contacts)
#   bash benchmarks/run_comparison.sh 1250 12500 # also ~10 million contacts
#
# Environment:
#   REPEATS=3          runs of every program per size (the median is reported)
#   PEERS="c_insert c_insert_wr c_insert_batch c_insert_ranges numpy simpy"   which peers to run
#                      (decoy always runs)
#   DECOY=path         decoy binary (default .build/release/decoy, built if missing)
#   BEFORE=path        an earlier decoy binary, run (run and curves) beside DECOY in every repeat,
#                      for before/after figures from one sitting
#   PYTHON=python3     interpreter for the Python peers
#   WORKDIR=dir        where databases and outputs go (default a new temporary directory,
#                      removed at the end unless KEEP=1)
#
# The workload is benchmarks/workload.yaml with --set arms.decoy.postings=N. decoy is timed as
# whole processes (wall clock of `decoy run`, of the two `decoy curves` calls and of
# `decoy export`); the peers report their own phase times, which leave out interpreter start-up
# and imports (their whole-process wall time is shown too). Peak memory is /usr/bin/time's
# maximum resident set size. The machine's load average is printed before and after: other
# work on the machine slows every program, so compare figures from one invocation.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1250)
for n in "${sizes[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "error: sizes are positive numbers of postings, got '$n'" >&2; exit 64; }
done
repeats=${REPEATS:-3}
peers=${PEERS:-"c_insert c_insert_wr c_insert_batch c_insert_ranges numpy simpy"}
python=${PYTHON:-python3}
decoy=${DECOY:-.build/release/decoy}
timebin=/usr/bin/time
[ -x "$timebin" ] || { echo "error: $timebin is missing (apt-get install -y time)" >&2; exit 1; }

if [ ! -x "$decoy" ]; then
    echo "building decoy (swift build -c release --product decoy) ..." >&2
    swift build -c release --product decoy >&2
fi
decoy=$(cd "$(dirname "$decoy")" && pwd)/$(basename "$decoy")
before=${BEFORE:-}
if [ -n "$before" ]; then
    [ -x "$before" ] || { echo "error: BEFORE=$before is not an executable" >&2; exit 64; }
    before=$(cd "$(dirname "$before")" && pwd)/$(basename "$before")
fi

peerbin="$here/.build-peers"
mkdir -p "$peerbin"
if [[ " $peers " == *" c_insert"* ]]; then
    gcc -O2 "$here/peers/c_insert.c" -lsqlite3 -lm -o "$peerbin/c_insert"
fi
for p in numpy simpy; do
    if [[ " $peers " == *" $p "* ]]; then
        mods=$([ $p = numpy ] && echo "numpy, pandas, lifelines" || echo "simpy")
        if ! "$python" -c "import $mods" 2>/dev/null; then
            echo "note: $python cannot import $mods: skipping $p (pip install -r benchmarks/peers/requirements.txt)" >&2
            peers=$(echo " $peers " | sed "s/ $p / /")
        fi
    fi
done

work=${WORKDIR:-$(mktemp -d /tmp/decoy-bench.XXXXXX)}
mkdir -p "$work"
if [ -z "${WORKDIR:-}" ] && [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
results="$work/results.tsv"
: >"$results"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; decoy: $decoy" >&2

# timed LABEL N REP -- command…: runs the command under /usr/bin/time, records wall, cpu and
# peak RSS, and every key=value field of the last line of its standard output.
timed() {
    local label=$1 n=$2 rep=$3; shift 4
    local out="$work/out.txt" tf="$work/time.txt"
    if ! "$timebin" -f "%e %U %S %M" -o "$tf" "$@" >"$out" 2>"$work/err.txt"; then
        echo "error: $label failed: $*" >&2; cat "$work/err.txt" >&2; exit 1
    fi
    read -r wall user sys rss <"$tf"
    {
        printf '%s\t%s\t%s\twall_s\t%s\n' "$label" "$n" "$rep" "$wall"
        printf '%s\t%s\t%s\tcpu_s\t%s\n' "$label" "$n" "$rep" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
        printf '%s\t%s\t%s\trss_kb\t%s\n' "$label" "$n" "$rep" "$rss"
        tail -n 1 "$out" | tr ' ' '\n' | grep -E '^[a-z_]+=[0-9.]+$' | sed "s/=/\t/; s/^/$label\t$n\t$rep\t/" || true
    } >>"$results"
}

label_of() { case $1 in numpy) echo numpy_sqlite_lifelines ;; *) echo "$1" ;; esac; }
dbsize() { local s=0 f; for f in "$1" "$1-wal"; do [ -f "$f" ] && s=$((s + $(stat -c %s "$f"))); done; echo $s; }

for n in "${sizes[@]}"; do
    for rep in $(seq 1 "$repeats"); do
        echo "N=$n run $rep/$repeats ..." >&2
        db="$work/decoy.sqlite"; rm -f "$db" "$db-wal" "$db-shm"
        timed decoy_run "$n" "$rep" -- "$decoy" run "$here/workload.yaml" --db "$db" --quiet --set "arms.decoy.postings=$n"
        contacts=$(awk '$1 == "contacts" { print $2 }' "$work/out.txt")
        printf 'decoy_run\t%s\t%s\tcontacts\t%s\n' "$n" "$rep" "$contacts" >>"$results"
        printf 'decoy_run\t%s\t%s\tfile_bytes\t%s\n' "$n" "$rep" "$(dbsize "$db")" >>"$results"
        timed decoy_curves_mcf_rate "$n" "$rep" -- "$decoy" curves 1 --db "$db" --metric mcf,rate --out "$work/c.csv"
        timed decoy_curves_ttfc "$n" "$rep" -- "$decoy" curves 1 --db "$db" --metric ttfc --out "$work/t.csv"
        timed decoy_export_events "$n" "$rep" -- "$decoy" export 1 --table events --db "$db" --out "$work/e.csv"
        printf 'decoy_export_events\t%s\t%s\tcontacts\t%s\n' "$n" "$rep" "$contacts" >>"$results"
        rm -f "$db" "$db-wal" "$db-shm" "$work/e.csv"
        if [ -n "$before" ]; then
            db="$work/before.sqlite"; rm -f "$db" "$db-wal" "$db-shm"
            timed before_run "$n" "$rep" -- "$before" run "$here/workload.yaml" --db "$db" --quiet --set "arms.decoy.postings=$n"
            printf 'before_run\t%s\t%s\tfile_bytes\t%s\n' "$n" "$rep" "$(dbsize "$db")" >>"$results"
            timed before_curves_mcf_rate "$n" "$rep" -- "$before" curves 1 --db "$db" --metric mcf,rate --out "$work/c-before.csv"
            cmp -s "$work/c.csv" "$work/c-before.csv" || { echo "error: the two decoy binaries wrote different curves" >&2; exit 1; }
            rm -f "$db" "$db-wal" "$db-shm"
        fi
        for p in $peers; do
            db="$work/$p.sqlite"
            case $p in
                c_insert) timed c_insert "$n" "$rep" -- "$peerbin/c_insert" "$n" "$db" ;;
                c_insert_wr) timed c_insert_wr "$n" "$rep" -- "$peerbin/c_insert" "$n" "$db" --layout without-rowid ;;
                c_insert_batch) timed c_insert_batch "$n" "$rep" -- "$peerbin/c_insert" "$n" "$db" --layout without-rowid --batch 64 ;;
                c_insert_ranges) timed c_insert_ranges "$n" "$rep" -- "$peerbin/c_insert" "$n" "$db" --layout ranges --batch 64 ;;
                numpy) timed numpy_sqlite_lifelines "$n" "$rep" -- "$python" "$here/peers/numpy_sqlite_lifelines.py" "$n" "$db" ;;
                simpy) timed simpy "$n" "$rep" -- "$python" "$here/peers/simpy_peer.py" "$n" "$db" ;;
                *) echo "error: unknown peer $p" >&2; exit 64 ;;
            esac
            printf '%s\t%s\t%s\tfile_bytes\t%s\n' "$(label_of "$p")" "$n" "$rep" "$(dbsize "$db")" >>"$results"
            rm -f "$db" "$db-wal" "$db-shm"
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
[ -n "${WORKDIR:-}" ] && echo "raw results: $results" >&2

"$python" - "$results" <<'EOF'
import collections, statistics, sys

rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, n, rep, key, value = line.rstrip("\n").split("\t")
    rows[(label, int(n), key)].append(float(value))

def med(label, n, key):
    v = rows.get((label, n, key))
    return statistics.median(v) if v else None

def fmt(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"

def mib(kb):
    return None if kb is None else kb / 1024

names = {
    "c_insert": "C + libsqlite3, rowid table + index",
    "c_insert_wr": "C + libsqlite3, WITHOUT ROWID (run, posting, seq)",
    "c_insert_batch": "C + libsqlite3, WITHOUT ROWID, 64 rows per INSERT",
    "c_insert_ranges": "C + libsqlite3, decoy's layout (contact ids, posting ranges), 64 rows per INSERT",
    "numpy_sqlite_lifelines": "numpy + sqlite3 executemany + index",
    "simpy": "SimPy process per posting + executemany + index",
}
for n in sorted({k[1] for k in rows}):
    reps = len(rows.get(("decoy_run", n, "wall_s"), []))
    d_run = med("decoy_run", n, "wall_s")
    d_curves = (med("decoy_curves_mcf_rate", n, "wall_s") or 0) + (med("decoy_curves_ttfc", n, "wall_s") or 0)
    contacts = med("decoy_run", n, "contacts")
    print(f"\n## N = {n} postings (median of {reps})\n")
    print("Simulate + store + index. decoy: wall time of `decoy run` (whole process, --jobs = all cores);")
    print("peers: their own simulate+store+index time (single-threaded; start-up and imports excluded).")
    print("Ratio = decoy's time / the peer's time (below 1: decoy is faster).\n")
    print("| program | contacts | s | rows/s | process wall s | CPU s | peak RSS MiB | db MiB | decoy ÷ peer |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| decoy run | {contacts:.0f} | {fmt(d_run)} | {contacts / d_run:,.0f} | {fmt(d_run)} | "
          f"{fmt(med('decoy_run', n, 'cpu_s'))} | {fmt(mib(med('decoy_run', n, 'rss_kb')), 0)} | "
          f"{fmt((med('decoy_run', n, 'file_bytes') or 0) / 2**20, 0)} | 1.00 |")
    b_run = med("before_run", n, "wall_s")
    if b_run is not None:
        print(f"| decoy run, BEFORE binary | {contacts:.0f} | {fmt(b_run)} | {contacts / b_run:,.0f} | {fmt(b_run)} | "
              f"{fmt(med('before_run', n, 'cpu_s'))} | {fmt(mib(med('before_run', n, 'rss_kb')), 0)} | "
              f"{fmt((med('before_run', n, 'file_bytes') or 0) / 2**20, 0)} | {d_run / b_run:.2f} |")
    for p, name in names.items():
        run = med(p, n, "run_s")
        if run is None:
            continue
        print(f"| {name} | {med(p, n, 'contacts'):.0f} | {fmt(run)} | {med(p, n, 'rows_per_s'):,.0f} | "
              f"{fmt(med(p, n, 'wall_s'))} | {fmt(med(p, n, 'cpu_s'))} | {fmt(mib(med(p, n, 'rss_kb')), 0)} | "
              f"{fmt((med(p, n, 'file_bytes') or 0) / 2**20, 0)} | {d_run / run:.2f} |")
    print("\nPhases of the peers (s): simulate / store / index")
    for p, name in names.items():
        if med(p, n, "run_s") is None:
            continue
        print(f"- {name}: {fmt(med(p, n, 'simulate_s'))} / {fmt(med(p, n, 'store_s'))} / {fmt(med(p, n, 'index_s'))}")

    print("\nCurves from the stored rows. decoy: `curves --metric mcf,rate` + `curves --metric ttfc` (two processes);")
    print("numpy peer: read back with pandas, lifelines Nelson–Aalen + Kaplan–Meier, MCF and rate with numpy;")
    print("C peer: one indexed scan computing the MCF and first-contact counts on the grid.\n")
    print("| program | s | peak RSS MiB | decoy ÷ peer |")
    print("|---|---:|---:|---:|")
    rss = max(filter(None, [med("decoy_curves_mcf_rate", n, "rss_kb"), med("decoy_curves_ttfc", n, "rss_kb")]), default=None)
    print(f"| decoy curves mcf,rate | {fmt(med('decoy_curves_mcf_rate', n, 'wall_s'))} | {fmt(mib(med('decoy_curves_mcf_rate', n, 'rss_kb')), 0)} | |")
    print(f"| decoy curves ttfc | {fmt(med('decoy_curves_ttfc', n, 'wall_s'))} | {fmt(mib(med('decoy_curves_ttfc', n, 'rss_kb')), 0)} | |")
    print(f"| decoy, both | {fmt(d_curves)} | {fmt(mib(rss), 0)} | 1.00 |")
    b_curves = med("before_curves_mcf_rate", n, "wall_s")
    if b_curves is not None:
        print(f"| decoy curves mcf,rate, BEFORE binary | {fmt(b_curves)} | {fmt(mib(med('before_curves_mcf_rate', n, 'rss_kb')), 0)} | "
              f"{med('decoy_curves_mcf_rate', n, 'wall_s') / b_curves:.2f} (mcf,rate) |")
    for p in ("numpy_sqlite_lifelines", "c_insert", "c_insert_wr", "c_insert_batch", "c_insert_ranges"):
        c = med(p, n, "curves_s")
        if c is None:
            continue
        extra = f" (of which read {fmt(med(p, n, 'read_s'))})" if med(p, n, "read_s") is not None else ""
        print(f"| {names[p]}{extra} | {fmt(c)} | (whole process above) | {d_curves / c:.2f} |")

    e = med("decoy_export_events", n, "wall_s")
    if e is not None:
        print(f"\n`decoy export --table events`: {fmt(e)} s, {contacts / e:,.0f} rows/s, "
              f"peak RSS {fmt(mib(med('decoy_export_events', n, 'rss_kb')), 0)} MiB (no peer).")
EOF
