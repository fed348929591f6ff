#!/usr/bin/env Rscript
# Cross-check `decoy curves --metric mcf` with R's survival package, from the raw exports.
#
#   decoy export RUN --table events   --out events.csv
#   decoy export RUN --table postings --out postings.csv
#   Rscript analysis/mcf_from_export.R events.csv postings.csv [GRID] [--by-replicate] [--until UNTIL]
#
# GRID and UNTIL are hours (`1`, `0.5`) or decoy durations (`1h`, `30m`, `1.5d`, `45s`); GRID
# defaults to 1 hour. Compare with `decoy curves RUN --metric mcf --intervals classic [--grid GRID]
# [--by replicate]`: the intervals here are R's classic ones, not decoy's default corrected ones.
#
# Prints CSV in the layout of `decoy curves` (metric mcf), plus the column std_chaz:
#   estimate = survfit cumulative hazard `cumhaz` (Nelson-Aalen for recurrent events),
#   std_chaz = its robust (Lawless-Nadeau / infinitesimal jackknife) standard error,
#   lower/upper = estimate * exp(-/+ z * std_chaz / estimate), both 0 when estimate = 0 (as decoy),
#   at_risk = at_risk_postings = postings whose window end C_i >= t (exposure_hours, rate's
#   column, empty), events = contacts at or before t,
# at t = 0, GRID, 2*GRID, ... and UNTIL itself (also when GRID does not divide it), for every
# curve, as `decoy curves` does. UNTIL defaults to the longest observation window in
# postings.csv (over all arms and replicates), which is the run's horizon as soon as one posting
# was not removed; `decoy curves` always goes to the horizon, so pass `--until HORIZON` if every
# posting was removed early. Past the end of a curve's windows the estimate is held, at_risk is 0.
# One curve per arm, pooled over replicates (as `decoy curves` with `replicate` empty), or one per
# (arm, replicate) with --by-replicate (or `--by replicate`). Numbers are printed with enough
# digits to round-trip (15 to 17 significant), so differences are the estimators', not printing.
#
# Counting-process rows per posting (times in hours since the posting went live):
#   (previous contact, contact] event = 1 for each contact, the first one starting at the origin,
#   (last contact, C_i]          event = 0 when the window ends after the last contact.
# Two details make this exact (see analysis/README.md, "Ties"):
#   * survfit cannot take zero-length rows, so k contacts of one posting at one instant are
#     moved 0, 1, ..., k-1 "sub-ticks" earlier, below the microsecond resolution of the export;
#     this leaves cumhaz and the robust variance unchanged at every grid point. The origin is one
#     tick before 0, so a contact at exactly t = 0 (or a zero-length window) is representable.
#   * timefix = FALSE: survfit's default merges times closer than ~1e-8 relative (ms apart).
suppressMessages(library(survival))

usage <- "usage: Rscript mcf_from_export.R events.csv postings.csv [GRID] [--by-replicate] [--until UNTIL]"
args <- commandArgs(trailingOnly = TRUE)
by_replicate <- FALSE
until_arg <- NULL
pos_args <- character(0)
i <- 1
while (i <= length(args)) {
  a <- args[i]
  if (a == "--by-replicate") {
    by_replicate <- TRUE
  } else if (a %in% c("--by", "--until")) {
    if (i == length(args)) stop(a, " needs a value\n", usage)
    v <- args[i + 1]; i <- i + 1
    if (a == "--until") until_arg <- v
    else if (v %in% c("replicate", "arm")) by_replicate <- v == "replicate"
    else stop("--by expects arm or replicate, found `", v, "`")
  } else if (startsWith(a, "--")) {
    stop("unknown option ", a, "\n", usage)
  } else {
    pos_args <- c(pos_args, a)
  }
  i <- i + 1
}
if (length(pos_args) < 2 || length(pos_args) > 3) stop(usage)

# Hours from `2`, `2h`, `30m`, `45s`, `1.5d` (decoy's duration syntax; a bare number is hours).
hours <- function(x, what) {
  m <- regmatches(x, regexec("^([0-9]*\\.?[0-9]+)([smhd]?)$", x))[[1]]
  if (length(m) == 0) stop(what, " must be hours or a duration like 1h, 30m, 1.5d; found `", x, "`")
  as.numeric(m[2]) * c(s = 1 / 3600, m = 1 / 60, h = 1, d = 24)[[if (m[3] == "") "h" else m[3]]]
}
grid_hours <- if (length(pos_args) == 3) hours(pos_args[3], "GRID") else 1
if (!is.finite(grid_hours) || grid_hours <= 0) stop("GRID must be a positive duration")
z <- qnorm(1 - 0.05 / 2)                       # 95% intervals, as `decoy curves --intervals classic`

read <- function(f) read.csv(f, na.strings = "", stringsAsFactors = FALSE,
                             colClasses = c(run_id = "character", arm = "character"))
ev <- read(pos_args[1])
po <- read(pos_args[2])
if (length(unique(po$run_id)) != 1) stop("postings.csv must hold exactly one run")

