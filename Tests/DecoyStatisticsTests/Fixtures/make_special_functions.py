# Reference values for SpecialFunctions (DecoyStatistics), computed with SciPy.
# Made with:  python3 make_special_functions.py > special_functions.csv   (run in this folder;
#             Python 3, SciPy 1.17.1, NumPy 2.4.6)
# Output columns: function,a,x,expected
#   gammaP / gammaQ          a = shape, x = argument      scipy.special.gammainc / gammaincc
#   gammaQuantile            a = shape, x = probability   scipy.stats.gamma.ppf (scale 1)
#   normalQuantile           a = 0,     x = probability   scipy.stats.norm.ppf
#   normalCDF                a = 0,     x = argument      scipy.stats.norm.cdf
#   chiSquareQuantile        a = df,    x = probability   scipy.stats.chi2.ppf
#   chiSquareSurvival / CDF  a = df,    x = argument      scipy.stats.chi2.sf / cdf
# Numbers are written with repr(), the shortest string that round-trips to the same double.
# Rows whose reference value is below 1e-300 (subnormal or zero) are left out.
# Known reference error: for a >= 200 and |x - a| > 0.4 a, SciPy's gammainc/gammaincc form the
# prefactor as exp(a ln x - x - lgamma(a)) and are off by up to 1.1e-12 relative here (checked
# against mpmath at 60 digits); SpecialFunctionsTests allows 2e-12 on exactly those rows.
import numpy as np
from scipy import special, stats

rows = []


def emit(function, a, x, expected):
    expected = float(expected)
    if expected != 0 and abs(expected) < 1e-300:
        return
    if function in ("gammaP", "gammaQ", "chiSquareSurvival", "chiSquareCDF") and expected == 0:
        return
    rows.append((function, float(a), float(x), expected))


def nice(v):
    """Round to 8 significant digits so grid points are short, exactly reproducible decimals."""
    return float(f"{v:.8g}")


# Incomplete gamma: small x, a grid around x = a (both sides of the series / continued
# fraction switch at x = a + 1), and both tails down to ~1e-300.
for a in [0.1, 0.5, 1, 2.5, 10, 50, 200, 1000]:
    xs = {1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 1e-3, 0.01, 0.1, 0.5, 1, 2, 5}
    for f in [0.01, 0.1, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99, 1, 1.01, 1.05, 1.1, 1.2, 1.5, 2, 3, 5, 10]:
        xs.add(nice(a * f))
    xs.update([nice(a - 1), nice(a + 0.5), nice(a + 1), nice(a + 1.5)])
    for k in [0.5, 1, 2, 3, 5]:
        xs.add(nice(a + k * np.sqrt(a)))
        xs.add(nice(a - k * np.sqrt(a)))
    for target in [1e-20, 1e-50, 1e-100, 1e-200, 1e-290]:
        xs.add(nice(special.gammainccinv(a, target)))  # upper tail, Q ~ target
        lower = special.gammaincinv(a, target)          # lower tail, P ~ target
        if lower > 0:
            xs.add(nice(lower))
    for x in sorted(v for v in xs if v > 0 and np.isfinite(v)):
        emit("gammaP", a, x, special.gammainc(a, x))
        emit("gammaQ", a, x, special.gammaincc(a, x))

# Gamma quantiles.
for shape in [0.5, 1, 3, 10, 100, 5000]:
    for p in [1e-10, 0.001, 0.025, 0.5, 0.975, 0.999999]:
        emit("gammaQuantile", shape, p, stats.gamma.ppf(p, shape))

# Normal quantiles and CDF.
for p in [1e-300, 1e-20, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-10]:
    emit("normalQuantile", 0, p, stats.norm.ppf(p))
for x in [-37, -30, -20, -10, -5, -3, -1.959963984540054, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 3, 5, 8]:
    emit("normalCDF", 0, x, stats.norm.cdf(x))

# Chi-square quantiles, survival and CDF.
for df in [1, 2, 5, 30]:
    for p in [1e-10, 0.001, 0.025, 0.05, 0.5, 0.95, 0.975, 0.999, 0.999999]:
        emit("chiSquareQuantile", df, p, stats.chi2.ppf(p, df))
    for x in [1e-6, 0.01, 0.1, 0.5, 1, 2, 3.841458820694124, 5, 10, 20, 30, 50, 100, 200, 500, 1000, 1300]:
        emit("chiSquareSurvival", df, x, stats.chi2.sf(x, df))
        emit("chiSquareCDF", df, x, stats.chi2.cdf(x, df))

print("function,a,x,expected")
for function, a, x, expected in rows:
    print(f"{function},{a!r},{x!r},{expected!r}")
