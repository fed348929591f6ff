#!/usr/bin/env python3
"""numpy + sqlite3 + lifelines peer for decoy's benchmark (see benchmarks/peers/README.md).

Workload (benchmarks/workload.yaml): N postings observed for 48 h each, contacts from
    lambda(t) = initial * 2^(-t/half_life) + baseline   (150/h, 3.6 h, 0.5/h; ~803 per posting).

simulate  vectorised with numpy: per posting a Poisson(Lambda(H)) count, then the contact times
          as that many independent draws from lambda/Lambda(H) on [0, H], each by inverting the
          cumulative intensity with Newton's method over the whole array at once; sorted into
          (posting, time) order; seq, channel (one channel) and contactor (uniform of 10,000).
store     Python sqlite3 `executemany` of (run_id, posting_id, seq, t_us, channel, contactor)
          into a rowid table, one transaction, WAL, synchronous=NORMAL (the same table as
          c_insert's default layout), in chunks of 250,000 rows so memory stays bounded,
          plus a small `postings (run_id, posting_id, arm)` table.
index     CREATE INDEX contacts_by_posting ON contacts (run_id, posting_id, t_us).
analysis  read every contact back from SQLite with pandas (through the index, in posting and
          time order) and the postings with their arm; per arm:
            - lifelines NelsonAalenFitter: cumulative hazard of the first contact,
            - lifelines KaplanMeierFitter: time to first contact with its 95% interval,
            - numpy/pandas: mean cumulative count of contacts per posting on the hourly grid
              with its standard error, and contacts per posting-hour in each hourly bin;
          evaluated on the hourly grid (0 h ... 48 h), optionally written to --out CSV.

Usage: numpy_sqlite_lifelines.py POSTINGS DB_PATH [--seed N] [--out curves.csv]
Prints one line to standard output:
  peer=numpy_sqlite_lifelines postings=N contacts=K simulate_s=... store_s=... index_s=...
  run_s=... read_s=... curves_s=... total_s=... rows_per_s=... maxrss_kb=...
run_s = simulate + store + index (what `decoy run` does); curves_s includes read_s;
rows_per_s = K / run_s. Sanity figures go to standard error.
"""
import argparse
import math
import os
import resource
import sqlite3
import sys
import time

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter, NelsonAalenFitter

HORIZON_H = 48.0
INITIAL = 150.0
HALF_LIFE = 3.6
BASELINE = 0.5
POPULATION = 10_000
US_PER_H = 3_600_000_000
K = math.log(2.0) / HALF_LIFE
CHUNK = 250_000


def cumulative(t):
    return INITIAL / K * -np.expm1(-K * t) + BASELINE * t


def intensity(t):
    return INITIAL * np.exp(-K * t) + BASELINE


def invert(target):
    """Vectorised Newton from t = 0: monotone from the left on the concave Lambda."""
    t = np.zeros_like(target)
    active = np.arange(target.size)
    for _ in range(100):
        ta = t[active]
        step = (target[active] - cumulative(ta)) / intensity(ta)
        t[active] = ta + np.maximum(step, 0.0)
        keep = step > 1e-12 * np.maximum(ta, 1.0)
        active = active[keep]
        if active.size == 0:
            break
    return t


def simulate(postings, seed):
    rng = np.random.default_rng(seed)
    total = float(cumulative(np.float64(HORIZON_H)))
    counts = rng.poisson(total, postings)
    n = int(counts.sum())
    posting = np.repeat(np.arange(postings, dtype=np.int64), counts)
    t_h = invert(rng.random(n) * total)
    t_us = np.rint(t_h * US_PER_H).astype(np.int64)
    order = np.argsort(posting * (1 << 38) + t_us, kind="stable")  # t_us < 2^38
    t_us = t_us[order]
    starts = np.cumsum(counts) - counts
    seq = np.arange(n, dtype=np.int64) - np.repeat(starts, counts)
    rng.random(n)  # the channel draw: one channel of weight 1 always wins
    channel = np.zeros(n, dtype=np.int64)
    contactor = rng.integers(0, POPULATION, n, dtype=np.int64)
    return posting, seq, t_us, channel, contactor


def store(con, postings, rows):
    posting, seq, t_us, channel, contactor = rows
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(
        "CREATE TABLE contacts (run_id INTEGER NOT NULL, posting_id INTEGER NOT NULL, "
        "seq INTEGER NOT NULL, t_us INTEGER NOT NULL, channel INTEGER NOT NULL, contactor INTEGER)"
    )
    con.execute(
        "CREATE TABLE postings (run_id INTEGER NOT NULL, posting_id INTEGER NOT NULL, arm TEXT NOT NULL, "
        "PRIMARY KEY (run_id, posting_id)) WITHOUT ROWID"
    )
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO postings VALUES (1, ?, ?)", ((p, "decoy") for p in range(postings))
    )
    sql = "INSERT INTO contacts VALUES (1, ?, ?, ?, ?, ?)"
    for lo in range(0, posting.size, CHUNK):
        hi = lo + CHUNK
        con.executemany(
            sql,
            zip(
                posting[lo:hi].tolist(),
                seq[lo:hi].tolist(),
                t_us[lo:hi].tolist(),
                channel[lo:hi].tolist(),
                contactor[lo:hi].tolist(),
            ),
        )
    con.execute("COMMIT")


