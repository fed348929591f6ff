#!/usr/bin/env python3
"""statsmodels peer for `decoy power` (see benchmarks/peers/README.md).

Design (experiments/quickstart.yaml): every posting observed for 48 h, no removal.
  adult    lambda(t) = 0.5 + 150 * 2^(-t/3.6) per hour, so a posting's count is
           Poisson(Lambda(48)), Lambda(t) = 0.5 t + 150 * 3.6/ln 2 * (1 - 2^(-t/3.6)) (~803);
  control  0.005 per hour, count Poisson(0.24).

For each n (postings per arm) and each of S simulations: draw the n adult counts, then the n
control counts, from one numpy default_rng(seed) stream; fit
    statsmodels.api.GLM(counts, [1, arm], family=Poisson(), offset=log(hours))
        .fit(cov_type='cluster', cov_kwds={'groups': posting_id})
(arm = 1 for adult, each posting its own cluster, statsmodels' default small-sample correction
G/(G-1) * (N-1)/(N-K)), and reject when the Wald z test of the arm coefficient (normal
reference: GLM results have use_t=False) has p < alpha.

A simulation is counted as failed, and left out of the power, when the fit raises, emits any
warning, does not converge, gives a non-finite coefficient or standard error, or when an arm has
no contacts at all: then the maximum-likelihood arm coefficient is infinite, but IRLS stops at a
large finite value without a warning and the sandwich standard error is close to 0, so the test
would "reject". power = rejections / (sims - failed).

Usage: power_statsmodels.py [--sims S] [--postings 2,4,...,20] [--alpha A] [--seed N]
Prints `n,sims,rejections,failed,power` lines on standard output; the failure reasons per n and
the total wall time go to standard error.
"""
import argparse
import collections
import math
import sys
import time
import warnings

import numpy as np
import statsmodels.api as sm

HORIZON_H = 48.0
INITIAL = 150.0
HALF_LIFE = 3.6
BASELINE = 0.5
CONTROL_RATE = 0.005


def adult_mean(t):
    return BASELINE * t + INITIAL * HALF_LIFE / math.log(2.0) * -math.expm1(-math.log(2.0) * t / HALF_LIFE)


def fit_one(counts, exog, offset, groups, n, alpha):
    """Returns (rejected, failure reason or None)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = sm.GLM(counts, exog, family=sm.families.Poisson(), offset=offset).fit(
                cov_type="cluster", cov_kwds={"groups": groups})
            coef, se, p = res.params[1], res.bse[1], res.pvalues[1]
            converged = res.converged
        except Exception as e:  # noqa: BLE001 - any failure of the fit counts as failed
            return False, "error:" + type(e).__name__
    if caught:
        return False, "warning:" + caught[0].category.__name__
    if not converged:
        return False, "not-converged"
    if not (math.isfinite(coef) and math.isfinite(se) and se > 0 and math.isfinite(p)):
        return False, "non-finite"
    if counts[:n].sum() == 0 or counts[n:].sum() == 0:
        return p < alpha, "arm-without-contacts"
    return p < alpha, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sims", type=int, default=1000)
    ap.add_argument("--postings", default="2,4,6,8,10,12,14,16,18,20")
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=20161104)
    args = ap.parse_args()
    sizes = [int(s) for s in args.postings.split(",")]
    if args.sims < 1 or any(n < 1 for n in sizes):
        ap.error("--sims and --postings must be positive")

    rng = np.random.default_rng(args.seed)
    mean_adult = adult_mean(HORIZON_H)
    mean_control = CONTROL_RATE * HORIZON_H
    start = time.perf_counter()
    print("n,sims,rejections,failed,power")
    for n in sizes:
        arm = np.r_[np.ones(n), np.zeros(n)]
        exog = np.column_stack([np.ones(2 * n), arm])
        offset = np.log(np.full(2 * n, HORIZON_H))
        groups = np.arange(2 * n)
        rejections = failed = 0
        reasons = collections.Counter()
        naive = 0  # failed fits whose test would have rejected anyway
        for _ in range(args.sims):
            counts = np.r_[rng.poisson(mean_adult, n), rng.poisson(mean_control, n)].astype(float)
            rejected, reason = fit_one(counts, exog, offset, groups, n, args.alpha)
            if reason is None:
                rejections += rejected
            else:
                failed += 1
                reasons[reason] += 1
                naive += rejected
        ok = args.sims - failed
        power = f"{rejections / ok:.4f}" if ok else "nan"
        print(f"{n},{args.sims},{rejections},{failed},{power}", flush=True)
        if failed:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
            print(f"n={n}: failed {failed} ({detail}); {naive} of them would have rejected",
                  file=sys.stderr)
    print(f"peer=statsmodels sims={args.sims} wall_s={time.perf_counter() - start:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
