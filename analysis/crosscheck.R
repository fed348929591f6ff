#!/usr/bin/env Rscript
# Recompute every row of a `decoy curves` file independently from the raw exports, with R's
# survival package (and qgamma for rate), and compare them column by column.
#
# It recomputes R's own (classic) intervals, so the curves must be written with
# `--intervals classic`: decoy's default, `--intervals corrected`, widens them for few postings
# (docs/statistics.md), and the script says so and stops when it is given such a file.
#
#   decoy export RUN --table events   --out events.csv
#   decoy export RUN --table postings --out postings.csv
#   decoy curves RUN --metric mcf,rate,ttfc,unique --intervals classic [--by arm|replicate] \
#                    [--grid G] [--until U] [--confidence C] [--interval I] --out curves.csv
#   Rscript analysis/crosscheck.R events.csv postings.csv curves.csv \
#           [--tolerance 1e-9] [--confidence C] [--interval log|plain|log-log] [--until U]
#
# The grid is read from curves.csv: every (arm, replicate, metric) curve is recomputed at its own
# t_hours values. A row with `replicate` empty is the curve pooled over the arm's replicates; a
# filled `replicate` is that replicate's curve.
#
#   mcf     survfit(Surv(start, stop, event) ~ 1, id = id, ctype = 1, robust = TRUE, timefix = FALSE)
#           on counting-process rows (the construction of analysis/mcf_from_export.R: integer
#           microsecond time scale, tied contacts of one posting split below the microsecond,
#           origin one tick before 0); estimate = cumhaz, se = std.chaz at the last fit time <= t.
#           Interval log (and log-log, which for mcf is the log interval): mu * exp(-/+ z se / mu),
#           empty when mu = 0; plain: max(0, mu - z se), mu + z se.
#           at_risk = at_risk_postings = postings with C_i >= t, events = contacts at or before t.
#   unique  the same, on each contactor's first contact with each posting (column `contactor`).
#   rate    bins [t, b) with b = min(t + grid, until), the last bin [t, b] closed (docs/statistics.md),
#           grid = spacing of the rate t_hours, until =
#           the last grid time of the file's other metrics (the horizon or decoy's --until); with
#           rate alone, --until if given, else t_last + grid capped at the longest window.
#           k = contacts in the bin, T = sum_i max(0, min(b, C_i) - t) posting-hours;
#           estimate k/T, Garwood interval qgamma(a/2, k)/T (0 when k = 0), qgamma(1 - a/2, k+1)/T;
#           all three empty when T = 0. at_risk = exposure_hours = T, events = k,
#           at_risk_postings = postings with C_i >= t (at the bin's start). (This is the classic
#           interval; the default corrected one is cluster-robust.)
#   ttfc    survfit(Surv(time, status) ~ 1, conf.type = interval (default log-log), timefix = FALSE),
#           time = first contact (from events.csv) or C_i, status = had a contact; S(t), lower and
#           upper at the last fit time <= t; (1, 1) where S = 1; empty where survfit leaves the
#           interval undefined (S = 0). at_risk = at_risk_postings = postings with time >= t,
#           events = first contacts at or before t.
#   expected  not recomputable from the exports; counted as skipped.
#
# Confidence level and interval scale: the options if given, else inferred from curves.csv
# (level from the exact rate intervals; scale from the shape of the mcf/ttfc intervals), else the
# defaults (0.95; log for mcf/unique, log-log for ttfc). The header line says which.
#
# exposure_hours is empty for every metric but rate. A curves file from a decoy without the columns
# at_risk_postings and exposure_hours is compared on the columns it has.
#
# Output: one line per metric with the rows compared and the largest absolute and relative
# difference over estimate, lower, upper, at_risk, events, at_risk_postings, exposure_hours (and
# where it occurs), then any rows or
# values present in one file and missing in the other (first 10). Exit status 0 when every
# relative difference is <= the tolerance and nothing is missing, 1 otherwise, 2 on bad usage
# (curves written with decoy's default corrected intervals included).
suppressMessages(library(survival))

usage <- paste0("usage: Rscript crosscheck.R events.csv postings.csv curves.csv ",
                "[--tolerance 1e-9] [--confidence C] [--interval log|plain|log-log] [--until U]\n",
                "curves.csv must come from `decoy curves RUN --intervals classic ...`: the script ",
                "recomputes R's classic intervals, not decoy's default corrected ones")
