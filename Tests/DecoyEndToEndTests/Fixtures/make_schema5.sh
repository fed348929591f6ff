#!/usr/bin/env bash
# Makes schema5.sqlite, a database written by decoy 0.1.0 at schema version 5 (contacts keyed by
# run, posting and seq), and the outputs that version gave for it, for the migration test:
#
#   git worktree add /tmp/decoy-v5 1e6b434 && (cd /tmp/decoy-v5 && swift build -c release --product decoy)
#   DECOY=/tmp/decoy-v5/.build/release/decoy bash Tests/DecoyEndToEndTests/Fixtures/make_schema5.sh
#
# Run 1: the quickstart with 2 postings an arm, complete. Run 2: the pilot's field data imported
# (observed, pseudonyms from the key below), then one contact recorded between two imported ones. Run 3: the same quickstart
# stopped after its first posting (cut back with sqlite3 as a signal leaves it: interrupted).
#
# schema5-curves-1.csv holds what today's `decoy curves 1 --metric mcf,rate,ttfc` gives on the
# migrated file: the mcf and ttfc rows are 0.1.0's, byte for byte; the rate rows' limits were made
# again when the default rate interval became Garwood's below three postings exposed (run 1 has two
# postings an arm), and equal SciPy's `gamma.ppf(0.025, k) / T`, `gamma.ppf(0.975, k + 1) / T` to
# 1e-15 relative.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
decoy=${DECOY:?set DECOY to a decoy 0.1.0 binary of schema 5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export DECOY_PSEUDONYM_KEY=fixture-key-for-the-schema-5-migration-test
db=schema5.sqlite
"$decoy" run "$root/experiments/quickstart.yaml" --db $db --quiet --set arms.adult.postings=2 --set arms.control.postings=2 >/dev/null
"$decoy" import "$root/experiments/pilot/pilot.yaml" --db $db --postings "$root/experiments/pilot/postings.csv" \
    --events "$root/experiments/pilot/events.csv" >/dev/null
"$decoy" record 2 --db $db --posting decoy-1 --channel call --contact caller-001 --at 2025-03-07T18:02:00+01:00 >/dev/null
"$decoy" run "$root/experiments/quickstart.yaml" --db $db --quiet --set arms.adult.postings=2 --set arms.control.postings=2 >/dev/null
sqlite3 $db "DELETE FROM contacts WHERE run_id = 3 AND posting_id >= 1; DELETE FROM postings WHERE run_id = 3 AND posting_id >= 1;
             UPDATE runs SET status = 'interrupted', digest = NULL, finished_at = NULL, postings = 1,
               contacts = (SELECT count(*) FROM contacts WHERE run_id = 3) WHERE run_id = 3;
             PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
[ "$(sqlite3 $db 'PRAGMA user_version')" = 5 ] || { echo "error: $decoy does not write schema 5" >&2; exit 1; }
"$decoy" curves 1 --db $db --metric mcf,rate,ttfc --out "$here/schema5-curves-1.csv"
"$decoy" export 2 --db $db --table events --out "$here/schema5-events-2.csv"
"$decoy" export 3 --db $db --table events --out "$here/schema5-events-3.csv"
sqlite3 $db "SELECT run_id, digest FROM runs ORDER BY run_id" >"$here/schema5-digests.txt"
cp $db "$here/schema5.sqlite"
ls -l "$here"/schema5*