def analyse(con):
    t0 = time.perf_counter()
    events = pd.read_sql_query(
        "SELECT posting_id, t_us FROM contacts WHERE run_id = 1 ORDER BY posting_id, t_us", con
    )
    postings = pd.read_sql_query(
        "SELECT posting_id, arm FROM postings WHERE run_id = 1 ORDER BY posting_id", con
    )
    read_s = time.perf_counter() - t0

    grid = np.arange(0, int(HORIZON_H) + 1, dtype=np.float64)  # 0 h … 48 h
    g = grid.size
    out = []
    events = events.merge(postings, on="posting_id", how="left")
    for arm, arm_postings in postings.groupby("arm", sort=False):
        ids = arm_postings["posting_id"].to_numpy()
        n = ids.size
        ev = events[events["arm"] == arm]
        t_h = ev["t_us"].to_numpy() / US_PER_H
        # First contacts: time of the first contact, or censored at the horizon.
        first = ev.groupby("posting_id", sort=True)["t_us"].min() / US_PER_H
        first = first.reindex(ids)
        observed = first.notna().to_numpy()
        durations = first.fillna(HORIZON_H).to_numpy()

        naf = NelsonAalenFitter()
        naf.fit(durations, event_observed=observed)
        na = naf.cumulative_hazard_at_times(grid).to_numpy()

        kmf = KaplanMeierFitter()
        kmf.fit(durations, event_observed=observed, alpha=0.05)
        km = kmf.survival_function_at_times(grid).to_numpy()
        ci = kmf.confidence_interval_survival_function_
        idx = np.searchsorted(ci.index.to_numpy(), grid, side="right") - 1
        km_lower = ci.iloc[idx, 0].to_numpy()
        km_upper = ci.iloc[idx, 1].to_numpy()

        # Mean cumulative count per posting: contacts at or before each grid point.
        local = np.searchsorted(ids, ev["posting_id"].to_numpy())
        point = np.ceil(t_h).astype(np.int64)  # first grid point at or after t
        per_posting = np.bincount(local * g + point, minlength=n * g).reshape(n, g).cumsum(axis=1)
        mcf = per_posting.mean(axis=0)
        mcf_se = per_posting.std(axis=0, ddof=1) / math.sqrt(n) if n > 1 else np.zeros(g)
        # Contacts per posting-hour in each bin [h, h + 1): every window is the full horizon.
        in_bin = np.bincount(np.floor(t_h).astype(np.int64), minlength=g)[:g]
        rate = in_bin / n

        frame = pd.DataFrame(
            {
                "arm": arm,
                "t_hours": grid,
                "mcf": mcf,
                "mcf_se": mcf_se,
                "rate": rate,
                "na_first_contact": na,
                "km_no_contact": km,
                "km_lower": km_lower,
                "km_upper": km_upper,
            }
        )
        out.append(frame)
    return pd.concat(out, ignore_index=True), read_s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("postings", type=int)
    ap.add_argument("db")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="write the curves as CSV")
    a = ap.parse_args()
    if a.postings <= 0:
        ap.error("POSTINGS must be positive")
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(a.db + suffix)
        except FileNotFoundError:
            pass

    t0 = time.perf_counter()
    rows = simulate(a.postings, a.seed)
    n = int(rows[0].size)
    t1 = time.perf_counter()
    con = sqlite3.connect(a.db, isolation_level=None)
    store(con, a.postings, rows)
    del rows
    t2 = time.perf_counter()
    con.execute("CREATE INDEX contacts_by_posting ON contacts (run_id, posting_id, t_us)")
    t3 = time.perf_counter()
    curves, read_s = analyse(con)
    t4 = time.perf_counter()
    con.close()
    if a.out:
        curves.to_csv(a.out, index=False)

    at = curves.set_index("t_hours")
    print(
        "numpy_sqlite_lifelines: mcf(1h)=%.4f mcf(48h)=%.4f km_no_contact(1h)=%.6f na_first(1h)=%.4f"
        % (at.at[1.0, "mcf"], at.at[48.0, "mcf"], at.at[1.0, "km_no_contact"], at.at[1.0, "na_first_contact"]),
        file=sys.stderr,
    )
    run_s = t3 - t0
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"peer=numpy_sqlite_lifelines postings={a.postings} contacts={n} simulate_s={t1 - t0:.3f} "
        f"store_s={t2 - t1:.3f} index_s={t3 - t2:.3f} run_s={run_s:.3f} read_s={read_s:.3f} "
        f"curves_s={t4 - t3:.3f} total_s={t4 - t0:.3f} rows_per_s={n / run_s:.0f} maxrss_kb={maxrss}"
    )


if __name__ == "__main__":
    main()