die <- function(...) { cat("crosscheck: ", ..., "\n", usage, "\n", sep = "", file = stderr()); quit(status = 2) }

args <- commandArgs(trailingOnly = TRUE)
opt <- list(tolerance = "1e-9", confidence = NULL, interval = NULL, until = NULL)
pos_args <- character(0)
i <- 1
while (i <= length(args)) {
  a <- args[i]
  if (a %in% c("-h", "--help")) { cat(usage, "\n"); quit(status = 0) }
  if (startsWith(a, "--")) {
    kv <- strsplit(sub("^--", "", a), "=", fixed = TRUE)[[1]]
    key <- kv[1]
    if (!key %in% names(opt)) die("unknown option ", a)
    if (length(kv) > 1) v <- paste(kv[-1], collapse = "=")
    else { if (i == length(args)) die(a, " needs a value"); v <- args[i + 1]; i <- i + 1 }
    opt[[key]] <- v
  } else pos_args <- c(pos_args, a)
  i <- i + 1
}
if (length(pos_args) != 3) die("expected three files")
tolerance <- suppressWarnings(as.numeric(opt$tolerance))
if (is.na(tolerance) || tolerance < 0) die("--tolerance must be a number >= 0")

# Hours from `2`, `2h`, `30m`, `45s`, `1.5d` (decoy's duration syntax; a bare number is hours).
hours <- function(x, what) {
  m <- regmatches(x, regexec("^([0-9]*\\.?[0-9]+)([smhd]?)$", x))[[1]]
  if (length(m) == 0) die(what, " must be hours or a duration like 1h, 30m, 1.5d; found `", x, "`")
  as.numeric(m[2]) * c(s = 1 / 3600, m = 1 / 60, h = 1, d = 24)[[if (m[3] == "") "h" else m[3]]]
}

read <- function(f, ...) {
  if (!file.exists(f)) die("no such file: ", f)
  read.csv(f, na.strings = "", stringsAsFactors = FALSE, check.names = FALSE, ...)
}
ev <- read(pos_args[1], colClasses = c(run_id = "character", arm = "character", contactor = "character"))
po <- read(pos_args[2], colClasses = c(run_id = "character", arm = "character"))
cv <- read(pos_args[3], colClasses = c(run_id = "character", arm = "character", replicate = "character",
                                       metric = "character"))
need <- list(events = c("replicate", "arm", "posting", "t_seconds", "contactor"),
             postings = c("replicate", "arm", "posting", "observed_hours", "first_contact_hours"),
             curves = c("arm", "replicate", "metric", "t_hours", "estimate", "lower", "upper", "at_risk", "events"))
# Columns a newer decoy adds, compared where the file has them.
added <- intersect(c("at_risk_postings", "exposure_hours"), names(cv))
for (w in names(need)) {
  d <- switch(w, events = ev, postings = po, curves = cv)
  miss <- setdiff(need[[w]], names(d))
  if (length(miss)) die(w, " file lacks column(s) ", paste(miss, collapse = ", "))
}
runs <- unique(c(ev$run_id, po$run_id, cv$run_id))
if (length(runs) != 1) die("the three files must hold exactly one run, found run_id ", paste(runs, collapse = ", "))
if (nrow(cv) == 0) die("curves file has no rows")
for (col in c("estimate", "lower", "upper", "at_risk", "events", "t_hours", added))
  cv[[col]] <- as.numeric(cv[[col]])

# decoy's default intervals are corrected for few postings; this script recomputes the classic
# ones. A corrected file shows itself in its rate bins (not all at one Garwood level) and its ttfc
# rows (an interval where S is 1 or 0); its mcf rows are checked after the recomputation.
corrected <- function(why) {
  cat("crosscheck: curves.csv holds decoy's default corrected intervals (", why, ");\n",
      "this script recomputes R's classic ones. Write the curves again with --intervals classic:\n",
      "  decoy curves RUN --metric mcf,rate,ttfc,unique --intervals classic [the other options as before] --out curves.csv\n",
      sep = "", file = stderr())
  quit(status = 2)
}
garwood <- cv[cv$metric == "rate" & !is.na(cv$at_risk) & cv$at_risk > 0 & !is.na(cv$lower) & cv$events > 0, ]
if (nrow(garwood) > 1) {
  level <- pgamma(garwood$lower * garwood$at_risk, garwood$events)
  if (max(level) - min(level) > 1e-6 * max(level))
    corrected("its rate intervals are not exact Poisson intervals of one level")
}
if (any(cv$metric == "ttfc" & ((cv$estimate == 1 & !is.na(cv$lower) & cv$lower < 1) |
                                (cv$estimate == 0 & !is.na(cv$upper)))))
  corrected("its ttfc has an interval where no posting, or every posting, has had a contact")

