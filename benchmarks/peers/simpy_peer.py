#!/usr/bin/env python3
"""SimPy peer for decoy's benchmark (see benchmarks/peers/README.md).

Workload (benchmarks/workload.yaml): N postings observed for 48 h each, contacts from
    lambda(t) = initial * 2^(-t/half_life) + baseline   (150/h, 3.6 h, 0.5/h; ~803 per posting).

simulate  one SimPy process per posting, all in one Environment run to the horizon. Each
          process waits for its next contact and appends it to its own list:
            --method thinning (default): candidates at rate lambda(t) of the current time (a
              valid bound because lambda decreases), each accepted with probability
              lambda(t')/lambda(t); one timeout per candidate (about 1.1 per contact);
            --method inversion: the next contact is at Lambda^-1(Lambda(t) + E), E ~ Exp(1), by
              Newton's method (the algorithm decoy uses); one timeout per contact, but the
              Newton steps in pure Python make it about twice as slow as thinning here.
          Each posting has its own random.Random stream; per contact one uniform for the
          channel (one channel here) and one for the contactor (of 10,000).
store     Python sqlite3 `executemany` of (run_id, posting_id, seq, t_us, channel, contactor),
          in posting and time order, one transaction, WAL, synchronous=NORMAL, then
index     CREATE INDEX contacts_by_posting ON contacts (run_id, posting_id, t_us).

Usage: simpy_peer.py POSTINGS DB_PATH [--seed N] [--method thinning|inversion]
Prints one line: peer=simpy postings=N contacts=K simulate_s=... store_s=... index_s=...
run_s=... total_s=... rows_per_s=... maxrss_kb=...  (run_s = simulate + store + index).
"""
import argparse
import math
import os
import random
import resource
import sqlite3
import time

import simpy

HORIZON_H = 48.0
INITIAL = 150.0
HALF_LIFE = 3.6
BASELINE = 0.5
POPULATION = 10_000
US_PER_H = 3_600_000_000
K = math.log(2.0) / HALF_LIFE


def cumulative(t):
    return INITIAL / K * -math.expm1(-K * t) + BASELINE * t


def intensity(t):
    return INITIAL * math.exp(-K * t) + BASELINE


def invert(target, t):
    """Smallest s >= t with Lambda(s) = target; Newton from the left (Lambda is concave)."""
    for _ in range(100):
        step = (target - cumulative(t)) / intensity(t)
        if not step > 0:
            break
        t += step
        if step < 1e-15 * max(t, 1.0):
            break
    return t


def posting_inversion(env, rng, out):
    total = cumulative(HORIZON_H)
    cum = 0.0
    t = 0.0
    seq = 0
    while True:
        cum += rng.expovariate(1.0)
        if cum > total:
            return
        nxt = invert(cum, t)
        if nxt > HORIZON_H:
            return
        yield env.timeout(nxt - t)
        t = nxt
        rng.random()  # channel: one channel of weight 1
        out.append((seq, round(t * US_PER_H), 0, int(rng.random() * POPULATION)))
        seq += 1


def posting_thinning(env, rng, out):
    t = 0.0
    seq = 0
    while True:
        bound = intensity(t)
        wait = rng.expovariate(bound)
        if t + wait > HORIZON_H:
            return
        yield env.timeout(wait)
        t += wait
        if rng.random() * bound <= intensity(t):
            rng.random()  # channel
            out.append((seq, round(t * US_PER_H), 0, int(rng.random() * POPULATION)))
            seq += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("postings", type=int)
    ap.add_argument("db")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--method", choices=("thinning", "inversion"), default="thinning")
    a = ap.parse_args()
    if a.postings <= 0:
        ap.error("POSTINGS must be positive")
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(a.db + suffix)
        except FileNotFoundError:
            pass

    t0 = time.perf_counter()
    env = simpy.Environment()
    process = posting_inversion if a.method == "inversion" else posting_thinning
    lists = []
    for p in range(a.postings):
        out = []
        lists.append(out)
        env.process(process(env, random.Random(a.seed * 1_000_003 + p), out))
    env.run(until=HORIZON_H)
    n = sum(len(x) for x in lists)
    t1 = time.perf_counter()

    con = sqlite3.connect(a.db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(
        "CREATE TABLE contacts (run_id INTEGER NOT NULL, posting_id INTEGER NOT NULL, "
        "seq INTEGER NOT NULL, t_us INTEGER NOT NULL, channel INTEGER NOT NULL, contactor INTEGER)"
    )
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO contacts VALUES (1, ?, ?, ?, ?, ?)",
        ((p, seq, t_us, ch, who) for p, out in enumerate(lists) for seq, t_us, ch, who in out),
    )
    con.execute("COMMIT")
    t2 = time.perf_counter()
    con.execute("CREATE INDEX contacts_by_posting ON contacts (run_id, posting_id, t_us)")
    t3 = time.perf_counter()
    con.close()

    run_s = t3 - t0
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"peer=simpy method={a.method} postings={a.postings} contacts={n} simulate_s={t1 - t0:.3f} "
        f"store_s={t2 - t1:.3f} index_s={t3 - t2:.3f} run_s={run_s:.3f} total_s={run_s:.3f} "
        f"rows_per_s={n / run_s:.0f} maxrss_kb={maxrss}"
    )


if __name__ == "__main__":
    main()
