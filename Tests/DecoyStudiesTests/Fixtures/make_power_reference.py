# Independent Monte Carlo reference for the power and type I error of the two arm comparisons
# ("rate-ratio" and "exact-poisson") under three designs.
# Made with:  python3 make_power_reference.py > power_reference.csv
#             (run in this folder; Python 3.11, NumPy 2.4.6, SciPy 1.17.1; about a minute)
# Random numbers: one numpy.random.default_rng(SEED), SEED = 20261201, shared by all cells in the
#   order written (design D1, D2, D3; within a design scenario power then null; then n_a ascending).
#   Within a cell: arm A then arm B, each drawing its removal times (D2 only) as one
#   (sims, n) array from rng.exponential, then its counts as one (sims, n) array from rng.poisson.
#   The figures are Monte Carlo estimates: compare with a binomial tolerance, e.g.
#   |rate - expected| <= 4 * sqrt(rate * (1 - rate) / defined) (plus the Swift run's own error).
#
# Definitions (postings i, count k_i, observation hours T_i; per arm a: K_a = sum k_i,
#   T_a = sum T_i, r_a = K_a / T_a); arm B has n_b = n_a postings.
#   rate-ratio (CR1 cluster-robust Wald, t reference):
#     meat_a = sum_i (k_i - r_a T_i)^2;  v_a = meat_a * n_a/(n_a - 1) / K_a^2;  se = sqrt(v_A + v_B);
#     nu = n_A + n_B - 2;  p = 2 * t.cdf(-|log(r_A / r_B)| / se, nu).
#     UNDEFINED (counted in `failed`, excluded from `defined`) when K_A = 0 or K_B = 0 or se = 0.
#     Reject when p < alpha.
#   exact-poisson: under the null K_A ~ Binomial(K_A + K_B, T_A / (T_A + T_B)); the two-sided p is
#     R's binom.test rule: the sum of the probabilities of the outcomes whose probability is
#     <= the observed one's * (1 + 1e-7) (p = 1 when K_A equals the mean (K_A+K_B)*T_A/(T_A+T_B)),
#     capped at 1; p = 1 when K_A + K_B = 0 (never failed). Reject when p < alpha.
#     Implemented vectorised below (the monotone tail located by bisection); the script checks it
#     against scipy.stats.binomtest on random cases and against R's poisson.test p-values in
#     ../../DecoyStatisticsTests/Fixtures/exact_poisson_reference.csv.
#
# Designs (all postings observed for the horizon H unless removal says otherwise):
#   (D1) poisson: rate_A = 0.5/h, rate_B = 0.3/h, H = 10 h, no removal.
#        Counts k_i ~ Poisson(rate * H), T_i = H.
#   (D2) decay-removal: exponential decay with removal: intensity
#        lambda(t) = baseline + initial * 2^(-t/half_life); arm A: initial 6/h, half_life 2 h,
#        baseline 0.2/h; arm B: initial 4/h, half_life 2 h, baseline 0.2/h; horizon H = 24 h; each
#        posting is removed at R ~ Exponential(rate 0.05/h), observed window T_i = min(H, R);
#        counts k_i ~ Poisson(Lambda(T_i)) with
#        Lambda(t) = baseline * t + initial * half_life / ln 2 * (1 - 2^(-t/half_life)).
#   (D3) decoy-couch: arm A exponential decay initial 150/h, half_life 3.6 h, baseline 0.5/h;
#        arm B poisson 0.005/h; H = 48 h, no removal (many rate-ratio failures at small n).
#   scenario power: the design as given. scenario null: both arms get arm A's response (and removal).
#   n_a in {2, 3, 5, 10, 20, 40}, alpha = 0.05, SIMS = 100000 simulations per cell.
#
# Columns: design,test,scenario,n_a,n_b,alpha,sims,defined,rejections,failed,rate
#   defined = simulations where the test is defined, failed = sims - defined,
#   rejections = defined simulations with p < alpha, rate = rejections / defined (empty if defined = 0).
import csv
import math
import os
import sys

import numpy as np
from scipy import stats

SEED = 20261201
SIMS = 100_000
ALPHA = 0.05
NS = (2, 3, 5, 10, 20, 40)
REL_ERR = 1 + 1e-7


def decay_mean(initial, half_life, baseline):
    return lambda t: baseline * t + initial * half_life / math.log(2) * (1 - np.exp2(-t / half_life))


def poisson_mean(rate):
    return lambda t: rate * t


# design -> (horizon, removal rate or None, arm A mean function, arm B mean function)
DESIGNS = {
    "D1": (10.0, None, poisson_mean(0.5), poisson_mean(0.3)),
    "D2": (24.0, 0.05, decay_mean(6.0, 2.0, 0.2), decay_mean(4.0, 2.0, 0.2)),
    "D3": (48.0, None, decay_mean(150.0, 3.6, 0.5), poisson_mean(0.005)),
}