# ---- common time scale: integer microseconds ------------------------------------------------
US_PER_HOUR <- 3600e6
po$id <- paste(po$replicate, po$arm, po$posting, sep = "\r")
ev$id <- paste(ev$replicate, ev$arm, ev$posting, sep = "\r")
if (anyDuplicated(po$id)) die("postings.csv has duplicate postings")
if (!all(ev$id %in% po$id)) die("events.csv has contacts of postings missing from postings.csv")
ev$us <- round(ev$t_seconds * 1e6)
po$us <- round(po$observed_hours * US_PER_HOUR)
notes <- character(0)
# A window end that rounds to just before the posting's last contact: extend it to the contact.
last_us <- tapply(ev$us, ev$id, max)
late <- names(last_us)[last_us > po$us[match(names(last_us), po$id)]]
if (length(late)) {
  over <- last_us[late] - po$us[match(late, po$id)]
  notes <- c(notes, sprintf("%d posting(s) have a contact up to %.0f us after observed_hours; window extended",
                            length(late), max(over)))
  po$us[match(late, po$id)] <- last_us[late]
}
# First contacts from events.csv, checked against postings.csv.
first_us <- tapply(ev$us, ev$id, min)
po$first_us <- unname(first_us[po$id])
bad_first <- is.na(po$first_us) != is.na(po$first_contact_hours) |
  (!is.na(po$first_us) & abs(po$first_us - po$first_contact_hours * US_PER_HOUR) > 0.5)
if (any(bad_first))
  notes <- c(notes, sprintf("%d posting(s): first_contact_hours in postings.csv disagrees with events.csv (events.csv used)",
                            sum(bad_first)))

# ---- grid, levels, interval -----------------------------------------------------------------
cv$us <- round(cv$t_hours * US_PER_HOUR)
metrics_known <- c("mcf", "unique", "rate", "ttfc", "expected")
if (any(!cv$metric %in% metrics_known)) die("unknown metric(s) in curves file: ",
                                             paste(setdiff(unique(cv$metric), metrics_known), collapse = ", "))
rel <- function(a, b) ifelse(a == b, 0, abs(a - b) / pmax(abs(a), abs(b)))
near <- function(a, b, tol = 1e-6) !is.na(a) & !is.na(b) & rel(a, b) <= tol

conf_source <- "option"
if (!is.null(opt$confidence)) {
  conf <- suppressWarnings(as.numeric(opt$confidence))
  if (is.na(conf) || conf <= 0 || conf >= 1) die("--confidence must be in (0, 1)")
} else {
  # Exact rate intervals give the level back: k = 0: upper*T = -log(a/2); k > 0: a/2 = pgamma(lower*T, k).
  # The exposure T: exposure_hours, or at_risk in a file without it (the same for rate rows).
  r <- cv[cv$metric == "rate", ]
  r$T <- if ("exposure_hours" %in% added) r$exposure_hours else r$at_risk
  r <- r[!is.na(r$T) & r$T > 0 & !is.na(r$upper), ]
  half <- c(exp(-(r$upper * r$T)[r$events == 0]),
            pgamma((r$lower * r$T)[r$events > 0], r$events[r$events > 0]))
  half <- half[is.finite(half) & half > 0 & half < 0.5]
  if (length(half)) {
    conf <- round(1 - 2 * median(half), 9)
    conf_source <- "inferred from the rate intervals"
  } else {
    conf <- 0.95
    conf_source <- "default; no rate rows to infer it from, pass --confidence if it was not 0.95"
  }
}
alpha <- 1 - conf
z <- qnorm(1 - alpha / 2)

