# Reference values for the exact (conditional binomial) two-sample Poisson rate comparison,
# computed with R's poisson.test.
# Made with:  Rscript make_exact_poisson.R   (R 4.2.2, stats package; run in this folder)
#             writes exact_poisson_reference.csv
# Each row: poisson.test(c(ka, kb), c(ta, tb), alternative = "two.sided", conf.level = 0.95).
#   R conditions on ka + kb and calls binom.test(ka, ka + kb, p = ta / (ta + tb)); the two-sided
#   p-value sums the probabilities of all outcomes whose probability is <= the observed one's
#   times (1 + 1e-7). p = 1 when ka + kb = 0.
#   estimate = (ka / ta) / (kb / tb) (NaN when ka = kb = 0, Inf when only kb = 0);
#   lower/upper = Clopper-Pearson bounds pL, pU on ka / (ka + kb) mapped to the ratio scale,
#   p / (1 - p) * tb / ta (lower = 0 when ka = 0; upper = Inf when kb = 0).
# Columns: ka,kb,ta,tb,p,estimate,lower,upper
# Numbers are sprintf("%.17g"); NA and NaN are written as an empty field, +Inf as "Inf".
cases <- rbind(
  # zeros
  c(0, 0, 1, 1), c(0, 0, 10, 37.5), c(0, 5, 1, 1), c(5, 0, 1, 1), c(0, 1, 1, 1), c(1, 0, 1, 1),
  c(0, 12, 10, 37.5), c(3, 0, 0.3, 2), c(0, 40, 1, 1), c(20, 0, 2, 1),
  # small counts
  c(1, 1, 1, 1), c(1, 2, 1, 1), c(2, 1, 1, 1), c(3, 7, 1, 1), c(7, 3, 1, 1), c(5, 5, 1, 1),
  c(10, 1, 1, 1), c(1, 10, 1, 1), c(4, 9, 2, 3), c(6, 2, 10, 10), c(10, 10, 1, 1), c(8, 3, 5, 4),
  # large counts
  c(500, 600, 1, 1), c(600, 500, 1, 1), c(500, 600, 100, 100), c(550, 550, 1, 1),
  c(1000, 1100, 1, 1.2), c(5000, 5200, 1, 1),
  # unequal exposures
  c(3, 10, 10, 37.5), c(10, 3, 10, 37.5), c(7, 26, 10, 37.5), c(1, 5, 0.3, 2), c(2, 1, 0.3, 2),
  c(4, 4, 0.3, 2), c(154, 17, 112.5, 100),
  # ratios far from 1
  c(50, 1, 1, 1), c(1, 50, 1, 1), c(200, 2, 1, 1), c(300, 1, 10, 37.5), c(2, 400, 0.3, 2),
  c(1000, 3, 1, 1)
)
colnames(cases) <- c("ka", "kb", "ta", "tb")
num <- function(x) {
  if (is.na(x)) return("")
  if (is.infinite(x)) return(if (x > 0) "Inf" else "-Inf")
  sprintf("%.17g", x)
}
lines <- "ka,kb,ta,tb,p,estimate,lower,upper"
for (i in seq_len(nrow(cases))) {
  ka <- cases[i, "ka"]; kb <- cases[i, "kb"]; ta <- cases[i, "ta"]; tb <- cases[i, "tb"]
  r <- poisson.test(c(ka, kb), c(ta, tb), alternative = "two.sided", conf.level = 0.95)
  lines <- c(lines, paste(num(ka), num(kb), num(ta), num(tb), num(r$p.value),
                          num(unname(r$estimate)), num(r$conf.int[1]), num(r$conf.int[2]), sep = ","))
}
writeLines(lines, "exact_poisson_reference.csv")
cat(sprintf("wrote exact_poisson_reference.csv (%d rows)\n", nrow(cases)))
