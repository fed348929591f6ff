#!/usr/bin/env Rscript
# `decoy regress` recomputed with R's survival package from the counting-process export.
#
#   decoy export RUN --table intervals --out intervals.csv
#   Rscript analysis/regress_from_export.R intervals.csv "section * platform + strata(city)" [efron|breslow] [name=level ...]
#
# The second argument is the right-hand side of the model in R's syntax (`a * b` is `a + b + a:b`);
# `cluster(posting)` is added. Labels are coded as decoy codes them: levels in the order first met
# in the file (posted_weekday: mon … sun), the first the reference unless `name=level` says
# otherwise. Prints, per coefficient and per term:
#   classic    coxph's robust (Lin–Wei–Yang–Ying) se, normal quantiles, and the joint Wald χ² of
#              each term, b' V⁻¹ b over its coefficients — `decoy regress --intervals classic`
#              to about 1e-10;
#   corrected  the jackknife over postings (each left out, the model refitted),
#              V = (G-1)/G Σ (b_g - b)(b_g - b)', t on G - 1 df, and Hotelling's
#              F = W (G - q) / ((G - 1) q) on (q, G - q) per term — decoy's default.
# Contacts of one posting at one instant are rows with stop == start, which coxph refuses: this
# script stops on them (decoy counts them as tied contacts of that posting).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript regress_from_export.R intervals.csv RHS [efron|breslow] [name=level ...]")
ties <- if (length(args) >= 3) args[3] else "efron"
rows <- read.csv(args[1], stringsAsFactors = FALSE, check.names = FALSE)
if (any(rows$stop <= rows$start)) stop(sum(rows$stop <= rows$start), " rows of zero length (contacts of one posting at one instant)")
skip <- c("posting", "name", "replicate", "start", "stop", "event")
for (column in setdiff(names(rows), skip)) {
  if (is.character(rows[[column]]) || column == "arm") {
    levels <- if (column == "posted_weekday") intersect(c("mon", "tue", "wed", "thu", "fri", "sat", "sun"), rows[[column]])
              else unique(as.character(rows[[column]]))
    rows[[column]] <- factor(rows[[column]], levels = levels)
  }
}
for (pair in args[-(1:3)]) {
  kv <- strsplit(pair, "=", fixed = TRUE)[[1]]
  rows[[kv[1]]] <- relevel(factor(rows[[kv[1]]]), ref = kv[2])
}
formula <- as.formula(paste("Surv(start, stop, event) ~", args[2], "+ cluster(posting)"))
# timefix = FALSE: decoy's times are exact microseconds, which coxph's default would merge where
# two are within its tolerance (contacts a microsecond apart in a long window).
fit <- function(d) coxph(formula, data = d, ties = ties, control = coxph.control(eps = 1e-11, iter.max = 100, timefix = FALSE))
full <- fit(rows)
b <- coef(full); V <- full$var
ids <- unique(rows$posting); g <- length(ids)
left <- sapply(ids, function(id) coef(fit(rows[rows$posting != id, ])))
left <- matrix(left, nrow = length(b))
J <- (g - 1) / g * tcrossprod(left - b)
show <- function(label, V, quantile, p) {
  se <- sqrt(diag(V))
  cat(label, "\n")
  print(data.frame(coef = b, ratio = exp(b), lower = exp(b - quantile * se), upper = exp(b + quantile * se), se = se, p = p(b / se)),
        digits = 10)
  for (term in names(full$assign)) {
    k <- full$assign[[term]]; q <- length(k)
    w <- drop(t(b[k]) %*% solve(V[k, k, drop = FALSE], b[k]))
    if (label == "classic") cat(sprintf("  term %s: Wald chi-square %.10g on %d df, p = %.10g\n", term, w, q, pchisq(w, q, lower.tail = FALSE)))
    else cat(sprintf("  term %s: F = %.10g on (%d, %d), p = %.10g\n", term, w * (g - q) / ((g - 1) * q), q, g - q,
                     pf(w * (g - q) / ((g - 1) * q), q, g - q, lower.tail = FALSE)))
  }
}
show("classic", V, qnorm(0.975), function(z) 2 * pnorm(-abs(z)))
show("corrected", J, qt(0.975, g - 1), function(t) 2 * pt(-abs(t), g - 1))
cat(sprintf("%d postings, %d contacts\n", g, sum(rows$event)))
