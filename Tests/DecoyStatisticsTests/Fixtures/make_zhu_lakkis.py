# Reference values for the Zhu & Lakkis (2014) power of the two-sample negative-binomial /
# Poisson rate-ratio Wald test, computed with statsmodels.
# Made with:  python3 make_zhu_lakkis.py > zhu_lakkis_reference.csv
#             (run in this folder; Python 3.11, statsmodels 0.15.0 [pip install statsmodels==0.15.0],
#              NumPy 2.4.6, SciPy 1.17.1)
#
# Function: statsmodels.stats.rates.power_negbin_ratio_2indep(rate1, rate2, nobs1, nobs_ratio=1,
#   exposure=1, value=1, alpha=0.05, dispersion=0.01, alternative="two-sided", method_var="alt")
#   Its DEFAULT method_var is "alt" (and its default dispersion is 0.01, not 0: every call here
#   passes dispersion explicitly). dispersion=0 is accepted (the Poisson limit) and is used as is.
#
# Arguments as used here (group 1 = treatment arm, group 2 = reference arm):
#   rate2 = base_rate, rate1 = ratio * base_rate (contacts per hour), exposure = hours per posting,
#   nobs1 = n1 postings in group 1, nobs2 = q * n1 with q = nobs_ratio, k = dispersion
#   (NB variance mu + k mu^2), value = rate ratio under the null (1 unless stated), alpha two-sided.
#   Write mu1 = rate1 * exposure, mu2 = rate2 * exposure (mean count per posting).
#
# Formula (read from the statsmodels 0.15.0 source; the script re-implements it below and asserts
# agreement with statsmodels to 1e-12 on every row):
#   V1 = (1/rate1 + 1/(q*rate2)) / exposure + (1 + q)/q * k  =  1/mu1 + 1/(q*mu2) + (1+q)/q * k
#   V0 depends on method_var:
#     "alt"    V0 = V1
#     "ftotal" V0 = (1 + value*q)^2 / (exposure * q * value * (rate1 + q*rate2)) + (1 + q)/q * k
#     "score"  (constrained MLE of the rates under H0: rate1 = value*rate0) with s = 1/q:
#              a = -k*exposure*value*(1 + s)
#              b =  k*exposure*(rate2*value + s*rate1) - (1 + s*value)
#              c =  rate2 + s*rate1
#              r0 = -c/b if k == 0 else (-b - sqrt(b^2 - 4ac)) / (2a)
#              V0 = s * [ (1/(exposure*r0)) * (1 + 1/(value*s)) + (1 + s)/s * k ]
#                 = (1/(exposure*r0)) * (1/q + 1/value) + (1 + q)/q * k
#              When value = 1, r0 = (q*rate2 + rate1)/(1 + q) exactly (the pooled rate, for any k),
#              and "score" equals "ftotal"; they differ only when value != 1.
#   es = log(rate1/rate2) - log(value);  sigma0 = sqrt(V0), sigma1 = sqrt(V1), z = Phi^-1(1 - alpha/2)
#   power(n1) = Phi( -z*sigma0/sigma1 + es*sqrt(n1)/sigma1 )          [upper tail, "larger"]
#             + Phi( -z*sigma0/sigma1 - es*sqrt(n1)/sigma1 )          [lower tail, "smaller"]
#   (statsmodels.stats.power.normal_power_het: norm.sf(crit*s0/s1 - es*sqrt(n)/s1)
#    + norm.cdf(-crit*s0/s1 - es*sqrt(n)/s1), crit = norm.isf(alpha/2).)
#   So Var(log ratio estimate) ~ V1/n1; nobs_ratio enters only through q in V0/V1 (n2 = q*n1 is
#   never used directly); exposure enters only through mu = rate*exposure (the power is unchanged
#   if rate and exposure are rescaled with the same product), which rows with exposure != 1 show.
#
# Sample size: statsmodels 0.15.0 has no solver for the negative-binomial ratio power (no
#   NormalIndPower-style class for it; power_negbin_ratio_2indep only returns power), so no
#   sample-size rows are written.
#
# Rows: ratio in {1.2, 1.5, 2, 0.7} x mu2 in {0.24, 2, 12, 800} (exposure 1, so base_rate = mu2)
#   x n1 in {5, 10, 20, 80} x nobs_ratio in {1, 2}, alpha 0.05, dispersion 0, all three method_var;
#   dispersion 0.5 for a subset; exposure 10 and 48 with base_rate = mu2/exposure for a subset;
#   value 0.8 and 1.25 (non-unit null, where score and ftotal differ) for a subset.
# Columns: ratio,base_rate,exposure,n1,nobs_ratio,alpha,dispersion,method_var,power,value,std_null,std_alt
#   std_null = sigma0 = sqrt(V0), std_alt = sigma1 = sqrt(V1) (without the 1/sqrt(n1) factor).
# Numbers are written with repr(), the shortest string that round-trips to the same double.
import math

