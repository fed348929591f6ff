#!/usr/bin/env Rscript
# Peer of `decoy power --test proportional-rates --intervals classic` on the design of
# experiments/coverage/decay-removal-01.yaml: two arms of N postings, contacts at intensity
# 0.5 + 20 * 2^(-t / 3) an hour over 24 h, ads removed at 0.1 an hour; for each of SIMS simulated
# experiments, coxph(Surv(start, stop, event) ~ arm + cluster(id)) on counting-process rows and its
# robust Wald p, the loop a researcher writes in R today (the simr way). Both the design as
# configured and its null design are one and the same here (the arms are identical), so the
# script simulates SIMS experiments once and reports the share rejecting at 0.05.
#
#   Rscript benchmarks/peers/power_coxph.R SIMS N [SEED]
# Prints `rejected/defined` on standard output and the loop's wall seconds on standard error.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
sims <- as.integer(args[1]); n <- as.integer(args[2]); set.seed(if (length(args) > 2) as.integer(args[3]) else 1)
big <- function(t) 0.5 * t + 20 * 3 / log(2) * (1 - 2^(-t / 3))
inverse <- function(u) uniroot(function(t) big(t) - u, c(0, 24), tol = 1e-10)$root
start <- proc.time()[["elapsed"]]
rejected <- 0; defined <- 0
for (s in seq_len(sims)) {
  rows <- vector("list", 2 * n)
  for (i in seq_len(2 * n)) {
    window <- min(24, rexp(1, 0.1))
    k <- rpois(1, big(window))
    times <- sort(vapply(runif(k, 0, big(window)), inverse, 0))
    stops <- c(times, if (k == 0 || times[k] < window) window)
    rows[[i]] <- data.frame(id = i, arm = as.integer(i <= n), start = c(0, head(stops, -1)), stop = stops,
                            event = c(rep(1, k), if (length(stops) > k) 0))
  }
  d <- do.call(rbind, rows)
  fit <- tryCatch(coxph(Surv(start, stop, event) ~ arm + cluster(id), data = d), error = function(e) NULL, warning = function(w) NULL)
  if (is.null(fit)) next
  defined <- defined + 1
  if (2 * pnorm(-abs(coef(fit) / sqrt(fit$var[1, 1]))) < 0.05) rejected <- rejected + 1
}
cat(sprintf("%d/%d\n", rejected, defined))
cat(sprintf("wall_s %.2f\n", proc.time()[["elapsed"]] - start), file = stderr())
