#!/usr/bin/env Rscript
# The proportional-rates comparison of `decoy compare` recomputed from the raw exports with R's
# survival package: the ratio of two arms' contact intensities at the same age since going live,
# removal as censoring, postings as clusters.
#
#   decoy export RUN --table events   --out events.csv
#   decoy export RUN --table postings --out postings.csv
#   Rscript analysis/compare_from_export.R events.csv postings.csv ARM_A ARM_B [efron|breslow]
#
# Prints, for arm A against arm B:
#   classic    coxph(Surv(start, stop, event) ~ arm + cluster(posting), ties = …): the ratio, its
#              robust (Lin–Wei–Yang–Ying) interval and p with normal quantiles — `decoy compare
#              --intervals classic`'s proportional_rates_* to about 1e-10;
#   corrected  the jackknife over postings (each posting left out, the model refitted),
#              se = sqrt((G-1)/G * sum((b_g - b)^2)), t on G - 1 df — decoy's default.
# Time is hours since each posting went live (t_seconds / 3600); each posting is at risk on
# (0, observed_hours]; its rows are (0, t1], (t1, t2], …, (t_last, observed_hours]. Contacts of one
# posting at the same microsecond would need a zero-length row, which coxph refuses: decoy counts
# them as tied contacts of that posting, this script stops on them.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 4) stop("usage: Rscript compare_from_export.R events.csv postings.csv ARM_A ARM_B [efron|breslow]")
ties <- if (length(args) >= 5) args[5] else "efron"
events <- read.csv(args[1], colClasses = c(arm = "character", posting = "character"))
postings <- read.csv(args[2], colClasses = c(arm = "character", posting = "character"))
postings <- postings[postings$arm %in% args[3:4], ]
key <- function(d) paste(d$replicate, d$arm, d$posting, sep = "/")
rows <- do.call(rbind, lapply(seq_len(nrow(postings)), function(i) {
  p <- postings[i, ]
  times <- sort(events$t_seconds[key(events) == key(p)] / 3600)
  if (any(diff(times) == 0)) stop("posting ", key(p), " has two contacts at one instant")
  window <- p$observed_hours
  stops <- c(times, if (length(times) == 0 || tail(times, 1) < window) window)
  data.frame(id = key(p), arm = as.integer(p$arm == args[3]), start = c(0, head(stops, -1)), stop = stops,
             event = c(rep(1, length(times)), if (length(stops) > length(times)) 0))
}))
fit <- function(d) coxph(Surv(start, stop, event) ~ arm + cluster(id), data = d, ties = ties,
                         control = coxph.control(eps = 1e-11, iter.max = 100))
full <- fit(rows)
b <- unname(coef(full)); se <- sqrt(full$var[1, 1]); z <- qnorm(0.975)
cat(sprintf("classic    ratio %.10g (%.10g - %.10g), p = %.10g\n", exp(b), exp(b - z * se), exp(b + z * se), 2 * pnorm(-abs(b / se))))
ids <- unique(rows$id); g <- length(ids)
left <- sapply(ids, function(id) unname(coef(fit(rows[rows$id != id, ]))))
jse <- sqrt((g - 1) / g * sum((left - b)^2)); q <- qt(0.975, g - 1)
cat(sprintf("corrected  ratio %.10g (%.10g - %.10g), p = %.10g  [jackknife, t on %d df]\n",
            exp(b), exp(b - q * jse), exp(b + q * jse), 2 * pt(-abs(b / jse), g - 1), g - 1))