import statsmodels
from scipy import stats
from statsmodels.stats.rates import power_negbin_ratio_2indep

assert statsmodels.__version__ == "0.15.0", statsmodels.__version__


def own_power(rate1, rate2, n1, q, exposure, value, alpha, k, method):
    v1 = (1 / rate1 + 1 / (q * rate2)) / exposure + (1 + q) / q * k
    if method == "alt":
        v0 = v1
    elif method == "ftotal":
        v0 = (1 + value * q) ** 2 / (exposure * q * value * (rate1 + q * rate2)) + (1 + q) / q * k
    else:
        s = 1 / q
        a = -k * exposure * value * (1 + s)
        b = k * exposure * (rate2 * value + s * rate1) - (1 + s * value)
        c = rate2 + s * rate1
        r0 = -c / b if k == 0 else (-b - math.sqrt(b * b - 4 * a * c)) / (2 * a)
        v0 = (1 / (exposure * r0)) * (1 / q + 1 / value) + (1 + q) / q * k
    s0, s1 = math.sqrt(v0), math.sqrt(v1)
    es = math.log(rate1 / rate2) - math.log(value)
    z = stats.norm.isf(alpha / 2)
    p = stats.norm.cdf(-z * s0 / s1 + es * math.sqrt(n1) / s1) + stats.norm.cdf(-z * s0 / s1 - es * math.sqrt(n1) / s1)
    return p, s0, s1


rows = []


def add(ratio, mu2, exposure, n1, q, alpha, k, method, value=1.0):
    base_rate = mu2 / exposure
    rate1, rate2 = ratio * base_rate, base_rate
    r = power_negbin_ratio_2indep(rate1, rate2, n1, nobs_ratio=q, exposure=exposure, value=value,
                                  alpha=alpha, dispersion=k, alternative="two-sided", method_var=method)
    power, s0, s1 = float(r.power), float(r.std_null), float(r.std_alt)
    mine = own_power(rate1, rate2, n1, q, exposure, value, alpha, k, method)
    for x, y in zip((power, s0, s1), mine):
        assert abs(x - y) <= 1e-12 * max(1.0, abs(x)), (ratio, mu2, exposure, n1, q, k, method, x, y)
    rows.append((ratio, base_rate, exposure, n1, q, alpha, k, method, power, value, s0, s1))


methods = ("alt", "score", "ftotal")
ratios = (1.2, 1.5, 2.0, 0.7)
mus = (0.24, 2.0, 12.0, 800.0)
ns = (5, 10, 20, 80)
for ratio in ratios:
    for mu2 in mus:
        for n1 in ns:
            for q in (1.0, 2.0):
                for m in methods:
                    add(ratio, mu2, 1.0, n1, q, 0.05, 0.0, m)
# Overdispersed (k = 0.5) subset.
for ratio in (1.5, 2.0, 0.7):
    for mu2 in mus:
        for n1 in (10, 80):
            for q in (1.0, 2.0):
                for m in methods:
                    add(ratio, mu2, 1.0, n1, q, 0.05, 0.5, m)
# Exposure rescaling: same mu2 = base_rate * exposure, so the same power as the exposure-1 rows.
for exposure in (10.0, 48.0):
    for ratio in (1.5, 0.7):
        for mu2 in (0.24, 12.0):
            for k in (0.0, 0.5):
                for m in methods:
                    add(ratio, mu2, exposure, 20, 2.0, 0.05, k, m)
# Non-unit null ratio (non-inferiority / superiority margin): score and ftotal differ here.
for value in (0.8, 1.25):
    for ratio in (1.5, 0.7):
        for mu2 in (2.0, 12.0):
            for k in (0.0, 0.5):
                for m in methods:
                    add(ratio, mu2, 1.0, 20, 2.0, 0.05, k, m, value)

print("ratio,base_rate,exposure,n1,nobs_ratio,alpha,dispersion,method_var,power,value,std_null,std_alt")
for r in rows:
    print(",".join(x if isinstance(x, str) else repr(float(x)) if not isinstance(x, int) else str(x) for x in r))