def binom_two_sided(x, n, p):
    """R's binom.test(x, n, p)$p.value, elementwise over integer arrays x, n and float array p."""
    x = np.asarray(x, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    p = np.asarray(p, dtype=float)
    out = np.ones(x.shape)
    live = n > 0
    m = n * p
    d = stats.binom.pmf(x, n, p) * REL_ERR
    lo = live & (x < m)   # observed below the mean: look for the upper tail j..n
    hi = live & (x > m)   # observed above the mean: look for the lower tail 0..j
    if lo.any():
        xs, ns, ps, ds, ms = x[lo], n[lo], p[lo], d[lo], m[lo]
        # smallest j in [ceil(m), n+1] with pmf(j) <= d; pmf is nonincreasing on [ceil(m), n]
        a = np.ceil(ms).astype(np.int64)
        b = ns + 1
        while True:
            open_ = a < b
            if not open_.any():
                break
            mid = (a + b) // 2
            ok = stats.binom.pmf(mid, ns, ps) <= ds
            b = np.where(open_ & ok, mid, b)
            a = np.where(open_ & ~ok, mid + 1, a)
        out[lo] = stats.binom.cdf(xs, ns, ps) + stats.binom.sf(a - 1, ns, ps)
    if hi.any():
        xs, ns, ps, ds, ms = x[hi], n[hi], p[hi], d[hi], m[hi]
        # y = number of i in [0, floor(m)] with pmf(i) <= d; pmf is nondecreasing there,
        # so those i are 0..y-1: y = smallest i in [0, floor(m)+1] with pmf(i) > d
        a = np.zeros_like(ns)
        b = np.floor(ms).astype(np.int64) + 1
        while True:
            open_ = a < b
            if not open_.any():
                break
            mid = (a + b) // 2
            ok = stats.binom.pmf(mid, ns, ps) > ds
            b = np.where(open_ & ok, mid, b)
            a = np.where(open_ & ~ok, mid + 1, a)
        out[hi] = stats.binom.cdf(a - 1, ns, ps) + stats.binom.sf(xs - 1, ns, ps)
    return np.minimum(1.0, out)


def self_check():
    rng = np.random.default_rng(1)  # separate stream: checks only, not the fixture's draws
    n = rng.integers(0, 300, 3000)
    x = np.array([rng.integers(0, k + 1) for k in n])
    p = rng.uniform(0.02, 0.98, n.size)
    p[:500] = 0.5
    mine = binom_two_sided(x, n, p)
    for xi, ni, pi, mi in zip(x, n, p, mine):
        ref = 1.0 if ni == 0 else stats.binomtest(int(xi), int(ni), float(pi)).pvalue
        assert abs(mi - ref) <= 1e-12 * max(ref, 1e-300) + 1e-300, (xi, ni, pi, mi, ref)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "../../DecoyStatisticsTests/Fixtures/exact_poisson_reference.csv")
    if os.path.exists(path):
        with open(path) as f:
            for row in csv.DictReader(f):
                ka, kb = int(float(row["ka"])), int(float(row["kb"]))
                ta, tb = float(row["ta"]), float(row["tb"])
                mine = binom_two_sided([ka], [ka + kb], [ta / (ta + tb)])[0]
                ref = float(row["p"])
                assert abs(mine - ref) <= 1e-10 * ref, (row, mine)
    else:
        print("note: R fixture not found, skipped that check", file=sys.stderr)


def simulate_arm(rng, sims, n, horizon, removal, mean):
    if removal is None:
        t = np.full((sims, n), horizon)
    else:
        t = np.minimum(horizon, rng.exponential(1 / removal, (sims, n)))
    k = rng.poisson(mean(t))
    return k, t


def rate_ratio(ka, ta, kb, tb, n_a, n_b, alpha):
    KA, TA, KB, TB = ka.sum(1), ta.sum(1), kb.sum(1), tb.sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rA, rB = KA / TA, KB / TB
        meatA = ((ka - rA[:, None] * ta) ** 2).sum(1)
        meatB = ((kb - rB[:, None] * tb) ** 2).sum(1)
        vA = meatA * n_a / (n_a - 1) / KA.astype(float) ** 2
        vB = meatB * n_b / (n_b - 1) / KB.astype(float) ** 2
        se = np.sqrt(vA + vB)
        defined = (KA > 0) & (KB > 0) & (se > 0)
        z = np.abs(np.log(rA / rB)) / se
    p = 2 * stats.t.cdf(-z[defined], n_a + n_b - 2)
    return int(defined.sum()), int((p < alpha).sum())


def exact_poisson(ka, ta, kb, tb, alpha):
    KA, TA, KB, TB = ka.sum(1), ta.sum(1), kb.sum(1), tb.sum(1)
    p = binom_two_sided(KA, KA + KB, TA / (TA + TB))
    return KA.size, int((p < alpha).sum())


def main():
    self_check()
    rng = np.random.default_rng(SEED)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["design", "test", "scenario", "n_a", "n_b", "alpha", "sims", "defined",
                "rejections", "failed", "rate"])
    for design, (horizon, removal, mean_a, mean_b) in DESIGNS.items():
        for scenario in ("power", "null"):
            for n_a in NS:
                n_b = n_a
                ka, ta = simulate_arm(rng, SIMS, n_a, horizon, removal, mean_a)
                kb, tb = simulate_arm(rng, SIMS, n_b, horizon, removal,
                                      mean_b if scenario == "power" else mean_a)
                for test, (defined, rej) in (
                        ("rate-ratio", rate_ratio(ka, ta, kb, tb, n_a, n_b, ALPHA)),
                        ("exact-poisson", exact_poisson(ka, ta, kb, tb, ALPHA))):
                    rate = repr(rej / defined) if defined else ""
                    w.writerow([design, test, scenario, n_a, n_b, ALPHA, SIMS, defined, rej,
                                SIMS - defined, rate])
                sys.stdout.flush()


if __name__ == "__main__":
    main()
