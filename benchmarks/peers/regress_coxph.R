#!/usr/bin/env Rscript
# The peer of `decoy regress` on the benchmark workload: R's coxph with cluster(posting) on the
# counting-process rows `decoy export RUN --table intervals` writes.
#
#   decoy run benchmarks/regress.yaml --db /tmp/breg.sqlite
#   decoy export 1 --db /tmp/breg.sqlite --table intervals --out /tmp/breg-intervals.csv
#   Rscript benchmarks/peers/regress_coxph.R /tmp/breg-intervals.csv
#
# Prints the seconds to read the file and to fit
#   coxph(Surv(start, stop, event) ~ section * platform + posted_hour + strata(city) + cluster(posting), ties = "efron")
# (the classic robust fit; decoy's default adds a jackknife of one refit per posting, which this
# peer does not attempt: it would be 1,248 more fits), and the coefficients with robust SEs.
suppressPackageStartupMessages(library(survival))
file <- commandArgs(trailingOnly = TRUE)[1]
read <- system.time(rows <- read.csv(file, colClasses = c(posting = "integer", name = "NULL", replicate = "NULL",
                                                          arm = "NULL", section = "character", platform = "character",
                                                          city = "character", posted_hour = "numeric",
                                                          posted_weekday = "NULL", start = "numeric", stop = "numeric",
                                                          event = "integer")))
# Two contacts of one posting at the same microsecond (3 on this workload) make a row of zero
# length, which coxph refuses: they are left out here (decoy counts them). timefix = FALSE: with
# contacts 1 µs apart in 48 h, coxph's default would merge nearly equal times and stop.
short <- sum(rows$stop <= rows$start)
rows <- rows[rows$stop > rows$start, ]
rows$section <- factor(rows$section, levels = c("adult", "control"))
rows$platform <- factor(rows$platform, levels = c("site-a", "site-b"))
fit <- NULL
fitting <- system.time(fit <- coxph(Surv(start, stop, event) ~ section * platform + posted_hour + strata(city) + cluster(posting),
                                    data = rows, ties = "efron", control = coxph.control(timefix = FALSE)))
cat(sprintf("rows %d (%d of zero length left out), contacts %d\nread %.2f s, fit %.2f s\n", nrow(rows), short, sum(rows$event), read[["elapsed"]], fitting[["elapsed"]]))
print(cbind(coef = coef(fit), robust_se = sqrt(diag(fit$var))), digits = 10)