interval_source <- "option"
if (!is.null(opt$interval)) {
  interval <- opt$interval
  if (!interval %in% c("log", "plain", "log-log")) die("--interval must be log, plain or log-log")
} else {
  # mcf/unique: plain is symmetric; log (= log-log for these) is symmetric on the log scale.
  mc <- cv[cv$metric %in% c("mcf", "unique") & !is.na(cv$lower) & cv$lower > 0 & cv$lower < cv$estimate, ]
  mcf_says <- if (!nrow(mc)) NA else if (all(near(mc$lower + mc$upper, 2 * mc$estimate))) "plain" else "log"
  # ttfc: rows with 0 < S < 1 and an interval inside (0, 1) show log, plain or log-log; an upper
  # limit clipped at 1 happens with log and plain only (then mcf's shape tells which).
  tt <- cv[cv$metric == "ttfc" & !is.na(cv$lower) & !is.na(cv$upper) & cv$estimate > 0 & cv$estimate < 1, ]
  free <- tt[tt$upper < 1 & tt$lower > 0 & tt$lower < tt$estimate, ]
  interval <- NA
  if (nrow(free)) {
    interval <- if (all(near(free$lower * free$upper, free$estimate^2))) "log"
                else if (all(near(free$lower + free$upper, 2 * free$estimate))) "plain" else "log-log"
    interval_source <- "inferred from the ttfc intervals"
  } else if (nrow(tt) && any(tt$upper >= 1)) {
    interval <- if (!is.na(mcf_says)) mcf_says else "log"
    interval_source <- "inferred from ttfc upper limits clipped at 1 (not log-log) and the mcf/unique intervals"
  } else if (!is.na(mcf_says)) {
    # log and log-log are the same for mcf; ttfc then keeps its default, which cannot matter:
    # no ttfc row has an interval that tells the scales apart.
    interval <- if (mcf_says == "plain") "plain" else NA
    interval_source <- "inferred from the mcf/unique intervals"
  } else {
    interval_source <- "default for each metric"
  }
}
mcf_interval <- if (is.na(interval) || interval %in% c("log", "log-log")) "log" else "plain"
ttfc_interval <- if (is.na(interval)) "log-log" else interval

# Until: the last grid time of the non-rate curves (horizon or decoy's --until).
if (!is.null(opt$until)) {
  until_us <- round(hours(opt$until, "--until") * US_PER_HOUR); until_source <- "option"
} else if (any(cv$metric != "rate")) {
  until_us <- max(cv$us[cv$metric != "rate"]); until_source <- "last grid time of the other metrics"
} else {
  until_us <- NA; until_source <- "rate only: t_last + grid, capped at the longest window"
}

# ---- estimators -----------------------------------------------------------------------------
# Counting-process mcf on postings p (id, us) and contacts e (id, us), at grid times g_us.
mcf_curve <- function(p, e, g_us) {
  mu <- se <- rep(0, length(g_us))
  if (nrow(e) > 0) {
    o <- order(e$id, e$us)
    e <- e[o, ]
    # tie = 0, 1, ... for successive contacts of one posting at one instant
    run <- cumsum(!c(FALSE, e$id[-1] == head(e$id, -1) & e$us[-1] == head(e$us, -1)))
    e$tie <- seq_len(nrow(e)) - match(run, run)
    K <- max(e$tie) + 1
    if (max(p$us, e$us) * K >= 2^53) stop("times too large for exact integer arithmetic")
    origin <- -K
    e$time <- e$us * K - e$tie
    e <- e[order(e$id, e$time), ]
    first <- !duplicated(e$id)
    start <- c(origin, head(e$time, -1)); start[first] <- origin
    rows <- data.frame(id = e$id, start = start, stop = e$time, event = 1)
    last <- rep(origin, nrow(p))
    has <- p$id %in% e$id
    last[has] <- tapply(e$time, e$id, max)[p$id[has]]
    tail <- data.frame(id = p$id, start = last, stop = p$us * K, event = 0)
    d <- rbind(rows, tail[tail$stop > tail$start, ])
    fit <- survfit(Surv(start, stop, event) ~ 1, id = id, data = d,
                   ctype = 1, robust = TRUE, timefix = FALSE)
    k <- findInterval(g_us * K, fit$time)
    mu[k > 0] <- fit$cumhaz[k]
    se[k > 0] <- fit$std.chaz[k]
  }
  limits <- function(q, se) {
    if (mcf_interval == "log") {
      pos <- mu > 0
      list(lower = ifelse(pos, mu * exp(-q * se / mu), 0), upper = ifelse(pos, mu * exp(q * se / mu), 0))
    } else list(lower = pmax(0, mu - q * se), upper = mu + q * se)
  }
  classic <- limits(z, se)
  # decoy's default (corrected): se * sqrt(n / (n - 1)) and t on n - 1 df, n the curve's postings;
  # used only to recognise a file written without --intervals classic.
  n <- nrow(p)
  fixed <- if (n > 1) limits(qt(1 - alpha / 2, n - 1), se * sqrt(n / (n - 1))) else list(lower = NA, upper = NA)
  y <- sapply(g_us, function(t) sum(p$us >= t))
  data.frame(us = g_us, estimate = mu, lower = classic$lower, upper = classic$upper,
             lower_corrected = fixed$lower, upper_corrected = fixed$upper,
             at_risk = y, events = sapply(g_us, function(t) sum(e$us <= t)), at_risk_postings = y, exposure_hours = NA_real_)
}