# Integer time scale: microseconds times K sub-ticks, K = the largest number of contacts one
# posting has at one instant. Integers below 2^53 are exact doubles, so ties stay ties.
US_PER_HOUR <- 3600e6
po$id <- paste(po$replicate, po$arm, po$posting)
ev$id <- paste(ev$replicate, ev$arm, ev$posting)
if (!all(ev$id %in% po$id)) stop("events.csv has contacts of postings missing from postings.csv")
ev$us <- round(ev$t_seconds * 1e6)
po$us <- round(po$observed_hours * US_PER_HOUR)
# tie = 0 for the first contact of a posting at an instant, 1 for the second, ...
ev$tie <- integer(nrow(ev))
o <- order(ev$id, ev$us)
run <- cumsum(!c(FALSE, ev$id[o][-1] == head(ev$id[o], -1) & ev$us[o][-1] == head(ev$us[o], -1)))
ev$tie[o] <- seq_along(o) - match(run, run)
K <- max(1, ev$tie + 1)
ORIGIN <- -K                                                 # one microsecond before going live
if (max(po$us, ev$us) * K >= 2^53) stop("times too large for exact integer arithmetic")

# A window end printed with fewer digits than the contact times may fall just before the last
# contact; contacts never happen after the window ends, so extend the window to that contact.
last_us <- tapply(ev$us, ev$id, max)
late <- names(last_us)[last_us > po$us[match(names(last_us), po$id)]]
if (length(late)) {
  over <- last_us[late] - po$us[match(late, po$id)]
  if (max(over) > 1000) warning(sprintf("%d postings have contacts up to %.3f s after observed_hours",
                                        length(late), max(over) / 1e6))
  po$us[match(late, po$id)] <- last_us[late]
}

# Counting-process rows for a set of postings `p` and their contacts `e`.
counting_rows <- function(p, e) {
  e$time <- e$us * K - e$tie
  e <- e[order(e$id, e$time), ]
  first <- !duplicated(e$id)
  start <- c(ORIGIN, head(e$time, -1))
  start[first] <- ORIGIN
  contacts <- data.frame(id = e$id, start = start, stop = e$time, event = rep(1, nrow(e)))
  last <- rep(ORIGIN, nrow(p))
  has <- p$id %in% e$id
  last[has] <- tapply(e$time, e$id, max)[p$id[has]]
  tail <- data.frame(id = p$id, start = last, stop = p$us * K, event = rep(0, nrow(p)))
  rbind(contacts, tail[tail$stop > tail$start, ])
}

# Grid on the integer microsecond scale (t_hours = us / 3.6e9, as decoy computes it from a
# duration): 0, GRID, 2*GRID, ... up to UNTIL, and UNTIL itself. Same grid for every curve.
grid_step_us <- round(grid_hours * US_PER_HOUR)
if (grid_step_us < 1) stop("GRID must be at least one microsecond")
until_us <- if (is.null(until_arg)) max(po$us) else round(hours(until_arg, "--until") * US_PER_HOUR)
grid_us <- seq(0, until_us, by = grid_step_us)
if (grid_us[length(grid_us)] < until_us) grid_us <- c(grid_us, until_us)
grid <- grid_us / US_PER_HOUR

groups <- if (by_replicate) paste(po$arm, po$replicate, sep = "\t") else po$arm
out <- list()
for (g in unique(groups[order(match(po$arm, unique(po$arm)), po$replicate)])) {
  p <- po[groups == g, ]
  e <- ev[ev$id %in% p$id, ]
  mu <- se <- rep(0, length(grid))
  if (nrow(e) > 0) {
    d <- counting_rows(p, e)
    fit <- survfit(Surv(start, stop, event) ~ 1, id = id, data = d,
                   ctype = 1, robust = TRUE, timefix = FALSE)
    k <- findInterval(grid_us * K, fit$time)          # right-continuous step-function lookup
    mu[k > 0] <- fit$cumhaz[k]
    se[k > 0] <- fit$std.chaz[k]
  }
  pos <- mu > 0
  out[[g]] <- data.frame(
    run_id = p$run_id[1], arm = p$arm[1], replicate = if (by_replicate) p$replicate[1] else NA,
    metric = "mcf", t_hours = grid, estimate = mu,
    lower = ifelse(pos, mu * exp(-z * se / mu), 0), upper = ifelse(pos, mu * exp(z * se / mu), 0),
    at_risk = sapply(grid_us, function(t) sum(p$us >= t)),
    events = sapply(grid_us, function(t) sum(e$us <= t)),
    at_risk_postings = sapply(grid_us, function(t) sum(p$us >= t)), exposure_hours = NA_real_,
    std_chaz = se, stringsAsFactors = FALSE)
}
res <- do.call(rbind, out)

# CSV as decoy writes it: no quotes unless needed (RFC 4180), empty = missing, and numbers with
# the fewest of 15, 16 or 17 significant digits that read back as the same double.
field <- function(x) {
  if (is.numeric(x)) {
    s <- sprintf("%.15g", x)
    for (digits in 16:17) {
      bad <- !is.na(x)
      bad[bad] <- as.numeric(s[bad]) != x[bad]
      s[bad] <- sprintf(paste0("%.", digits, "g"), x[bad])
    }
  } else {
    s <- as.character(x)
    q <- !is.na(s) & grepl('[",\r\n]', s)
    s[q] <- paste0('"', gsub('"', '""', s[q]), '"')
  }
  s[is.na(x)] <- ""
  s
}
cols <- lapply(res, field)
writeLines(c(paste(names(res), collapse = ","), do.call(paste, c(cols, sep = ","))), stdout())
