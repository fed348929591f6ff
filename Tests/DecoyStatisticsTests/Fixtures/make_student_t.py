# Reference values for SpecialFunctions.studentTQuantile / studentTCDF / regularizedBeta,
# computed with SciPy.
# Made with:  python3 make_student_t.py > student_t.csv   (run in this folder; SciPy 1.17.1)
# Output columns: function,a,b,x,expected
#   tQuantile   a = df, b = 0, x = probability   scipy.stats.t.ppf
#   tCDF        a = df, b = 0, x = argument      scipy.stats.t.cdf
#   beta        a, b shapes,   x = argument      scipy.special.betainc
# Numbers are written with repr(), the shortest string that round-trips to the same double.
from scipy import special, stats

print("function,a,b,x,expected")
dfs = [1, 2, 3, 4, 5, 7, 9, 12.5, 19, 39, 100, 1000, 2.7, 0.6]
ps = [1e-10, 1e-4, 0.001, 0.005, 0.025, 0.05, 0.1, 0.3, 0.45, 0.55, 0.9, 0.975, 0.995, 0.9995]
for df in dfs:
    for p in ps:
        print(f"tQuantile,{df!r},0,{p!r},{float(stats.t.ppf(p, df))!r}")
for df in dfs:
    for x in [-40.0, -5.0, -2.0, -0.5, 0.01, 0.7, 1.96, 3.0, 12.0]:
        print(f"tCDF,{df!r},0,{x!r},{float(stats.t.cdf(x, df))!r}")
for a, b in [(0.5, 0.5), (0.5, 2.0), (2.0, 0.5), (3.0, 7.0), (20.0, 0.5), (0.5, 200.0), (50.0, 60.0)]:
    for x in [1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 0.999999]:
        print(f"beta,{a!r},{b!r},{x!r},{float(special.betainc(a, b, x))!r}")