rate_curve <- function(p, e, g_us) {
  g_us <- sort(g_us)
  step <- if (length(g_us) > 1) g_us[2] - g_us[1] else NA
  until <- if (!is.na(until_us)) until_us else if (!is.na(step)) min(max(g_us) + step, max(po$us)) else max(po$us)
  b <- if (is.na(step)) rep(until, length(g_us)) else pmin(g_us + step, until)
  last <- max(g_us)
  k <- mapply(function(a, b) sum(e$us >= a & (e$us < b | (a == last & e$us == b))), g_us, b)
  T <- mapply(function(a, b) sum(pmax(0, pmin(b, p$us) - a)), g_us, b) / US_PER_HOUR
  ok <- T > 0
  data.frame(us = g_us,
             estimate = ifelse(ok, k / T, NA),
             lower = ifelse(ok, ifelse(k > 0, qgamma(alpha / 2, k) / T, 0), NA),
             upper = ifelse(ok, qgamma(1 - alpha / 2, k + 1) / T, NA),
             at_risk = T, events = k, at_risk_postings = sapply(g_us, function(t) sum(p$us >= t)), exposure_hours = T)
}

ttfc_curve <- function(p, g_us) {
  time <- ifelse(is.na(p$first_us), p$us, p$first_us)
  status <- as.integer(!is.na(p$first_us))
  fit <- survfit(Surv(time, status) ~ 1, conf.int = conf, conf.type = ttfc_interval, timefix = FALSE)
  k <- findInterval(g_us, fit$time)
  S <- lo <- up <- rep(1, length(g_us))
  S[k > 0] <- fit$surv[k]; lo[k > 0] <- fit$lower[k]; up[k > 0] <- fit$upper[k]
  one <- S == 1
  lo[one] <- 1; up[one] <- 1
  y <- sapply(g_us, function(t) sum(time >= t))
  data.frame(us = g_us, estimate = S, lower = lo, upper = up, at_risk = y,
             events = sapply(g_us, function(t) sum(status == 1 & time <= t)), at_risk_postings = y, exposure_hours = NA_real_)
}

# Each contactor's first contact with each posting.
ev_unique <- ev[order(ev$id, ev$us, if ("seq" %in% names(ev)) ev$seq else 0), ]
anon <- is.na(ev_unique$contactor)     # no contactor id: cannot be matched, counted as distinct
if (any(anon)) notes <- c(notes, sprintf("%d contact(s) without a contactor, each counted as a distinct contactor in unique",
                                         sum(anon)))
ev_unique <- ev_unique[anon | !duplicated(ev_unique[c("id", "contactor")]), ]

