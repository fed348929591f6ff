# Reference values for the Clopper-Pearson (exact binomial) confidence interval,
# computed with R's binom.test.
# Made with:  Rscript make_clopper_pearson.R   (R 4.2.2, stats package; run in this folder)
#             writes clopper_pearson_reference.csv
# Each row: binom.test(x, n, conf.level = level)$conf.int, two-sided, i.e.
#   lower = qbeta((1 - level) / 2, x, n - x + 1)   (0 when x = 0)
#   upper = qbeta(1 - (1 - level) / 2, x + 1, n - x)   (1 when x = n)
# Grid: n in {1, 5, 20, 100, 1000, 10000}; x in {0, 1, 2, 5, n/2, n-1, n} restricted to 0..n,
#   duplicates removed, n/2 rounded down; level in {0.95, 0.99}.
# Columns: x,n,level,lower,upper   Numbers are sprintf("%.17g").
lines <- "x,n,level,lower,upper"
rows <- 0
for (n in c(1, 5, 20, 100, 1000, 10000)) {
  xs <- sort(unique(c(0, 1, 2, 5, floor(n / 2), n - 1, n)))
  xs <- xs[xs >= 0 & xs <= n]
  for (level in c(0.95, 0.99)) {
    for (x in xs) {
      ci <- binom.test(x, n, conf.level = level)$conf.int
      lines <- c(lines, paste(sprintf("%.17g", x), sprintf("%.17g", n), sprintf("%.17g", level),
                              sprintf("%.17g", ci[1]), sprintf("%.17g", ci[2]), sep = ","))
      rows <- rows + 1
    }
  }
}
writeLines(lines, "clopper_pearson_reference.csv")
cat(sprintf("wrote clopper_pearson_reference.csv (%d rows)\n", rows))
