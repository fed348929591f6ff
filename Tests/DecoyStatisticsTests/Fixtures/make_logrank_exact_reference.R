# Reference values for the two-sample log-rank test of time to first contact on small samples:
# the asymptotic test of survival::survdiff and the exact permutation p of coin::logrank_test,
# checked against a brute-force enumeration of all relabellings.
#
# Made with (run in this folder):
#   Rscript make_logrank_exact_reference.R
# using R 4.2.2 Patched (2022-11-10 r83330), survival 3.5.3, coin 1.4.2 (with libcoin 1.0.9)
# (Debian bookworm packages r-cran-survival, r-cran-coin, r-cran-libcoin). The versions actually
# used are printed at the end of the run (about 20 s, most of it the 12870 survdiff calls of n8_8).
#
# Outputs (numbers as formatC(x, digits = 17, format = "g"), trimmed; data times with digits = 15,
# checked to read back as the identical double):
#   logrank_exact_data.csv  dataset,unit,group,time,status   (group 1 or 2; status 1 = first
#     contact at `time`, 0 = censored at `time`)
#   logrank_exact_reference.csv  dataset,chisq,p_asymptotic,o_minus_e,variance,p_exact,p_enumerated,p_permutation_normal
#     sd <- survdiff(Surv(time, status) ~ group) (rho = 0; group levels 1, 2):
#       chisq = sd$chisq; p_asymptotic = pchisq(chisq, 1, lower.tail = FALSE);
#       o_minus_e = sd$obs[1] - sd$exp[1] (group 1); variance = sd$var[1, 1] (hypergeometric).
#     p_exact = pvalue(logrank_test(Surv(time, status) ~ factor(group),
#                                   distribution = exact(algorithm = "split-up")))
#       (two-sided; the split-up algorithm because the log-rank scores are not integers).
#     p_enumerated = share of all choose(n1 + n2, n1) ways to choose the n1 units of group 1
#       whose survdiff O - E of group 1 (survdiff rerun on each relabelling) satisfies
#       |O - E| >= |observed O - E| * (1 - 1e-9).
#     p_permutation_normal = pvalue(logrank_test(Surv(time, status) ~ factor(group))): coin's
#       default asymptotic p, the normal approximation to the same permutation distribution
#       (z = T / sqrt(permutation variance)), which decoy uses beyond 200,000 relabellings.
#
# What coin computes (coin 1.4-2, ?logrank_test; logrank_trafo read in the installed package):
#   logrank_test is a linear rank test T = sum over group-1 units of a score a_i; the two-sided
#   exact p is P(|T - mu| >= |t - mu|) under all relabellings with the scores fixed.
#   Scores (type = "logrank", weight w_k = 1, default ties.method = "mid-ranks"): with the
#   distinct event times t_(1) < ... < t_(m), d_k events at t_(k) and n_k = #{i : t_i >= t_(k)}
#   units at risk (mid-ranks: r_k = #{i : t_i < t_(k)}, n_k = n - r_k, so a unit censored at an
#   event time is at risk at it, as in survdiff), C_k = sum_{j <= k} d_j / n_j (Nelson–Aalen),
#   a_i = C_k' for a censored unit and C_k' - 1 for an event, k' = max{k : t_i >= t_(k)}.
#   So a_i = (Nelson–Aalen at t_i) - status_i, the scores sum to 0 (mu = 0), and for any choice
#   of group 1, T = E_1 - O_1 exactly as survdiff defines O and E (tied events all counted at
#   their time with d_k / n_k each). coin's linear statistic is checked against -(O - E) to 1e-12.
#   Hence coin's exact distribution and the enumeration are the same distribution of the same
#   statistic: the p-values agree, which the run checks (to 1e-12) and prints. They differ only in
#   the variance used for the standardised statistic: coin uses the permutation variance
#   n1 n2 / (n (n - 1)) * sum a_i^2 (Peto–Peto), survdiff the hypergeometric variance
#   sum_k d_k (n_k - d_k) / (n_k - 1) * (n1k / n_k) (1 - n1k / n_k); that changes coin's
#   asymptotic p, not the exact one, since within one data set the variance is the same for every
#   relabelling. The other ties methods would change the scores: "Hothorn-Lausen" uses
#   n_k = n - (#{i : t_i <= t_(k)} - 1), and "average-scores" averages the scores of randomly
#   broken ties; neither is used here.
#   Result in this run: p_exact equals p_enumerated on all six data sets up to floating-point
#   rounding: they differ by at most 4.2e-17 (n3_3: 0.10000000000000005 vs 0.10000000000000001),
#   because coin sums the probabilities of the split-up algorithm while p_enumerated is a count
#   divided by choose(n1 + n2, n1). The counts: 2/20, 48/70, 112/252, 24/210, 54/924, 1200/12870.
#
# Data: six data sets simulated below with set.seed(20240601): n1 + n2 = 3+3, 4+4, 5+5, 4+6, 6+6,
#   8+8; event times exponential (rate 1 in group 1, 0.5 in group 2), censoring times exponential
#   (rate 0.3), time = min of the two rounded to 0.1 (at least 0.1), status = 1 if the event came
#   first (an event tied with its own censoring time counts as an event). Then, where a data set
#   had no tie between an event time and a censored time, the first censored unit's time is set to
#   the event time nearest to it; where it had no tie between two event times, the second-earliest
#   event time is set to the earliest; and where it had no censored unit, the unit with the
#   largest time is censored. Which of these were applied is printed by the run: n4_4: unit 3
#   (censored) moved to the event time 2.5 of unit 1, and unit 2's event time set to unit 7's
#   (0.2); n5_5: unit 6's event time set to unit 2's (1.4); the others unchanged.
suppressMessages({ library(survival); library(coin) })

