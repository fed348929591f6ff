#!/usr/bin/env Rscript
# R peer for `decoy power` (see benchmarks/peers/README.md): the simr way, a loop that
# simulates the experiment, fits it and counts rejections.
#
# Design (experiments/quickstart.yaml): every posting observed for 48 h, no removal.
#   adult    lambda(t) = 0.5 + 150 * 2^(-t/3.6) per hour, so a posting's count is
#            Poisson(Lambda(48)), Lambda(t) = 0.5 t + 150 * 3.6/log(2) * (1 - 2^(-t/3.6)) (~803);
#   control  0.005 per hour, count Poisson(0.24).
#
# For each n (postings per arm) and each of SIMS simulations, after one set.seed(20161104):
# rpois the n adult counts, then the n control counts; fit
#     glm(contacts ~ arm, family = poisson, offset = log(hours))
# (arm a factor with control as reference), take sandwich::vcovCL(fit, cluster = ~posting)
# (each posting its own cluster) and reject when the Wald z test of the arm coefficient has
# p < alpha. vcovCL's default for a glm is type "HC0" with cadjust = TRUE, i.e. the factor
# G/(G-1); "HC1" (also (N-1)/(N-K), statsmodels' default) is the default only for lm objects.
# The optional second argument sets the type (for example HC1).
#
# A simulation is counted as failed, and left out of the power, when glm or vcovCL signals an
# error or any warning, the fit did not converge, the coefficient or its standard error is not
# finite, or an arm has no contacts at all: then the maximum-likelihood arm coefficient is
# infinite, but IRLS stops at a large finite value without a warning and the sandwich standard
# error is close to 0, so the test would "reject". power = rejections / (sims - failed).
#
# Usage: Rscript power_sandwich.R [SIMS [TYPE [POSTINGS [ALPHA]]]]
#        (defaults 1000, vcovCL's default, 2,4,...,20, 0.05)
# Prints `n,sims,rejections,failed,power` lines on standard output; the failure reasons per n
# and the total wall time go to standard error.
suppressPackageStartupMessages(library(sandwich))

args <- commandArgs(trailingOnly = TRUE)
sims <- if (length(args) >= 1) as.integer(args[1]) else 1000L
type <- if (length(args) >= 2 && args[2] != "default") args[2] else NULL
sizes <- if (length(args) >= 3) as.integer(strsplit(args[3], ",")[[1]]) else seq(2L, 20L, by = 2L)
alpha <- if (length(args) >= 4) as.numeric(args[4]) else 0.05
if (is.na(sims) || sims < 1 || any(is.na(sizes) | sizes < 1)) {
    stop("usage: Rscript power_sandwich.R [SIMS [TYPE [POSTINGS [ALPHA]]]]")
}

horizon <- 48
mean_adult <- 0.5 * horizon + 150 * 3.6 / log(2) * (1 - 2^(-horizon / 3.6))
mean_control <- 0.005 * horizon

# Returns list(rejected, reason); reason is NA for a fit that counts.
fit_one <- function(d, n) {
    warned <- NULL
    res <- withCallingHandlers(
        tryCatch({
            fit <- glm(contacts ~ arm, family = poisson, offset = log(hours), data = d)
            v <- vcovCL(fit, cluster = ~posting, type = type)
            list(fit = fit, coef = unname(coef(fit)[2]), se = sqrt(v[2, 2]))
        }, error = function(e) list(error = conditionMessage(e))),
        warning = function(w) {
            warned <<- c(warned, conditionMessage(w))
            invokeRestart("muffleWarning")
        })
    if (!is.null(res$error)) return(list(rejected = FALSE, reason = "error"))
    if (!is.null(warned)) return(list(rejected = FALSE, reason = "warning"))
    if (!res$fit$converged) return(list(rejected = FALSE, reason = "not-converged"))
    if (!is.finite(res$coef) || !is.finite(res$se) || res$se <= 0) {
        return(list(rejected = FALSE, reason = "non-finite"))
    }
    p <- 2 * pnorm(-abs(res$coef / res$se))
    reason <- if (sum(d$contacts[1:n]) == 0 || sum(d$contacts[-(1:n)]) == 0) "arm-without-contacts" else NA
    list(rejected = p < alpha, reason = reason)
}

set.seed(20161104)
start <- proc.time()[["elapsed"]]
cat("n,sims,rejections,failed,power\n")
for (n in sizes) {
    d <- data.frame(
        contacts = numeric(2 * n),
        arm = factor(rep(c("adult", "control"), each = n), levels = c("control", "adult")),
        hours = horizon,
        posting = seq_len(2 * n))
    rejections <- 0L
    failed <- 0L
    naive <- 0L
    reasons <- character(0)
    for (s in seq_len(sims)) {
        d$contacts <- c(rpois(n, mean_adult), rpois(n, mean_control))
        r <- fit_one(d, n)
        if (is.na(r$reason)) {
            rejections <- rejections + r$rejected
        } else {
            failed <- failed + 1L
            naive <- naive + r$rejected
            reasons <- c(reasons, r$reason)
        }
    }
    ok <- sims - failed
    power <- if (ok > 0) sprintf("%.4f", rejections / ok) else "nan"
    cat(sprintf("%d,%d,%d,%d,%s\n", n, sims, rejections, failed, power))
    if (failed > 0) {
        tab <- table(reasons)
        detail <- paste(names(tab), as.integer(tab), collapse = ", ")
        cat(sprintf("n=%d: failed %d (%s); %d of them would have rejected\n", n, failed, detail, naive),
            file = stderr())
    }
}
cat(sprintf("peer=sandwich sims=%d type=%s wall_s=%.3f\n", sims, if (is.null(type)) "default" else type,
            proc.time()[["elapsed"]] - start), file = stderr())