# ---- expected rows: every group x full grid, per metric ----------------------------------------
arms <- unique(po$arm)
key <- function(metric, arm, rep, us) paste(metric, arm, ifelse(is.na(rep), "", rep), us, sep = "\t")
cols <- c("estimate", "lower", "upper", "at_risk", "events", added)
ours <- list()
structure_problems <- character(0)
for (m in intersect(metrics_known, unique(cv$metric))) {
  cm <- cv[cv$metric == m, ]
  # Pooled curves (replicate empty) for every arm, per-replicate curves for every (arm, replicate),
  # whichever kinds the file has for this metric (both when two files were concatenated).
  by_rep <- !is.na(cm$replicate)
  groups <- rbind(if (any(!by_rep)) data.frame(arm = arms, replicate = NA_character_),
                  if (any(by_rep)) data.frame(arm = po$arm, replicate = as.character(po$replicate))[
                    !duplicated(po[c("arm", "replicate")]), ])
  if (m == "expected") next
  for (gi in seq_len(nrow(groups))) {
    arm <- groups$arm[gi]; rep <- groups$replicate[gi]
    p <- po[po$arm == arm & (is.na(rep) | as.character(po$replicate) == rep), ]
    # The metric's grid (every t_hours of any of its curves): each curve must have all of it.
    g_us <- sort(unique(cm$us))
    r <- switch(m,
      mcf = mcf_curve(p, ev[ev$id %in% p$id, c("id", "us")], g_us),
      unique = mcf_curve(p, ev_unique[ev_unique$id %in% p$id, c("id", "us")], g_us),
      rate = rate_curve(p, ev[ev$id %in% p$id, c("id", "us")], g_us),
      ttfc = ttfc_curve(p, g_us))
    if (is.null(r$lower_corrected)) r$lower_corrected <- r$upper_corrected <- NA
    r$metric <- m; r$arm <- arm; r$replicate <- rep
    ours[[length(ours) + 1]] <- r
  }
}
ours <- do.call(rbind, ours)
if (is.null(ours)) ours <- data.frame(us = numeric(0), estimate = numeric(0), lower = numeric(0), upper = numeric(0),
                                      lower_corrected = numeric(0), upper_corrected = numeric(0),
                                      at_risk = numeric(0), events = numeric(0), at_risk_postings = numeric(0),
                                      exposure_hours = numeric(0), metric = character(0),
                                      arm = character(0), replicate = character(0))
ours$key <- key(ours$metric, ours$arm, ours$replicate, ours$us)
cv$key <- key(cv$metric, cv$arm, cv$replicate, cv$us)

# Grid completeness: within each curve, t = 0, step, 2 step, ... and the last time.
for (m in setdiff(unique(cv$metric), "expected")) {
  cm <- cv[cv$metric == m, ]
  g <- sort(unique(cm$us)); step <- if (length(g) > 1) g[2] - g[1] else NA
  if (!is.na(step)) {
    full <- unique(c(seq(0, max(g), by = step), max(g)))
    if (m == "rate" && !is.na(until_us)) full <- full[full < until_us]
    gap <- setdiff(full, g)
    if (length(gap)) structure_problems <- c(structure_problems,
      sprintf("%s: grid times missing from every curve: %s", m, paste(head(gap / US_PER_HOUR, 5), collapse = ", ")))
  }
}

# ---- compare ---------------------------------------------------------------------------------
failures <- character(0)
if (anyDuplicated(cv$key)) failures <- c(failures, sprintf("curves.csv has %d duplicate rows", sum(duplicated(cv$key))))
fmt_row <- function(k) { s <- strsplit(k, "\t")[[1]]
  sprintf("%s arm=%s%s t=%s", s[1], s[2], if (length(s) > 2 && s[3] != "") paste0(" replicate=", s[3]) else "",
          format(as.numeric(s[4]) / US_PER_HOUR, digits = 15)) }
cvc <- cv[cv$metric != "expected", ]
only_decoy <- setdiff(cvc$key, ours$key)
only_ours <- setdiff(ours$key, cvc$key)
for (k in only_decoy) failures <- c(failures, paste("row in curves.csv has no posting group to recompute:", fmt_row(k)))
for (k in only_ours) failures <- c(failures, paste("row missing from curves.csv:", fmt_row(k)))