fmt <- function(res, digits = 17) {
  num <- sapply(res, is.numeric)
  res[num] <- lapply(res[num], function(x)
    ifelse(is.finite(x), trimws(formatC(x, digits = digits, format = "g")), ""))
  res
}
write_csv <- function(res, file) {
  write.csv(res, file, row.names = FALSE, quote = FALSE)
  cat(sprintf("wrote %s (%d rows)\n", file, nrow(res)))
}

# ---- data ------------------------------------------------------------------------------------
set.seed(20240601)
sizes <- list(c(3, 3), c(4, 4), c(5, 5), c(4, 6), c(6, 6), c(8, 8))
data <- list()
for (s in seq_along(sizes)) {
  n1 <- sizes[[s]][1]; n2 <- sizes[[s]][2]; n <- n1 + n2
  name <- sprintf("n%d_%d", n1, n2)
  group <- rep(1:2, c(n1, n2))
  ev <- round(rexp(n, rate = ifelse(group == 1, 1, 0.5)), 1)
  ce <- round(rexp(n, rate = 0.3), 1)
  time <- pmax(0.1, pmin(ev, ce)); status <- as.numeric(ev <= ce)
  applied <- character(0)
  if (all(status == 1)) {
    status[which.max(time)] <- 0; applied <- c(applied, "censored the largest time")
  }
  if (!any(time[status == 0] %in% time[status == 1])) {
    i <- which(status == 0)[1]
    e <- time[status == 1]
    time[i] <- e[which.min(abs(e - time[i]))]; applied <- c(applied, sprintf("unit %d censored at an event time", i))
  }
  if (!any(duplicated(time[status == 1]))) {
    o <- order(time[status == 1]); idx <- which(status == 1)[o]
    time[idx[2]] <- time[idx[1]]; applied <- c(applied, sprintf("unit %d event tied with unit %d", idx[2], idx[1]))
  }
  cat(sprintf("%s: %s\n", name, if (length(applied)) paste(applied, collapse = "; ") else "no changes"))
  data[[s]] <- data.frame(dataset = name, unit = seq_len(n), group = group, time = time, status = status)
}
data <- do.call(rbind, data)
txt <- fmt(data, digits = 15)
stopifnot(identical(as.numeric(txt$time), data$time))
write_csv(txt, "logrank_exact_data.csv")
data <- read.csv("logrank_exact_data.csv", colClasses = c("character", "numeric", "numeric", "numeric", "numeric"))

# ---- tests ------------------------------------------------------------------------------------
o_minus_e <- function(time, status, group) {
  sd <- survdiff(Surv(time, status) ~ group)
  sd$obs[1] - sd$exp[1]
}
out <- list(); max_p_diff <- 0
for (ds in unique(data$dataset)) {
  d <- data[data$dataset == ds, ]
  stopifnot(any(d$time[d$status == 0] %in% d$time[d$status == 1]),
            any(duplicated(d$time[d$status == 1])), any(d$status == 0))
  d$group <- factor(d$group, levels = c(1, 2))
  sd <- survdiff(Surv(time, status) ~ group, data = d)
  oe <- sd$obs[1] - sd$exp[1]
  p_asym <- pchisq(sd$chisq, 1, lower.tail = FALSE)
  if (!is.null(sd$pvalue)) stopifnot(abs(p_asym - sd$pvalue) < 1e-15)
  lt <- logrank_test(Surv(time, status) ~ group, data = d, distribution = exact(algorithm = "split-up"))
  p_exact <- as.numeric(pvalue(lt))
  stopifnot(abs(as.numeric(statistic(lt, type = "linear")) + oe) < 1e-12)
  # brute force over all relabellings
  n <- nrow(d); n1 <- sum(d$group == 1)
  sets <- combn(n, n1)
  perm <- apply(sets, 2, function(idx) {
    g <- factor(ifelse(seq_len(n) %in% idx, 1, 2), levels = c(1, 2))
    o_minus_e(d$time, d$status, g)
  })
  p_enum <- mean(abs(perm) >= abs(oe) * (1 - 1e-9))
  max_p_diff <- max(max_p_diff, abs(p_exact - p_enum))
  # coin's variance (permutation) against survdiff's (hypergeometric), for the record
  coin_var <- as.numeric(variance(lt))
  p_normal <- as.numeric(pvalue(logrank_test(Surv(time, status) ~ group, data = d)))
  cat(sprintf("%s: chisq %.6g p %.6g O-E %.6g var %.6g (coin permutation var %.6g); p_exact %.17g p_enumerated %.17g (%d relabellings; diff %.2g)\n",
              ds, sd$chisq, p_asym, oe, sd$var[1, 1], coin_var, p_exact, p_enum, ncol(sets), p_exact - p_enum))
  out[[length(out) + 1]] <- data.frame(dataset = ds, chisq = sd$chisq, p_asymptotic = p_asym,
    o_minus_e = oe, variance = sd$var[1, 1], p_exact = p_exact, p_enumerated = p_enum, p_permutation_normal = p_normal)
}
stopifnot(max_p_diff < 1e-12)
res <- do.call(rbind, out); rownames(res) <- NULL
write_csv(fmt(res), "logrank_exact_reference.csv")
cat(sprintf("max |p_exact - p_enumerated|: %.3g\n", max_p_diff))
cat(sprintf("R %s, survival %s, coin %s\n", getRversion(), packageVersion("survival"), packageVersion("coin")))