both <- intersect(cvc$key, ours$key)
D <- cvc[match(both, cvc$key), ]
R <- ours[match(both, ours$key), ]
# mcf and unique limits that miss R's classic ones but equal the corrected ones: a default file.
s <- D$metric %in% c("mcf", "unique") & D$estimate > 0 & !is.na(D$lower) & !is.na(R$lower_corrected)
if (any(s)) {
  off <- function(a, b) any(rel(a, b) > tolerance)
  if ((off(D$lower[s], R$lower[s]) || off(D$upper[s], R$upper[s])) &&
      !off(D$lower[s], R$lower_corrected[s]) && !off(D$upper[s], R$upper_corrected[s]))
    corrected("its mcf intervals are the corrected ones")
}
report <- list()
worst_rel <- 0
for (m in intersect(c("mcf", "unique", "rate", "ttfc"), unique(D$metric))) {
  s <- D$metric == m
  best <- list(abs = 0, rel = 0, where = "")
  per_col <- character(0)
  for (col in cols) {
    a <- D[[col]][s]; b <- R[[col]][s]
    mism <- which(is.na(a) != is.na(b))
    for (j in mism) failures <- c(failures, sprintf("%s: %s is %s in curves.csv, %s recomputed", fmt_row(D$key[s][j]), col,
      ifelse(is.na(a[j]), "empty", format(a[j], digits = 17)), ifelse(is.na(b[j]), "empty", format(b[j], digits = 17))))
    ok <- !is.na(a) & !is.na(b)
    if (!any(ok)) next
    ad <- abs(a - b); rd <- rel(a, b)
    ad[!ok] <- 0; rd[!ok] <- 0
    if (max(ad) > best$abs) best$abs <- max(ad)
    j <- which.max(rd)
    if (rd[j] > best$rel || best$where == "") {
      if (rd[j] > best$rel) best$rel <- rd[j]
      best$where <- sprintf("%s at %s (decoy %s, R %s)", col, sub("^[^ ]+ ", "", fmt_row(D$key[s][j])),
                            format(a[j], digits = 17), format(b[j], digits = 17))
    }
    bad <- which(ok & rd > tolerance)
    for (j in bad) failures <- c(failures, sprintf("%s: %s differs: decoy %s, R %s (relative %.3g)", fmt_row(D$key[s][j]),
      col, format(a[j], digits = 17), format(b[j], digits = 17), rd[j]))
    per_col <- c(per_col, sprintf("%s %.2g", col, max(rd)))
  }
  worst_rel <- max(worst_rel, best$rel)
  report[[m]] <- data.frame(metric = m, rows = sum(s), max_abs_diff = sprintf("%.3g", best$abs),
                            max_rel_diff = sprintf("%.3g", best$rel),
                            worst = if (best$rel > 0) best$where else "all identical",
                            stringsAsFactors = FALSE)
  report[[m]]$by_column <- paste(per_col, collapse = ", ")
}

# ---- print -------------------------------------------------------------------------------------
cat(sprintf("crosscheck run %s: %d postings, %d contacts; %d curve rows (%s)\n", runs, nrow(po), nrow(ev), nrow(cv),
            paste(sprintf("%s %d", names(table(cv$metric)), table(cv$metric)), collapse = ", ")))
cat(sprintf("confidence %s (%s); interval %s for mcf/unique, %s for ttfc (%s); until %s h (%s)\n",
            format(conf), conf_source, mcf_interval, ttfc_interval, interval_source,
            if (is.na(until_us)) "-" else format(until_us / US_PER_HOUR, digits = 15), until_source))
for (n in notes) cat("note:", n, "\n")
if (any(cv$metric == "expected")) cat(sprintf("expected: %d rows skipped (the model's mean is not in the exports)\n",
                                             sum(cv$metric == "expected")))
if (length(report)) {
  rep_df <- do.call(rbind, report)
  w <- max(nchar(rep_df$metric), 6)
  cat(sprintf("%-*s %6s %13s %13s  %s\n", w, "metric", "rows", "max_abs_diff", "max_rel_diff", "largest relative difference"))
  for (j in seq_len(nrow(rep_df)))
    cat(sprintf("%-*s %6d %13s %13s  %s\n%-*s %6s %13s %13s  relative by column: %s\n", w, rep_df$metric[j], rep_df$rows[j],
                rep_df$max_abs_diff[j], rep_df$max_rel_diff[j], rep_df$worst[j], w, "", "", "", "", rep_df$by_column[j]))
}
failures <- c(structure_problems, failures)
if (length(failures)) {
  cat(sprintf("FAIL: %d problem(s) (tolerance %g relative); first %d:\n", length(failures), tolerance, min(10, length(failures))))
  cat(paste0("  ", head(failures, 10)), sep = "\n")
  if (conf_source != "option" && !startsWith(conf_source, "inferred"))
    cat("hint: the confidence level could not be read from curves.csv; pass --confidence as given to decoy curves\n")
  if (is.na(until_us))
    cat("hint: with rate alone the last bin's end is a guess; pass --until as given to decoy curves (or its horizon)\n")
  quit(status = 1)
}
cat(sprintf("OK: %d rows agree, largest relative difference %.3g <= tolerance %g\n", nrow(D), worst_rel, tolerance))
quit(status = 0)
